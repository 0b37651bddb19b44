// `mqlab replay FILE`: runs a replay file's scenario again with its seed and
// its recorded faults (an explicit plan instead of swarm mode) and says
// whether the same violation and the same trace hash recur.
//
// Exit codes: 0 reproduced (same violation, same trace hash); 1 the same
// violation recurred but the trace differs (the code or the model changed
// since the file was written); 4 the violation did not recur; 2 a bad file;
// 3 the run stopped on a bound.
#ifndef MQLAB_TOOLS_REPLAY_COMMAND_H_
#define MQLAB_TOOLS_REPLAY_COMMAND_H_

#include <cstddef>
#include <ostream>
#include <string>

#include "CLI/CLI.hpp"
#include "sim/workload.h"

namespace mqlab::tools {

inline constexpr int kReplayReproduced = 0;
inline constexpr int kReplayTraceDiffers = 1;
inline constexpr int kReplayNotRecurred = 4;

struct ReplayCommandOptions {
  std::string file;
  std::string report_dir;  // Empty: no report.
  size_t trace_lines = 0;  // Print the last N trace records.
  // Print every observation whose description contains this text (empty:
  // none), e.g. a session's ClientId.
  std::string observations;
  bool progress = true;
};

int RunReplayCommand(const ReplayCommandOptions& options,
                     const sim::WorkloadFactory& workload, std::ostream& out,
                     std::ostream& err);

void RegisterReplayCommand(CLI::App& app, sim::WorkloadFactory workload);

}  // namespace mqlab::tools

#endif  // MQLAB_TOOLS_REPLAY_COMMAND_H_
