#include "tools/sim_choices_command.h"

#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <span>

#include "fuzz/sim_choices_run.h"
#include "sim/replay_file.h"
#include "sim/runner.h"
#include "tools/run_command.h"
#include "tools/write_files.h"

namespace mqlab::tools {

int RunSimChoicesCommand(const SimChoicesCommandOptions& options,
                         std::ostream& out, std::ostream& err) {
  const std::string git_commit = GitCommit(options.git_commit);
  int code = kRunPassed;
  for (const std::string& file : options.files) {
    absl::StatusOr<std::string> bytes = ReadTextFile(file);
    if (!bytes.ok()) {
      err << "mqlab sim-choices: " << bytes.status().message() << "\n";
      return kRunBadInput;
    }
    const std::span<const uint8_t> choices(
        reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size());
    const sim::RunOptions run_options = fuzz::SimChoicesRunOptions(choices);
    const absl::StatusOr<sim::RunResult> result =
        sim::RunScenario(fuzz::SimChoicesRunInput(), run_options);
    const std::optional<std::string> finding = fuzz::SimChoicesFinding(result);
    if (!finding.has_value()) {
      out << file << ": no finding, trace_hash="
          << sim::HashHex(result->summary.trace_hash) << "\n";
      continue;
    }
    code = kRunViolations;
    out << file << ": " << *finding << "\n";
    if (!result.ok() || result->violations.empty()) continue;
    const sim::ReplayFile replay = sim::MakeReplayFile(
        fuzz::SimChoicesRunInput(), run_options, *result, git_commit);
    const std::string name =
        std::filesystem::path(file).filename().string() + ".replay.json";
    const absl::Status written =
        WriteFile(options.replay_dir, name, sim::ReplayFileToJson(replay));
    if (!written.ok()) {
      err << "mqlab sim-choices: " << written.message() << "\n";
      return kRunBadInput;
    }
    out << "  replay file: " << options.replay_dir << "/" << name
        << " (trace_hash=" << sim::HashHex(result->summary.trace_hash) << ")\n";
  }
  return code;
}

void RegisterSimChoicesCommand(CLI::App& app) {
  auto options = std::make_shared<SimChoicesCommandOptions>();
  options->replay_dir = kDefaultReplayDir;
  CLI::App* command = app.add_subcommand(
      "sim-choices",
      "run sim_choices fuzzer inputs; write replay files for findings");
  command->footer(
      "Each FILE is a choice stream (fuzz/sim_choices_run.h), e.g. a crash "
      "input of ./mqlab fuzz sim_choices. Exit 0: no finding; 1: findings "
      "(replay files written; ./mqlab replay reproduces them); 2: an "
      "unreadable file.\n"
      "Example: ./mqlab sim-choices fuzz-artifacts/sim_choices/crash-*");
  command->add_option("FILE", options->files, "choice streams")->required();
  command->add_option("--replay-dir", options->replay_dir,
                      "where replay files go (default mqlab-replays)");
  command->add_option("--git-commit", options->git_commit,
                      "the commit replay files record");
  command->callback([options] {
    const int code = RunSimChoicesCommand(*options, std::cout, std::cerr);
    if (code != kRunPassed) throw CLI::RuntimeError(code);
  });
}

}  // namespace mqlab::tools
