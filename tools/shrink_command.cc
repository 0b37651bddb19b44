#include "tools/shrink_command.h"

#include <filesystem>
#include <iostream>
#include <memory>

#include "absl/strings/match.h"
#include "sim/replay_file.h"
#include "sim/shrinker.h"
#include "tools/run_command.h"
#include "tools/write_files.h"

namespace mqlab::tools {

std::string ShrunkReplayPath(const std::string& file) {
  if (absl::EndsWith(file, ".json")) {
    return file.substr(0, file.size() - 5) + ".shrunk.json";
  }
  return file + ".shrunk.json";
}

int RunShrinkCommand(const ShrinkCommandOptions& options,
                     const sim::WorkloadFactory& workload, std::ostream& out,
                     std::ostream& err) {
  absl::StatusOr<std::string> text = ReadTextFile(options.file);
  if (!text.ok()) {
    err << "mqlab shrink: " << text.status().message() << "\n";
    return kRunBadInput;
  }
  absl::StatusOr<sim::ReplayFile> replay =
      sim::ParseReplayFile(*text, options.file);
  if (!replay.ok()) {
    err << "mqlab shrink: " << replay.status().message() << "\n";
    return kRunBadInput;
  }
  out << "mqlab shrink: " << options.file << ": "
      << (replay->violation.has_value() ? replay->violation->ToString()
                                        : std::string("no violation"))
      << "\n";
  const bool terminal = StderrIsTerminal();
  sim::ShrinkOptions shrink_options;
  shrink_options.max_attempts = options.max_attempts;
  uint32_t smaller = 0;
  if (options.progress) {
    shrink_options.on_attempt = [&](uint32_t attempt, bool failed) {
      smaller += failed;
      err << (terminal ? "\r" : "") << "mqlab shrink: attempt " << attempt
          << "/" << options.max_attempts << ", " << smaller
          << " smaller failing runs" << (terminal ? "" : "\n") << std::flush;
    };
  }
  sim::ShrinkResult details;
  absl::StatusOr<sim::ReplayFile> smallest =
      sim::ShrinkReplay(*replay, shrink_options, workload, &details);
  if (options.progress && terminal) err << "\n";
  if (!smallest.ok()) {
    err << "mqlab shrink: " << smallest.status().message() << "\n";
    return smallest.status().code() == absl::StatusCode::kFailedPrecondition
               ? kRunViolations
               : kRunBadInput;
  }
  const std::string path =
      options.out.empty() ? ShrunkReplayPath(options.file) : options.out;
  const std::filesystem::path target(path);
  const absl::Status written = WriteFile(
      target.parent_path().empty() ? "." : target.parent_path().string(),
      target.filename().string(), sim::ReplayFileToJson(*smallest));
  if (!written.ok()) {
    err << "mqlab shrink: " << written.message() << "\n";
    return kRunFailed;
  }
  out << details.attempts << " attempts"
      << (details.attempts_exhausted ? " (the limit: the result may shrink "
                                       "further with --max-attempts)"
                                     : "")
      << "\n";
  if (details.removed.empty()) out << "removed: nothing (already minimal)\n";
  for (const std::string& line : details.removed) {
    out << "removed: " << line << "\n";
  }
  if (smallest->violation.has_value()) {
    out << "violation: " << smallest->violation->ToString() << "\n";
  }
  out << "smallest replay file: " << path << "\n";
  out << "trace_hash=" << sim::HashHex(smallest->trace_hash) << "\n";
  return kRunPassed;
}

void RegisterShrinkCommand(CLI::App& app, sim::WorkloadFactory workload) {
  auto options = std::make_shared<ShrinkCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "shrink", "find the smallest run that still fails like a replay file");
  command->footer(
      "Removes faults (delta debugging over the recorded list), clients "
      "(halving populations), behaviours, virtual time and message rate while "
      "the same checker reports the same rule, within --max-attempts runs. "
      "Exit 1 when the file's run no longer fails.\n"
      "Example: ./mqlab shrink mqlab-replays/default-seed7.replay.json");
  command->add_option("FILE", options->file, "the replay file")->required();
  command->add_option("--out", options->out,
                      "where the smallest replay goes (default "
                      "FILE.shrunk.json)");
  command->add_option("--max-attempts", options->max_attempts,
                      "runs tried at most (default 200)");
  command->add_flag("!--no-progress", options->progress,
                    "no progress on stderr");
  command->callback([options, workload] {
    const int code = RunShrinkCommand(*options, workload, std::cout, std::cerr);
    if (code != kRunPassed) throw CLI::RuntimeError(code);
  });
}

}  // namespace mqlab::tools
