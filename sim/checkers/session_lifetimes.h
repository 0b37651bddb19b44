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
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "base/time.h"
#include "sim/checkers/observed_names.h"
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
    uint32_t session = 0;  // Its number (ObservedNames).
    SessionEndCause cause = SessionEndCause::kVanished;
    Time time = 0;
  };

  // `names` numbers the sessions the observations name.
  explicit SessionLifetimes(const ObservedNames* names) : names_(names) {}

  // Update the epochs from one observation of the kinds that begin or end
  // them; epochs that end are appended to `ended` (in a deterministic
  // order: by ClientId on a restart or a deletion).
  void Observe(const ConnectAttempt& attempt, const ObservedIds& ids,
               std::vector<Ended>* ended);
  void Observe(const ConnackReceived& connack, const ObservedIds& ids,
               std::vector<Ended>* ended);
  void Observe(const ConnectionEnded& end, const ObservedIds& ids,
               std::vector<Ended>* ended);
  void Observe(const BrokerEventSeen& event, const ObservedIds& ids,
               std::vector<Ended>* ended);
  void Observe(const ClientDeleted& deleted, const ObservedIds& ids,
               std::vector<Ended>* ended);
  void Observe(const BrokerRestarted& restart, const ObservedIds& ids,
               std::vector<Ended>* ended);

  // The open epoch of the session (0 when it has none). Epochs are numbered
  // from 1 in the order they begin.
  uint64_t OpenEpoch(uint32_t session) const {
    return session < sessions_.size() ? sessions_[session].open_epoch : 0;
  }

 private:
  struct Session {
    uint64_t open_epoch = 0;
    uint64_t current_connection = 0;
    uint32_t owner = 0;  // The client whose connection opened the epoch.
    bool persistent = false;
  };
  // What the lifetimes need of a connection's CONNECT.
  struct Attempt {
    uint32_t client = 0;
    uint32_t session = 0;
    bool clean_start = false;
    bool persistent = false;
  };
  Session& At(uint32_t session);
  void End(uint32_t session, SessionEndCause cause, Time time,
           std::vector<Ended>* ended);
  // Ends the open epochs of the sessions `which` selects, in ClientId order.
  template <typename F>
  void EndAll(F which, SessionEndCause cause, Time time,
              std::vector<Ended>* ended);

  const ObservedNames* names_;
  std::vector<Session> sessions_;  // By session number.
  // Connections that sent CONNECT and have not ended.
  absl::flat_hash_map<uint64_t, Attempt> connections_;
  uint64_t last_epoch_ = 0;
  std::vector<uint32_t> scratch_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_SESSION_LIFETIMES_H_
