#include "sim/virtual_session.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "sim/virtual_fleet.h"

namespace mqlab::sim {

VirtualSession::VirtualSession(VirtualFleet* fleet, const FleetSession& session,
                               const FleetClient& client,
                               const scenario::Population& population)
    : fleet_(fleet),
      session_(&session),
      client_(&client),
      population_(&population),
      settings_(ConnectionSettingsFor(population)),
      options_(ClientOptionsFor(population, client.version)) {
  if (!population.omit_username()) username_ = client.authentication_name;
}

VirtualSession::~VirtualSession() {
  for (Attached& attached : behaviours_) {
    fleet_->scheduler().Cancel(attached.timer);
  }
}

PatternValues VirtualSession::pattern_values() const {
  PatternValues values;
  values.index = client_->index_in_population;
  values.population = population_->name();
  values.auth = client_->authentication_name;
  values.session = session_->index_in_client;
  return values;
}

HostId VirtualSession::host() const {
  return fleet_->world().fleet->layout.client_hosts[client_->index];
}

void VirtualSession::AddBehaviour(std::unique_ptr<Behaviour> behaviour,
                                  Duration start_after,
                                  std::optional<Duration> stop_after) {
  behaviours_.push_back({std::move(behaviour), start_after, stop_after});
}

client::ConnectOptions VirtualSession::ConnectOptions() const {
  client::ConnectOptions options;
  options.client_id = session_->client_id;
  if (!username_.empty()) options.username = username_;
  options.clean_start = !settings_.persistent;
  options.keep_alive_seconds = settings_.keep_alive_seconds;
  if (v5()) {
    if (settings_.persistent) {
      options.session_expiry_interval = settings_.session_expiry_seconds;
    }
    options.receive_maximum = settings_.receive_maximum;
  }
  return options;
}

std::unique_ptr<ClientLink> VirtualSession::MakeLink(
    LinkOwner* owner, const std::string& client_id,
    const client::ClientOptions& options) {
  LinkIdentity identity;
  identity.client = client_->index;
  identity.host = host();
  identity.client_id = client_id;
  identity.publisher = session_->index;
  identity.sequence = &sequence_;
  Random random = Random::Stream(
      fleet_->world().seed,
      absl::StrCat("link/", client_->name, "/", session_->index_in_client, "#",
                   links_made_++));
  return std::make_unique<ClientLink>(fleet_->environment(), owner,
                                      std::move(identity), options, random);
}

void VirtualSession::Connect(ClientLink& link) {
  const absl::Status status = link.Connect(ConnectOptions());
  MQLAB_CHECK_MSG(status.ok(), "a session's CONNECT options are invalid");
}

void VirtualSession::PowerOn() {
  powered_ = true;
  if (probing_) {
    StartBehaviours();
    return;
  }
  MQLAB_CHECK(link_ == nullptr);
  offline_ = false;
  link_ = MakeLink(this, session_->client_id, options_);
  UpdateIntent();
  Connect(*link_);
}

void VirtualSession::Crash() {
  if (!powered_) return;
  powered_ = false;
  UpdateIntent();
  if (incoming_ != nullptr) {
    incoming_->Crash();
    RetireLink(std::move(incoming_));
  }
  if (link_ != nullptr) {
    link_->Crash();
    RetireLink(std::move(link_));
  }
}

void VirtualSession::GoOffline() {
  if (!powered_ || probing_ || offline_ || link_ == nullptr) return;
  offline_ = true;
  UpdateIntent();
  if (incoming_ != nullptr) {
    incoming_->Disconnect();
    RetireLink(std::move(incoming_));
  }
  link_->Disconnect();
}

void VirtualSession::GoOnline() {
  if (!powered_ || probing_ || !offline_ || link_ == nullptr) return;
  offline_ = false;
  UpdateIntent();
  if (link_->state() == client::Client::State::kIdle) Connect(*link_);
}

void VirtualSession::Reconnect(bool overlap) {
  if (!powered_ || probing_ || offline_ || link_ == nullptr ||
      incoming_ != nullptr || !link_->connected()) {
    return;
  }
  if (overlap) {
    incoming_ = MakeLink(this, session_->client_id, options_);
    Connect(*incoming_);
    return;
  }
  link_->Disconnect();
  Connect(*link_);
}

void VirtualSession::Hold() {
  ++holds_;
  UpdateIntent();
}

void VirtualSession::Release() {
  MQLAB_CHECK(holds_ > 0);
  --holds_;
  UpdateIntent();
}

void VirtualSession::UpdateIntent() {
  const bool wants = powered_ && !offline_ && !probing_ && holds_ == 0;
  if (wants == wants_connected_) return;
  wants_connected_ = wants;
  fleet_->world().observations->Observe(
      ClientIntent{fleet_->now(), client_->index, session_->client_id, wants});
}

void VirtualSession::RetireLink(std::unique_ptr<ClientLink> link) {
  fleet_->Retire(std::move(link));
}

void VirtualSession::StartBehaviours() {
  if (behaviours_started_) return;
  behaviours_started_ = true;
  Scheduler& scheduler = fleet_->scheduler();
  for (Attached& attached : behaviours_) {
    Attached* a = &attached;
    attached.timer = scheduler.After(attached.start_after, [a, &scheduler] {
      a->timer = kNoTimer;
      a->behaviour->Start();
      if (a->stop_after.has_value()) {
        a->timer = scheduler.After(*a->stop_after - a->start_after, [a] {
          a->timer = kNoTimer;
          a->behaviour->Stop();
        });
      }
    });
  }
}

void VirtualSession::OnLinkConnack(ClientLink& link,
                                   const client::ConnackEvent& event) {
  if (!mqtt::IsSuccess(event.reason_code)) return;
  if (&link == incoming_.get()) {
    // The second link holds the session now: the first one goes, and what
    // it had not got acknowledged goes with it.
    std::unique_ptr<ClientLink> old = std::move(link_);
    link_ = std::move(incoming_);
    old->Disconnect();
    old->AbandonPending();
    RetireLink(std::move(old));
  }
  StartBehaviours();
  for (Attached& attached : behaviours_) {
    attached.behaviour->OnConnected(link, event);
  }
}

void VirtualSession::OnLinkMessage(ClientLink& link,
                                   const client::MessageEvent& event,
                                   client::MessageAck* /*ack*/) {
  for (Attached& attached : behaviours_) {
    attached.behaviour->OnMessage(link, event);
  }
}

void VirtualSession::OnLinkResponse(ClientLink& link,
                                    const client::ResponseEvent& event) {
  for (Attached& attached : behaviours_) {
    attached.behaviour->OnResponse(link, event);
  }
}

void VirtualSession::OnLinkRequestTimedOut(
    ClientLink& link, const client::RequestTimedOutEvent& event) {
  for (Attached& attached : behaviours_) {
    attached.behaviour->OnRequestTimedOut(link, event);
  }
}

void VirtualSession::OnLinkDisconnected(
    ClientLink& link, const client::DisconnectedEvent& event) {
  if (&link == incoming_.get()) {
    // A second link that could not take the session over gives up; the
    // first one carries on. Its CONNECT may have taken the session over all
    // the same (the broker got it; the CONNACK was lost), and the first
    // link stopped then: the session connects again.
    if (event.will_reconnect) incoming_->Disconnect();
    RetireLink(std::move(incoming_));
    ConnectIfNoLinkHolds();
    return;
  }
  // The link stops after "session taken over" (no tug of war with the link
  // that took it). If no link of the session took it (a second link that
  // gave up, whose CONNECT a partition held and delivered late), the session
  // connects again.
  if (&link == link_.get() && incoming_ == nullptr &&
      event.cause != client::DisconnectCause::kClientDisconnect) {
    ConnectIfNoLinkHolds();
  }
}

void VirtualSession::ConnectIfNoLinkHolds() {
  if (link_ != nullptr && powered_ && !offline_ &&
      link_->state() == client::Client::State::kIdle) {
    Connect(*link_);
  }
}

}  // namespace mqlab::sim
