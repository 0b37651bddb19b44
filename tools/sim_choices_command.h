// `mqlab sim-choices FILE...`: runs sim_choices fuzzer inputs
// (fuzz/sim_choices_run.h) as the fuzzer did and, for each that finds a
// violation, writes the replay file that `mqlab replay` reproduces (same
// violation, same trace hash). `./mqlab fuzz sim_choices` calls it on the
// crash inputs libFuzzer leaves.
//
// Exit codes: 0 no input found anything; 1 at least one did (replay files
// written); 2 an unreadable input.
#ifndef MQLAB_TOOLS_SIM_CHOICES_COMMAND_H_
#define MQLAB_TOOLS_SIM_CHOICES_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"

namespace mqlab::tools {

struct SimChoicesCommandOptions {
  std::vector<std::string> files;
  std::string replay_dir;
  std::string git_commit;  // Empty: $MQLAB_GIT_COMMIT, else "unknown".
};

int RunSimChoicesCommand(const SimChoicesCommandOptions& options,
                         std::ostream& out, std::ostream& err);

void RegisterSimChoicesCommand(CLI::App& app);

}  // namespace mqlab::tools

#endif  // MQLAB_TOOLS_SIM_CHOICES_COMMAND_H_
