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
  if (absl::AsciiStrToLower(event.authentication_name) == owner) return;
  Report(
      {.rule = "session-stolen",
       .time = event.time,
       .sessions = {event.client_id},
       .messages = {},
       .detail = absl::StrCat(
           "the broker reported ", ToAbsl(broker::EventKindName(event.kind)),
           " of session ", event.client_id, " on connection ", event.connection,
           " for authentication name ", event.authentication_name, ", but ",
           ToAbsl(owner), " created the session")});
}

void SingleConnectionChecker::OnBrokerEvent(const BrokerEventSeen& event) {
  switch (event.kind) {
    case broker::EventKind::kSessionCreated: {
      if (const auto cleaned = cleaned_.find(event.client_id);
          cleaned != cleaned_.end()) {
        CheckOwner(event, cleaned->second);
        cleaned_.erase(cleaned);
      }
      owners_[event.client_id] =
          absl::AsciiStrToLower(event.authentication_name);
      break;
    }
    case broker::EventKind::kSessionResumed:
    case broker::EventKind::kSessionTakenOver:
      if (const auto owner = owners_.find(event.client_id);
          owner != owners_.end()) {
        CheckOwner(event, owner->second);
      }
      break;
    case broker::EventKind::kSessionDeleted:
      if (const auto owner = owners_.find(event.client_id);
          owner != owners_.end()) {
        if (event.detail == "clean-start") {
          cleaned_[event.client_id] = owner->second;
        }
        owners_.erase(owner);
      }
      break;
    case broker::EventKind::kSessionExpired:
    case broker::EventKind::kSessionOverflow:
      owners_.erase(event.client_id);
      break;
    default:
      break;
  }
  if (event.kind == broker::EventKind::kConnected) {
    const auto [it, fresh] = broker_open_.try_emplace(
        event.client_id, Open{event.connection, event.time});
    if (!fresh && it->second.connection != event.connection) {
      Report(
          {.rule = "broker-reports-two",
           .time = event.time,
           .sessions = {event.client_id},
           .messages = {},
           .detail = absl::StrCat("the broker reported session ",
                                  event.client_id, " connected on connection ",
                                  event.connection, " while connection ",
                                  it->second.connection, " (connected since ",
                                  At(it->second.since), ") still held it")});
      it->second = {event.connection, event.time};
    }
  } else if (event.kind == broker::EventKind::kDisconnected) {
    const auto it = broker_open_.find(event.client_id);
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
    Report({.rule = "old-kept",
            .time = now,
            .sessions = {old.client_id},
            .messages = {},
            .detail = absl::StrCat(
                "connection #", it->first, " of client ", old.client,
                " to session ", old.client_id, " was still open at ", At(now),
                " although connection #", old.by_connection, " of client ",
                old.by_client, " took the session over at ", At(old.at))});
    it = superseded_.erase(it);
  }
}

void SingleConnectionChecker::Observe(const Observation& observation) {
  if (!superseded_.empty()) CheckSuperseded(TimeOf(observation));
  if (const auto* event = std::get_if<BrokerEventSeen>(&observation)) {
    OnBrokerEvent(*event);
    return;
  }
  if (std::holds_alternative<BrokerRestarted>(observation)) {
    broker_open_.clear();
    owners_.clear();
    cleaned_.clear();
    return;
  }
  if (const auto* attempt = std::get_if<ConnectAttempt>(&observation)) {
    attempts_[attempt->connection] = *attempt;
    return;
  }
  if (const auto* connack = std::get_if<ConnackReceived>(&observation)) {
    const auto it = attempts_.find(connack->connection);
    if (it == attempts_.end() || !mqtt::IsSuccess(connack->reason_code)) return;
    const ConnectAttempt& attempt = it->second;
    std::set<uint64_t>& connected = client_connected_[attempt.client_id];
    for (uint64_t old : connected) {
      superseded_.try_emplace(
          old, Superseded{attempt.client_id, attempts_[old].client,
                          attempt.connection, attempt.client, connack->time});
    }
    connected.insert(attempt.connection);
    return;
  }
  if (const auto* ended = std::get_if<ConnectionEnded>(&observation)) {
    const auto it = attempts_.find(ended->connection);
    if (it == attempts_.end()) return;
    const auto connected = client_connected_.find(it->second.client_id);
    if (connected != client_connected_.end()) {
      connected->second.erase(ended->connection);
      if (connected->second.empty()) client_connected_.erase(connected);
    }
    superseded_.erase(ended->connection);
    attempts_.erase(it);
  }
}

void SingleConnectionChecker::Finish(Time end) {
  CheckSuperseded(end);
  for (const auto& [connection, old] : superseded_) {
    Report({.rule = "old-kept",
            .time = end,
            .sessions = {old.client_id},
            .messages = {},
            .detail = absl::StrCat(
                "connection #", connection, " of client ", old.client,
                " to session ", old.client_id,
                " was still open at the end of the run although connection #",
                old.by_connection, " of client ", old.by_client,
                " took the session over at ", At(old.at))});
  }
  superseded_.clear();
}

}  // namespace mqlab::sim
