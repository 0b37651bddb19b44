#include "tools/run_command.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "sim/duration_text.h"
#include "sim/replay_file.h"
#include "sim/scenario_loader.h"
#include "tools/write_files.h"

namespace mqlab::tools {
namespace {

constexpr size_t kViolationsListed = 10;

std::string Rate(double per_second) {
  char text[32];
  if (per_second >= 1e6) {
    std::snprintf(text, sizeof(text), "%.1fM", per_second / 1e6);
  } else if (per_second >= 1e3) {
    std::snprintf(text, sizeof(text), "%.1fk", per_second / 1e3);
  } else if (per_second >= 10) {
    std::snprintf(text, sizeof(text), "%.0f", per_second);
  } else {
    std::snprintf(text, sizeof(text), "%.2f", per_second);
  }
  return text;
}

std::string Millis(Duration duration) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1fms",
                static_cast<double>(duration) / kMillisecond);
  return text;
}

// `path` as a record keeps it: relative to the checkout when it lies inside
// it, unchanged otherwise (or when no checkout is known).
std::string RecordedPath(const std::string& path) {
  const char* checkout = std::getenv(kCheckoutVariable);
  if (checkout == nullptr || *checkout == '\0') return path;
  std::error_code error;
  const std::filesystem::path root =
      std::filesystem::weakly_canonical(checkout, error);
  if (error) return path;
  const std::filesystem::path file =
      std::filesystem::weakly_canonical(path, error);
  if (error) return path;
  const std::filesystem::path relative = file.lexically_relative(root);
  if (relative.empty() || *relative.begin() == "..") return path;
  return relative.generic_string();
}

}  // namespace

absl::StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::string contents((std::istreambuf_iterator<char>(file)),
                       std::istreambuf_iterator<char>());
  if (file.bad())
    return absl::DataLossError(absl::StrCat("cannot read ", path));
  return contents;
}

absl::StatusOr<sim::RunInput> ReadRunInput(const std::string& path) {
  absl::StatusOr<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<scenario::Scenario> scenario = sim::ParseScenario(*text, path);
  if (!scenario.ok()) return scenario.status();
  sim::RunInput input;
  input.scenario_path = RecordedPath(path);
  input.scenario_text = *std::move(text);
  const auto& source = scenario->event_grid_namespace();
  if (source.has_json_file()) {
    const std::string json_path =
        sim::ResolveScenarioPath(path, source.json_file());
    absl::StatusOr<std::string> json = ReadTextFile(json_path);
    if (!json.ok()) {
      return absl::NotFoundError(absl::StrCat(
          path, ": field \"json_file\": ", json.status().message()));
    }
    input.namespace_source = RecordedPath(json_path);
    input.namespace_json = *std::move(json);
  } else {
    input.namespace_source =
        absl::StrCat(input.scenario_path, " (event_grid_namespace.json)");
    input.namespace_json = source.json();
  }
  return input;
}

std::string GitCommit(const std::string& flag) {
  if (!flag.empty()) return flag;
  const char* variable = std::getenv(kGitCommitVariable);
  return variable != nullptr && *variable != '\0' ? variable : "unknown";
}

bool StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

ProgressLine::ProgressLine(std::ostream& err, bool terminal, std::string label)
    : err_(err), terminal_(terminal), label_(std::move(label)) {}

ProgressLine::~ProgressLine() {
  if (terminal_ && shown_) {
    err_ << "\r" << std::string(width_, ' ') << "\r" << std::flush;
  }
}

double ProgressLine::elapsed_seconds() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

bool ProgressLine::Update(const sim::RunProgress& progress) {
  const Clock::time_point now = Clock::now();
  if (now - start_ < std::chrono::seconds(1)) return true;
  const auto every = terminal_ ? std::chrono::milliseconds(100)
                               : std::chrono::milliseconds(5000);
  if (shown_ && now - last_ < every) return true;
  last_ = now;
  shown_ = true;
  const double wall = elapsed_seconds();
  const double virtual_seconds =
      static_cast<double>(progress.now) / static_cast<double>(kSecond);
  const std::string line = absl::StrCat(
      label_, " t=", sim::FormatDuration(progress.now / kSecond * kSecond), "/",
      sim::FormatDuration(progress.end / kSecond * kSecond), " (",
      progress.end > 0 ? 100 * progress.now / progress.end : 100, "%), ",
      Rate(static_cast<double>(progress.events) / wall), " events/s, ",
      Rate(virtual_seconds / wall), "x real time");
  if (terminal_) {
    err_ << "\r" << line;
    if (line.size() < width_) err_ << std::string(width_ - line.size(), ' ');
    width_ = std::max(width_, line.size());
    err_ << std::flush;
  } else {
    err_ << line << "\n" << std::flush;
  }
  return true;
}

