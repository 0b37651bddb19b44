// What the application asks of a Client (the arguments of Publish,
// Subscribe, Unsubscribe, Disconnect) and the immediate answers. The fields
// are views of the caller's memory, read during the call only: whatever the
// client must keep (a QoS 1 message, a SUBSCRIBE) it copies in encoded form.
#ifndef MQLAB_CLIENT_REQUESTS_H_
#define MQLAB_CLIENT_REQUESTS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "mqtt/packet.h"
#include "mqtt/reason_code.h"

namespace mqlab::client {

// An application message to publish. Topic Alias, Subscription Identifier
// and packet identifiers are the client's business, not the caller's.
struct ApplicationMessage {
  std::string_view topic{};
  mqtt::Bytes payload{};
  mqtt::Qos qos = mqtt::Qos::kAtMostOnce;  // 0 or 1; QoS 2: SendPacket.
  bool retain = false;
  // MQTT 5.0 only (a 3.1.1 client refuses them: kNeedsMqtt5).
  std::optional<uint8_t> payload_format_indicator{};  // 0 or 1.
  std::optional<uint32_t> message_expiry_interval{};
  std::optional<std::string_view> content_type{};
  std::optional<std::string_view> response_topic{};
  std::optional<mqtt::Bytes> correlation_data{};
  std::span<const mqtt::UserProperty> user_properties{};
};

enum class PublishStatus : uint8_t {
  kSent,                // QoS 0: written to the connection.
  kAccepted,            // QoS 1: sent or queued; an OnPublishAcknowledged or
                        // OnPublishFailed with the same message_id follows.
  kNotConnected,        // QoS 0 without a connection past its CONNACK.
  kWriteBlocked,        // QoS 0 while the transport is write-blocked.
  kQueueFull,           // QoS 1 beyond max_pending_publishes(_bytes).
  kPacketTooLarge,      // Over the server's Maximum Packet Size.
  kQosNotSupported,     // QoS 2, or above the server's Maximum QoS.
  kRetainNotSupported,  // The server said Retain Available 0.
  kTopicNameInvalid,    // Empty, wildcards, U+0000, bad UTF-8, too long.
  kPropertyInvalid,     // A property value the protocol forbids.
  kNeedsMqtt5,          // MQTT 5.0 properties on a 3.1.1 client.
  kTooManyRequests,     // Request(): max_pending_responses are waiting.
  kNoResponseTopic,     // Request() without one; Reply() to a message
                        // without one.
};

std::string_view PublishStatusName(PublishStatus status);  // "queue-full"

struct PublishResult {
  PublishStatus status = PublishStatus::kSent;
  // QoS 1 accepted: the number the outcome events carry (from 1, per
  // client). 0 otherwise.
  uint64_t message_id = 0;
  // Request(): the number the response or timeout events carry.
  uint64_t request_id = 0;

  bool ok() const {
    return status == PublishStatus::kSent || status == PublishStatus::kAccepted;
  }
};

struct SubscribeRequest {
  std::span<const mqtt::Subscription> subscriptions{};
  // MQTT 5.0 only: 1 to 268,435,455.
  std::optional<uint32_t> subscription_identifier{};
  std::span<const mqtt::UserProperty> user_properties{};
};

struct UnsubscribeRequest {
  std::span<const std::string_view> topic_filters{};
  std::span<const mqtt::UserProperty> user_properties{};  // MQTT 5.0 only.
};

enum class SubscribeStatus : uint8_t {
  kSent,    // Written; OnSubscribeResult / OnUnsubscribeResult follows.
  kQueued,  // No connection now: sent once one is up, then as kSent.
  kEmpty,   // No filters [MQTT-3.8.3-2], [MQTT-3.10.3-2].
  kTopicFilterInvalid,
  kTooManyPending,        // max_pending_requests are unanswered.
  kTooManySubscriptions,  // max_subscriptions would be passed.
  kPacketTooLarge,        // Over the server's Maximum Packet Size.
  kPropertyInvalid,       // Subscription Identifier 0 or too large,
                          // Retain Handling 3, No Local on a shared filter.
  kNeedsMqtt5,            // MQTT 5.0 options on a 3.1.1 client.
};

std::string_view SubscribeStatusName(SubscribeStatus status);

struct SubscribeResult {
  SubscribeStatus status = SubscribeStatus::kSent;
  uint64_t request_id = 0;  // From 1, per client; 0 when refused.

  bool ok() const {
    return status == SubscribeStatus::kSent ||
           status == SubscribeStatus::kQueued;
  }
};

struct DisconnectOptions {
  // MQTT 5.0 DISCONNECT reason code (0x04 asks the server to publish the
  // Will); 3.1.1 has none.
  mqtt::ReasonCode reason_code = mqtt::ReasonCode::kSuccess;
  // MQTT 5.0: changes the Session Expiry Interval in effect (a change from
  // 0 is a Protocol Error on the server's side, sent as asked).
  std::optional<uint32_t> session_expiry_interval{};
  std::optional<std::string_view> reason_string{};
};

}  // namespace mqlab::client

#endif  // MQLAB_CLIENT_REQUESTS_H_
