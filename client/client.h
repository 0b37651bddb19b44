// The I/O-free MQTT client (3.1.1 and 5.0) that the simulator's virtual
// clients, the load generator and the tests are built on.
//
// Same driving style as the broker: no sockets, threads, clocks or random
// draws of its own. The driver tells it what the transport did
// (OnConnected, OnConnectFailed, OnBytesReceived, OnConnectionClosed,
// OnWriteBlocked) and calls Advance(now) when NextDeadline() is due; the
// client answers through its ClientHost (OpenConnection, Send, Close). The
// application calls Connect, Publish, Subscribe, ... and hears back through
// its ClientObserver (events.h). Every call takes the time it happens at, on
// the driver's clock, never going backwards. Reconnection jitter is drawn
// from the Random the caller hands in, so a run replays exactly.
//
// Connection life: Connect() asks the host for a transport; on OnConnected
// the client sends CONNECT and waits connack_timeout for CONNACK. Every
// attempt ends with one OnDisconnected; unless the application disconnected
// (or ReconnectOptions says otherwise) the client then waits a backoff delay
// (OnReconnecting) and tries again. A reconnection resumes the session
// (Clean Start 0) whenever the session outlives a connection; on CONNACK
// with Session Present 1 the client sends its unacknowledged QoS 1
// messages again, in order, DUP set; with Session Present 0 they fail
// (OnPublishFailed kSessionLost) and the client subscribes again to every
// filter it held.
//
// What the client enforces of the protocol: the server's Receive Maximum
// (more QoS 1 messages wait in the queue), Maximum Packet Size, Maximum QoS
// and Retain Available (refused at the call), Topic Alias Maximum (client
// aliases within it, TopicAliasPolicy), Server Keep Alive (PINGREQ when idle;
// no PINGRESP within pingresp_timeout ends the connection), and on the
// receiving side its own Receive Maximum (0x93), Topic Alias Maximum (0x94)
// and Maximum Packet Size (0x95). Anything malformed or forbidden from the
// server ends the connection with the spec's reason code (sent in a MQTT 5.0
// DISCONNECT) and the normative statement broken (OnDisconnected).
//
// Probes: SendPacket and SendRaw write anything, untracked (a QoS 1 PUBLISH
// sent that way is not retransmitted and its PUBACK counts as unmatched;
// PUBREC is answered with PUBREL so that a QoS 2 exchange completes).
//
// Bounds (ClientOptions): pending QoS 1 messages (count and bytes), in-flight
// messages, pending SUBSCRIBE/UNSUBSCRIBE requests, remembered
// subscriptions, pending request-response requests, topic aliases, incoming
// packet size. Crossing one refuses the call with a status naming it
// (PublishStatus, SubscribeStatus); docs/client.md lists them.
#ifndef MQLAB_CLIENT_CLIENT_H_
#define MQLAB_CLIENT_CLIENT_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "base/random.h"
#include "base/time.h"
#include "client/client_host.h"
#include "client/client_options.h"
#include "client/client_stats.h"
#include "client/connect_options.h"
#include "client/events.h"
#include "client/incoming_exchanges.h"
#include "client/packet_ids.h"
#include "client/packet_queue.h"
#include "client/pending_responses.h"
#include "client/requests.h"
#include "client/server_limits.h"
#include "client/subscription_table.h"
#include "client/topic_aliases.h"
#include "mqtt/decoder.h"
#include "mqtt/packet.h"

namespace mqlab::client {

class Client {
 public:
  enum class State : uint8_t {
    kIdle,                // Not started, or stopped.
    kWaitingToReconnect,  // Backoff before the next attempt.
    kOpening,             // OpenConnection() asked; transport not up yet.
    kAwaitingConnack,     // CONNECT sent.
    kConnected,           // CONNACK Success received.
  };

  // `options` must pass ValidateClientOptions (checked). `host` and
  // `random` must outlive the client; `observer` may be null.
  Client(const ClientOptions& options, ClientHost* host,
         ClientObserver* observer, Random* random);
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // ---- Application. ----

  // Starts connecting with `options` (encoded now; the views need not
  // outlive the call). FailedPrecondition unless the client is kIdle;
  // InvalidArgument naming the field for options the version cannot carry
  // or the protocol forbids.
  absl::Status Connect(const ConnectOptions& options, Time now);

  // QoS 0: sent at once if connected. QoS 1: queued (bounded) and sent as
  // soon as a connection and the server's Receive Maximum allow; accepted
  // whether connected or not.
  PublishResult Publish(const ApplicationMessage& message, Time now);

