#include "sim/checkers/session_lifetimes.h"

#include <utility>

namespace mqlab::sim {

std::string_view SessionEndCauseName(SessionEndCause cause) {
  switch (cause) {
    case SessionEndCause::kCleanStart:
      return "clean-start";
    case SessionEndCause::kEndedWithConnection:
      return "ended-with-connection";
    case SessionEndCause::kExpired:
      return "session-expired";
    case SessionEndCause::kOverflow:
      return "session-overflow";
    case SessionEndCause::kDeleted:
      return "session-deleted";
    case SessionEndCause::kBrokerRestart:
      return "broker-restart";
    case SessionEndCause::kVanished:
      return "vanished";
  }
  return "unknown";
}

void SessionLifetimes::End(std::string_view client_id, Session& session,
                           SessionEndCause cause, Time time,
                           std::vector<Ended>* ended) {
  if (session.open_epoch == 0) return;
  ended->push_back({session.open_epoch, std::string(client_id), cause, time});
  session.open_epoch = 0;
}

void SessionLifetimes::Observe(const Observation& observation,
                               std::vector<Ended>* ended) {
  if (const auto* attempt = std::get_if<ConnectAttempt>(&observation)) {
    connections_[attempt->connection] = *attempt;
    return;
  }
  if (const auto* connack = std::get_if<ConnackReceived>(&observation)) {
    const auto it = connections_.find(connack->connection);
    if (it == connections_.end() || !mqtt::IsSuccess(connack->reason_code)) {
      return;
    }
    const ConnectAttempt& attempt = it->second;
    auto [entry, inserted] = sessions_.try_emplace(attempt.client_id);
    Session& session = entry->second;
    if (!connack->session_present) {
      End(attempt.client_id, session,
          attempt.clean_start ? SessionEndCause::kCleanStart
                              : SessionEndCause::kVanished,
          connack->time, ended);
    }
    if (session.open_epoch == 0) {
      session.open_epoch = ++last_epoch_;
      session.owner = attempt.client;
    }
    session.current_connection = attempt.connection;
    session.persistent = attempt.persistent;
    return;
  }
  if (const auto* end = std::get_if<ConnectionEnded>(&observation)) {
    const auto it = connections_.find(end->connection);
    if (it == connections_.end()) return;
    const auto entry = sessions_.find(it->second.client_id);
    if (entry != sessions_.end() &&
        entry->second.current_connection == end->connection) {
      entry->second.current_connection = 0;
      if (!entry->second.persistent) {
        End(entry->first, entry->second, SessionEndCause::kEndedWithConnection,
            end->time, ended);
      }
    }
    connections_.erase(it);
    return;
  }
  if (const auto* event = std::get_if<BrokerEventSeen>(&observation)) {
    SessionEndCause cause;
    switch (event->kind) {
      case broker::EventKind::kSessionExpired:
        cause = SessionEndCause::kExpired;
        break;
      case broker::EventKind::kSessionOverflow:
        cause = SessionEndCause::kOverflow;
        break;
      case broker::EventKind::kSessionDeleted:
        cause = SessionEndCause::kDeleted;
        break;
      default:
        return;
    }
    const auto entry = sessions_.find(event->client_id);
    if (entry != sessions_.end()) {
      End(entry->first, entry->second, cause, event->time, ended);
    }
    return;
  }
  if (const auto* deleted = std::get_if<ClientDeleted>(&observation)) {
    for (auto& [client_id, session] : sessions_) {
      if (session.owner == deleted->client) {
        End(client_id, session, SessionEndCause::kDeleted, deleted->time,
            ended);
      }
    }
    return;
  }
  if (const auto* restart = std::get_if<BrokerRestarted>(&observation)) {
    for (auto& [client_id, session] : sessions_) {
      End(client_id, session, SessionEndCause::kBrokerRestart, restart->time,
          ended);
    }
  }
}

uint64_t SessionLifetimes::OpenEpoch(std::string_view client_id) const {
  const auto it = sessions_.find(client_id);
  return it == sessions_.end() ? 0 : it->second.open_epoch;
}

const ConnectAttempt* SessionLifetimes::Attempt(uint64_t connection) const {
  const auto it = connections_.find(connection);
  return it == connections_.end() ? nullptr : &it->second;
}

}  // namespace mqlab::sim
