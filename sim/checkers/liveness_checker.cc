#include "sim/checkers/liveness_checker.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "sim/duration_text.h"

namespace mqlab::sim {
namespace {

std::string At(Time time) { return absl::StrCat("t=", FormatDuration(time)); }

}  // namespace

template <typename F>
void LivenessChecker::Update(const Key& key, Time now, F change) {
  Session& session = sessions_[key];
  const bool was_down = Down(session);
  change(session);
  const bool down = Down(session);
  if (!was_down && down) session.down_since = now;
  if (was_down && !down) Judge(key, session, now, /*still_down=*/false);
}

void LivenessChecker::Judge(const Key& key, const Session& session, Time until,
                            bool still_down) {
  const Time from = std::max(session.down_since, context().quiet_start);
  if (until - from <= context().settle) return;
  Report({.rule = still_down ? "still-disconnected" : "not-reconnected",
          .time = until,
          .sessions = {key.second},
          .messages = {},
          .detail = absl::StrCat(
              "client ", key.first, " wanted session ", key.second,
              " connected but it was not from ", At(session.down_since),
              still_down ? " to the end of the run at " : " to ", At(until),
              ": more than ", FormatDuration(context().settle),
              " after the faults stopped at ", At(context().quiet_start))});
}

void LivenessChecker::Observe(const Observation& observation) {
  if (const auto* intent = std::get_if<ClientIntent>(&observation)) {
    Update({intent->client, intent->client_id}, intent->time,
           [&](Session& session) { session.wants = intent->wants_connected; });
    return;
  }
  if (const auto* attempt = std::get_if<ConnectAttempt>(&observation)) {
    connections_[attempt->connection] = {{attempt->client, attempt->client_id},
                                         false};
    return;
  }
  if (const auto* connack = std::get_if<ConnackReceived>(&observation)) {
    const auto it = connections_.find(connack->connection);
    if (it == connections_.end() || it->second.accepted ||
        !mqtt::IsSuccess(connack->reason_code)) {
      return;
    }
    it->second.accepted = true;
    Update(it->second.key, connack->time,
           [](Session& session) { ++session.connected; });
    return;
  }
  if (const auto* ended = std::get_if<ConnectionEnded>(&observation)) {
    const auto it = connections_.find(ended->connection);
    if (it == connections_.end()) return;
    if (it->second.accepted) {
      Update(it->second.key, ended->time,
             [](Session& session) { --session.connected; });
    }
    connections_.erase(it);
  }
}

void LivenessChecker::Finish(Time end) {
  for (const auto& [key, session] : sessions_) {
    if (Down(session)) Judge(key, session, end, /*still_down=*/true);
  }
}

}  // namespace mqlab::sim
