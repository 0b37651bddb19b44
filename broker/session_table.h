// Every session of the namespace, by number (for the subscription index), by
// ClientId (the session name, unique in the namespace) and counted per owning
// client (maximumClientSessionsPerAuthenticationName). Hash maps serve
// lookups only; anything that reaches output iterates session numbers in
// ascending order.
#ifndef MQLAB_BROKER_SESSION_TABLE_H_
#define MQLAB_BROKER_SESSION_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "broker/session.h"

namespace mqlab::broker {

class SessionTable {
 public:
  // Holds at most `maximum_sessions` sessions.
  explicit SessionTable(size_t maximum_sessions);
  SessionTable(const SessionTable&) = delete;
  SessionTable& operator=(const SessionTable&) = delete;

  Session* Find(std::string_view client_id) const;
  Session* Get(SessionId id) const;

  // A new session; the table must not be full and the ClientId not taken.
  // Its number is the smallest one free.
  Session* Create(std::string_view client_id, std::string_view client_name,
                  std::string_view authentication_name);
  // Takes the session out of every lookup and count. Its number stays taken
  // until Free, so that nothing still holding it can meet a new session.
  std::unique_ptr<Session> Remove(Session* session);
  void Free(std::unique_ptr<Session> session);
  // The owner was deleted: the session no longer counts for the client (a
  // client created again with the name starts afresh) but keeps its name.
  void Orphan(Session* session);

  size_t size() const { return by_client_id_.size(); }
  size_t maximum_size() const { return maximum_sessions_; }
  // Sessions (not orphaned) of the client resource `client_name`.
  uint32_t CountOfClient(std::string_view client_name) const;
  // Their numbers, ascending. Scans every session: for admin operations.
  std::vector<SessionId> SessionsOfClient(std::string_view client_name) const;

 private:
  size_t maximum_sessions_;
  // Index: session number. Null: free or removed.
  std::vector<std::unique_ptr<Session>> slots_;
  // Free numbers, kept as a min-heap so that the smallest is reused first.
  std::vector<SessionId> free_ids_;
  // Keys view the sessions' own client_id.
  absl::flat_hash_map<absl::string_view, SessionId> by_client_id_;
  absl::flat_hash_map<std::string, uint32_t> count_by_client_;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_SESSION_TABLE_H_
