#include "sim/checkers/single_connection_checker.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "sim/duration_text.h"

namespace mqlab::sim {
namespace {

std::string At(Time time) { return absl::StrCat("t=", FormatDuration(time)); }

}  // namespace

void SingleConnectionChecker::CheckOwner(const BrokerEventSeen& event,
                                         std::string_view owner) {
  if (absl::AsciiStrToLower(ToAbsl(event.authentication_name)) == owner) {
    return;
  }
  Report({.rule = "session-stolen",
          .time = event.time,
          .sessions = {std::string(event.client_id)},
          .messages = {},
          .detail = absl::StrCat(
              "the broker reported ", ToAbsl(broker::EventKindName(event.kind)),
              " of session ", ToAbsl(event.client_id), " on connection ",
              event.connection, " for authentication name ",
              ToAbsl(event.authentication_name), ", but ", ToAbsl(owner),
              " created the session")});
}

void SingleConnectionChecker::OnBrokerEvent(const BrokerEventSeen& event,
                                            const ObservedIds& ids) {
  const uint32_t session = ids.session;
  switch (event.kind) {
    case broker::EventKind::kSessionCreated: {
      if (const auto cleaned = cleaned_.find(session);
          cleaned != cleaned_.end()) {
        CheckOwner(event, cleaned->second);
        cleaned_.erase(cleaned);
      }
      owners_[session] =
          absl::AsciiStrToLower(ToAbsl(event.authentication_name));
      break;
    }
    case broker::EventKind::kSessionResumed:
    case broker::EventKind::kSessionTakenOver:
      if (const auto owner = owners_.find(session); owner != owners_.end()) {
        CheckOwner(event, owner->second);
      }
      break;
    case broker::EventKind::kSessionDeleted:
      if (const auto owner = owners_.find(session); owner != owners_.end()) {
        if (event.detail == "clean-start") {
          cleaned_[session] = owner->second;
        }
        owners_.erase(owner);
      }
      break;
    case broker::EventKind::kSessionExpired:
    case broker::EventKind::kSessionOverflow:
      owners_.erase(session);
      break;
    default:
      break;
  }
  if (event.kind == broker::EventKind::kConnected) {
    const auto [it, fresh] =
        broker_open_.try_emplace(session, Open{event.connection, event.time});
    if (!fresh && it->second.connection != event.connection) {
      Report(
          {.rule = "broker-reports-two",
           .time = event.time,
           .sessions = {std::string(event.client_id)},
           .messages = {},
           .detail = absl::StrCat(
               "the broker reported session ", ToAbsl(event.client_id),
               " connected on connection ", event.connection,
               " while connection ", it->second.connection,
               " (connected since ", At(it->second.since), ") still held it")});
      it->second = {event.connection, event.time};
    }
  } else if (event.kind == broker::EventKind::kDisconnected) {
    const auto it = broker_open_.find(session);
    if (it != broker_open_.end() && it->second.connection == event.connection) {
      broker_open_.erase(it);
    }
  }
}

void SingleConnectionChecker::CheckSuperseded(Time now) {
  for (auto it = superseded_.begin(); it != superseded_.end();) {
    const Superseded& old = it->second;
    if (now - old.at <= context().settle) {
      ++it;
      continue;
    }
    const std::string_view client_id = names().session(old.session);
    Report(
        {.rule = "old-kept",
         .time = now,
         .sessions = {std::string(client_id)},
         .messages = {},
         .detail = absl::StrCat(
             "connection #", it->first, " of client ", old.client,
             " to session ", ToAbsl(client_id), " was still open at ", At(now),
             " although connection #", old.by_connection, " of client ",
             old.by_client, " took the session over at ", At(old.at))});
    it = superseded_.erase(it);
  }
}

void SingleConnectionChecker::OnBrokerRestarted(const BrokerRestarted&) {
  broker_open_.clear();
  owners_.clear();
  cleaned_.clear();
}

void SingleConnectionChecker::OnConnectAttempt(const ConnectAttempt& attempt,
                                               const ObservedIds& ids) {
  attempts_[attempt.connection] = {attempt.client, ids.session};
}

void SingleConnectionChecker::OnConnack(const ConnackReceived& connack) {
  const auto it = attempts_.find(connack.connection);
  if (it == attempts_.end() || !mqtt::IsSuccess(connack.reason_code)) return;
  const Attempt attempt = it->second;
  std::set<uint64_t>& connected = client_connected_[attempt.session];
  for (uint64_t old : connected) {
    superseded_.try_emplace(
        old, Superseded{attempt.session, attempts_[old].client,
                        connack.connection, attempt.client, connack.time});
  }
  connected.insert(connack.connection);
}

void SingleConnectionChecker::OnConnectionEnded(const ConnectionEnded& ended) {
  const auto it = attempts_.find(ended.connection);
  if (it == attempts_.end()) return;
  const auto connected = client_connected_.find(it->second.session);
  if (connected != client_connected_.end()) {
    connected->second.erase(ended.connection);
    if (connected->second.empty()) client_connected_.erase(connected);
  }
  superseded_.erase(ended.connection);
  attempts_.erase(it);
}

void SingleConnectionChecker::Finish(Time end) {
  CheckSuperseded(end);
  for (const auto& [connection, old] : superseded_) {
    const std::string_view client_id = names().session(old.session);
    Report({.rule = "old-kept",
            .time = end,
            .sessions = {std::string(client_id)},
            .messages = {},
            .detail = absl::StrCat(
                "connection #", connection, " of client ", old.client,
                " to session ", ToAbsl(client_id),
                " was still open at the end of the run although connection #",
                old.by_connection, " of client ", old.by_client,
                " took the session over at ", At(old.at))});
  }
  superseded_.clear();
}

}  // namespace mqlab::sim