  // Request-response (MQTT 5.0): publishes `message`, which must carry a
  // Response Topic, with Correlation Data that identifies the request, and
  // waits `timeout` for a message carrying it back (OnResponse) before
  // giving up (OnRequestTimedOut). The caller subscribes to the response
  // topic itself. Any correlation_data in `message` is replaced.
  PublishResult Request(const ApplicationMessage& message, Duration timeout,
                        Time now);
  // Answers `request` (a message received with a Response Topic): publishes
  // `reply` to that topic with the request's Correlation Data; reply.topic
  // and reply.correlation_data are ignored.
  PublishResult Reply(const MessageEvent& request,
                      const ApplicationMessage& reply, Time now);

  // Sent at once if connected, otherwise when the next connection is up.
  // SUBACK/UNSUBACK results come to OnSubscribeResult/OnUnsubscribeResult.
  // A request whose connection ends unanswered is sent again on the next.
  SubscribeResult Subscribe(const SubscribeRequest& request, Time now);
  SubscribeResult Unsubscribe(const UnsubscribeRequest& request, Time now);

  // AckMode::kManual: acknowledges the message with `ack_token`
  // (MessageEvent) with `reason_code` (PUBACK for QoS 1, PUBREC for QoS 2).
  // False when the token is not pending on the current connection.
  bool Acknowledge(uint64_t ack_token, mqtt::ReasonCode reason_code, Time now);

  // Ends the connection (DISCONNECT first when one is open) and stops: no
  // reconnection. Pending QoS 1 messages and requests stay for the next
  // Connect() (whose session may or may not be present).
  void Disconnect(const DisconnectOptions& options, Time now);

  // Probes: writes `packet` (encoded for the client's version) or `bytes`
  // as they are, untracked. False when no transport is open (or the packet
  // cannot be encoded).
  bool SendPacket(const mqtt::Packet& packet, Time now);
  bool SendRaw(std::span<const uint8_t> bytes, Time now);

  // ---- Driver. ----

  void OnConnected(Time now);
  void OnConnectFailed(Time now);
  void OnBytesReceived(std::span<const uint8_t> bytes, Time now);
  void OnConnectionClosed(Time now);
  // While blocked, QoS 0 publishes are refused and QoS 1 messages wait;
  // control packets still go out.
  void OnWriteBlocked(bool blocked, Time now);
  // Runs every timer due at or before `now`.
  void Advance(Time now);
  // When Advance() next has work; kInfiniteFuture when nothing is pending.
  Time NextDeadline() const;

  // ---- State. ----

  State state() const { return state_; }
  bool connected() const { return state_ == State::kConnected; }
  // Of the current or last accepted connection.
  const ServerLimits& server_limits() const { return server_; }
  const ClientStats& stats() const { return stats_; }
  const ClientOptions& options() const { return options_; }
  // QoS 1 messages accepted and not yet acknowledged; of them, in flight.
  uint32_t pending_publishes() const { return outbox_.size(); }
  uint32_t in_flight() const { return outbox_.in_flight(); }
  const SubscriptionTable& subscriptions() const { return subscriptions_; }
  uint32_t pending_requests() const { return requests_.size(); }
  size_t pending_responses() const { return responses_.size(); }

 private:
  enum class RequestKind : uint8_t { kSubscribe, kUnsubscribe, kResubscribe };
  struct FailedPublish {
    uint64_t message_id;
    PublishFailure failure;
  };

  void SetTime(Time now);
  bool TransportOpen() const {
    return state_ == State::kAwaitingConnack || state_ == State::kConnected;
  }
  bool SessionOutlivesConnection() const;
  Duration KeepAlive() const;
  void Send(std::span<const uint8_t> bytes);
  // Encodes `packet` into the send buffer and sends it; false when the
  // version cannot express it.
  bool SendEncoded(const mqtt::Packet& packet);
  // Sends a PUBACK, PUBREC, PUBREL or PUBCOMP without properties.
  template <typename Response>
  void SendResponse(uint16_t packet_id, mqtt::ReasonCode reason_code);

  // Connection life.
  void StartAttempt(Time now);
  void EndConnection(DisconnectCause cause, mqtt::ReasonCode reason_code,
                     std::string_view rule, const mqtt::Properties* properties,
                     bool close_transport, Time now);
  void ProtocolError(mqtt::ReasonCode reason_code, std::string_view rule,
                     Time now);

