// When each session existed, from the observations: a session (a ClientId)
// lives in epochs. An epoch begins with a CONNACK Success that says Session
// Present 0 (or a resumed session the lab believed gone) and ends when
//  - a connection with Clean Start 1 replaces it (the client's choice),
//  - its non-persistent connection ends (Session Expiry 0 / Clean Session 1),
//  - the broker reports it expired, overflowed or deleted,
//  - the admin API deletes the client that holds it (ClientDeleted: the
//    session is orphaned),
//  - the broker restarts (its state is gone),
//  - or a resumption without Clean Start finds Session Present 0 although
//    none of the above was seen: the session vanished, which no rule allows.
// The QoS 1 checker uses epochs to tell a message lost with its session
// (a documented exception) from a message lost by the broker.
#ifndef MQLAB_SIM_CHECKERS_SESSION_LIFETIMES_H_
#define MQLAB_SIM_CHECKERS_SESSION_LIFETIMES_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "base/time.h"
#include "sim/observations.h"

namespace mqlab::sim {

enum class SessionEndCause : uint8_t {
  kCleanStart,           // A connection with Clean Start 1 replaced it.
  kEndedWithConnection,  // Its non-persistent connection ended.
  kExpired,              // The broker reported it expired.
  kOverflow,             // The broker reported its offline queue overflowed.
  kDeleted,              // Deleted (clean start, expiry 0) or orphaned.
  kBrokerRestart,        // The broker restarted.
  kVanished,             // Not present at a resumption, with no reason seen.
};

// "clean-start", "ended-with-connection", "session-expired",
// "session-overflow", "session-deleted", "broker-restart", "vanished".
std::string_view SessionEndCauseName(SessionEndCause cause);

// Every cause but kVanished is a documented way for a session to end.
inline bool IsDocumented(SessionEndCause cause) {
  return cause != SessionEndCause::kVanished;
}

class SessionLifetimes {
 public:
  struct Ended {
    uint64_t epoch = 0;
    std::string client_id;
    SessionEndCause cause = SessionEndCause::kVanished;
    Time time = 0;
  };

  // Updates the epochs from one observation; epochs that end are appended
  // to `ended` (in a deterministic order: by ClientId on a restart).
  void Observe(const Observation& observation, std::vector<Ended>* ended);

  // The open epoch of the session (0 when it has none). Epochs are numbered
  // from 1 in the order they begin.
  uint64_t OpenEpoch(std::string_view client_id) const;
  // The CONNECT of a connection that has not ended, or null.
  const ConnectAttempt* Attempt(uint64_t connection) const;

 private:
  struct Session {
    uint64_t open_epoch = 0;
    uint64_t current_connection = 0;
    uint32_t owner = 0;  // The client whose connection opened the epoch.
    bool persistent = false;
  };
  void End(std::string_view client_id, Session& session, SessionEndCause cause,
           Time time, std::vector<Ended>* ended);

  // Ordered, so that a restart ends epochs in ClientId order.
  std::map<std::string, Session, std::less<>> sessions_;
  absl::flat_hash_map<uint64_t, ConnectAttempt> connections_;
  uint64_t last_epoch_ = 0;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_SESSION_LIFETIMES_H_