std::string FormatRunSummary(const sim::RunResult& result,
                             std::optional<double> wall_seconds) {
  const sim::RunSummary& s = result.summary;
  std::string text;
  if (!s.workload_wired) {
    text +=
        "note: no workload: this run carried out the network and the fault "
        "plan only, and the checkers saw no MQTT traffic\n";
  }
  absl::StrAppend(&text, "fleet: ", s.clients, " clients, ", s.sessions,
                  " sessions, ", s.hosts, " hosts\n");
  if (!s.swarm.empty()) absl::StrAppend(&text, s.swarm, "\n");
  absl::StrAppend(&text, "faults: ", s.faults_planned, " planned, ",
                  s.faults_taken, " taken, ", s.faults_skipped,
                  " skipped; final quiet from t=",
                  sim::FormatDuration(s.quiet_start), "\n");
  const sim::RunCounters& c = s.counters;
  absl::StrAppend(&text, "traffic: ", c.connect_attempts, " connects (",
                  c.connections_accepted, " accepted), ", c.published,
                  " published (", c.published_qos1, " QoS 1), ", c.acknowledged,
                  " acknowledged, ", c.refused, " refused, ", c.deliveries,
                  " deliveries\n");
  absl::StrAppend(&text, "subscriptions: ", c.subscriptions_granted,
                  " granted, ", c.subscriptions_refused, " refused; ",
                  c.limit_probes, " limit probes; ", c.broker_events,
                  " broker events\n");
  if (!s.situations.counts().empty()) {
    absl::StrAppend(&text, ToAbsl(sim::kSituationTableHeading), "\n",
                    s.situations.Table());
  }
  absl::StrAppend(&text, "latency: p50 ", Millis(s.latency.Percentile(0.5)),
                  ", p90 ", Millis(s.latency.Percentile(0.9)), ", p99 ",
                  Millis(s.latency.Percentile(0.99)), ", max ",
                  Millis(s.latency.max()), " (", s.latency.count(),
                  " deliveries timed)\n");
  absl::StrAppend(&text, "checkers: ", s.checkers.size(), " on, ", s.violations,
                  s.violations == 1 ? " violation" : " violations", "\n");
  for (const sim::CheckerSet::Summary& checker : result.checkers) {
    if (checker.situations.empty()) continue;
    // One line, parsed by `mqlab sweep` to sum the counts over seeds.
    absl::StrAppend(&text, "  ", ToAbsl(sim::CheckerName(checker.kind)),
                    kSituationsLabel);
    for (const auto& [rule, count] : checker.situations) {
      absl::StrAppend(&text, " ", rule, "=", count);
    }
    text += "\n";
  }
  for (const sim::CheckerSet::Summary& checker : result.checkers) {
    if (checker.exceptions.empty()) continue;
    absl::StrAppend(&text, "  ", ToAbsl(sim::CheckerName(checker.kind)),
                    " exceptions:");
    for (const auto& [cause, count] : checker.exceptions) {
      absl::StrAppend(&text, " ", cause, " ", count);
    }
    text += "\n";
  }
  const double virtual_seconds =
      static_cast<double>(s.virtual_time) / static_cast<double>(kSecond);
  absl::StrAppend(&text, "time: ", sim::FormatDuration(s.virtual_time),
                  " virtual");
  if (wall_seconds.has_value() && *wall_seconds > 0) {
    char wall[32];
    std::snprintf(wall, sizeof(wall), "%.2f", *wall_seconds);
    absl::StrAppend(
        &text, " in ", wall, " s wall (", Rate(virtual_seconds / *wall_seconds),
        "x), ", s.events, " events (",
        Rate(static_cast<double>(s.events) / *wall_seconds), " events/s, ",
        Rate(static_cast<double>(c.deliveries) / *wall_seconds),
        " deliveries/s)");
    // The whole process's high-water mark (Linux reports KiB): what a
    // fleet of this size costs on this machine.
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) == 0) {
      absl::StrAppend(&text, ", peak memory ", usage.ru_maxrss / 1024, " MiB");
    }
  } else {
    absl::StrAppend(&text, ", ", s.events, " events");
  }
  text += "\n";
  if (s.stopped_early) text += "stopped at the first violation\n";
  if (!result.status.ok()) {
    absl::StrAppend(&text, "run stopped: ", result.status.message(), "\n");
  }
  if (!result.violations.empty()) {
    absl::StrAppend(&text, "first violation: ", result.violations[0].ToString(),
                    "\n");
    const size_t listed = std::min(result.violations.size(), kViolationsListed);
    absl::StrAppend(&text, "violations (", listed, " of ", s.violations,
                    "):\n");
    for (size_t i = 0; i < listed; ++i) {
      absl::StrAppend(&text, "  ", result.violations[i].ToString(), "\n");
    }
  }
  return text;
}

