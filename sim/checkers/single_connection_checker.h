// No session is held by two connections at once, judged from both sides:
//  - the broker's own account: between a kConnected event for a session and
//    the kDisconnected event of that connection, no other connection of the
//    same session is reported connected ("broker-reports-two"); a taken-over
//    connection's end must be reported before its successor's kConnected;
//  - the clients' account: when a connection of a session gets CONNACK
//    Success, every other connection of that session that was connected
//    must come to an end; one still open `settle` after the takeover (or at
//    the end of the run) was kept alongside its successor ("old-kept");
//  - ownership (the seed: a client that presents another client's session
//    name is refused as not authorized): the broker never resumes, takes
//    over or (by Clean Start) replaces a session for an authentication name
//    other than the one that created it, while the session exists by its
//    own reports (created, until it expired, overflowed, was deleted, or the
//    broker restarted) ("session-stolen").
#ifndef MQLAB_SIM_CHECKERS_SINGLE_CONNECTION_CHECKER_H_
#define MQLAB_SIM_CHECKERS_SINGLE_CONNECTION_CHECKER_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "sim/checkers/checker.h"

namespace mqlab::sim {

class SingleConnectionChecker : public Checker {
 public:
  explicit SingleConnectionChecker(const CheckerContext& context)
      : Checker(CheckerKind::kSingleConnectionPerSession, context) {
    WantTime();
  }

  void OnConnectAttempt(const ConnectAttempt& attempt,
                        const ObservedIds& ids) override;
  void OnConnack(const ConnackReceived& connack) override;
  void OnConnectionEnded(const ConnectionEnded& ended) override;
  void OnBrokerEvent(const BrokerEventSeen& event,
                     const ObservedIds& ids) override;
  void OnBrokerRestarted(const BrokerRestarted& restart) override;
  // Reports superseded connections still open `settle` before `now`.
  void Advance(Time now) override {
    if (!superseded_.empty()) CheckSuperseded(now);
  }
  void Finish(Time end) override;

 private:
  struct Open {
    uint64_t connection = 0;
    Time since = 0;
  };
  struct Attempt {
    uint32_t client = 0;
    uint32_t session = 0;
  };
  struct Superseded {
    uint32_t session = 0;
    uint32_t client = 0;
    uint64_t by_connection = 0;
    uint32_t by_client = 0;
    Time at = 0;
  };

  void CheckOwner(const BrokerEventSeen& event, std::string_view owner);
  void CheckSuperseded(Time now);

  // The broker's view, by session number: its connected connection.
  absl::flat_hash_map<uint32_t, Open> broker_open_;
  // The broker's view: session -> the authentication name that created it
  // (lower case), and sessions a Clean Start just deleted, until the
  // session that replaces them is created.
  absl::flat_hash_map<uint32_t, std::string> owners_;
  absl::flat_hash_map<uint32_t, std::string> cleaned_;
  // The clients' view: connections that sent CONNECT and have not ended,
  // and by session number those past CONNACK Success.
  absl::flat_hash_map<uint64_t, Attempt> attempts_;
  absl::flat_hash_map<uint32_t, std::set<uint64_t>> client_connected_;
  // Connections that must end, by connection number (ordered: reports come
  // out in a stable order).
  std::map<uint64_t, Superseded> superseded_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_SINGLE_CONNECTION_CHECKER_H_