  // Publishing.
  PublishResult Refuse(PublishStatus status);
  std::optional<PublishStatus> CheckMessage(
      const ApplicationMessage& message) const;
  PublishResult PublishChecked(const ApplicationMessage& message,
                               std::optional<mqtt::Bytes> correlation_data,
                               Time now);
  // Why a queued PUBLISH cannot go out on the current connection, if so.
  std::optional<PublishFailure> QueuedPublishFailure(
      std::span<const uint8_t> packet) const;
  // Sends queued QoS 1 messages while the connection and the in-flight
  // window allow. `fresh` is the message just published into `fresh_slot`,
  // which spares decoding its stored form.
  void FlushOutbox(uint32_t fresh_slot, mqtt::Publish* fresh);
  // Sends a PUBLISH whose form without a Topic Alias is `full_form`, with an
  // alias when the policy gives one (`publish`: its fields, which the alias
  // changes, or null to decode them from `full_form`).
  void SendPublish(mqtt::Publish* publish, std::span<const uint8_t> full_form);
  void ReportFailedPublishes(Time now);

  // Subscribing.
  SubscribeResult Refuse(SubscribeStatus status);
  std::optional<SubscribeStatus> CheckSubscribe(
      const SubscribeRequest& request) const;
  // Stores a SUBSCRIBE or UNSUBSCRIBE with its Packet Identifier.
  template <typename RequestPacket>
  SubscribeResult QueueRequest(RequestPacket packet, RequestKind kind);
  // Queues SUBSCRIBEs for every remembered filter; returns how many.
  uint32_t QueueResubscription();
  void FlushRequests(Time now);
  // Ends a request: updates the subscription table and reports the result.
  void AnswerRequest(uint32_t slot, mqtt::Bytes reason_codes,
                     const mqtt::Properties& properties, bool too_large,
                     Time now);

  // Receiving.
  void HandlePacket(const mqtt::Packet& packet, Time now);
  void HandleConnack(const mqtt::Connack& connack, Time now);
  void HandlePublish(const mqtt::Publish& publish, Time now);
  void HandlePuback(const mqtt::Puback& puback, Time now);
  void HandleSuback(const mqtt::Suback& suback, Time now);
  void HandleUnsuback(const mqtt::Unsuback& unsuback, Time now);
  void HandlePubrel(const mqtt::Pubrel& pubrel);
  // Sends the PUBACK (QoS 1) or PUBREC (QoS 2) for an incoming message.
  void SendAck(mqtt::Qos qos, uint16_t packet_id, mqtt::ReasonCode code);

  ClientOptions options_;
  ClientHost* host_;
  ClientObserver* observer_;  // Never null.
  Random* random_;

  PacketIdScheme ids_;
  PacketQueue outbox_;    // QoS 1 PUBLISH; tag: message id.
  PacketQueue requests_;  // SUBSCRIBE/UNSUBSCRIBE; tag: request id.
  SubscriptionTable subscriptions_;
  PendingResponses responses_;
  IncomingExchanges incoming_;
  OutgoingTopicAliases outgoing_aliases_;
  IncomingTopicAliases incoming_aliases_;
  mqtt::Decoder decoder_;
  ConnectPacket connect_;
  ServerLimits server_;
  ClientStats stats_;

  std::vector<uint8_t> send_buffer_;  // Reused for every encoded packet.
  std::vector<FailedPublish> failed_publishes_;  // To report.

  State state_ = State::kIdle;
  bool write_blocked_ = false;
  bool clean_start_sent_ = true;  // In the CONNECT of this connection.
  bool clean_start_next_ = true;
  // Bumped whenever a connection attempt starts or ends: work in progress
  // for an earlier one (a received buffer, an ack token) is dropped.
  uint64_t epoch_ = 0;
  uint32_t reconnect_attempt_ = 0;  // Consecutive, since the last CONNACK.
  uint32_t session_expiry_in_effect_ = 0;
  uint32_t pending_subscribe_filters_ = 0;  // In unanswered SUBSCRIBEs.
  uint32_t application_requests_ = 0;       // Unanswered, of the app.
  Time now_ = 0;
  Time deadline_ = kInfiniteFuture;  // The state's timer.
  Time last_sent_ = 0;
  // Bytes from the server arrived (the connection opening counts): a client
  // that keeps sending but hears nothing pings too, so that it finds a dead
  // (half-open) connection.
  Time last_received_ = 0;
  Time ping_deadline_ = kInfiniteFuture;  // PINGREQ outstanding.
  uint64_t last_message_id_ = 0;
  uint64_t last_request_id_ = 0;
};

std::string_view ClientStateName(Client::State state);  // "connected"

}  // namespace mqlab::client

#endif  // MQLAB_CLIENT_CLIENT_H_
