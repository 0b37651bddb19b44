// `mqlab run [SCENARIO] [--seed N] [--report DIR]`: one simulator run. Prints
// a summary and, as its last line, `trace_hash=<16 hex digits>`; on
// violations writes a replay file (replay_command.h) and exits 1.
//
// Also the pieces the other simulator commands (replay, shrink, sweep)
// share: reading a scenario with its namespace, the progress line, the
// summary text and the report files.
#ifndef MQLAB_TOOLS_RUN_COMMAND_H_
#define MQLAB_TOOLS_RUN_COMMAND_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "sim/report.h"
#include "sim/runner.h"
#include "sim/workload.h"

namespace mqlab::tools {

// Exit codes of the simulator commands.
inline constexpr int kRunPassed = 0;
inline constexpr int kRunViolations = 1;
inline constexpr int kRunBadInput = 2;  // Unreadable or invalid files.
inline constexpr int kRunFailed = 3;    // The run stopped: a bound, a cancel.

// The summary line of a checker's per-rule situation counts follows
// "  CHECKER" with this label, then " rule=count" pairs.
inline constexpr char kSituationsLabel[] = " situations:";
inline constexpr char kDefaultScenario[] = "scenarios/default.textproto";
inline constexpr char kDefaultReplayDir[] = "mqlab-replays";
// Where the git commit comes from when --git-commit is not given (the
// ./mqlab script sets it; the core never runs git).
inline constexpr char kGitCommitVariable[] = "MQLAB_GIT_COMMIT";
// The checkout the ./mqlab script runs from: paths under it are recorded
// relative to it (replay files, reports), so that a record names no path of
// one machine.
inline constexpr char kCheckoutVariable[] = "MQLAB_CHECKOUT";

struct RunCommandOptions {
  std::string scenario = kDefaultScenario;
  std::optional<uint64_t> seed;
  std::string report_dir;  // Empty: no report.
  std::string replay_dir = kDefaultReplayDir;
  std::string git_commit;  // Empty: $MQLAB_GIT_COMMIT, else "unknown".
  bool progress = true;
  bool stop_at_first_violation = false;
};

// Reads a whole file.
absl::StatusOr<std::string> ReadTextFile(const std::string& path);
// Reads the scenario at `path` and the namespace it names (json_file,
// relative to the scenario's folder, or the inline json).
absl::StatusOr<sim::RunInput> ReadRunInput(const std::string& path);
// --git-commit, else $MQLAB_GIT_COMMIT, else "unknown".
std::string GitCommit(const std::string& flag);

// The progress line on stderr for runs longer than a second: rewritten in
// place on a terminal (at most every 100 ms), a line every 5 s otherwise.
class ProgressLine {
 public:
  ProgressLine(std::ostream& err, bool terminal, std::string label);
  ~ProgressLine();  // Clears the line on a terminal.
  // Pass as RunOptions::progress.
  bool Update(const sim::RunProgress& progress);
  double elapsed_seconds() const;

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& err_;
  bool terminal_;
  std::string label_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = start_;
  bool shown_ = false;
  size_t width_ = 0;
};

// True when stderr is a terminal.
bool StderrIsTerminal();

// The run's summary lines (without the trace_hash line).
std::string FormatRunSummary(const sim::RunResult& result,
                             std::optional<double> wall_seconds);
// Writes report.json and report.html into `dir`.
absl::Status WriteReport(const std::string& dir, const sim::RunResult& result,
                         const sim::ReportHeader& header);
// "<dir>/<scenario name>-seed<seed>.replay.json".
std::string ReplayFilePath(const std::string& dir,
                           const sim::RunResult& result);

int RunRunCommand(const RunCommandOptions& options,
                  const sim::WorkloadFactory& workload, std::ostream& out,
                  std::ostream& err);

// Adds `run` to `app`; runs use `workload` (empty: network and faults only).
void RegisterRunCommand(CLI::App& app, sim::WorkloadFactory workload);

}  // namespace mqlab::tools

#endif  // MQLAB_TOOLS_RUN_COMMAND_H_
