#include "sim/checkers/liveness_checker.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "sim/duration_text.h"

namespace mqlab::sim {
namespace {

std::string At(Time time) { return absl::StrCat("t=", FormatDuration(time)); }

}  // namespace

template <typename F>
void LivenessChecker::Update(Key key, Time now, F change) {
  Session& session = sessions_[key.packed()];
  session.key = key;
  const bool was_down = Down(session);
  change(session);
  const bool down = Down(session);
  if (!was_down && down) session.down_since = now;
  if (was_down && !down) Judge(session, now, /*still_down=*/false);
}

void LivenessChecker::Judge(const Session& session, Time until,
                            bool still_down) {
  const Time from = std::max(session.down_since, context().quiet_start);
  if (until - from <= context().settle) return;
  const std::string_view client_id = names().session(session.key.session);
  Report(
      {.rule = still_down ? "still-disconnected" : "not-reconnected",
       .time = until,
       .sessions = {std::string(client_id)},
       .messages = {},
       .detail = absl::StrCat(
           "client ", session.key.client, " wanted session ", ToAbsl(client_id),
           " connected but it was not from ", At(session.down_since),
           still_down ? " to the end of the run at " : " to ", At(until),
           ": more than ", FormatDuration(context().settle),
           " after the faults stopped at ", At(context().quiet_start))});
}

void LivenessChecker::OnClientIntent(const ClientIntent& intent,
                                     const ObservedIds& ids) {
  Update({intent.client, ids.session}, intent.time,
         [&](Session& session) { session.wants = intent.wants_connected; });
}

void LivenessChecker::OnConnectAttempt(const ConnectAttempt& attempt,
                                       const ObservedIds& ids) {
  connections_[attempt.connection] = {{attempt.client, ids.session}, false};
}

void LivenessChecker::OnConnack(const ConnackReceived& connack) {
  const auto it = connections_.find(connack.connection);
  if (it == connections_.end() || it->second.accepted ||
      !mqtt::IsSuccess(connack.reason_code)) {
    return;
  }
  it->second.accepted = true;
  Update(it->second.key, connack.time,
         [](Session& session) { ++session.connected; });
}

void LivenessChecker::OnConnectionEnded(const ConnectionEnded& ended) {
  const auto it = connections_.find(ended.connection);
  if (it == connections_.end()) return;
  if (it->second.accepted) {
    Update(it->second.key, ended.time,
           [](Session& session) { --session.connected; });
  }
  connections_.erase(it);
}

void LivenessChecker::Finish(Time end) {
  // In (client, ClientId) order.
  std::vector<const Session*> down;
  for (const auto& [packed, session] : sessions_) {
    if (Down(session)) down.push_back(&session);
  }
  std::sort(down.begin(), down.end(), [&](const Session* a, const Session* b) {
    if (a->key.client != b->key.client) return a->key.client < b->key.client;
    return names().session(a->key.session) < names().session(b->key.session);
  });
  for (const Session* session : down) Judge(*session, end, /*still_down=*/true);
}

}  // namespace mqlab::sim
