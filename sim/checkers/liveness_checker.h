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

#include "absl/container/flat_hash_map.h"
#include "sim/checkers/checker.h"

namespace mqlab::sim {

class LivenessChecker : public Checker {
 public:
  explicit LivenessChecker(const CheckerContext& context)
      : Checker(CheckerKind::kLiveness, context) {}

  void OnClientIntent(const ClientIntent& intent,
                      const ObservedIds& ids) override;
  void OnConnectAttempt(const ConnectAttempt& attempt,
                        const ObservedIds& ids) override;
  void OnConnack(const ConnackReceived& connack) override;
  void OnConnectionEnded(const ConnectionEnded& ended) override;
  void Finish(Time end) override;

 private:
  // (client, session number): a client may name another's session.
  struct Key {
    uint32_t client = 0;
    uint32_t session = 0;
    uint64_t packed() const { return uint64_t{client} << 32 | session; }
  };
  struct Session {
    Key key;
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
  void Update(Key key, Time now, F change);
  void Judge(const Session& session, Time until, bool still_down);

  absl::flat_hash_map<uint64_t, Session> sessions_;  // By Key::packed.
  absl::flat_hash_map<uint64_t, Connection> connections_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_LIVENESS_CHECKER_H_
