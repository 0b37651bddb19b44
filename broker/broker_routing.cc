// PUBLISH in (the seed's refusals, rates, limits, authorization), routing
// through the subscription index, delivery to each session (now, queued or
// dropped), flow control, expiry, session overflow and PUBACKs both ways.
#include <algorithm>
#include <utility>

#include "base/check.h"
#include "broker/broker_impl.h"
#include "broker/message_limits.h"
#include "mqtt/encoder.h"

namespace mqlab::broker {
namespace {

// Payloads up to this size are copied behind their header and sent in one
// piece; larger ones are sent where they lie.
constexpr size_t kInlinePayloadSize = 512;

}  // namespace

void Broker::Impl::OnPublish(Connection& connection, mqtt::Publish& publish) {
  Session& session = *connection.session;
  // The seed's limitations: the request fails and the connection closes.
  if (publish.qos == mqtt::Qos::kExactlyOnce) {
    ProtocolViolation(connection, mqtt::ReasonCode::kQosNotSupported,
                      "[MQTT-3.2.2-11] QoS 2 is above the Maximum QoS 1 "
                      "(Event Grid does not support QoS 2)");
    return;
  }
  if (publish.retain) {
    ProtocolViolation(connection, mqtt::ReasonCode::kRetainNotSupported,
                      "[MQTT-3.2.2-14] retain is not available (Event Grid "
                      "does not support retained messages)");
    return;
  }
  mqtt::Properties& properties = publish.properties;
  if (!properties.subscription_identifiers.empty()) {
    ProtocolViolation(connection, mqtt::ReasonCode::kProtocolError,
                      "[MQTT-3.3.4-6] a PUBLISH from a Client must not carry "
                      "a Subscription Identifier");
    return;
  }
  if (properties.topic_alias.has_value()) {
    switch (connection.topic_aliases.Apply(*properties.topic_alias,
                                           &publish.topic)) {
      case TopicAliasTable::Result::kOk:
        break;
      case TopicAliasTable::Result::kOutOfRange:
        ProtocolViolation(connection, mqtt::ReasonCode::kTopicAliasInvalid,
                          "[MQTT-3.3.2-9] the Topic Alias is above the Topic "
                          "Alias Maximum in CONNACK");
        return;
      case TopicAliasTable::Result::kUnset:
        ProtocolViolation(connection, mqtt::ReasonCode::kProtocolError,
                          "[MQTT 5.0 3.3.2.3.4] an empty Topic Name with a "
                          "Topic Alias that was never set");
        return;
    }
    // Aliases are per connection: the message travels with its topic.
    properties.topic_alias.reset();
  }
  if (!limits_.rate_limits_lifted) {
    if (!session.published_messages.TryTake(
            now_, 1, limits_.publish_messages_per_second)) {
      DisconnectForLimit(connection, mqtt::ReasonCode::kMessageRateTooHigh,
                         DisconnectionReason::kQuotaExceeded,
                         "publish-messages-per-second");
      return;
    }
    if (!session.published_bytes.TryTake(now_,
                                         connection.decoder.last_packet_size(),
                                         limits_.publish_bytes_per_second)) {
      DisconnectForLimit(connection, mqtt::ReasonCode::kMessageRateTooHigh,
                         DisconnectionReason::kQuotaExceeded,
                         "publish-bytes-per-second");
      return;
    }
  }
  if (publish.qos == mqtt::Qos::kAtLeastOnce &&
      connection.held_pubacks.size() >= limits_.receive_maximum) {
    DisconnectForLimit(connection, mqtt::ReasonCode::kReceiveMaximumExceeded,
                       DisconnectionReason::kClientError, "receive-maximum");
    return;
  }
  if (const std::optional<LimitViolation> violation =
          CheckTopicName(publish.topic, limits_)) {
    RefusePublish(connection, publish, violation->reason_code,
                  EventKind::kLimitExceeded, DisconnectionReason::kClientError,
                  violation->detail);
    return;
  }
  if (connection.version == mqtt::Version::kV5) {
    if (const std::optional<LimitViolation> violation =
            CheckPublishProperties(properties, limits_)) {
      RefusePublish(connection, publish, violation->reason_code,
                    EventKind::kLimitExceeded,
                    DisconnectionReason::kClientError, violation->detail);
      return;
    }
  }
  if (session.permissions == nullptr ||
      !session.permissions->CanPublish(publish.topic)) {
    RefusePublish(connection, publish, mqtt::ReasonCode::kNotAuthorized,
                  EventKind::kPublishDenied,
                  DisconnectionReason::kClientAuthorizationError,
                  "publish-not-authorized");
    return;
  }
  ++stats_.messages_received;
  const bool acknowledge = publish.qos == mqtt::Qos::kAtLeastOnce;
  const uint16_t packet_id = publish.packet_id;
  Route(session, publish);
  // Routing may have ended this very connection (its own session overflowed
  // with the message); Send then does nothing.
  if (acknowledge) {
    AcknowledgePublish(connection, packet_id, mqtt::ReasonCode::kSuccess);
  }
}

void Broker::Impl::RefusePublish(Connection& connection,
                                 const mqtt::Publish& publish,
                                 mqtt::ReasonCode reason_code, EventKind kind,
                                 DisconnectionReason reason,
                                 std::string_view detail) {
  Event event = MakeEvent(kind, &connection, connection.session);
  event.reason_code = reason_code;
  event.topic = publish.topic;
  event.detail = detail;
  Report(event);
  if (publish.qos == mqtt::Qos::kAtMostOnce) return;
  if (connection.version == mqtt::Version::kV5) {
    AcknowledgePublish(connection, publish.packet_id, reason_code);
  } else {
    EndConnection(connection, {.reason_code = reason_code,
                               .reason = reason,
                               .detail = detail,
                               .send_disconnect = false});
  }
}

void Broker::Impl::AcknowledgePublish(Connection& connection,
                                      uint16_t packet_id,
                                      mqtt::ReasonCode reason_code) {
  if (connection.write_blocked) {
    connection.held_pubacks.push_back({packet_id, reason_code});
    return;
  }
  Send(connection,
       mqtt::Puback{.packet_id = packet_id, .reason_code = reason_code});
}

void Broker::Impl::ReleaseHeldPubacks(Connection& connection) {
  for (const HeldPuback& held : connection.held_pubacks) {
    Send(connection, mqtt::Puback{.packet_id = held.packet_id,
                                  .reason_code = held.reason_code});
  }
  connection.held_pubacks.clear();
  connection.held_pubacks.shrink_to_fit();
}

void Broker::Impl::Route(const Session& publisher, mqtt::Publish& message) {
  index_.Match(message.topic, publisher.id, &matches_);
  if (matches_.empty()) return;
  const auto published_qos = static_cast<uint8_t>(message.qos);
  // `message` becomes the PUBLISH each subscriber gets: QoS, packet
  // identifier and DUP change per delivery (nothing here takes time, so the
  // Message Expiry Interval stays as received). What is stored keeps none of
  // those. Stored on the first delivery that has to keep it, once for all.
  MessageRef stored;
  const auto store = [&]() -> const MessageRef& {
    if (!stored) stored = pool_.Store(message, now_);
    return stored;
  };
  for (const SubscriberMatch& match : matches_) {
    Session* session = sessions_.Get(match.subscriber);
    if (session == nullptr || session->ended) continue;
    const uint8_t qos = std::min(published_qos, match.maximum_qos);
    Connection* connection = session->connection;
    if (connection == nullptr || connection->write_blocked) {
      if (qos == 0) {
        DropMessage(
            *session, message.topic,
            connection == nullptr ? "qos0-offline" : "qos0-write-blocked");
      } else {
        Enqueue(*session, {store(), qos});
      }
      continue;
    }
    // Behind queued messages, or beyond the client's Receive Maximum, it
    // waits its turn: per publisher, order is kept.
    if (!session->deliveries.pending_empty() ||
        (qos == 1 && !HasWindow(*session, *connection))) {
      Enqueue(*session, {store(), qos});
      continue;
    }
    // A QoS 1 message in flight counts against the same queue limit.
    if (qos == 1 && !Admit(*session, {store(), qos})) continue;
    const uint16_t packet_id =
        qos == 0 ? 0 : session->deliveries.next_packet_id();
    if (!WriteDelivery(*session, *connection, message, qos, packet_id,
                       /*dup=*/false, /*expires_at=*/std::nullopt)) {
      continue;
    }
    if (qos == 1) session->deliveries.StartInFlight(store());
  }
}

bool Broker::Impl::Admit(Session& session, const PendingDelivery& delivery) {
  const DeliveryCounts& counts =
      delivery.qos == 0 ? session.deliveries.qos0() : session.deliveries.qos1();
  const size_t size = delivery.message->size();
  const auto too_many = [&] {
    return counts.messages >= limits_.maximum_offline_messages;
  };
  const auto too_large = [&] {
    return counts.bytes + size > limits_.maximum_offline_bytes;
  };
  if (!too_many() && !too_large()) return true;
  // Expired messages make room before anything is given up.
  DropExpired(session);
  if (!too_many() && !too_large()) return true;
  if (delivery.qos == 0) {
    DropMessage(session, delivery.message->publish().topic, "qos0-queue-full");
  } else {
    OverflowSession(session, too_many() ? "maximum-offline-messages"
                                        : "maximum-offline-bytes");
  }
  return false;
}

void Broker::Impl::Enqueue(Session& session, PendingDelivery delivery) {
  if (Admit(session, delivery)) {
    session.deliveries.PushPending(std::move(delivery));
  }
}

void Broker::Impl::Pump(Session& session) {
  Connection* connection = session.connection;
  while (connection != nullptr && !connection->write_blocked &&
         connection->state == Connection::State::kConnected &&
         !session.deliveries.pending_empty()) {
    const PendingDelivery& next = session.deliveries.front_pending();
    if (next.message->expires_at() <= now_) {
      const PendingDelivery expired = session.deliveries.PopPending();
      DropMessage(session, expired.message->publish().topic, "expired");
      continue;
    }
    if (next.qos == 1 && !HasWindow(session, *connection)) return;
    PendingDelivery delivery = session.deliveries.PopPending();
    mqtt::Publish publish = delivery.message->publish();
    const uint16_t packet_id =
        delivery.qos == 0 ? 0 : session.deliveries.next_packet_id();
    if (!WriteDelivery(session, *connection, publish, delivery.qos, packet_id,
                       /*dup=*/false, delivery.message->expires_at())) {
      continue;
    }
    if (delivery.qos == 1) {
      session.deliveries.StartInFlight(std::move(delivery.message));
    }
  }
}

bool Broker::Impl::WriteDelivery(Session& session, Connection& connection,
                                 mqtt::Publish& publish, uint8_t qos,
                                 uint16_t packet_id, bool dup,
                                 std::optional<Time> expires_at) {
  publish.qos = static_cast<mqtt::Qos>(qos);
  publish.packet_id = packet_id;
  publish.dup = dup;
  if (expires_at.has_value()) SetRemainingExpiry(publish, *expires_at);
  out_.clear();
  const bool encoded =
      mqtt::EncodePublishHeader(publish, connection.version, &out_);
  MQLAB_CHECK(encoded);
  if (out_.size() + publish.payload.size() >
      connection.client_maximum_packet_size) {
    DropMessage(session, publish.topic, "exceeds-client-maximum-packet-size");
    return false;
  }
  ++stats_.messages_delivered;
  if (publish.payload.size() <= kInlinePayloadSize) {
    out_.insert(out_.end(), publish.payload.begin(), publish.payload.end());
    SendBytes(connection, out_);
  } else {
    SendBytes(connection, out_);
    SendBytes(connection, publish.payload);
  }
  return true;
}

void Broker::Impl::SetRemainingExpiry(mqtt::Publish& publish,
                                      Time expires_at) const {
  if (!publish.properties.message_expiry_interval.has_value()) return;
  // Rounded up, so that a message not yet expired never says 0.
  const Duration left = std::max<Duration>(expires_at - now_, 0);
  publish.properties.message_expiry_interval =
      static_cast<uint32_t>((left + kSecond - 1) / kSecond);
}

bool Broker::Impl::HasWindow(const Session& session,
                             const Connection& connection) const {
  return session.deliveries.window() < connection.client_receive_maximum;
}

void Broker::Impl::DropMessage(const Session& session, std::string_view topic,
                               std::string_view detail) {
  Event event =
      MakeEvent(EventKind::kMessageDropped, session.connection, &session);
  event.topic = topic;
  event.detail = detail;
  Report(event);
}

void Broker::Impl::DropExpired(Session& session) {
  session.deliveries.RemovePending(
      [&](const PendingDelivery& delivery) {
        return delivery.message->expires_at() <= now_;
      },
      [&](const PendingDelivery& delivery) {
        DropMessage(session, delivery.message->publish().topic, "expired");
      });
}

void Broker::Impl::OverflowSession(Session& session, std::string_view detail) {
  if (session.connection != nullptr) {
    // Reported as kDisconnected (SessionOverflow), then kSessionOverflow.
    EndConnection(*session.connection,
                  {.reason_code = mqtt::ReasonCode::kQuotaExceeded,
                   .reason = DisconnectionReason::kSessionOverflow,
                   .detail = detail,
                   .end_session = EventKind::kSessionOverflow});
  } else {
    EndSession(session, EventKind::kSessionOverflow, detail);
  }
}

void Broker::Impl::OnPuback(Connection& connection,
                            const mqtt::Puback& puback) {
  Session& session = *connection.session;
  // Any reason code completes the delivery (MQTT 5.0 4.3.2).
  const bool acknowledged = session.deliveries.Acknowledge(puback.packet_id);
  if (!puback.properties.user_properties.empty()) {
    ProtocolViolation(connection,
                      mqtt::ReasonCode::kImplementationSpecificError,
                      "User Properties are not allowed on PUBACK");
    return;
  }
  if (!mqtt::IsSuccess(puback.reason_code)) {
    // The seed: a PUBACK with a failure reason code ends the connection.
    ProtocolViolation(connection,
                      mqtt::ReasonCode::kImplementationSpecificError,
                      "a PUBACK with a failure reason code ends the "
                      "connection");
    return;
  }
  // A PUBACK for a packet identifier not in flight is ignored: it may be a
  // late answer to a redelivered message.
  if (acknowledged) Pump(session);
}

}  // namespace mqlab::broker
