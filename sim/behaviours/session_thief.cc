#include "sim/behaviours/session_thief.h"

#include <utility>

#include "sim/situation_counts.h"
#include "sim/virtual_fleet.h"
#include "sim/virtual_session.h"

namespace mqlab::sim {

SessionThief::SessionThief(VirtualSession* session, std::string target_session,
                           Duration interval)
    : Behaviour(session),
      target_(std::move(target_session)),
      interval_(interval) {}

SessionThief::~SessionThief() { session().fleet().scheduler().Cancel(timer_); }

void SessionThief::Start() {
  timer_ = session().fleet().scheduler().After(interval_, [this] {
    timer_ = kNoTimer;
    Attempt();
  });
}

void SessionThief::Stop() {
  session().fleet().scheduler().Cancel(timer_);
  timer_ = kNoTimer;
}

void SessionThief::Attempt() {
  timer_ = session().fleet().scheduler().After(interval_, [this] {
    timer_ = kNoTimer;
    Attempt();
  });
  const VirtualSession* target = session().fleet().FindSession(target_);
  // Only a live session (a dead device's is no takeover), only with a live
  // device of its own, one attempt at a time.
  if (attempt_ != nullptr || target == nullptr || !target->connected() ||
      session().link() == nullptr) {
    return;
  }
  client::ClientOptions options = session().link()->client().options();
  options.reconnect.enabled = false;
  attempt_ = session().MakeLink(this, target_, options);
  client::ConnectOptions connect = session().ConnectOptions();
  connect.client_id = target_;
  connect.clean_start = true;
  connect.session_expiry_interval.reset();
  const absl::Status status = attempt_->Connect(connect);
  if (!status.ok()) session().fleet().Retire(std::move(attempt_));
}

void SessionThief::OnLinkConnack(ClientLink& link,
                                 const client::ConnackEvent& event) {
  if (SituationCounts* counts = session().fleet().world().situations;
      counts != nullptr) {
    counts->Count(kTakeoverByAnotherName);
  }
  if (mqtt::IsSuccess(event.reason_code)) link.Disconnect();
}

void SessionThief::OnLinkDisconnected(ClientLink& link,
                                      const client::DisconnectedEvent& event) {
  if (&link != attempt_.get() || event.will_reconnect) return;
  session().fleet().Retire(std::move(attempt_));
}

}  // namespace mqlab::sim
