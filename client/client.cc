#include "client/client.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "base/check.h"
#include "client/backoff.h"
#include "mqtt/encoder.h"
#include "mqtt/packet_reason_codes.h"
#include "mqtt/topic.h"
#include "mqtt/utf8.h"
#include "mqtt/varint.h"

namespace mqlab::client {
namespace {

using mqtt::PacketType;
using mqtt::Qos;
using mqtt::ReasonCode;
using mqtt::Version;

constexpr uint8_t kDupFlag = 0x08;
constexpr uint8_t kRetainFlag = 0x01;
// Largest SUBSCRIBE or UNSUBSCRIBE the application may queue (Event Grid's
// 10 filters of 256 bytes take 2.6 KiB).
constexpr size_t kMaxRequestPacketSize = 256 * 1024;
// What a SUBSCRIBE costs besides its filters, at most: fixed header (5),
// Packet Identifier (2), Property Length (1) and a Subscription Identifier
// (5).
constexpr uint64_t kSubscribeOverhead = 13;

ClientObserver* IgnoredEvents() {
  static ClientObserver* const observer = new ClientObserver();
  return observer;
}

const ClientOptions& Validated(const ClientOptions& options) {
  const absl::Status status = ValidateClientOptions(options);
  MQLAB_CHECK_MSG(status.ok(), "ClientOptions must pass ValidateClientOptions");
  return options;
}

bool Utf8Ok(std::string_view text) {
  return mqtt::CheckUtf8(text) == mqtt::Utf8Error::kNone;
}

bool TopicNameOk(std::string_view topic) {
  return mqtt::TopicNameViolation(topic).empty() && Utf8Ok(topic);
}

bool UserPropertiesOk(std::span<const mqtt::UserProperty> properties) {
  return std::all_of(properties.begin(), properties.end(),
                     [](const mqtt::UserProperty& p) {
                       return Utf8Ok(p.key) && Utf8Ok(p.value);
                     });
}

bool HasV5Fields(const ApplicationMessage& m) {
  return m.payload_format_indicator.has_value() ||
         m.message_expiry_interval.has_value() || m.content_type.has_value() ||
         m.response_topic.has_value() || m.correlation_data.has_value() ||
         !m.user_properties.empty();
}

// Scratch packets reused for what a thread's clients send per message. A
// PUBLISH or PUBACK value is some 400 bytes whose initialisation would cost
// as much as its encoding; these are filled before each use (every field the
// client ever sets) and released before anything can call back into a
// client. Trivially destructible.
mqtt::Publish& ScratchPublish() {
  thread_local mqtt::Publish publish;
  return publish;
}
mqtt::Packet& ScratchResponse() {
  thread_local mqtt::Packet response;
  return response;
}

// ScratchPublish() filled with `m`.
mqtt::Publish& ToPublish(const ApplicationMessage& m,
                         std::optional<mqtt::Bytes> correlation_data) {
  mqtt::Publish& publish = ScratchPublish();
  publish.dup = false;
  publish.qos = m.qos;
  publish.retain = m.retain;
  publish.topic = m.topic;
  publish.packet_id = 0;
  publish.payload = m.payload;
  mqtt::Properties& p = publish.properties;
  p.payload_format_indicator = m.payload_format_indicator;
  p.message_expiry_interval = m.message_expiry_interval;
  p.content_type = m.content_type;
  p.response_topic = m.response_topic;
  p.correlation_data =
      correlation_data.has_value() ? correlation_data : m.correlation_data;
  p.user_properties = mqtt::UserProperties::FromList(m.user_properties);
  p.topic_alias.reset();
  return publish;
}

// Appends the encoded `publish` to *out. Through EncodePublishHeader, which
// takes the PUBLISH as it is, rather than Encode, which takes it wrapped in a
// Packet (a copy of the whole variant per message).
bool EncodePublish(const mqtt::Publish& publish, Version version,
                   std::vector<uint8_t>* out) {
  if (!mqtt::EncodePublishHeader(publish, version, out)) return false;
  out->insert(out->end(), publish.payload.begin(), publish.payload.end());
  return true;
}

// Decodes a packet the client encoded itself (a queued PUBLISH, SUBSCRIBE
// or UNSUBSCRIBE), which cannot fail.
mqtt::Packet DecodeOwnPacket(std::span<const uint8_t> bytes, Version version) {
  mqtt::Packet packet;
  mqtt::DecodeError error;
  const mqtt::Decoder::Status status =
      mqtt::DecodePacket(bytes, version, &packet, &error);
  MQLAB_CHECK_MSG(status == mqtt::Decoder::Status::kPacket, error.rule.data());
  return packet;
}

}  // namespace

std::string_view ClientStateName(Client::State state) {
  switch (state) {
    case Client::State::kIdle:
      return "idle";
    case Client::State::kWaitingToReconnect:
      return "waiting-to-reconnect";
    case Client::State::kOpening:
      return "opening";
    case Client::State::kAwaitingConnack:
      return "awaiting-connack";
    case Client::State::kConnected:
      return "connected";
  }
  return "?";
}

Client::Client(const ClientOptions& options, ClientHost* host,
               ClientObserver* observer, Random* random)
    : options_(Validated(options)),
      host_(host),
      observer_(observer != nullptr ? observer : IgnoredEvents()),
      random_(random),
      ids_(options.max_pending_publishes + options.max_pending_requests +
           options.max_subscriptions),
      outbox_(&ids_, 0, options.max_pending_publishes,
              options.max_pending_publish_bytes),
      // Each application request is at most kMaxRequestPacketSize and a
      // re-subscription is bounded by the remembered filters: the count
      // bounds the bytes.
      requests_(&ids_, options.max_pending_publishes,
                options.max_pending_requests + options.max_subscriptions,
                std::numeric_limits<uint64_t>::max()),
      responses_(options.max_pending_responses),
      decoder_(mqtt::DecoderOptions{
          .maximum_packet_size = options.max_incoming_packet_size,
          .version = options.version}) {
  MQLAB_CHECK(host != nullptr && random != nullptr);
}

// ---------------------------------------------------------------------------
// Time, sending, session.

void Client::SetTime(Time now) {
  MQLAB_CHECK_MSG(now >= now_, "time must not go backwards");
  now_ = now;
}

bool Client::SessionOutlivesConnection() const {
  return options_.version == Version::kV5 ? session_expiry_in_effect_ > 0
                                          : !clean_start_sent_;
}

Duration Client::KeepAlive() const {
  return Duration{server_.keep_alive_seconds} * kSecond;
}

void Client::Send(std::span<const uint8_t> bytes) {
  host_->Send(bytes);
  ++stats_.packets_sent;
  stats_.bytes_sent += bytes.size();
  last_sent_ = now_;
}

bool Client::SendEncoded(const mqtt::Packet& packet) {
  send_buffer_.clear();
  if (!mqtt::Encode(packet, options_.version, &send_buffer_)) return false;
  Send(send_buffer_);
  return true;
}

template <typename Response>
void Client::SendResponse(uint16_t packet_id, ReasonCode reason_code) {
  mqtt::Packet& packet = ScratchResponse();
  if (!std::holds_alternative<Response>(packet)) packet.emplace<Response>();
  Response& response = std::get<Response>(packet);
  response.packet_id = packet_id;
  response.reason_code = reason_code;
  SendEncoded(packet);
}

// ---------------------------------------------------------------------------
// Connection life.

absl::Status Client::Connect(const ConnectOptions& options, Time now) {
  SetTime(now);
  if (state_ != State::kIdle) {
    return absl::FailedPreconditionError(std::string("Connect: the client is ")
                                             .append(ClientStateName(state_))
                                             .append(" (Disconnect() first)"));
  }
  absl::StatusOr<ConnectPacket> packet = BuildConnectPacket(
      options, options_.version, options_.max_incoming_packet_size);
  if (!packet.ok()) return packet.status();
  connect_ = *std::move(packet);
  clean_start_next_ = options.clean_start;
  reconnect_attempt_ = 0;
  StartAttempt(now);
  return absl::OkStatus();
}

void Client::StartAttempt(Time now) {
  ++epoch_;
  state_ = State::kOpening;
  deadline_ = now + options_.connect_timeout;
  ++stats_.connection_attempts;
  host_->OpenConnection();
}

void Client::OnConnected(Time now) {
  SetTime(now);
  MQLAB_CHECK_MSG(state_ == State::kOpening,
                  "OnConnected without a pending OpenConnection");
  decoder_.Reset({.maximum_packet_size = connect_.maximum_packet_size,
                  .version = options_.version});
  incoming_aliases_.Reset(connect_.topic_alias_maximum);
  write_blocked_ = false;
  ping_deadline_ = kInfiniteFuture;
  clean_start_sent_ = clean_start_next_;
  SetCleanStart(&connect_, clean_start_sent_);
  last_received_ = now;
  session_expiry_in_effect_ = connect_.session_expiry_interval;
  state_ = State::kAwaitingConnack;
  deadline_ = now + options_.connack_timeout;
  Send(connect_.bytes);
}

void Client::OnConnectFailed(Time now) {
  SetTime(now);
  MQLAB_CHECK_MSG(state_ == State::kOpening,
                  "OnConnectFailed without a pending OpenConnection");
  EndConnection(DisconnectCause::kConnectFailed, ReasonCode::kSuccess, {},
                nullptr, /*close_transport=*/false, now);
}

void Client::OnConnectionClosed(Time now) {
  SetTime(now);
  MQLAB_CHECK_MSG(state_ == State::kOpening || TransportOpen(),
                  "OnConnectionClosed without a connection");
  EndConnection(state_ == State::kOpening ? DisconnectCause::kConnectFailed
                                          : DisconnectCause::kTransportClosed,
                ReasonCode::kSuccess, {}, nullptr, /*close_transport=*/false,
                now);
}

void Client::OnWriteBlocked(bool blocked, Time now) {
  SetTime(now);
  if (!TransportOpen()) return;
  write_blocked_ = blocked;
  if (!blocked) {
    FlushOutbox(PacketQueue::kNone, nullptr);
    ReportFailedPublishes(now);
  }
}

void Client::Disconnect(const DisconnectOptions& options, Time now) {
  SetTime(now);
  switch (state_) {
    case State::kIdle:
      return;
    case State::kWaitingToReconnect:
      ++epoch_;
      state_ = State::kIdle;
      deadline_ = kInfiniteFuture;
      return;
    case State::kOpening:
      break;
    case State::kAwaitingConnack:
    case State::kConnected: {
      mqtt::Disconnect disconnect{.reason_code = options.reason_code};
      if (options_.version == Version::kV5) {
        disconnect.properties.session_expiry_interval =
            options.session_expiry_interval;
        disconnect.properties.reason_string = options.reason_string;
        if (options.session_expiry_interval.has_value()) {
          session_expiry_in_effect_ = *options.session_expiry_interval;
        }
      }
      SendEncoded(disconnect);
      break;
    }
  }
  EndConnection(DisconnectCause::kClientDisconnect, options.reason_code, {},
                nullptr, /*close_transport=*/true, now);
}

bool Client::SendPacket(const mqtt::Packet& packet, Time now) {
  SetTime(now);
  if (!TransportOpen() || !SendEncoded(packet)) return false;
  ++stats_.raw_sends;
  return true;
}

bool Client::SendRaw(std::span<const uint8_t> bytes, Time now) {
  SetTime(now);
  if (!TransportOpen()) return false;
  Send(bytes);
  ++stats_.raw_sends;
  return true;
}

void Client::EndConnection(DisconnectCause cause, ReasonCode reason_code,
                           std::string_view rule,
                           const mqtt::Properties* properties,
                           bool close_transport, Time now) {
  MQLAB_CHECK(state_ == State::kOpening || TransportOpen());
  if (close_transport) host_->Close();
  const bool was_connected = state_ == State::kConnected;
  const bool session_outlives = SessionOutlivesConnection();
  ++epoch_;
  write_blocked_ = false;
  ping_deadline_ = kInfiniteFuture;
  outbox_.MarkAllUnsent();
  requests_.MarkAllUnsent();
  incoming_.OnConnectionEnded(session_outlives);
  if (was_connected && !session_outlives) {
    outbox_.RemoveSentBefore([this](uint64_t message_id) {
      failed_publishes_.push_back({message_id, PublishFailure::kSessionLost});
    });
  }
  clean_start_next_ = !session_outlives;
  ++stats_.disconnects;

  const ReconnectOptions& reconnect = options_.reconnect;
  const bool taken_over = cause == DisconnectCause::kServerDisconnect &&
                          reason_code == ReasonCode::kSessionTakenOver;
  const bool will_reconnect =
      reconnect.enabled && cause != DisconnectCause::kClientDisconnect &&
      (reconnect.max_attempts == 0 ||
       reconnect_attempt_ < reconnect.max_attempts) &&
      (!taken_over || reconnect.after_session_taken_over);
  ReconnectingEvent reconnecting{.time = now};
  if (will_reconnect) {
    reconnecting.delay = BackoffDelay(reconnect, reconnect_attempt_, *random_);
    reconnecting.attempt = ++reconnect_attempt_;
    reconnecting.at = now + reconnecting.delay;
    state_ = State::kWaitingToReconnect;
    deadline_ = reconnecting.at;
    ++stats_.reconnects_scheduled;
  } else {
    state_ = State::kIdle;
    deadline_ = kInfiniteFuture;
  }

  const uint64_t epoch = epoch_;
  observer_->OnDisconnected({.time = now,
                             .cause = cause,
                             .reason_code = reason_code,
                             .rule = rule,
                             .properties = properties,
                             .will_reconnect = will_reconnect});
  if (will_reconnect && epoch == epoch_)
    observer_->OnReconnecting(reconnecting);
  ReportFailedPublishes(now);
}

void Client::ProtocolError(ReasonCode reason_code, std::string_view rule,
                           Time now) {
  ++stats_.protocol_errors;
  if (options_.version == Version::kV5) {
    // The decoder's codes are all DISCONNECT codes but 0x84, which a stream
    // of known version cannot produce.
    const ReasonCode sent = mqtt::IsReasonCodeAllowed(PacketType::kDisconnect,
                                                      Version::kV5, reason_code)
                                ? reason_code
                                : ReasonCode::kProtocolError;
    SendEncoded(mqtt::Disconnect{.reason_code = sent});
  }
  EndConnection(DisconnectCause::kProtocolError, reason_code, rule, nullptr,
                /*close_transport=*/true, now);
}

void Client::Advance(Time now) {
  SetTime(now);
  switch (state_) {
    case State::kIdle:
      break;
    case State::kWaitingToReconnect:
      if (now >= deadline_) StartAttempt(now);
      break;
    case State::kOpening:
      if (now >= deadline_) {
        EndConnection(DisconnectCause::kConnectTimeout, ReasonCode::kSuccess,
                      {}, nullptr, /*close_transport=*/true, now);
      }
      break;
    case State::kAwaitingConnack:
      if (now >= deadline_) {
        EndConnection(DisconnectCause::kConnackTimeout, ReasonCode::kSuccess,
                      {}, nullptr, /*close_transport=*/true, now);
      }
      break;
    case State::kConnected:
      if (now >= ping_deadline_) {
        ++stats_.keep_alive_timeouts;
        EndConnection(DisconnectCause::kKeepAliveTimeout, ReasonCode::kSuccess,
                      {}, nullptr, /*close_transport=*/true, now);
      } else if (ping_deadline_ == kInfiniteFuture && KeepAlive() > 0 &&
                 now >= std::min(last_sent_, last_received_) + KeepAlive()) {
        SendEncoded(mqtt::Pingreq{});
        ++stats_.pings_sent;
        ping_deadline_ = now + options_.pingresp_timeout.value_or(KeepAlive());
      }
      break;
  }
  if (now >= responses_.NextDeadline()) {
    std::vector<uint64_t> expired;
    responses_.TakeExpired(now, &expired);
    for (const uint64_t request_id : expired) {
      ++stats_.requests_timed_out;
      observer_->OnRequestTimedOut({.time = now, .request_id = request_id});
    }
  }
}

Time Client::NextDeadline() const {
  Time next = responses_.NextDeadline();
  switch (state_) {
    case State::kIdle:
      break;
    case State::kWaitingToReconnect:
    case State::kOpening:
    case State::kAwaitingConnack:
      next = std::min(next, deadline_);
      break;
    case State::kConnected:
      if (ping_deadline_ != kInfiniteFuture) {
        next = std::min(next, ping_deadline_);
      } else if (KeepAlive() > 0) {
        next =
            std::min(next, std::min(last_sent_, last_received_) + KeepAlive());
      }
      break;
  }
  return next;
}

// ---------------------------------------------------------------------------
// Publishing.

PublishResult Client::Refuse(PublishStatus status) {
  ++stats_.publishes_refused;
  return {.status = status};
}

std::optional<PublishStatus> Client::CheckMessage(
    const ApplicationMessage& m) const {
  if (m.qos != Qos::kAtMostOnce && m.qos != Qos::kAtLeastOnce) {
    return PublishStatus::kQosNotSupported;
  }
  if (options_.version == Version::kV311 && HasV5Fields(m)) {
    return PublishStatus::kNeedsMqtt5;
  }
  if (!TopicNameOk(m.topic)) return PublishStatus::kTopicNameInvalid;
  if (m.payload_format_indicator.value_or(0) > 1 ||
      (m.content_type.has_value() && !Utf8Ok(*m.content_type)) ||
      (m.response_topic.has_value() && !TopicNameOk(*m.response_topic)) ||
      !UserPropertiesOk(m.user_properties)) {
    return PublishStatus::kPropertyInvalid;
  }
  if (m.qos > server_.maximum_qos) return PublishStatus::kQosNotSupported;
  if (m.retain && !server_.retain_available) {
    return PublishStatus::kRetainNotSupported;
  }
  return std::nullopt;
}

PublishResult Client::Publish(const ApplicationMessage& message, Time now) {
  SetTime(now);
  return PublishChecked(message, std::nullopt, now);
}

PublishResult Client::PublishChecked(
    const ApplicationMessage& message,
    std::optional<mqtt::Bytes> correlation_data, Time now) {
  if (const std::optional<PublishStatus> refusal = CheckMessage(message)) {
    return Refuse(*refusal);
  }
  mqtt::Publish& publish = ToPublish(message, correlation_data);
  if (message.qos == Qos::kAtMostOnce) {
    if (state_ != State::kConnected)
      return Refuse(PublishStatus::kNotConnected);
    if (write_blocked_) return Refuse(PublishStatus::kWriteBlocked);
    send_buffer_.clear();
    if (!EncodePublish(publish, options_.version, &send_buffer_) ||
        send_buffer_.size() > server_.maximum_packet_size) {
      return Refuse(PublishStatus::kPacketTooLarge);
    }
    ++stats_.qos0_sent;
    SendPublish(&publish, send_buffer_);
    return {.status = PublishStatus::kSent};
  }

  const uint32_t slot = outbox_.Add(last_message_id_ + 1, 0);
  if (slot == PacketQueue::kNone) return Refuse(PublishStatus::kQueueFull);
  publish.packet_id = outbox_.packet_id(slot);
  std::vector<uint8_t>& stored = outbox_.packet(slot);
  if (!EncodePublish(publish, options_.version, &stored) ||
      stored.size() > server_.maximum_packet_size) {
    outbox_.Remove(slot);
    return Refuse(PublishStatus::kPacketTooLarge);
  }
  if (!outbox_.Commit(slot)) return Refuse(PublishStatus::kQueueFull);
  const uint64_t message_id = ++last_message_id_;
  ++stats_.qos1_accepted;
  FlushOutbox(slot, &publish);
  ReportFailedPublishes(now);
  return {.status = PublishStatus::kAccepted, .message_id = message_id};
}

std::optional<PublishFailure> Client::QueuedPublishFailure(
    std::span<const uint8_t> packet) const {
  if (packet.size() > server_.maximum_packet_size) {
    return PublishFailure::kPacketTooLarge;
  }
  if (server_.maximum_qos == Qos::kAtMostOnce) {
    return PublishFailure::kQosNotSupported;
  }
  if ((packet[0] & kRetainFlag) != 0 && !server_.retain_available) {
    return PublishFailure::kRetainNotSupported;
  }
  return std::nullopt;
}

void Client::FlushOutbox(uint32_t fresh_slot, mqtt::Publish* fresh) {
  const uint32_t window =
      std::min<uint32_t>(server_.receive_maximum, options_.max_in_flight);
  while (state_ == State::kConnected && !write_blocked_ &&
         outbox_.in_flight() < window) {
    const uint32_t slot = outbox_.FirstUnsent();
    if (slot == PacketQueue::kNone) return;
    std::vector<uint8_t>& stored = outbox_.packet(slot);
    // The connection may allow less than the one the message was accepted
    // under.
    if (const std::optional<PublishFailure> failure =
            QueuedPublishFailure(stored)) {
      failed_publishes_.push_back({outbox_.tag(slot), *failure});
      outbox_.Remove(slot);
      continue;
    }
    if (outbox_.MarkSent(slot)) {
      stored[0] |= kDupFlag;
      ++stats_.qos1_resent;
    } else {
      ++stats_.qos1_sent;
    }
    SendPublish(slot == fresh_slot ? fresh : nullptr, stored);
  }
}

void Client::SendPublish(mqtt::Publish* publish,
                         std::span<const uint8_t> full_form) {
  if (!outgoing_aliases_.active()) {
    Send(full_form);
    return;
  }
  std::optional<mqtt::Packet> decoded;
  if (publish == nullptr) {
    decoded = DecodeOwnPacket(full_form, options_.version);
    publish = &std::get<mqtt::Publish>(*decoded);
  }
  const OutgoingTopicAliases::Choice choice = outgoing_aliases_.Choose(
      publish->topic, server_.maximum_packet_size - full_form.size());
  if (choice.alias == 0) {
    Send(full_form);
    return;
  }
  publish->dup = (full_form[0] & kDupFlag) != 0;
  publish->properties.topic_alias = choice.alias;
  if (!choice.send_topic) publish->topic = {};
  // full_form may be send_buffer_ itself: it is not read from here on.
  send_buffer_.clear();
  const bool encoded = EncodePublish(*publish, options_.version, &send_buffer_);
  MQLAB_CHECK(encoded && send_buffer_.size() <= server_.maximum_packet_size);
  Send(send_buffer_);
}

void Client::ReportFailedPublishes(Time now) {
  if (failed_publishes_.empty()) return;
  // Swapped out so that an observer publishing from inside cannot disturb
  // the iteration.
  std::vector<FailedPublish> failed;
  failed.swap(failed_publishes_);
  for (const FailedPublish& f : failed) {
    ++stats_.qos1_failed;
    observer_->OnPublishFailed(
        {.time = now, .message_id = f.message_id, .failure = f.failure});
  }
  if (failed_publishes_.empty()) {
    failed.clear();
    failed_publishes_.swap(failed);
  }
}

PublishResult Client::Request(const ApplicationMessage& message,
                              Duration timeout, Time now) {
  SetTime(now);
  if (options_.version != Version::kV5) {
    return Refuse(PublishStatus::kNeedsMqtt5);
  }
  if (!message.response_topic.has_value()) {
    return Refuse(PublishStatus::kNoResponseTopic);
  }
  if (responses_.full()) return Refuse(PublishStatus::kTooManyRequests);
  const uint64_t request_id = last_request_id_ + 1;
  const std::array<uint8_t, kCorrelationDataSize> correlation =
      RequestCorrelationData(request_id);
  PublishResult result = PublishChecked(message, mqtt::Bytes(correlation), now);
  if (!result.ok()) return result;
  last_request_id_ = request_id;
  responses_.Add(request_id, now + std::max<Duration>(timeout, 0));
  ++stats_.requests_sent;
  result.request_id = request_id;
  return result;
}

PublishResult Client::Reply(const MessageEvent& request,
                            const ApplicationMessage& reply, Time now) {
  SetTime(now);
  if (options_.version != Version::kV5) {
    return Refuse(PublishStatus::kNeedsMqtt5);
  }
  if (!request.properties.response_topic.has_value()) {
    return Refuse(PublishStatus::kNoResponseTopic);
  }
  ApplicationMessage message = reply;
  message.topic = *request.properties.response_topic;
  message.correlation_data = request.properties.correlation_data;
  return PublishChecked(message, std::nullopt, now);
}

// ---------------------------------------------------------------------------
// Subscribing.

SubscribeResult Client::Refuse(SubscribeStatus status) {
  return {.status = status};
}

std::optional<SubscribeStatus> Client::CheckSubscribe(
    const SubscribeRequest& request) const {
  if (request.subscriptions.empty()) return SubscribeStatus::kEmpty;
  const bool v5 = options_.version == Version::kV5;
  if (!v5 && (request.subscription_identifier.has_value() ||
              !request.user_properties.empty())) {
    return SubscribeStatus::kNeedsMqtt5;
  }
  if (request.subscription_identifier.has_value() &&
      (*request.subscription_identifier == 0 ||
       *request.subscription_identifier > mqtt::kMaximumVarint)) {
    return SubscribeStatus::kPropertyInvalid;
  }
  for (const mqtt::Subscription& s : request.subscriptions) {
    if (!mqtt::TopicFilterViolation(s.topic_filter).empty() ||
        !Utf8Ok(s.topic_filter)) {
      return SubscribeStatus::kTopicFilterInvalid;
    }
    const mqtt::SubscriptionOptions& o = s.options;
    if (static_cast<uint8_t>(o.maximum_qos) > 2 || o.retain_handling > 2) {
      return SubscribeStatus::kPropertyInvalid;
    }
    if (!v5) {
      if (o.no_local || o.retain_as_published || o.retain_handling != 0) {
        return SubscribeStatus::kNeedsMqtt5;
      }
      continue;
    }
    if (mqtt::IsSharedSubscriptionFilter(s.topic_filter)) {
      if (!mqtt::SharedSubscriptionViolation(s.topic_filter).empty()) {
        return SubscribeStatus::kTopicFilterInvalid;
      }
      // [MQTT-3.8.3-4] No Local on a Shared Subscription.
      if (o.no_local) return SubscribeStatus::kPropertyInvalid;
    }
  }
  if (!UserPropertiesOk(request.user_properties)) {
    return SubscribeStatus::kPropertyInvalid;
  }
  return std::nullopt;
}

SubscribeResult Client::Subscribe(const SubscribeRequest& request, Time now) {
  SetTime(now);
  if (const std::optional<SubscribeStatus> refusal = CheckSubscribe(request)) {
    return Refuse(*refusal);
  }
  if (application_requests_ >= options_.max_pending_requests) {
    return Refuse(SubscribeStatus::kTooManyPending);
  }
  const size_t count = request.subscriptions.size();
  if (subscriptions_.size() + pending_subscribe_filters_ + count >
      options_.max_subscriptions) {
    return Refuse(SubscribeStatus::kTooManySubscriptions);
  }
  mqtt::Subscribe subscribe{
      .subscriptions = mqtt::Subscriptions::FromList(request.subscriptions)};
  if (request.subscription_identifier.has_value()) {
    subscribe.properties.subscription_identifiers =
        mqtt::SubscriptionIdentifiers::FromList(
            std::span(&*request.subscription_identifier, 1));
  }
  subscribe.properties.user_properties =
      mqtt::UserProperties::FromList(request.user_properties);
  const SubscribeResult result =
      QueueRequest(subscribe, RequestKind::kSubscribe);
  if (!result.ok()) return result;
  pending_subscribe_filters_ += count;
  FlushRequests(now);
  return result;
}

SubscribeResult Client::Unsubscribe(const UnsubscribeRequest& request,
                                    Time now) {
  SetTime(now);
  if (request.topic_filters.empty()) return Refuse(SubscribeStatus::kEmpty);
  if (options_.version == Version::kV311 && !request.user_properties.empty()) {
    return Refuse(SubscribeStatus::kNeedsMqtt5);
  }
  for (const std::string_view filter : request.topic_filters) {
    if (!mqtt::TopicFilterViolation(filter).empty() || !Utf8Ok(filter)) {
      return Refuse(SubscribeStatus::kTopicFilterInvalid);
    }
  }
  if (!UserPropertiesOk(request.user_properties)) {
    return Refuse(SubscribeStatus::kPropertyInvalid);
  }
  if (application_requests_ >= options_.max_pending_requests) {
    return Refuse(SubscribeStatus::kTooManyPending);
  }
  mqtt::Unsubscribe unsubscribe{
      .topic_filters = mqtt::TopicFilters::FromList(request.topic_filters)};
  unsubscribe.properties.user_properties =
      mqtt::UserProperties::FromList(request.user_properties);
  const SubscribeResult result =
      QueueRequest(unsubscribe, RequestKind::kUnsubscribe);
  if (result.ok()) FlushRequests(now);
  return result;
}

template <typename RequestPacket>
SubscribeResult Client::QueueRequest(RequestPacket packet, RequestKind kind) {
  const bool resubscribe = kind == RequestKind::kResubscribe;
  const uint64_t request_id = resubscribe ? 0 : last_request_id_ + 1;
  // Application requests are counted against max_pending_requests and a
  // re-subscription takes at most one slot per remembered filter, so the
  // queue (max_pending_requests + max_subscriptions) always has room.
  const uint32_t slot = requests_.Add(request_id, static_cast<uint8_t>(kind));
  MQLAB_CHECK(slot != PacketQueue::kNone);
  packet.packet_id = requests_.packet_id(slot);
  std::vector<uint8_t>& stored = requests_.packet(slot);
  if (!mqtt::Encode(packet, options_.version, &stored) ||
      (!resubscribe && (stored.size() > kMaxRequestPacketSize ||
                        (state_ == State::kConnected &&
                         stored.size() > server_.maximum_packet_size)))) {
    requests_.Remove(slot);
    return Refuse(SubscribeStatus::kPacketTooLarge);
  }
  MQLAB_CHECK(requests_.Commit(slot));
  if (!resubscribe) {
    ++last_request_id_;
    ++application_requests_;
  }
  return {.status = state_ == State::kConnected ? SubscribeStatus::kSent
                                                : SubscribeStatus::kQueued,
          .request_id = request_id};
}

uint32_t Client::QueueResubscription() {
  const std::vector<SubscriptionTable::Entry>& entries =
      subscriptions_.entries();
  std::vector<mqtt::Subscription> batch;
  size_t next = 0;
  while (next < entries.size()) {
    // One SUBSCRIBE carries one Subscription Identifier.
    const uint32_t identifier = entries[next].subscription_identifier;
    batch.clear();
    uint64_t size = kSubscribeOverhead;
    while (next < entries.size() && batch.size() < options_.resubscribe_batch &&
           entries[next].subscription_identifier == identifier) {
      const uint64_t filter_size = entries[next].topic_filter.size() + 3;
      if (!batch.empty() && size + filter_size > server_.maximum_packet_size) {
        break;
      }
      batch.push_back({.topic_filter = entries[next].topic_filter,
                       .options = entries[next].options});
      size += filter_size;
      ++next;
    }
    mqtt::Subscribe subscribe{.subscriptions =
                                  mqtt::Subscriptions::FromList(batch)};
    if (identifier != 0) {
      subscribe.properties.subscription_identifiers =
          mqtt::SubscriptionIdentifiers::FromList(std::span(&identifier, 1));
    }
    const SubscribeResult queued =
        QueueRequest(subscribe, RequestKind::kResubscribe);
    MQLAB_CHECK(queued.ok());
  }
  return static_cast<uint32_t>(entries.size());
}

void Client::FlushRequests(Time now) {
  while (state_ == State::kConnected) {
    const uint32_t slot = requests_.FirstUnsent();
    if (slot == PacketQueue::kNone) return;
    if (requests_.packet(slot).size() > server_.maximum_packet_size) {
      AnswerRequest(slot, {}, mqtt::Properties{}, /*too_large=*/true, now);
      continue;
    }
    requests_.MarkSent(slot);
    Send(requests_.packet(slot));
    if (static_cast<RequestKind>(requests_.kind(slot)) ==
        RequestKind::kUnsubscribe) {
      ++stats_.unsubscribes_sent;
    } else {
      ++stats_.subscribes_sent;
    }
  }
}

void Client::AnswerRequest(uint32_t slot, mqtt::Bytes reason_codes,
                           const mqtt::Properties& properties, bool too_large,
                           Time now) {
  const RequestKind kind = static_cast<RequestKind>(requests_.kind(slot));
  const uint64_t request_id = requests_.tag(slot);
  // The request's bytes move out of the queue with the slot's removal; the
  // decoded views follow them (the buffer itself does not move).
  std::vector<uint8_t> request_bytes;
  const mqtt::Packet request =
      DecodeOwnPacket(requests_.packet(slot), options_.version);
  requests_.Remove(slot, &request_bytes);
  if (kind != RequestKind::kResubscribe) --application_requests_;

  if (kind == RequestKind::kUnsubscribe) {
    const mqtt::Unsubscribe& unsubscribe = std::get<mqtt::Unsubscribe>(request);
    if (!too_large) {
      size_t i = 0;
      for (const std::string_view filter : unsubscribe.topic_filters) {
        const ReasonCode code = options_.version == Version::kV5
                                    ? static_cast<ReasonCode>(reason_codes[i])
                                    : ReasonCode::kSuccess;
        if (code == ReasonCode::kSuccess ||
            code == ReasonCode::kNoSubscriptionExisted) {
          subscriptions_.Erase(filter);
        }
        ++i;
      }
    }
    observer_->OnUnsubscribeResult({.time = now,
                                    .request_id = request_id,
                                    .topic_filters = unsubscribe.topic_filters,
                                    .reason_codes = reason_codes,
                                    .properties = properties,
                                    .too_large = too_large});
    return;
  }

  const mqtt::Subscribe& subscribe = std::get<mqtt::Subscribe>(request);
  if (kind == RequestKind::kSubscribe) {
    pending_subscribe_filters_ -= subscribe.subscriptions.size();
  }
  const mqtt::SubscriptionIdentifiers& identifiers =
      subscribe.properties.subscription_identifiers;
  const uint32_t identifier = identifiers.empty() ? 0 : *identifiers.begin();
  size_t i = 0;
  for (const mqtt::Subscription s : subscribe.subscriptions) {
    if (!too_large &&
        mqtt::IsSuccess(static_cast<ReasonCode>(reason_codes[i]))) {
      subscriptions_.Upsert(s.topic_filter, s.options, identifier);
    } else if (!too_large || kind == RequestKind::kResubscribe) {
      subscriptions_.Erase(s.topic_filter);
    }
    ++i;
  }
  observer_->OnSubscribeResult(
      {.time = now,
       .request_id = request_id,
       .resubscribe = kind == RequestKind::kResubscribe,
       .subscriptions = subscribe.subscriptions,
       .reason_codes = reason_codes,
       .properties = properties,
       .too_large = too_large});
}

// ---------------------------------------------------------------------------
// Receiving.

void Client::OnBytesReceived(std::span<const uint8_t> bytes, Time now) {
  SetTime(now);
  MQLAB_CHECK_MSG(TransportOpen(), "OnBytesReceived without a connection");
  stats_.bytes_received += bytes.size();
  last_received_ = now;
  const uint64_t epoch = epoch_;
  mqtt::Bytes input = bytes;
  mqtt::Packet packet;
  mqtt::DecodeError error;
  while (true) {
    switch (decoder_.Next(&input, &packet, &error)) {
      case mqtt::Decoder::Status::kNeedMore:
        return;
      case mqtt::Decoder::Status::kError:
        ProtocolError(error.reason_code, error.rule, now);
        return;
      case mqtt::Decoder::Status::kPacket:
        break;
    }
    ++stats_.packets_received;
    observer_->OnPacketReceived(packet, now);
    if (epoch != epoch_) return;
    HandlePacket(packet, now);
    if (epoch != epoch_) return;
  }
}

void Client::HandlePacket(const mqtt::Packet& packet, Time now) {
  const bool v5 = options_.version == Version::kV5;
  const PacketType type = mqtt::TypeOf(packet);
  if (state_ == State::kAwaitingConnack && type != PacketType::kConnack &&
      type != PacketType::kAuth) {
    ProtocolError(ReasonCode::kProtocolError,
                  v5 ? "[MQTT-3.2.0-1] the Server must send CONNACK before "
                       "any packet other than AUTH"
                     : "[MQTT-3.2.0-1] the first packet from the Server must "
                       "be CONNACK",
                  now);
    return;
  }
  switch (type) {
    case PacketType::kConnack:
      HandleConnack(std::get<mqtt::Connack>(packet), now);
      return;
    case PacketType::kPublish:
      HandlePublish(std::get<mqtt::Publish>(packet), now);
      return;
    case PacketType::kPuback:
      HandlePuback(std::get<mqtt::Puback>(packet), now);
      return;
    case PacketType::kPubrec: {
      // Only a probe's QoS 2 PUBLISH (SendPacket) gets one: complete it.
      const mqtt::Pubrec& pubrec = std::get<mqtt::Pubrec>(packet);
      if (mqtt::IsSuccess(pubrec.reason_code)) {
        SendResponse<mqtt::Pubrel>(pubrec.packet_id, ReasonCode::kSuccess);
      }
      return;
    }
    case PacketType::kPubrel:
      HandlePubrel(std::get<mqtt::Pubrel>(packet));
      return;
    case PacketType::kPubcomp:
      return;
    case PacketType::kSuback:
      HandleSuback(std::get<mqtt::Suback>(packet), now);
      return;
    case PacketType::kUnsuback:
      HandleUnsuback(std::get<mqtt::Unsuback>(packet), now);
      return;
    case PacketType::kPingresp:
      ping_deadline_ = kInfiniteFuture;
      return;
    case PacketType::kDisconnect: {
      if (!v5) {
        ProtocolError(ReasonCode::kProtocolError,
                      "[MQTT 3.1.1 3.14] DISCONNECT is sent only by the Client",
                      now);
        return;
      }
      const mqtt::Disconnect& disconnect = std::get<mqtt::Disconnect>(packet);
      EndConnection(DisconnectCause::kServerDisconnect, disconnect.reason_code,
                    {}, &disconnect.properties, /*close_transport=*/true, now);
      return;
    }
    case PacketType::kAuth:
      // An AUTH exchange is the application's (OnPacketReceived, SendPacket).
      if (!connect_.has_authentication_method) {
        ProtocolError(ReasonCode::kProtocolError,
                      "[MQTT 5.0 4.12] the Server must not send AUTH to a "
                      "Client that sent no Authentication Method",
                      now);
      }
      return;
    case PacketType::kConnect:
    case PacketType::kSubscribe:
    case PacketType::kUnsubscribe:
    case PacketType::kPingreq:
      ProtocolError(ReasonCode::kProtocolError,
                    "[MQTT 5.0 2.1.2] CONNECT, SUBSCRIBE, UNSUBSCRIBE and "
                    "PINGREQ are sent only by the Client",
                    now);
      return;
  }
}

void Client::HandleConnack(const mqtt::Connack& connack, Time now) {
  const bool v5 = options_.version == Version::kV5;
  if (state_ == State::kConnected) {
    ProtocolError(ReasonCode::kProtocolError,
                  "[MQTT-3.2.0-2] the Server must not send a second CONNACK "
                  "on a Network Connection",
                  now);
    return;
  }
  const uint64_t epoch = epoch_;
  if (!mqtt::IsSuccess(connack.reason_code)) {
    ++stats_.connacks_refused;
    observer_->OnConnack({.time = now,
                          .session_present = connack.session_present,
                          .reason_code = connack.reason_code,
                          .properties = connack.properties});
    if (epoch != epoch_) return;
    EndConnection(DisconnectCause::kConnectRefused, connack.reason_code, {},
                  &connack.properties, /*close_transport=*/true, now);
    return;
  }
  if (connack.session_present && clean_start_sent_) {
    ProtocolError(ReasonCode::kProtocolError,
                  v5 ? "[MQTT-3.2.2-2] a Server accepting Clean Start 1 must "
                       "set Session Present 0"
                     : "[MQTT-3.2.2-1] a Server accepting CleanSession 1 must "
                       "set Session Present 0",
                  now);
    return;
  }
  server_ = ServerLimitsFromConnack(connack, options_.version,
                                    connect_.keep_alive_seconds,
                                    connect_.session_expiry_interval);
  session_expiry_in_effect_ = server_.session_expiry_interval;
  state_ = State::kConnected;
  deadline_ = kInfiniteFuture;
  reconnect_attempt_ = 0;
  ++stats_.connacks_accepted;
  outgoing_aliases_.Reset(
      options_.topic_alias_policy,
      std::min(server_.topic_alias_maximum, options_.max_topic_aliases));

  uint32_t resubscribed = 0;
  uint32_t resent = 0;
  if (connack.session_present) {
    for (uint32_t slot = outbox_.First(); slot != PacketQueue::kNone;
         slot = outbox_.Next(slot)) {
      if (outbox_.sent_before(slot)) ++resent;
    }
  } else {
    // MQTT 5.0 3.2.2.1.1: the client's session state goes with the
    // server's. What was sent is lost; what was never sent
    // is still the application's to send.
    outbox_.RemoveSentBefore([this](uint64_t message_id) {
      failed_publishes_.push_back({message_id, PublishFailure::kSessionLost});
    });
    incoming_.Clear();
    requests_.RemoveKind(static_cast<uint8_t>(RequestKind::kResubscribe));
    resubscribed = QueueResubscription();
  }
  // Queued requests and messages go out after the observer heard of the
  // CONNACK; what it sends from inside queues behind them, in order.
  observer_->OnConnack({.time = now,
                        .session_present = connack.session_present,
                        .reason_code = connack.reason_code,
                        .properties = connack.properties,
                        .resubscribed_filters = resubscribed,
                        .resent_messages = resent});
  if (epoch == epoch_) FlushRequests(now);
  if (epoch == epoch_) FlushOutbox(PacketQueue::kNone, nullptr);
  ReportFailedPublishes(now);
}

void Client::HandlePublish(const mqtt::Publish& publish, Time now) {
  const bool v5 = options_.version == Version::kV5;
  ++stats_.messages_received;
  if (publish.dup) ++stats_.duplicates_received;
  std::string_view topic = publish.topic;
  if (v5) {
    const IncomingTopicAliases::Resolution resolution =
        incoming_aliases_.Resolve(publish.topic,
                                  publish.properties.topic_alias.value_or(0));
    if (!resolution.rule.empty()) {
      ProtocolError(resolution.reason_code, resolution.rule, now);
      return;
    }
    topic = resolution.topic;
  }
  const Qos qos = publish.qos;
  const uint16_t packet_id = publish.packet_id;
  if (qos != Qos::kAtMostOnce) {
    if (const IncomingExchanges::Exchange* exchange =
            incoming_.Find(packet_id)) {
      if (qos == Qos::kExactlyOnce && exchange->qos == Qos::kExactlyOnce &&
          exchange->stage == IncomingExchanges::Stage::kAwaitingPubrel) {
        // A QoS 2 message delivered already, sent again: PUBREC again.
        SendResponse<mqtt::Pubrec>(packet_id, ReasonCode::kSuccess);
        ++stats_.acks_sent;
        return;
      }
      ProtocolError(ReasonCode::kProtocolError,
                    "[MQTT 5.0 2.2.1] a Server must not reuse a Packet "
                    "Identifier the Client has not acknowledged",
                    now);
      return;
    }
    if (incoming_.size() >= connect_.receive_maximum) {
      ProtocolError(ReasonCode::kReceiveMaximumExceeded,
                    "[MQTT 5.0 3.3.4] the Server must not send more "
                    "unacknowledged QoS 1 and 2 PUBLISH packets than the "
                    "Client's Receive Maximum",
                    now);
      return;
    }
  }
  std::optional<uint64_t> response_to;
  if (v5 && publish.properties.correlation_data.has_value() &&
      responses_.size() > 0) {
    const std::optional<uint64_t> request_id =
        RequestIdOf(*publish.properties.correlation_data);
    if (request_id.has_value() && responses_.Take(*request_id)) {
      response_to = request_id;
    }
  }
  const bool automatic =
      options_.ack_mode == AckMode::kAutomatic || response_to.has_value();
  if (qos == Qos::kExactlyOnce || (qos == Qos::kAtLeastOnce && !automatic)) {
    incoming_.Add(packet_id, qos);
  }
  const MessageEvent event{
      .time = now,
      .topic = topic,
      .qos = qos,
      .dup = publish.dup,
      .retain = publish.retain,
      .packet_id = packet_id,
      .properties = publish.properties,
      .payload = publish.payload,
      .ack_token = qos == Qos::kAtMostOnce ? 0 : (epoch_ << 16) | packet_id,
  };
  const uint64_t epoch = epoch_;
  MessageAck ack;
  if (response_to.has_value()) {
    ++stats_.responses_received;
    observer_->OnResponse({.request_id = *response_to, .message = event});
  } else {
    observer_->OnMessage(event, &ack);
  }
  if (epoch != epoch_ || qos == Qos::kAtMostOnce || !automatic) return;
  SendAck(qos, packet_id, ack.reason_code);
}

void Client::SendAck(Qos qos, uint16_t packet_id, ReasonCode reason_code) {
  IncomingExchanges::Exchange* exchange = incoming_.Find(packet_id);
  if (qos == Qos::kAtLeastOnce) {
    SendResponse<mqtt::Puback>(packet_id, reason_code);
    if (exchange != nullptr) incoming_.Remove(packet_id);
  } else {
    MQLAB_CHECK(exchange != nullptr);
    SendResponse<mqtt::Pubrec>(packet_id, reason_code);
    // A failed PUBREC ends the exchange (MQTT 5.0 4.3.3): no PUBREL follows.
    if (mqtt::IsSuccess(reason_code)) {
      exchange->stage = IncomingExchanges::Stage::kAwaitingPubrel;
    } else {
      incoming_.Remove(packet_id);
    }
  }
  ++stats_.acks_sent;
}

bool Client::Acknowledge(uint64_t ack_token, ReasonCode reason_code, Time now) {
  SetTime(now);
  if (options_.ack_mode != AckMode::kManual || state_ != State::kConnected ||
      (ack_token >> 16) != epoch_) {
    return false;
  }
  const uint16_t packet_id = static_cast<uint16_t>(ack_token & 0xFFFF);
  const IncomingExchanges::Exchange* exchange = incoming_.Find(packet_id);
  if (exchange == nullptr ||
      exchange->stage != IncomingExchanges::Stage::kAwaitingAck) {
    return false;
  }
  SendAck(exchange->qos, packet_id, reason_code);
  return true;
}

void Client::HandlePubrel(const mqtt::Pubrel& pubrel) {
  const IncomingExchanges::Exchange* exchange =
      incoming_.Find(pubrel.packet_id);
  if (exchange != nullptr &&
      exchange->stage == IncomingExchanges::Stage::kAwaitingPubrel) {
    incoming_.Remove(pubrel.packet_id);
    SendResponse<mqtt::Pubcomp>(pubrel.packet_id, ReasonCode::kSuccess);
    return;
  }
  SendResponse<mqtt::Pubcomp>(pubrel.packet_id,
                              ReasonCode::kPacketIdentifierNotFound);
}

void Client::HandlePuback(const mqtt::Puback& puback, Time now) {
  const uint32_t slot = outbox_.FindInFlight(puback.packet_id);
  if (slot == PacketQueue::kNone) {
    ++stats_.unmatched_acks;
    return;
  }
  const uint64_t message_id = outbox_.tag(slot);
  outbox_.Remove(slot);
  if (mqtt::IsSuccess(puback.reason_code)) {
    ++stats_.qos1_acknowledged;
  } else {
    ++stats_.qos1_rejected;
  }
  FlushOutbox(PacketQueue::kNone, nullptr);
  observer_->OnPublishAcknowledged({.time = now,
                                    .message_id = message_id,
                                    .reason_code = puback.reason_code,
                                    .properties = puback.properties});
  ReportFailedPublishes(now);
}

void Client::HandleSuback(const mqtt::Suback& suback, Time now) {
  const uint32_t slot = requests_.FindInFlight(suback.packet_id);
  if (slot == PacketQueue::kNone) {
    ++stats_.unmatched_acks;
    return;
  }
  if (static_cast<RequestKind>(requests_.kind(slot)) ==
      RequestKind::kUnsubscribe) {
    ProtocolError(ReasonCode::kProtocolError,
                  "[MQTT 5.0 3.9.2] a SUBACK must carry the Packet Identifier "
                  "of a SUBSCRIBE (this one is an UNSUBSCRIBE's)",
                  now);
    return;
  }
  const mqtt::Packet request =
      DecodeOwnPacket(requests_.packet(slot), options_.version);
  if (suback.reason_codes.size() !=
      std::get<mqtt::Subscribe>(request).subscriptions.size()) {
    ProtocolError(ReasonCode::kProtocolError,
                  "[MQTT 5.0 3.9.3] a SUBACK must carry one Reason Code per "
                  "Topic Filter of its SUBSCRIBE, in order",
                  now);
    return;
  }
  AnswerRequest(slot, suback.reason_codes, suback.properties,
                /*too_large=*/false, now);
}

void Client::HandleUnsuback(const mqtt::Unsuback& unsuback, Time now) {
  const uint32_t slot = requests_.FindInFlight(unsuback.packet_id);
  if (slot == PacketQueue::kNone) {
    ++stats_.unmatched_acks;
    return;
  }
  if (static_cast<RequestKind>(requests_.kind(slot)) !=
      RequestKind::kUnsubscribe) {
    ProtocolError(ReasonCode::kProtocolError,
                  "[MQTT 5.0 3.11.2] an UNSUBACK must carry the Packet "
                  "Identifier of an UNSUBSCRIBE (this one is a SUBSCRIBE's)",
                  now);
    return;
  }
  if (options_.version == Version::kV5) {
    const mqtt::Packet request =
        DecodeOwnPacket(requests_.packet(slot), options_.version);
    if (unsuback.reason_codes.size() !=
        std::get<mqtt::Unsubscribe>(request).topic_filters.size()) {
      ProtocolError(ReasonCode::kProtocolError,
                    "[MQTT-3.11.3-1] an UNSUBACK must carry one Reason Code "
                    "per Topic Filter of its UNSUBSCRIBE, in order",
                    now);
      return;
    }
  }
  AnswerRequest(slot, unsuback.reason_codes, unsuback.properties,
                /*too_large=*/false, now);
}

}  // namespace mqlab::client