absl::Status WriteReport(const std::string& dir, const sim::RunResult& result,
                         const sim::ReportHeader& header) {
  if (absl::Status json =
          WriteFile(dir, "report.json", sim::ReportJson(result, header));
      !json.ok()) {
    return json;
  }
  return WriteFile(dir, "report.html", sim::ReportHtml(result, header));
}

std::string ReplayFilePath(const std::string& dir,
                           const sim::RunResult& result) {
  return (std::filesystem::path(dir) /
          absl::StrCat(result.summary.scenario_name, "-seed",
                       result.summary.seed, ".replay.json"))
      .string();
}

int RunRunCommand(const RunCommandOptions& options,
                  const sim::WorkloadFactory& workload, std::ostream& out,
                  std::ostream& err) {
  absl::StatusOr<sim::RunInput> input = ReadRunInput(options.scenario);
  if (!input.ok()) {
    err << "mqlab run: " << input.status().message() << "\n";
    return kRunBadInput;
  }
  const std::string git_commit = GitCommit(options.git_commit);
  sim::RunOptions run_options;
  run_options.seed = options.seed;
  run_options.workload = workload;
  run_options.stop_at_first_violation = options.stop_at_first_violation;
  auto progress =
      std::make_unique<ProgressLine>(err, StderrIsTerminal(), "mqlab run:");
  if (options.progress) {
    run_options.progress = [&](const sim::RunProgress& p) {
      return progress->Update(p);
    };
  }
  absl::StatusOr<sim::RunResult> result = sim::RunScenario(*input, run_options);
  const double wall = progress->elapsed_seconds();
  progress.reset();
  if (!result.ok()) {
    err << "mqlab run: " << result.status().message() << "\n";
    return kRunBadInput;
  }
  out << "mqlab run: scenario \"" << result->summary.scenario_name << "\" ("
      << options.scenario << "), seed " << result->summary.seed << "\n";
  out << FormatRunSummary(*result, wall);
  sim::ReportHeader header{options.scenario, git_commit, wall, ""};
  int code = kRunPassed;
  if (!result->violations.empty()) {
    code = kRunViolations;
    const sim::ReplayFile replay =
        sim::MakeReplayFile(*input, run_options, *result, git_commit);
    header.replay_file = ReplayFilePath(options.replay_dir, *result);
    const absl::Status written =
        WriteFile(options.replay_dir,
                  std::filesystem::path(header.replay_file).filename().string(),
                  sim::ReplayFileToJson(replay));
    if (written.ok()) {
      out << "replay file: " << header.replay_file << "\n";
    } else {
      err << "mqlab run: " << written.message() << "\n";
    }
  }
  if (!options.report_dir.empty()) {
    const absl::Status written =
        WriteReport(options.report_dir, *result, header);
    if (written.ok()) {
      out << "report: " << options.report_dir << "/report.html, "
          << options.report_dir << "/report.json\n";
    } else {
      err << "mqlab run: " << written.message() << "\n";
    }
  }
  if (!result->status.ok()) code = kRunFailed;
  out << "trace_hash=" << sim::HashHex(result->summary.trace_hash) << "\n";
  return code;
}

void RegisterRunCommand(CLI::App& app, sim::WorkloadFactory workload) {
  auto options = std::make_shared<RunCommandOptions>();
  CLI::App* command =
      app.add_subcommand("run", "run a simulator scenario and check it");
  command->footer(
      "Prints a summary and, last, trace_hash=<16 hex digits>: the same "
      "scenario and seed give the same hash on every machine and build. On "
      "violations, writes a replay file (see `mqlab replay`) and exits 1; "
      "exit 2 for a bad scenario or namespace, 3 when the run stopped on a "
      "bound. A progress line goes to stderr for runs longer than a second.\n"
      "Example: ./mqlab run scenarios/telemetry.textproto --seed 7 --report "
      "out/");
  command->add_option("SCENARIO", options->scenario,
                      "scenario file (default scenarios/default.textproto)");
  command->add_option("--seed", options->seed,
                      "the run's seed (default: the scenario's)");
  command->add_option("--report", options->report_dir,
                      "write report.json and report.html into this folder");
  command->add_option("--replay-dir", options->replay_dir,
                      "where replay files of failing runs go (default "
                      "mqlab-replays)");
  command->add_option("--git-commit", options->git_commit,
                      "commit recorded in replay files (default "
                      "$MQLAB_GIT_COMMIT)");
  command->add_flag("--stop-at-first-violation",
                    options->stop_at_first_violation,
                    "stop as soon as a checker reports a violation");
  command->add_flag("!--no-progress", options->progress,
                    "no progress line on stderr");
  command->callback([options, workload] {
    const int code = RunRunCommand(*options, workload, std::cout, std::cerr);
    if (code != kRunPassed) throw CLI::RuntimeError(code);
  });
}

}  // namespace mqlab::tools
