// The simulator run a sim_choices input stands for (fuzz/sim_choices_fuzzer.cc
// runs it; `mqlab sim-choices` runs it again and writes its replay file).
//
// The scenario is the shipped scenarios/sim_choices.textproto with its
// namespace, compiled in so that the fuzz loop reads no file. The input's
// bytes are the run's choices, read in order (missing bytes read as zero):
//
//   seed      2 bytes, little-endian: the run's seed, which draws the
//             network's segmentation and latencies and the clients' timing.
//   faults    then up to kMaxSimChoicesFaults records of 5 bytes each:
//     kind      which fault (kAllFaultKinds[byte % 9]);
//     at        2 bytes: when, 1 s + (value % 24 000) ms;
//     target    which host or client it hits: the broker or one client for
//               host faults, one client for partitions (cut from the
//               broker) and client faults;
//     length    how long it lasts, 100 ms + (byte % 50) * 100 ms, and for
//               slow readers and latency spikes how much (rate, delay).
//
// The faults feed the run as an explicit plan, exactly as a replay file's
// do, so each byte steers one choice and coverage can guide through fault
// schedules. Every fault ends by kSimChoicesFaultsEnd; the scenario's last
// 15 s are quiet, and its checkers judge recovery there.
#ifndef MQLAB_FUZZ_SIM_CHOICES_RUN_H_
#define MQLAB_FUZZ_SIM_CHOICES_RUN_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/time.h"
#include "sim/named_faults.h"
#include "sim/runner.h"

namespace mqlab::fuzz {

inline constexpr size_t kMaxSimChoicesFaults = 16;
inline constexpr size_t kSimChoicesFaultBytes = 5;
inline constexpr Time kSimChoicesFaultsEnd = 25 * kSecond;

// The shipped scenario and its namespace, as RunScenario takes them.
const sim::RunInput& SimChoicesRunInput();

// The faults `choices` encodes against clients named `client_names`
// (fleet order), in the order the bytes give them.
std::vector<sim::NamedFault> DecodeSimChoicesFaults(
    std::span<const uint8_t> choices,
    std::span<const std::string> client_names);

// The options of the run `choices` stands for: its seed and faults, the
// virtual fleet as workload, stop at the first violation.
sim::RunOptions SimChoicesRunOptions(std::span<const uint8_t> choices);

// The oracle: what is wrong with the run `result`, or empty. A bad plan (a
// decoding bug), a run stopped on a bound (unbounded growth) and any
// checker's violation are findings.
std::optional<std::string> SimChoicesFinding(
    const absl::StatusOr<sim::RunResult>& result);

}  // namespace mqlab::fuzz

#endif  // MQLAB_FUZZ_SIM_CHOICES_RUN_H_
