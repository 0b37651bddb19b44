#include "sim/checkers/session_lifetimes.h"

#include <algorithm>

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

SessionLifetimes::Session& SessionLifetimes::At(uint32_t session) {
  if (session >= sessions_.size()) sessions_.resize(session + 1);
  return sessions_[session];
}

void SessionLifetimes::End(uint32_t session, SessionEndCause cause, Time time,
                           std::vector<Ended>* ended) {
  Session& s = sessions_[session];
  if (s.open_epoch == 0) return;
  ended->push_back({s.open_epoch, session, cause, time});
  s.open_epoch = 0;
}

template <typename F>
void SessionLifetimes::EndAll(F which, SessionEndCause cause, Time time,
                              std::vector<Ended>* ended) {
  scratch_.clear();
  for (uint32_t session = 0; session < sessions_.size(); ++session) {
    if (sessions_[session].open_epoch != 0 && which(sessions_[session])) {
      scratch_.push_back(session);
    }
  }
  std::sort(scratch_.begin(), scratch_.end(), [&](uint32_t a, uint32_t b) {
    return names_->session(a) < names_->session(b);
  });
  for (uint32_t session : scratch_) End(session, cause, time, ended);
}

void SessionLifetimes::Observe(const ConnectAttempt& attempt,
                               const ObservedIds& ids,
                               std::vector<Ended>* /*ended*/) {
  connections_[attempt.connection] = {attempt.client, ids.session,
                                      attempt.clean_start, attempt.persistent};
}

void SessionLifetimes::Observe(const ConnackReceived& connack,
                               const ObservedIds& /*ids*/,
                               std::vector<Ended>* ended) {
  const auto it = connections_.find(connack.connection);
  if (it == connections_.end() || !mqtt::IsSuccess(connack.reason_code)) {
    return;
  }
  const Attempt& attempt = it->second;
  At(attempt.session);
  if (!connack.session_present) {
    End(attempt.session,
        attempt.clean_start ? SessionEndCause::kCleanStart
                            : SessionEndCause::kVanished,
        connack.time, ended);
  }
  Session& session = sessions_[attempt.session];
  if (session.open_epoch == 0) {
    session.open_epoch = ++last_epoch_;
    session.owner = attempt.client;
  }
  session.current_connection = connack.connection;
  session.persistent = attempt.persistent;
}

void SessionLifetimes::Observe(const ConnectionEnded& end,
                               const ObservedIds& /*ids*/,
                               std::vector<Ended>* ended) {
  const auto it = connections_.find(end.connection);
  if (it == connections_.end()) return;
  const uint32_t number = it->second.session;
  if (number < sessions_.size() &&
      sessions_[number].current_connection == end.connection) {
    sessions_[number].current_connection = 0;
    if (!sessions_[number].persistent) {
      End(number, SessionEndCause::kEndedWithConnection, end.time, ended);
    }
  }
  connections_.erase(it);
}

void SessionLifetimes::Observe(const BrokerEventSeen& event,
                               const ObservedIds& ids,
                               std::vector<Ended>* ended) {
  SessionEndCause cause;
  switch (event.kind) {
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
  if (ids.session < sessions_.size()) {
    End(ids.session, cause, event.time, ended);
  }
}

void SessionLifetimes::Observe(const ClientDeleted& deleted,
                               const ObservedIds& /*ids*/,
                               std::vector<Ended>* ended) {
  EndAll([&](const Session& s) { return s.owner == deleted.client; },
         SessionEndCause::kDeleted, deleted.time, ended);
}

void SessionLifetimes::Observe(const BrokerRestarted& restart,
                               const ObservedIds& /*ids*/,
                               std::vector<Ended>* ended) {
  EndAll([](const Session&) { return true; }, SessionEndCause::kBrokerRestart,
         restart.time, ended);
}

}  // namespace mqlab::sim
