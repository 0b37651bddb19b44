// Liveness: once the faults have stopped (the final quiet stretch begins at
// CheckerContext::quiet_start), every session a client means to have
// connected (ClientIntent) is connected within `settle`, and stays so: a
// stretch during which the client wants the session connected and no
// connection of it holds a CONNACK Success may last at most `settle`,
// counted from the latest of its start, the start of the quiet stretch and
// the moment the client began to want it ("not-reconnected" for a stretch
// that ended late, "still-disconnected" for one open at the end).
#ifndef MQLAB_SIM_CHECKERS_LIVENESS_CHECKER_H_
#define MQLAB_SIM_CHECKERS_LIVENESS_CHECKER_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "sim/checkers/checker.h"

namespace mqlab::sim {

class LivenessChecker : public Checker {
 public:
  explicit LivenessChecker(const CheckerContext& context)
      : Checker(CheckerKind::kLiveness, context) {}

  void Observe(const Observation& observation) override;
  void Finish(Time end) override;

 private:
  using Key = std::pair<uint32_t, std::string>;  // (client, ClientId)
  struct Session {
    bool wants = false;
    uint32_t connected = 0;  // Connections past CONNACK Success.
    Time down_since = 0;     // Valid while wants && connected == 0.
  };
  struct Connection {
    Key key;
    bool accepted = false;
  };

  bool Down(const Session& session) const {
    return session.wants && session.connected == 0;
  }
  // Applies `change` to the session and judges a stretch it ends.
  template <typename F>
  void Update(const Key& key, Time now, F change);
  void Judge(const Key& key, const Session& session, Time until,
             bool still_down);

  std::map<Key, Session> sessions_;
  absl::flat_hash_map<uint64_t, Connection> connections_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_LIVENESS_CHECKER_H_
