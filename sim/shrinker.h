// Shrinking a failing run: the smallest variant of its scenario and fault
// plan that still fails the same way (same checker, same rule), found by
//  1. delta debugging (ddmin, complements) over the recorded fault list,
//  2. halving each population's count,
//  3. removing behaviours one at a time,
//  4. halving the run's duration (faults past the end go),
//  5. halving every message rate together,
// repeated while a round removes something, within a bounded number of
// attempts (each attempt is one run). The scenario's own fault section is
// cleared: the plan is explicit from the start.
#ifndef MQLAB_SIM_SHRINKER_H_
#define MQLAB_SIM_SHRINKER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sim/named_faults.h"
#include "sim/replay_file.h"
#include "sim/scenario.pb.h"
#include "sim/workload.h"

namespace mqlab::sim {

struct ShrinkCandidate {
  scenario::Scenario scenario;
  std::vector<NamedFault> faults;
};

// Whether `candidate` still fails the same way.
using FailureOracle = std::function<bool(const ShrinkCandidate&)>;

struct ShrinkOptions {
  uint32_t max_attempts = 200;
  // Called after every attempt (for progress output); may be empty.
  std::function<void(uint32_t attempt, bool failed)> on_attempt;
};

struct ShrinkResult {
  ShrinkCandidate smallest;
  uint32_t attempts = 0;
  bool attempts_exhausted = false;
  // What was removed, one line each ("faults: 37 -> 2", "population
  // vehicles: 200 -> 3 clients", ...).
  std::vector<std::string> removed;
};

// The core loop, for any oracle. `start` must fail.
ShrinkResult Shrink(ShrinkCandidate start, const ShrinkOptions& options,
                    const FailureOracle& oracle);

// Shrinks a replay file's failing run (which must have a violation): the
// oracle re-runs candidates with the file's seed, stopping at the first
// violation. The result is a replay file of the smallest failing run, re-run
// as the original was, with `shrunk` saying what was removed.
// FAILED_PRECONDITION when the file records no violation or its run no
// longer fails.
absl::StatusOr<ReplayFile> ShrinkReplay(const ReplayFile& replay,
                                        const ShrinkOptions& options,
                                        const WorkloadFactory& workload,
                                        ShrinkResult* details = nullptr);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_SHRINKER_H_
