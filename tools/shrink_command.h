// `mqlab shrink FILE [--out PATH] [--max-attempts N]`: finds the smallest
// variant of a replay file's failing run that still fails the same way
// (sim/shrinker.h: faults, clients, behaviours, duration, message rates),
// writes its replay file and prints what it removed.
#ifndef MQLAB_TOOLS_SHRINK_COMMAND_H_
#define MQLAB_TOOLS_SHRINK_COMMAND_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "CLI/CLI.hpp"
#include "sim/workload.h"

namespace mqlab::tools {

struct ShrinkCommandOptions {
  std::string file;
  std::string out;  // Empty: FILE with ".shrunk.json" for ".json".
  uint32_t max_attempts = 200;
  bool progress = true;
};

// Where the smallest replay goes by default: "x.replay.json" ->
// "x.replay.shrunk.json".
std::string ShrunkReplayPath(const std::string& file);

int RunShrinkCommand(const ShrinkCommandOptions& options,
                     const sim::WorkloadFactory& workload, std::ostream& out,
                     std::ostream& err);

void RegisterShrinkCommand(CLI::App& app, sim::WorkloadFactory workload);

}  // namespace mqlab::tools

#endif  // MQLAB_TOOLS_SHRINK_COMMAND_H_
