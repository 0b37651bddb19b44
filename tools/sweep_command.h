// `mqlab sweep SCENARIO --seeds A-B [--jobs N]`: runs one scenario over many
// seeds in N worker processes (this binary's own `run`, one process per
// seed), with a progress bar on stderr and a summary of the failures with
// their replay files. Each worker's output goes to a log file, kept for
// failing seeds only.
#ifndef MQLAB_TOOLS_SWEEP_COMMAND_H_
#define MQLAB_TOOLS_SWEEP_COMMAND_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"

namespace mqlab::tools {

// At most this many seeds in one sweep.
inline constexpr uint64_t kMaxSweepSeeds = 1'000'000;
// Worker processes at most.
inline constexpr uint32_t kMaxSweepJobs = 256;

struct SeedRange {
  uint64_t first = 0;
  uint64_t last = 0;  // Inclusive.
  uint64_t count() const { return last - first + 1; }
};

// "7" or "1-100" (inclusive). INVALID_ARGUMENT saying what was expected.
absl::StatusOr<SeedRange> ParseSeedRange(std::string_view text);

struct SweepCommandOptions {
  std::string scenario;
  std::string seeds;
  uint32_t jobs = 0;  // 0: one per CPU.
  std::string replay_dir = "mqlab-replays";
  std::string git_commit;
  // The mqlab binary the workers run; empty: this process's own.
  std::string executable;
  bool progress = true;
};

int RunSweepCommand(const SweepCommandOptions& options, std::ostream& out,
                    std::ostream& err);

void RegisterSweepCommand(CLI::App& app);

}  // namespace mqlab::tools

#endif  // MQLAB_TOOLS_SWEEP_COMMAND_H_
