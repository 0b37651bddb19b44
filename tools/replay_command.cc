#include "tools/replay_command.h"

#include <iostream>
#include <memory>

#include "sim/replay_file.h"
#include "sim/report.h"
#include "sim/runner.h"
#include "tools/run_command.h"

namespace mqlab::tools {

int RunReplayCommand(const ReplayCommandOptions& options,
                     const sim::WorkloadFactory& workload, std::ostream& out,
                     std::ostream& err) {
  absl::StatusOr<std::string> text = ReadTextFile(options.file);
  if (!text.ok()) {
    err << "mqlab replay: " << text.status().message() << "\n";
    return kRunBadInput;
  }
  absl::StatusOr<sim::ReplayFile> replay =
      sim::ParseReplayFile(*text, options.file);
  if (!replay.ok()) {
    err << "mqlab replay: " << replay.status().message() << "\n";
    return kRunBadInput;
  }
  out << "mqlab replay: " << options.file << ": scenario "
      << replay->input.scenario_path << ", seed " << replay->seed << ", "
      << replay->faults.size() << " recorded faults, written at commit "
      << (replay->git_commit.empty() ? "unknown" : replay->git_commit) << "\n";
  for (const std::string& line : replay->shrunk) {
    out << "  shrunk: " << line << "\n";
  }
  sim::RunOptions run_options;
  run_options.seed = replay->seed;
  run_options.faults = replay->faults;
  run_options.stop_at_first_violation = replay->stop_at_first_violation;
  run_options.workload = workload;
  run_options.trace_log_lines = options.trace_lines;
  if (!options.observations.empty()) {
    run_options.on_observation = [&](const sim::Observation& observation) {
      const std::string line = sim::DescribeObservation(observation);
      if (line.find(options.observations) != std::string::npos) {
        out << "observation: " << line << "\n";
      }
    };
  }
  auto progress =
      std::make_unique<ProgressLine>(err, StderrIsTerminal(), "mqlab replay:");
  if (options.progress) {
    run_options.progress = [&](const sim::RunProgress& p) {
      return progress->Update(p);
    };
  }
  absl::StatusOr<sim::RunResult> result =
      sim::RunScenario(replay->input, run_options);
  const double wall = progress->elapsed_seconds();
  progress.reset();
  if (!result.ok()) {
    err << "mqlab replay: " << result.status().message() << "\n";
    return kRunBadInput;
  }
  out << FormatRunSummary(*result, wall);
  for (const std::string& line : result->trace_log)
    out << "trace: " << line << "\n";
  if (!options.report_dir.empty()) {
    const absl::Status written = WriteReport(
        options.report_dir, *result,
        {replay->input.scenario_path, replay->git_commit, wall, options.file});
    if (!written.ok()) err << "mqlab replay: " << written.message() << "\n";
  }

  const bool same_hash = result->summary.trace_hash == replay->trace_hash;
  bool recurred = false;
  bool same_detail = false;
  if (replay->violation.has_value()) {
    for (const sim::Violation& violation : result->violations) {
      if (!violation.SameFailure(*replay->violation)) continue;
      recurred = true;
      same_detail = violation.ToString() == replay->violation->ToString();
      break;
    }
  } else {
    recurred = result->violations.empty();
    same_detail = recurred;
  }
  if (replay->violation.has_value()) {
    out << "recorded violation: " << replay->violation->ToString() << "\n";
    out << "violation: "
        << (!recurred     ? "did not recur"
            : same_detail ? "recurred, identical"
                          : "recurred (same checker and rule, other detail)")
        << "\n";
  } else {
    out << "violation: none recorded; "
        << (recurred ? "none now either" : "the run now fails") << "\n";
  }
  out << "trace hash: "
      << (same_hash ? "same"
                    : "differs: recorded " + sim::HashHex(replay->trace_hash))
      << "\n";
  out << "trace_hash=" << sim::HashHex(result->summary.trace_hash) << "\n";
  if (!result->status.ok()) return kRunFailed;
  if (!recurred) return kReplayNotRecurred;
  return same_hash ? kReplayReproduced : kReplayTraceDiffers;
}

void RegisterReplayCommand(CLI::App& app, sim::WorkloadFactory workload) {
  auto options = std::make_shared<ReplayCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "replay", "run a replay file again and compare the outcome");
  command->footer(
      "Re-runs the embedded scenario with the recorded seed and faults. Exit "
      "0: the same violation and trace hash recur; 1: the same violation "
      "recurs with another trace (the code changed); 4: the violation does "
      "not recur; 2: a bad file; 3: the run stopped on a bound.\n"
      "Example: ./mqlab replay mqlab-replays/default-seed7.replay.json "
      "--trace 50");
  command->add_option("FILE", options->file, "the replay file")->required();
  command->add_option("--report", options->report_dir,
                      "write report.json and report.html into this folder");
  command->add_option("--trace", options->trace_lines,
                      "print the run's last N trace records");
  command->add_option("--observations", options->observations,
                      "print every observation whose description contains "
                      "this text (a ClientId, a message id such as m3.17)");
  command->add_flag("!--no-progress", options->progress,
                    "no progress line on stderr");
  command->callback([options, workload] {
    const int code = RunReplayCommand(*options, workload, std::cout, std::cerr);
    if (code != kReplayReproduced) throw CLI::RuntimeError(code);
  });
}

}  // namespace mqlab::tools
