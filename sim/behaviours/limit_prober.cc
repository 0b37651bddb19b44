#include "sim/behaviours/limit_prober.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "sim/connection_settings.h"
#include "sim/duration_text.h"
#include "sim/name_pattern.h"
#include "sim/situation_counts.h"
#include "sim/virtual_fleet.h"
#include "sim/virtual_session.h"

namespace mqlab::sim {
namespace {

using Kind = scenario::LimitProbe::Kind;
using mqtt::ReasonCode;

// Packet Identifiers of raw probe packets: far from the client's own.
constexpr uint16_t kFirstProbePacketId = 40000;
// The receive-maximum probe: what its self-flood should put in the broker's
// send buffer towards the prober (above the network's receive window plus
// its write-blocked mark), and how long to wait before reading again.
constexpr uint64_t kFloodBytes = 800 * 1024;
constexpr uint32_t kFloodMessages = 50;
constexpr Duration kReadAgainAfter = 2 * kSecond;

bool IsConnectProbe(Kind kind) {
  switch (kind) {
    case scenario::LimitProbe::WILL_MESSAGE:
    case scenario::LimitProbe::AUTHENTICATION_METHOD:
    case scenario::LimitProbe::AUTHENTICATION_DATA:
    case scenario::LimitProbe::KEEP_ALIVE_TOO_LONG:
    case scenario::LimitProbe::EMPTY_CLIENT_ID:
    case scenario::LimitProbe::USER_PROPERTIES_ON_CONNECT:
      return true;
    default:
      return false;
  }
}

constexpr uint8_t kWillPayload[] = {'g', 'o', 'n', 'e'};
constexpr uint8_t kAuthenticationData[] = {'p', 'r', 'o', 'b', 'e'};
constexpr mqtt::UserProperty kConnectProperty{"probe", "user-property"};

}  // namespace

bool LimitProber::Applies(Kind kind, mqtt::Version version) {
  switch (kind) {
    case scenario::LimitProbe::TOPIC_ALIAS_ABUSE:
    case scenario::LimitProbe::AUTHENTICATION_METHOD:
    case scenario::LimitProbe::AUTHENTICATION_DATA:
    case scenario::LimitProbe::USER_PROPERTIES_ON_CONNECT:
    case scenario::LimitProbe::SUBSCRIPTION_IDENTIFIER:
      return version == mqtt::Version::kV5;
    default:
      return kind != scenario::LimitProbe::KIND_UNSPECIFIED;
  }
}

LimitProber::LimitProber(VirtualSession* session,
                         const scenario::LimitProbe& spec)
    : Behaviour(session),
      interval_(ParseDuration(spec.interval()).value_or(kMinute)) {
  const bool rates_lifted = session->fleet().limits().rate_limits_lifted;
  for (const int kind : spec.kinds()) {
    const auto k = static_cast<Kind>(kind);
    if (!Applies(k, session->version())) continue;
    // With the namespace's per-session rates lifted there is no rate to
    // cross, nor a way to hold the broker write-blocked for long.
    if (rates_lifted && (k == scenario::LimitProbe::PUBLISH_RATE ||
                         k == scenario::LimitProbe::SUBSCRIBE_RATE ||
                         k == scenario::LimitProbe::RECEIVE_MAXIMUM_EXCEEDED)) {
      continue;
    }
    kinds_.push_back(k);
  }
  const PatternValues values = session->pattern_values();
  topic_ = ExpandPattern(spec.topic().empty() ? "probes/{auth}" : spec.topic(),
                         values);
  unauthorized_ = ExpandPattern("mqlab-unauthorized/{auth}", values);
  if (!kinds_.empty()) {
    next_kind_ = session->fleet_client().index_in_population % kinds_.size();
  }
}

LimitProber::~LimitProber() {
  Scheduler& scheduler = session().fleet().scheduler();
  scheduler.Cancel(tick_timer_);
  scheduler.Cancel(wait_timer_);
  scheduler.Cancel(step_timer_);
}

void LimitProber::Start() { Tick(); }

void LimitProber::Stop() {
  session().fleet().scheduler().Cancel(tick_timer_);
  tick_timer_ = kNoTimer;
  if (phase_ != Phase::kIdle) Abandon();
}

void LimitProber::Tick() {
  tick_timer_ = session().fleet().scheduler().After(interval_, [this] {
    tick_timer_ = kNoTimer;
    Tick();
  });
  // A probe still running keeps its turn; a dead device probes nothing.
  if (phase_ != Phase::kIdle || kinds_.empty() || !session().powered()) {
    return;
  }
  const Kind kind = kinds_[next_kind_];
  next_kind_ = (next_kind_ + 1) % kinds_.size();
  Begin(kind);
}

void LimitProber::Begin(Kind kind) {
  VirtualFleet& fleet = session().fleet();
  const broker::Limits& limits = fleet.limits();
  kind_ = kind;
  answer_id_ = 0;
  answer_index_ = 0;
  outcome_ = LimitProbeOutcome{};
  outcome_.client = session().fleet_client().index;
  outcome_.client_id = session().client_id();
  outcome_.kind = kind;
  outcome_.version = session().version();
  outcome_.started = fleet.now();
  next_packet_id_ = kFirstProbePacketId;
  fleet.TraceAction(outcome_.client, /*action=*/1,
                    scenario::LimitProbe::Kind_Name(kind));

  client::ClientOptions options = session().client_options();
  options.reconnect.enabled = false;
  link_ = session().MakeLink(this, session().client_id(), options);
  client::ConnectOptions connect = session().ConnectOptions();
  connect.clean_start = true;
  connect.session_expiry_interval.reset();
  switch (kind) {
    case scenario::LimitProbe::WILL_MESSAGE: {
      mqtt::Will will;
      will.topic = topic_;
      will.payload = kWillPayload;
      connect.will = will;
      break;
    }
    case scenario::LimitProbe::AUTHENTICATION_METHOD:
      connect.authentication_method = "mqlab-probe";
      break;
    case scenario::LimitProbe::AUTHENTICATION_DATA:
      connect.authentication_data = kAuthenticationData;
      break;
    case scenario::LimitProbe::KEEP_ALIVE_TOO_LONG:
      connect.keep_alive_seconds = static_cast<uint16_t>(
          std::min<uint32_t>(limits.maximum_keep_alive_seconds + 40u, 65'535));
      break;
    case scenario::LimitProbe::EMPTY_CLIENT_ID:
      connect.client_id = {};
      break;
    case scenario::LimitProbe::USER_PROPERTIES_ON_CONNECT:
      connect.user_properties = std::span(&kConnectProperty, 1);
      break;
    default:
      break;
  }
  phase_ = Phase::kConnecting;
  wait_timer_ = fleet.scheduler().After(kProbeWait, [this] {
    wait_timer_ = kNoTimer;
    if (phase_ == Phase::kAnswered) {
      Finish(/*closed=*/false);
    } else {
      React(ProbeReaction::kNothing, ReasonCode::kSuccess);
    }
  });
  if (!link_->Connect(connect).ok()) Abandon();
}

uint16_t LimitProber::NextPacketId() {
  if (next_packet_id_ == 0) next_packet_id_ = kFirstProbePacketId;
  return next_packet_id_++;
}

bool LimitProber::SendPublish(std::string_view topic, mqtt::Qos qos,
                              size_t payload, uint16_t packet_id, bool retain,
                              std::optional<uint16_t> topic_alias) {
  payload_.assign(payload, 0);  // Untagged: not a message the lab traces.
  mqtt::Publish publish;
  publish.qos = qos;
  publish.retain = retain;
  publish.topic = topic;
  publish.packet_id = packet_id;
  publish.properties.topic_alias = topic_alias;
  publish.payload = payload_;
  return link_->SendPacket(publish);
}

bool LimitProber::SendSubscribe(
    const std::vector<std::string>& filters, uint16_t packet_id,
    std::optional<uint32_t> subscription_identifier) {
  std::vector<mqtt::Subscription> subscriptions;
  for (const std::string& filter : filters) {
    subscriptions.push_back({filter, {}});
  }
  mqtt::Subscribe subscribe;
  subscribe.packet_id = packet_id;
  subscribe.subscriptions = mqtt::Subscriptions::FromList(subscriptions);
  uint32_t identifier = subscription_identifier.value_or(0);
  if (subscription_identifier.has_value()) {
    subscribe.properties.subscription_identifiers =
        mqtt::SubscriptionIdentifiers::FromList(std::span(&identifier, 1));
  }
  return link_->SendPacket(subscribe);
}

void LimitProber::Act() {
  const broker::Limits& limits = session().fleet().limits();
  const std::string publish_topic = absl::StrCat(topic_, "/p");
  switch (kind_) {
    case scenario::LimitProbe::OVERSIZE_PACKET:
      SendPublish(publish_topic, mqtt::Qos::kAtMostOnce,
                  limits.maximum_packet_size);
      break;
    case scenario::LimitProbe::TOO_MANY_SUBSCRIPTIONS: {
      // maximum filters in SUBSCRIBEs within the subscribe rate, then one
      // more filter alone: its SUBACK answers.
      steps_left_ = 0;
      const uint32_t batch =
          std::min<uint32_t>(limits.maximum_filters_per_subscribe, 10);
      uint32_t filter = 0;
      uint32_t sent_now = 0;
      // What the rate allows at once; the rest wait (SubscribeStep).
      while (filter < limits.maximum_subscriptions_per_session &&
             sent_now + 1 < limits.subscribe_requests_per_second) {
        std::vector<std::string> filters;
        for (uint32_t i = 0;
             i < batch && filter < limits.maximum_subscriptions_per_session;
             ++i, ++filter) {
          filters.push_back(absl::StrCat(topic_, "/s", filter));
        }
        SendSubscribe(filters, NextPacketId());
        ++sent_now;
      }
      steps_left_ = limits.maximum_subscriptions_per_session - filter;
      next_filter_ = filter;
      SetStepTimer(RequestSpacing(), &LimitProber::SubscribeStep);
      break;
    }
    case scenario::LimitProbe::TOO_MANY_FILTERS_IN_SUBSCRIBE: {
      std::vector<std::string> filters;
      for (uint32_t i = 0; i <= limits.maximum_filters_per_subscribe; ++i) {
        filters.push_back(absl::StrCat(topic_, "/s", i));
      }
      answer_id_ = NextPacketId();
      SendSubscribe(filters, answer_id_);
      break;
    }
    case scenario::LimitProbe::TOPIC_ALIAS_ABUSE:
      SendPublish(publish_topic, mqtt::Qos::kAtMostOnce, 8, 0, false,
                  static_cast<uint16_t>(limits.topic_alias_maximum + 1));
      break;
    case scenario::LimitProbe::QOS2_PUBLISH:
      SendPublish(publish_topic, mqtt::Qos::kExactlyOnce, 8, NextPacketId());
      break;
    case scenario::LimitProbe::RETAIN_PUBLISH:
      SendPublish(publish_topic, mqtt::Qos::kAtMostOnce, 8, 0,
                  /*retain=*/true);
      break;
    case scenario::LimitProbe::PUBLISH_RATE:
      for (uint32_t i = 0; i < limits.publish_messages_per_second + 10; ++i) {
        SendPublish(publish_topic, mqtt::Qos::kAtMostOnce, 8);
      }
      break;
    case scenario::LimitProbe::SUBSCRIBE_RATE:
      for (uint32_t i = 0; i <= limits.subscribe_requests_per_second + 1; ++i) {
        const uint16_t id = NextPacketId();
        if (i == limits.subscribe_requests_per_second) answer_id_ = id;
        SendSubscribe({absl::StrCat(topic_, "/s", i)}, id);
      }
      break;
    case scenario::LimitProbe::TOPIC_TOO_LONG: {
      std::string topic = absl::StrCat(topic_, "/");
      topic.resize(
          std::max<size_t>(topic.size(), limits.maximum_topic_size + 1), 'x');
      answer_id_ = NextPacketId();
      SendPublish(topic, mqtt::Qos::kAtLeastOnce, 8, answer_id_);
      break;
    }
    case scenario::LimitProbe::TOO_MANY_TOPIC_LEVELS: {
      std::string topic = topic_;
      size_t levels = std::count(topic.begin(), topic.end(), '/') + 1;
      for (; levels <= limits.maximum_topic_levels; ++levels) topic += "/l";
      answer_id_ = NextPacketId();
      SendPublish(topic, mqtt::Qos::kAtLeastOnce, 8, answer_id_);
      break;
    }
    case scenario::LimitProbe::SHARED_SUBSCRIPTION:
      answer_id_ = NextPacketId();
      SendSubscribe({absl::StrCat("$share/mqlab/", topic_, "/s")}, answer_id_);
      break;
    case scenario::LimitProbe::UNAUTHORIZED_PUBLISH:
      answer_id_ = NextPacketId();
      SendPublish(absl::StrCat(unauthorized_, "/p"), mqtt::Qos::kAtLeastOnce, 8,
                  answer_id_);
      break;
    case scenario::LimitProbe::UNAUTHORIZED_SUBSCRIBE:
      answer_id_ = NextPacketId();
      SendSubscribe({absl::StrCat(unauthorized_, "/#")}, answer_id_);
      break;
    case scenario::LimitProbe::SUBSCRIPTION_IDENTIFIER:
      answer_id_ = NextPacketId();
      SendSubscribe({absl::StrCat(topic_, "/s")}, answer_id_, 1);
      break;
    case scenario::LimitProbe::RECEIVE_MAXIMUM_EXCEEDED: {
      // First a subscription to the flood topic (tracked: its messages are
      // deliveries the checkers see); FloodStep follows its SUBACK.
      const std::string filter = absl::StrCat(topic_, "/flood");
      const mqtt::Subscription subscription{filter, {}};
      link_->Subscribe({.subscriptions = std::span(&subscription, 1)});
      break;
    }
    default:
      break;
  }
}

Duration LimitProber::RequestSpacing() const {
  const uint32_t rate = std::max<uint32_t>(
      session().fleet().limits().subscribe_requests_per_second, 1);
  return kSecond * 6 / 5 / rate;
}

void LimitProber::SubscribeStep() {
  if (phase_ != Phase::kActing || link_ == nullptr) return;
  const broker::Limits& limits = session().fleet().limits();
  const uint32_t batch =
      std::min<uint32_t>(limits.maximum_filters_per_subscribe, 10);
  std::vector<std::string> filters;
  if (steps_left_ == 0) {
    // The one filter too many.
    answer_id_ = NextPacketId();
    answer_index_ = 0;
    SendSubscribe({absl::StrCat(topic_, "/s", next_filter_)}, answer_id_);
    return;
  }
  const uint32_t count = std::min(batch, steps_left_);
  for (uint32_t i = 0; i < count; ++i) {
    filters.push_back(absl::StrCat(topic_, "/s", next_filter_++));
  }
  steps_left_ -= count;
  SendSubscribe(filters, NextPacketId());
  SetStepTimer(RequestSpacing(), &LimitProber::SubscribeStep);
}

void LimitProber::OnLinkSubscribeResult(
    ClientLink& link, const client::SubscribeResultEvent& /*event*/) {
  if (&link != link_.get() || phase_ != Phase::kActing ||
      kind_ != scenario::LimitProbe::RECEIVE_MAXIMUM_EXCEEDED) {
    return;
  }
  FloodStep();
}

void LimitProber::FloodStep() {
  VirtualFleet& fleet = session().fleet();
  const broker::Limits& limits = fleet.limits();
  // The prober's device stops reading: what the broker sends it piles up in
  // the broker's send buffer, which write-blocks the broker.
  fleet.world().network->SlowReader(session().host(), 1, kProbeWait);
  slow_reader_ = true;
  const uint32_t messages = std::min<uint32_t>(
      kFloodMessages, limits.publish_messages_per_second / 2);
  const uint64_t bytes = std::min<uint64_t>(
      kFloodBytes, uint64_t{limits.publish_bytes_per_second} * 3 / 4);
  const std::string flood = absl::StrCat(topic_, "/flood");
  for (uint32_t i = 0; i < messages; ++i) {
    SendPublish(flood, mqtt::Qos::kAtMostOnce, bytes / std::max(messages, 1u));
  }
  steps_left_ = limits.receive_maximum + 1u;
  SetStepTimer(100 * kMillisecond, &LimitProber::SendInFlightStep);
}

void LimitProber::SendInFlightStep() {
  if (phase_ != Phase::kActing || link_ == nullptr) return;
  const broker::Limits& limits = session().fleet().limits();
  answer_id_ = NextPacketId();
  SendPublish(absl::StrCat(topic_, "/in-flight"), mqtt::Qos::kAtLeastOnce, 8,
              answer_id_);
  if (--steps_left_ > 0) {
    // Within the publish rate, with a margin.
    const uint32_t rate =
        std::max<uint32_t>(limits.publish_messages_per_second, 1);
    SetStepTimer(kSecond * 6 / 5 / rate, &LimitProber::SendInFlightStep);
  } else {
    SetStepTimer(kReadAgainAfter, &LimitProber::ReadAgain);
  }
}

void LimitProber::ReadAgain() {
  if (!slow_reader_) return;
  slow_reader_ = false;
  session().fleet().world().network->SlowReader(session().host(), 1, 0);
}

void LimitProber::SetStepTimer(Duration delay, void (LimitProber::*step)()) {
  Scheduler& scheduler = session().fleet().scheduler();
  scheduler.Cancel(step_timer_);
  step_timer_ = scheduler.After(delay, [this, step] {
    step_timer_ = kNoTimer;
    (this->*step)();
  });
}

void LimitProber::React(ProbeReaction reaction, ReasonCode code,
                        std::optional<int64_t> value) {
  if (phase_ == Phase::kAnswered || phase_ == Phase::kIdle) return;
  phase_ = Phase::kAnswered;
  outcome_.time = session().fleet().now();
  outcome_.reaction = reaction;
  outcome_.reason_code = code;
  outcome_.value = value;
  Scheduler& scheduler = session().fleet().scheduler();
  scheduler.Cancel(step_timer_);
  step_timer_ = kNoTimer;
  if (reaction == ProbeReaction::kNothing) {
    Finish(/*closed=*/false);
    return;
  }
  if (reaction == ProbeReaction::kClosed) {
    Finish(/*closed=*/true);
    return;
  }
  // Does the connection end after this answer? Watch for kGrace (a
  // DISCONNECT is always followed by the close).
  scheduler.Cancel(wait_timer_);
  wait_timer_ = scheduler.After(kGrace, [this] {
    wait_timer_ = kNoTimer;
    Finish(/*closed=*/false);
  });
}

void LimitProber::OnLinkConnack(ClientLink& link,
                                const client::ConnackEvent& event) {
  if (&link != link_.get() || phase_ != Phase::kConnecting) return;
  // The namespace's connect rate turned the CONNECT down before anything
  // else: the probe did not happen.
  if (event.reason_code == ReasonCode::kConnectionRateExceeded) {
    Abandon();
    return;
  }
  if (IsConnectProbe(kind_)) {
    std::optional<int64_t> value;
    if (event.properties.server_keep_alive.has_value()) {
      value = *event.properties.server_keep_alive;
    }
    phase_ = Phase::kActing;
    React(ProbeReaction::kConnack, event.reason_code, value);
    return;
  }
  if (!mqtt::IsSuccess(event.reason_code)) {
    Abandon();
    return;
  }
  phase_ = Phase::kActing;
  Act();
}

void LimitProber::OnLinkPacket(ClientLink& link, const mqtt::Packet& packet) {
  if (&link != link_.get() || phase_ != Phase::kActing) return;
  if (const auto* suback = std::get_if<mqtt::Suback>(&packet)) {
    if (answer_id_ == 0 || suback->packet_id != answer_id_ ||
        suback->reason_codes.empty()) {
      return;
    }
    const size_t index =
        std::min(answer_index_, suback->reason_codes.size() - 1);
    React(ProbeReaction::kSuback,
          static_cast<ReasonCode>(suback->reason_codes[index]));
  } else if (const auto* puback = std::get_if<mqtt::Puback>(&packet)) {
    if (answer_id_ != 0 && puback->packet_id == answer_id_) {
      React(ProbeReaction::kPuback, puback->reason_code);
    }
  } else if (const auto* disconnect = std::get_if<mqtt::Disconnect>(&packet)) {
    React(ProbeReaction::kServerDisconnect, disconnect->reason_code);
  }
}

void LimitProber::OnLinkDisconnected(ClientLink& link,
                                     const client::DisconnectedEvent& event) {
  if (&link != link_.get()) return;
  // The network, not the broker, ended it (a fault's reset, a timeout):
  // whatever the broker meant is unknown.
  if (event.cause == client::DisconnectCause::kTransportClosed &&
      link.last_close() != CloseReason::kPeerClosed) {
    Abandon();
    return;
  }
  switch (phase_) {
    case Phase::kIdle:
      return;
    case Phase::kConnecting:
      // Closed before any CONNACK: for a connect probe that is the answer
      // (3.1.1 has no return code for everything); otherwise the probe did
      // not get to its offence.
      if (IsConnectProbe(kind_) &&
          event.cause == client::DisconnectCause::kTransportClosed) {
        phase_ = Phase::kActing;
        React(ProbeReaction::kClosed, ReasonCode::kSuccess);
      } else {
        Abandon();
      }
      return;
    case Phase::kActing:
      React(ProbeReaction::kClosed, ReasonCode::kSuccess);
      return;
    case Phase::kAnswered:
      Finish(/*closed=*/true);
      return;
  }
}

void LimitProber::Finish(bool closed) {
  if (phase_ == Phase::kIdle) return;
  outcome_.connection_closed = closed;
  outcome_.ended = session().fleet().now();
  if (SituationCounts* counts = session().fleet().world().situations;
      counts != nullptr) {
    counts->Count(SituationName(kind_));
  }
  session().fleet().world().observations->Observe(outcome_);
  EndProbe();
}

void LimitProber::Abandon() {
  if (phase_ == Phase::kIdle) return;
  EndProbe();
}

void LimitProber::EndProbe() {
  phase_ = Phase::kIdle;
  Scheduler& scheduler = session().fleet().scheduler();
  scheduler.Cancel(wait_timer_);
  scheduler.Cancel(step_timer_);
  wait_timer_ = step_timer_ = kNoTimer;
  ReadAgain();
  if (link_ != nullptr) {
    if (link_->state() != client::Client::State::kIdle) link_->Disconnect();
    session().fleet().Retire(std::move(link_));
  }
}

}  // namespace mqlab::sim
