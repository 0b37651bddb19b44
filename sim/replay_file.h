// Replay files: everything needed to run a failing run again, bit for bit,
// on another machine or after the scenario file changed. JSON:
//
//   {
//     "format": "mqlab-replay", "version": 1,
//     "scenario": {"path": "scenarios/default.textproto", "text": "..."},
//     "namespace": {"source": "scenarios/namespaces/telemetry.json",
//                   "json": "..."},
//     "seed": 42,
//     "git_commit": "3f2a9c1...",
//     "stop_at_first_violation": false,
//     "faults": [{"at": "12.5s", "kind": "partition", "hosts": ["broker"],
//                 "other_hosts": ["vehicles/vehicle0042"], "clients": [],
//                 "duration": "5s", "amount": 0}, ...],
//     "violation": {"checker": "qos1-at-least-once", "rule": "message-lost",
//                   "time": "30m", "sessions": [...], "messages": ["m3.17"],
//                   "detail": "..."},
//     "trace_hash": "0123456789abcdef",
//     "shrunk": ["faults: 37 -> 2", ...]
//   }
//
// The scenario and the namespace are embedded verbatim; "faults" is the
// plan the run actually took (FaultInjector::taken), by name; durations are
// exact (sim/duration_text.h). I/O-free: the caller reads and writes files.
#ifndef MQLAB_SIM_REPLAY_FILE_H_
#define MQLAB_SIM_REPLAY_FILE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "sim/checkers/checker.h"
#include "sim/named_faults.h"
#include "sim/runner.h"

namespace mqlab::sim {

inline constexpr int kReplayFormatVersion = 1;
// Largest replay file read.
inline constexpr size_t kMaxReplayFileBytes = 64 << 20;

struct ReplayFile {
  RunInput input;
  uint64_t seed = 0;
  std::string git_commit;
  // How the recorded run ran: a run stopped at its first violation replays
  // the same way (its trace hash covers the run up to there).
  bool stop_at_first_violation = false;
  std::vector<NamedFault> faults;
  std::optional<Violation> violation;  // The first one found.
  uint64_t trace_hash = 0;
  // What the shrinker removed, one line each; empty for a run's own file.
  std::vector<std::string> shrunk;
};

// The replay file of a finished run.
ReplayFile MakeReplayFile(const RunInput& input, const RunOptions& options,
                          const RunResult& result, std::string git_commit);

std::string ReplayFileToJson(const ReplayFile& replay);

// INVALID_ARGUMENT naming `source`, the JSON path and what was expected:
// "x.replay.json: $.faults[2].kind: expected one of reset-connections, ...,
// got "reboot"".
absl::StatusOr<ReplayFile> ParseReplayFile(std::string_view text,
                                           std::string_view source);

// "qos1-at-least-once" -> kQos1AtLeastOnce.
std::optional<CheckerKind> CheckerKindFromName(std::string_view name);
// "m17.42" -> {17, 42}.
std::optional<MessageTag> ParseMessageTagName(std::string_view name);
// "trace_hash=..." digits: 16 lower-case hex digits.
std::string HashHex(uint64_t hash);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_REPLAY_FILE_H_
