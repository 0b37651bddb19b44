#include "sim/behaviours/rule_explorer.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "base/check.h"
#include "sim/duration_text.h"
#include "sim/name_pattern.h"
#include "sim/situation_counts.h"
#include "sim/virtual_fleet.h"
#include "sim/virtual_session.h"

namespace mqlab::sim {
namespace {

using Situation = scenario::RuleExplorer::Situation;
using Spec = scenario::RuleExplorer;

// Packet Identifiers of raw PUBLISHes: far from the client's own.
constexpr uint16_t kFirstPacketId = 40000;
constexpr uint16_t kLastPacketId = 65000;
constexpr size_t kPayloadBytes = 8;
// Offline-queue episodes publish one message per kSeriesSpacing: within
// Event Grid's 100 messages per second.
constexpr Duration kSeriesSpacing = 15 * kMillisecond;
// SESSION_EXPIRY_SMALL and _ABOVE_3600: what the CONNECT asks for.
constexpr uint32_t kSmallExpirySeconds = 30;
constexpr uint32_t kLargeExpirySeconds = 7200;
// DELETED_*: how long the client stays deleted.
constexpr Duration kDeletedFor = 10 * kSecond;
// RECEIVE_MAXIMUM_WINDOW: the window, and the messages sent into it.
constexpr uint16_t kReceiveMaximum = 2;
constexpr uint32_t kWindowMessages = 5;

constexpr mqtt::UserProperty kUserProperty{"explorer", "cross-version"};
constexpr uint8_t kCorrelationData[] = {'c', 'v'};

}  // namespace

RuleExplorer::RuleExplorer(VirtualSession* session,
                           const scenario::RuleExplorer& spec, Random random)
    : Behaviour(session),
      interval_(kMinute),
      random_(std::move(random)),
      payload_(kPayloadBytes, 0) {
  for (int kind : spec.situations()) {
    const auto situation = static_cast<Situation>(kind);
    if (Applies(situation, session->version())) {
      situations_.push_back(situation);
    }
  }
  if (const std::optional<Duration> interval = ParseDuration(spec.interval());
      interval.has_value()) {
    interval_ = *interval;
  }
  topic_ = ExpandPattern(spec.topic().empty() ? "explore/{auth}" : spec.topic(),
                         session->pattern_values());
}

RuleExplorer::~RuleExplorer() {
  Scheduler& scheduler = session().fleet().scheduler();
  scheduler.Cancel(tick_timer_);
  for (TimerId timer : timers_) scheduler.Cancel(timer);
}

bool RuleExplorer::Applies(Situation situation, mqtt::Version version) {
  switch (situation) {
    case Spec::SESSION_EXPIRY_ZERO:
    case Spec::SESSION_EXPIRY_SMALL:
    case Spec::SESSION_EXPIRY_3600:
    case Spec::SESSION_EXPIRY_ABOVE_3600:
    case Spec::TOPIC_ALIAS_AT_MAXIMUM:
    case Spec::TOPIC_ALIAS_ZERO:
    case Spec::PUBACK_WITH_ERROR_CODE:
    case Spec::V5_PROPERTIES_TO_V311_SUBSCRIBER:
    case Spec::RECEIVE_MAXIMUM_WINDOW:
    case Spec::MESSAGE_EXPIRY_WHILE_QUEUED:
      return version == mqtt::Version::kV5;
    case Spec::CLEAN_SESSION_0:
    case Spec::CLEAN_SESSION_1:
      return version == mqtt::Version::kV311;
    default:
      return true;
  }
}

void RuleExplorer::Start() {
  tick_timer_ = session().fleet().scheduler().After(interval_, [this] {
    tick_timer_ = kNoTimer;
    Tick();
  });
}

void RuleExplorer::Stop() {
  session().fleet().scheduler().Cancel(tick_timer_);
  tick_timer_ = kNoTimer;
  End();
}

void RuleExplorer::Tick() {
  Start();
  End();
  if (situations_.empty() || !session().powered()) return;
  Begin(situations_[random_.Below(situations_.size())]);
}

void RuleExplorer::At(Duration delay, std::function<void()> step) {
  // Scheduler callbacks carry a pointer and an index: the step stays here.
  steps_.push_back(std::move(step));
  const size_t index = steps_.size() - 1;
  timers_.push_back(
      session().fleet().scheduler().At(began_ + delay, [this, index] {
        if (!active_ || index >= steps_.size()) return;
        // A copy: the step may end the episode, which drops steps_.
        const std::function<void()> step = steps_[index];
        step();
      }));
}

std::string RuleExplorer::SessionName(size_t name) const {
  if (name == kOwnName) return session().client_id();
  return absl::StrCat(session().client_id(), "-x", name);
}

std::string RuleExplorer::Topic(std::string_view suffix) const {
  return absl::StrCat(topic_, "/", ToAbsl(suffix));
}

void RuleExplorer::Open(size_t slot, const Connect& connect) {
  MQLAB_CHECK(slot < kSlots);
  Close(slot);
  const mqtt::Version version = connect.version.value_or(session().version());
  client::ClientOptions options = session().client_options();
  options.version = version;
  options.reconnect.enabled = false;
  if (connect.manual_acks) options.ack_mode = client::AckMode::kManual;
  const std::string name = SessionName(connect.name);
  links_[slot] = session().MakeLink(this, name, options);

  const client::ConnectOptions own = session().ConnectOptions();
  client::ConnectOptions options_out;
  options_out.client_id = name;
  std::string username;
  if (own.username.has_value()) {
    username = std::string(*own.username);
    if (connect.other_case_username) absl::AsciiStrToUpper(&username);
    options_out.username = username;
  }
  options_out.keep_alive_seconds = connect.keep_alive;
  if (version == mqtt::Version::kV5) {
    options_out.clean_start = !connect.resume;
    if (connect.session_expiry.has_value()) {
      options_out.session_expiry_interval = *connect.session_expiry;
    } else if (connect.persistent || connect.resume) {
      options_out.session_expiry_interval = 3600;
    }
    options_out.receive_maximum = connect.receive_maximum;
  } else {
    options_out.clean_start = !(connect.persistent || connect.resume);
  }
  if (!links_[slot]->Connect(options_out).ok()) {
    session().fleet().Retire(std::move(links_[slot]));
  }
}

void RuleExplorer::Close(size_t slot) {
  triggers_[slot] = {};
  if (links_[slot] == nullptr) return;
  std::unique_ptr<ClientLink> link = std::move(links_[slot]);
  if (link->state() != client::Client::State::kIdle) link->Disconnect();
  session().fleet().Retire(std::move(link));
}

bool RuleExplorer::Connected(size_t slot) const {
  return links_[slot] != nullptr && links_[slot]->connected();
}

void RuleExplorer::Discard(std::vector<size_t> names, Duration at) {
  At(at, [this, names] {
    for (size_t i = 0; i < names.size() && i < kSlots; ++i) {
      Open(i, {.name = names[i]});
    }
  });
  At(at + 3 * kSecond, [this, count = names.size()] {
    for (size_t i = 0; i < count && i < kSlots; ++i) Close(i);
  });
}

void RuleExplorer::Expect(size_t slot, Answer answer, Situation situation,
                          uint16_t packet_id) {
  triggers_[slot] = {answer, situation, packet_id};
}

void RuleExplorer::Answered(size_t slot, Answer answer, uint16_t packet_id) {
  Trigger& trigger = triggers_[slot];
  if (trigger.answer != answer) return;
  if (answer == Answer::kPuback && trigger.packet_id != packet_id) return;
  const Situation situation = trigger.situation;
  trigger = {};
  Count(situation);
}

void RuleExplorer::Count(Situation situation) {
  if (SituationCounts* counts = session().fleet().world().situations;
      counts != nullptr) {
    counts->Count(SituationName(situation));
  }
}

std::optional<size_t> RuleExplorer::SlotOf(const ClientLink& link) const {
  for (size_t i = 0; i < kSlots; ++i) {
    if (links_[i].get() == &link) return i;
  }
  return std::nullopt;
}

uint16_t RuleExplorer::NextPacketId() {
  if (next_packet_id_ < kFirstPacketId || next_packet_id_ >= kLastPacketId) {
    next_packet_id_ = kFirstPacketId;
  }
  return next_packet_id_++;
}

uint16_t RuleExplorer::PublishRaw(size_t slot, std::string_view topic,
                                  mqtt::Qos qos,
                                  const mqtt::Properties& properties) {
  if (!Connected(slot)) return 0;
  mqtt::Publish publish;
  publish.qos = qos;
  publish.topic = topic;
  publish.properties = properties;
  publish.payload = payload_;  // Untagged: not a message the lab traces.
  if (qos != mqtt::Qos::kAtMostOnce) publish.packet_id = NextPacketId();
  if (!links_[slot]->SendPacket(publish)) return 0;
  return publish.packet_id;
}

void RuleExplorer::Subscribe(size_t slot, const Filters& filters) {
  if (!Connected(slot)) return;
  std::vector<mqtt::Subscription> subscriptions;
  for (const auto& [filter, qos] : filters) {
    subscriptions.push_back({filter, {.maximum_qos = qos}});
  }
  links_[slot]->Subscribe({.subscriptions = subscriptions});
}

void RuleExplorer::PublishSeries(size_t slot, std::string topic, uint32_t count,
                                 Duration spacing) {
  series_topic_ = std::move(topic);
  Scheduler& scheduler = session().fleet().scheduler();
  for (uint32_t i = 0; i < count; ++i) {
    timers_.push_back(scheduler.After(spacing * i, [this, slot] {
      if (active_) PublishRaw(slot, series_topic_, mqtt::Qos::kAtLeastOnce);
    }));
  }
}

void RuleExplorer::End() {
  if (!active_) return;
  active_ = false;
  Scheduler& scheduler = session().fleet().scheduler();
  for (TimerId timer : timers_) scheduler.Cancel(timer);
  timers_.clear();
  steps_.clear();
  for (size_t slot = 0; slot < kSlots; ++slot) Close(slot);
  held_acks_.clear();
  holding_acks_ = false;
}

void RuleExplorer::Begin(Situation situation) {
  active_ = true;
  situation_ = situation;
  began_ = session().fleet().now();
  At(kEpisodeLength, [this] { End(); });
  switch (situation) {
    case Spec::AUTHENTICATION_NAME_OTHER_CASE:
      Open(0, {.name = 0, .other_case_username = true});
      Expect(0, Answer::kConnack, situation);
      break;
    case Spec::TAKEOVER_SAME_AUTHENTICATION_NAME:
      Open(0, {.name = 0});
      At(3 * kSecond, [this, situation] {
        if (!Connected(0)) return;
        Open(1, {.name = 0});
        Expect(1, Answer::kConnack, situation);
      });
      break;
    case Spec::SESSIONS_BEYOND_CAP_WITH_OFFLINE:
      PlaySessionsBeyondCap();
      break;
    case Spec::DELETED_SESSION_NAME_BEFORE_EXPIRY:
    case Spec::DELETED_SESSION_NAME_AFTER_EXPIRY:
      PlayDeletion();
      break;
    case Spec::SESSION_EXPIRY_ZERO:
      PlaySessionExpiry(0, situation);
      break;
    case Spec::SESSION_EXPIRY_SMALL:
      PlaySessionExpiry(kSmallExpirySeconds, situation);
      break;
    case Spec::SESSION_EXPIRY_3600:
      PlaySessionExpiry(3600, situation);
      break;
    case Spec::SESSION_EXPIRY_ABOVE_3600:
      PlaySessionExpiry(kLargeExpirySeconds, situation);
      break;
    case Spec::CLEAN_SESSION_0:
      PlayCleanSession(/*clean=*/false);
      break;
    case Spec::CLEAN_SESSION_1:
      PlayCleanSession(/*clean=*/true);
      break;
    case Spec::KEEP_ALIVE_ZERO:
      Open(0, {.name = 0, .keep_alive = 0});
      Expect(0, Answer::kConnack, situation);
      break;
    case Spec::TOPIC_ALIAS_AT_MAXIMUM:
      PlayTopicAlias(session().fleet().limits().topic_alias_maximum, situation);
      break;
    case Spec::TOPIC_ALIAS_ZERO:
      PlayTopicAlias(0, situation);
      break;
    case Spec::PUBACK_WITH_ERROR_CODE:
      PlaySelfDelivery({{Topic("puback-error"), mqtt::Qos::kAtLeastOnce}},
                       Topic("puback-error"), situation);
      break;
    case Spec::OVERLAPPING_SUBSCRIPTIONS:
      PlaySelfDelivery({{Topic("overlap/#"), mqtt::Qos::kAtMostOnce},
                        {Topic("overlap/+"), mqtt::Qos::kAtLeastOnce}},
                       Topic("overlap/a"), situation);
      break;
    case Spec::V5_PROPERTIES_TO_V311_SUBSCRIBER:
      PlayCrossVersion();
      break;
    case Spec::OFFLINE_QUEUE_AT_LIMIT:
      PlayOfflineQueue(session().fleet().limits().maximum_offline_messages,
                       situation);
      break;
    case Spec::OFFLINE_QUEUE_OVER_LIMIT:
      PlayOfflineQueue(session().fleet().limits().maximum_offline_messages + 1,
                       situation);
      break;
    case Spec::RECEIVE_MAXIMUM_WINDOW:
      PlayReceiveMaximum();
      break;
    case Spec::MESSAGE_EXPIRY_WHILE_QUEUED:
      PlayMessageExpiry();
      break;
    case Spec::CERTIFICATE_ONE_BYTE_OFF:
      Open(0, {.name = kOwnName});
      Expect(0, Answer::kConnack, situation);
      break;
    default:
      End();
      break;
  }
}

// Three persistent sessions of the authentication name (the namespace's
// cap), two of them offline, then a fourth session name: Event Grid counts
// offline sessions against maximumClientSessionsPerAuthenticationName.
void RuleExplorer::PlaySessionsBeyondCap() {
  for (size_t name = 0; name < 3; ++name) {
    Open(name, {.name = name, .persistent = true});
  }
  At(3 * kSecond, [this] {
    const bool all_three = Connected(0) && Connected(1) && Connected(2);
    Close(0);
    Close(1);
    if (!all_three) return;
    Open(3, {.name = 3});
    Expect(3, Answer::kConnack, Spec::SESSIONS_BEYOND_CAP_WITH_OFFLINE);
  });
  At(7 * kSecond, [this] {
    Close(2);
    Close(3);
  });
  Discard({0, 1, 2}, 8 * kSecond);
}

// The seed: "If a client resource is deleted without ending its session,
// other clients won't be able to use its session name until the session
// expires." A persistent session (name 4) and one that ends with its
// connection (name 5) are connected when the admin API deletes the client;
// once it is registered again, it tries both names. Once per client: the
// persistent name stays blocked for the session expiry (names 4 and 5
// serve no other episode).
void RuleExplorer::PlayDeletion() {
  if (deleted_once_) {
    End();
    return;
  }
  Open(0, {.name = 4, .persistent = true});
  Open(1, {.name = 5});
  At(3 * kSecond, [this] {
    if (!Connected(0) || !Connected(1)) return;
    deleted_once_ = true;
    session().fleet().DeleteClient(session().fleet_client().index, kDeletedFor);
  });
  At(3 * kSecond + kDeletedFor + 2 * kSecond, [this] {
    if (!deleted_once_) return;
    Open(2, {.name = 4, .resume = true});
    Expect(2, Answer::kConnack, Spec::DELETED_SESSION_NAME_BEFORE_EXPIRY);
    Open(3, {.name = 5});
    Expect(3, Answer::kConnack, Spec::DELETED_SESSION_NAME_AFTER_EXPIRY);
  });
}

void RuleExplorer::PlaySessionExpiry(uint32_t seconds, Situation situation) {
  Open(0, {.name = 0, .session_expiry = seconds});
  Expect(0, Answer::kConnack, situation);
  At(2 * kSecond, [this] { Close(0); });
  if (seconds > 0) Discard({0}, 3 * kSecond);
}

// 3.1.1: a session with Clean Session `clean`, closed and resumed with Clean
// Session 0 (Session Present says whether it outlived its connection).
void RuleExplorer::PlayCleanSession(bool clean) {
  Open(0, {.name = 0, .persistent = !clean});
  At(2 * kSecond, [this] { Close(0); });
  At(3 * kSecond, [this, clean] {
    Open(1, {.name = 0, .resume = true});
    Expect(1, Answer::kConnack,
           clean ? Spec::CLEAN_SESSION_1 : Spec::CLEAN_SESSION_0);
  });
  At(5 * kSecond, [this] { Close(1); });
  Discard({0}, 6 * kSecond);
}

// Topic Alias `alias` set with a topic, then used alone: within the limit
// (10) the PUBACK of the alias-only PUBLISH answers; 0 is a protocol error
// (DISCONNECT 0x94) that ends the connection.
void RuleExplorer::PlayTopicAlias(uint16_t alias, Situation situation) {
  Open(0, {.name = 0});
  At(2 * kSecond, [this, alias, situation] {
    mqtt::Properties properties;
    properties.topic_alias = alias;
    const std::string topic = Topic("alias");
    if (!Connected(0)) return;
    if (alias == 0) Expect(0, Answer::kEnd, situation);
    PublishRaw(0, topic, mqtt::Qos::kAtMostOnce, properties);
    if (alias == 0) return;
    const uint16_t id = PublishRaw(0, "", mqtt::Qos::kAtLeastOnce, properties);
    if (id != 0) Expect(0, Answer::kPuback, situation, id);
  });
}

// The episode's connection subscribes, then publishes to itself: what it
// receives answers (OVERLAPPING_SUBSCRIPTIONS: one copy at QoS 1;
// PUBACK_WITH_ERROR_CODE: OnLinkMessage acknowledges it with a failure).
void RuleExplorer::PlaySelfDelivery(Filters filters, std::string topic,
                                    Situation situation) {
  Open(0, {.name = 0});
  At(2 * kSecond, [this, filters] { Subscribe(0, filters); });
  At(4 * kSecond, [this, topic, situation] {
    if (!Connected(0)) return;
    Expect(0, Answer::kMessage, situation);
    PublishRaw(0, topic, mqtt::Qos::kAtLeastOnce);
  });
}

// A 3.1.1 connection of this (MQTT 5) client subscribes; a v5 one publishes
// with every property a 3.1.1 PUBLISH cannot carry.
void RuleExplorer::PlayCrossVersion() {
  Open(0, {.name = 0, .version = mqtt::Version::kV311});
  Open(1, {.name = 1});
  At(2 * kSecond, [this] {
    Subscribe(0, {{Topic("cross-version"), mqtt::Qos::kAtLeastOnce}});
  });
  At(4 * kSecond, [this] {
    if (!Connected(0)) return;
    mqtt::Properties properties;
    properties.payload_format_indicator = 0;
    properties.message_expiry_interval = 300;
    properties.content_type = "application/octet-stream";
    properties.response_topic = topic_;
    properties.correlation_data = kCorrelationData;
    properties.user_properties =
        mqtt::UserProperties::FromList(std::span(&kUserProperty, 1));
    const std::string topic = Topic("cross-version");
    if (PublishRaw(1, topic, mqtt::Qos::kAtLeastOnce, properties) != 0) {
      Expect(0, Answer::kMessage, Spec::V5_PROPERTIES_TO_V311_SUBSCRIBER);
    }
  });
}

// A persistent session subscribes and goes offline; another connection
// publishes `messages` QoS 1 messages to it; the session resumes. At the
// limit it is present with every message; one past it, it ended.
void RuleExplorer::PlayOfflineQueue(uint32_t messages, Situation situation) {
  Open(0, {.name = 0, .persistent = true});
  Open(1, {.name = 1});
  At(2 * kSecond, [this] {
    Subscribe(0, {{Topic("queue"), mqtt::Qos::kAtLeastOnce}});
  });
  At(4 * kSecond, [this] { Close(0); });
  At(5 * kSecond, [this, messages] {
    PublishSeries(1, Topic("queue"), messages, kSeriesSpacing);
  });
  const Duration resume_at =
      5 * kSecond + kSeriesSpacing * messages + 3 * kSecond;
  At(resume_at, [this, situation] {
    Open(0, {.name = 0, .resume = true});
    Expect(0, Answer::kConnack, situation);
  });
  At(resume_at + 4 * kSecond, [this] {
    Close(0);
    Close(1);
  });
  Discard({0}, resume_at + 5 * kSecond);
}

// Receive Maximum 2 with acknowledgements held: the broker may have two
// QoS 1 messages in flight; the third waits until one is acknowledged.
void RuleExplorer::PlayReceiveMaximum() {
  Open(0, {.name = 0, .receive_maximum = kReceiveMaximum, .manual_acks = true});
  Open(1, {.name = 1});
  holding_acks_ = true;
  At(2 * kSecond, [this] {
    Subscribe(0, {{Topic("window"), mqtt::Qos::kAtLeastOnce}});
  });
  At(4 * kSecond, [this] {
    if (!Connected(0)) return;
    Expect(0, Answer::kMessage, Spec::RECEIVE_MAXIMUM_WINDOW);
    PublishSeries(1, Topic("window"), kWindowMessages, kSeriesSpacing);
  });
  At(8 * kSecond, [this] {
    holding_acks_ = false;
    std::vector<uint64_t> held = std::move(held_acks_);
    held_acks_.clear();
    if (links_[0] == nullptr) return;
    for (uint64_t token : held) links_[0]->Acknowledge(token);
  });
}

// Two messages wait in an offline session's queue: one whose Message Expiry
// ends meanwhile (dropped), one that lasts (delivered with what is left of
// its interval).
void RuleExplorer::PlayMessageExpiry() {
  Open(0, {.name = 0, .persistent = true});
  Open(1, {.name = 1});
  At(2 * kSecond, [this] {
    Subscribe(0, {{Topic("expiry"), mqtt::Qos::kAtLeastOnce}});
  });
  At(4 * kSecond, [this] { Close(0); });
  At(5 * kSecond, [this] {
    mqtt::Properties properties;
    properties.message_expiry_interval = 2;
    PublishRaw(1, Topic("expiry"), mqtt::Qos::kAtLeastOnce, properties);
    properties.message_expiry_interval = 600;
    PublishRaw(1, Topic("expiry"), mqtt::Qos::kAtLeastOnce, properties);
  });
  At(10 * kSecond, [this] {
    Open(0, {.name = 0, .resume = true});
    Expect(0, Answer::kConnack, Spec::MESSAGE_EXPIRY_WHILE_QUEUED);
  });
  At(14 * kSecond, [this] {
    Close(0);
    Close(1);
  });
  Discard({0}, 15 * kSecond);
}

void RuleExplorer::OnLinkConnack(ClientLink& link,
                                 const client::ConnackEvent& /*event*/) {
  if (const std::optional<size_t> slot = SlotOf(link); slot.has_value()) {
    Answered(*slot, Answer::kConnack);
  }
}

void RuleExplorer::OnLinkMessage(ClientLink& link,
                                 const client::MessageEvent& event,
                                 client::MessageAck* ack) {
  const std::optional<size_t> slot = SlotOf(link);
  if (!slot.has_value() || !active_) return;
  if (situation_ == Spec::PUBACK_WITH_ERROR_CODE && ack != nullptr &&
      event.qos == mqtt::Qos::kAtLeastOnce) {
    ack->reason_code = mqtt::ReasonCode::kUnspecifiedError;
  }
  if (situation_ == Spec::RECEIVE_MAXIMUM_WINDOW && *slot == 0 &&
      event.ack_token != 0) {
    if (holding_acks_) {
      held_acks_.push_back(event.ack_token);
      // The window is full: the broker must wait for an acknowledgement.
      if (held_acks_.size() == kReceiveMaximum) Answered(0, Answer::kMessage);
      return;
    }
    link.Acknowledge(event.ack_token);
    return;
  }
  if (situation_ != Spec::RECEIVE_MAXIMUM_WINDOW) {
    Answered(*slot, Answer::kMessage);
  }
}

void RuleExplorer::OnLinkDisconnected(ClientLink& link,
                                      const client::DisconnectedEvent& event) {
  const std::optional<size_t> slot = SlotOf(link);
  if (!slot.has_value()) return;
  // The network, not the broker, ended it: nothing was answered.
  if (event.cause == client::DisconnectCause::kTransportClosed &&
      link.last_close() != CloseReason::kPeerClosed) {
    triggers_[*slot] = {};
    return;
  }
  if (event.cause == client::DisconnectCause::kClientDisconnect) return;
  // A close before any CONNACK answers a CONNECT (3.1.1 has no return code
  // for every refusal).
  if (!link.ever_connected()) Answered(*slot, Answer::kConnack);
  Answered(*slot, Answer::kEnd);
}

void RuleExplorer::OnLinkPacket(ClientLink& link, const mqtt::Packet& packet) {
  const std::optional<size_t> slot = SlotOf(link);
  if (!slot.has_value()) return;
  if (const auto* puback = std::get_if<mqtt::Puback>(&packet)) {
    Answered(*slot, Answer::kPuback, puback->packet_id);
  } else if (std::holds_alternative<mqtt::Disconnect>(packet)) {
    Answered(*slot, Answer::kEnd);
  }
}

}  // namespace mqlab::sim
