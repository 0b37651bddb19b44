// What a Client tells its application: one ClientObserver method per kind of
// event, called synchronously from inside the Client's methods, in the order
// things happen. Views (topics, payloads, properties) are valid only during
// the call. An observer may call the Client's application methods (Publish,
// Subscribe, Acknowledge, Disconnect, ...) from inside, never its driver
// methods (OnBytesReceived, Advance, ...).
#ifndef MQLAB_CLIENT_EVENTS_H_
#define MQLAB_CLIENT_EVENTS_H_

#include <cstdint>
#include <string_view>

#include "base/time.h"
#include "mqtt/packet.h"
#include "mqtt/reason_code.h"

namespace mqlab::client {

struct ConnackEvent {
  Time time = 0;
  bool session_present = false;
  // Success, or why the server refused (3.1.1 return codes mapped through
  // mqtt::FromConnectReturnCode).
  mqtt::ReasonCode reason_code = mqtt::ReasonCode::kSuccess;
  // The CONNACK's properties (Session Expiry, Receive Maximum, Topic Alias
  // Maximum, Maximum Packet Size, Server Keep Alive, Reason String, ...).
  const mqtt::Properties& properties;
  // Session not present: filters the client subscribes to again on its own.
  uint32_t resubscribed_filters = 0;
  // Session present: QoS 1 messages the client sends again (DUP set).
  uint32_t resent_messages = 0;
};

struct MessageEvent {
  Time time = 0;
  // The Topic Name, resolved through the server's Topic Alias if it sent one.
  std::string_view topic{};
  mqtt::Qos qos = mqtt::Qos::kAtMostOnce;
  bool dup = false;
  bool retain = false;
  uint16_t packet_id = 0;
  const mqtt::Properties& properties;
  mqtt::Bytes payload{};
  // For Client::Acknowledge in AckMode::kManual (QoS 1 and 2); 0 for QoS 0.
  uint64_t ack_token = 0;
};

// What the automatic acknowledgement of a QoS 1 (PUBACK) or QoS 2 (PUBREC)
// message carries; the observer may change it, e.g. to probe a server's
// reaction to a failure code (Event Grid closes the connection).
struct MessageAck {
  mqtt::ReasonCode reason_code = mqtt::ReasonCode::kSuccess;
};

struct PublishAcknowledgedEvent {
  Time time = 0;
  uint64_t message_id = 0;
  // The PUBACK's reason code (Success in 3.1.1). Codes >= 0x80 mean the
  // server refused the message (e.g. 0x87 Not authorized).
  mqtt::ReasonCode reason_code = mqtt::ReasonCode::kSuccess;
  const mqtt::Properties& properties;
};

enum class PublishFailure : uint8_t {
  // The server's session that held the message is gone (CONNACK with
  // Session Present 0, or the connection ended while no session outlives
  // it): the message may or may not have been delivered.
  kSessionLost,
  // The message waited in the queue; the connection it would go out on has
  // a smaller Maximum Packet Size, Maximum QoS or no Retain.
  kPacketTooLarge,
  kQosNotSupported,
  kRetainNotSupported,
};

std::string_view PublishFailureName(PublishFailure failure);

struct PublishFailedEvent {
  Time time = 0;
  uint64_t message_id = 0;
  PublishFailure failure = PublishFailure::kSessionLost;
};

struct SubscribeResultEvent {
  Time time = 0;
  // 0 for the client's own re-subscription after a session was not present.
  uint64_t request_id = 0;
  bool resubscribe = false;
  // The filters asked for, in order, and the SUBACK's reason code for each
  // (3.1.1 return codes 0x00, 0x01, 0x02, 0x80 are the same bytes).
  mqtt::Subscriptions subscriptions{};
  mqtt::Bytes reason_codes{};
  const mqtt::Properties& properties;
  // Not sent: the SUBSCRIBE is larger than the Maximum Packet Size of the
  // connection it waited for (reason_codes empty). The client forgets the
  // filters of a re-subscription dropped this way.
  bool too_large = false;
};

struct UnsubscribeResultEvent {
  Time time = 0;
  uint64_t request_id = 0;
  mqtt::TopicFilters topic_filters{};
  mqtt::Bytes reason_codes{};  // MQTT 5.0; empty in 3.1.1.
  const mqtt::Properties& properties;
  bool too_large = false;  // As for SubscribeResultEvent.
};

struct ResponseEvent {
  uint64_t request_id = 0;
  const MessageEvent& message;
};

struct RequestTimedOutEvent {
  Time time = 0;
  uint64_t request_id = 0;
};

enum class DisconnectCause : uint8_t {
  kConnectFailed,     // The driver could not open the transport.
  kConnectTimeout,    // The transport did not open within connect_timeout.
  kConnackTimeout,    // No CONNACK within connack_timeout.
  kConnectRefused,    // CONNACK with a failure code (reason_code).
  kServerDisconnect,  // DISCONNECT from the server (reason_code).
  kTransportClosed,   // The driver reported the connection closed.
  kKeepAliveTimeout,  // No PINGRESP within pingresp_timeout.
  kProtocolError,     // The server broke the protocol (reason_code, rule).
  kClientDisconnect,  // The application called Disconnect().
};

std::string_view DisconnectCauseName(DisconnectCause cause);

// Every connection attempt ends with exactly one DisconnectedEvent, whether
// it reached CONNACK or not.
struct DisconnectedEvent {
  Time time = 0;
  DisconnectCause cause = DisconnectCause::kTransportClosed;
  // kConnectRefused and kServerDisconnect: the server's code. kProtocolError:
  // the code the client sent in its DISCONNECT (MQTT 5.0) or would have.
  mqtt::ReasonCode reason_code = mqtt::ReasonCode::kSuccess;
  // kProtocolError: the normative statement the server broke.
  std::string_view rule{};
  // kServerDisconnect, kConnectRefused: the DISCONNECT's or CONNACK's
  // properties (Reason String, Server Reference, ...); null otherwise.
  const mqtt::Properties* properties = nullptr;
  // True when a reconnection follows (an OnReconnecting event comes next).
  bool will_reconnect = false;
};

struct ReconnectingEvent {
  Time time = 0;
  uint32_t attempt = 0;  // Consecutive attempts since the last CONNACK.
  Duration delay = 0;
  Time at = 0;  // time + delay.
};

class ClientObserver {
 public:
  virtual ~ClientObserver() = default;
  virtual void OnConnack(const ConnackEvent&) {}
  // QoS 1 and 2 in AckMode::kAutomatic: acknowledged with `ack` after the
  // call returns.
  virtual void OnMessage(const MessageEvent&, MessageAck*) {}
  virtual void OnPublishAcknowledged(const PublishAcknowledgedEvent&) {}
  virtual void OnPublishFailed(const PublishFailedEvent&) {}
  virtual void OnSubscribeResult(const SubscribeResultEvent&) {}
  virtual void OnUnsubscribeResult(const UnsubscribeResultEvent&) {}
  // A message whose Correlation Data matches a pending Request(); it is not
  // also reported to OnMessage. It is acknowledged with Success.
  virtual void OnResponse(const ResponseEvent&) {}
  virtual void OnRequestTimedOut(const RequestTimedOutEvent&) {}
  virtual void OnDisconnected(const DisconnectedEvent&) {}
  virtual void OnReconnecting(const ReconnectingEvent&) {}
  // Every packet the server sent, before the client acts on it: the lab's
  // probes watch the server's reactions here.
  virtual void OnPacketReceived(const mqtt::Packet&, Time) {}
};

}  // namespace mqlab::client

#endif  // MQLAB_CLIENT_EVENTS_H_
