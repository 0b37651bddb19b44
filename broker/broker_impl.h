// The broker's state machine, shared by the files that implement its parts:
//   broker.cc               entry points, connections, sessions, timers, sends
//   broker_connect.cc       CONNECT: refusals, authentication, session pickup
//   broker_packets.cc       packet dispatch, protocol errors, DISCONNECT, PING
//   broker_routing.cc       PUBLISH in, routing, delivery, flow control, PUBACK
//   broker_subscriptions.cc SUBSCRIBE, UNSUBSCRIBE, re-authorization
//   broker_admin.cc         namespace changes at run time
// Internal to //broker:broker.
#ifndef MQLAB_BROKER_BROKER_IMPL_H_
#define MQLAB_BROKER_BROKER_IMPL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "base/time.h"
#include "broker/broker.h"
#include "broker/connect_terms.h"
#include "broker/connection.h"
#include "broker/directory.h"
#include "broker/events.h"
#include "broker/rate_limiter.h"
#include "broker/session.h"
#include "broker/session_table.h"
#include "broker/stored_message.h"
#include "broker/subscription_index.h"
#include "broker/timer_queue.h"
#include "mqtt/decoder.h"
#include "mqtt/packet.h"

namespace mqlab::broker {

// How a connection ends.
struct Disconnection {
  // Sent in the server's v5 DISCONNECT, or the client's own (reported).
  mqtt::ReasonCode reason_code = mqtt::ReasonCode::kSuccess;
  DisconnectionReason reason = DisconnectionReason::kNone;
  // Static text: the event's detail and the DISCONNECT's Reason String.
  std::string_view detail{};
  // Send a v5 DISCONNECT first (server-initiated, after CONNACK).
  bool send_disconnect = true;
  // Ask the host to close (false when the host told the broker).
  bool tell_host = true;
  // End the session with the connection, reported as this event, instead of
  // letting it go offline.
  std::optional<EventKind> end_session{};
};

class Broker::Impl {
 public:
  Impl(NamespaceConfig config, BrokerHost* host, Observer* observer);
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  ConnectionId OnConnectionOpened(const TransportIdentity& identity, Time now);
  void OnBytesReceived(ConnectionId id, std::span<const uint8_t> bytes,
                       Time now);
  void OnConnectionClosed(ConnectionId id, Time now);
  void OnWriteBlocked(ConnectionId id, bool blocked, Time now);
  void Advance(Time now);
  void ShutDown(Time now);
  Time NextDeadline() const { return timers_.NextDeadline(); }
  // Runs an admin operation on the directory at `now` and acts on what it
  // changed.
  template <typename Operation>
  Status Administer(Time now, Operation operation) {
    Enter(now);
    StatusOr<DirectoryChanges> changes = operation(*directory_);
    if (changes.ok()) ApplyChanges(*changes);
    Leave();
    return changes.status();
  }
  const Directory& directory() const { return *directory_; }
  BrokerStats stats() const;

 private:
  // --- broker.cc: entry and exit, connections, sessions, timers, sending.
  // Every entry point calls Enter first (runs due timers) and Leave last
  // (frees the connections and sessions that ended during the call: until
  // then, references held up the call stack stay valid).
  void Enter(Time now);
  void Leave();
  void OnTimer(uint64_t payload);
  Connection* FindConnection(ConnectionId id);
  void EndConnection(Connection& connection, const Disconnection& how);
  // Server-initiated: v5 DISCONNECT with `reason_code` (3.1.1: none), close.
  void Disconnect(Connection& connection, mqtt::ReasonCode reason_code,
                  DisconnectionReason reason, std::string_view detail);
  // A limit crossed: kLimitExceeded, then Disconnect.
  void DisconnectForLimit(Connection& connection, mqtt::ReasonCode reason_code,
                          DisconnectionReason reason, std::string_view detail);
  void SessionOffline(Session& session);
  void EndSession(Session& session, EventKind kind, std::string_view detail);
  void Send(Connection& connection, const mqtt::Packet& packet);
  void SendBytes(Connection& connection, std::span<const uint8_t> bytes);
  Event MakeEvent(EventKind kind, const Connection* connection,
                  const Session* session) const;
  void Report(const Event& event);

  // --- broker_packets.cc
  void OnPacket(Connection& connection, mqtt::Packet& packet);
  void OnDecodeError(Connection& connection, const mqtt::DecodeError& error);
  void OnClientDisconnect(Connection& connection,
                          const mqtt::Disconnect& disconnect);
  void ProtocolViolation(Connection& connection, mqtt::ReasonCode reason_code,
                         std::string_view detail);

  // --- broker_connect.cc
  void OnConnect(Connection& connection, const mqtt::Connect& connect);
  void RefuseConnect(Connection& connection, mqtt::ReasonCode reason_code,
                     DisconnectionReason reason, std::string_view detail,
                     std::string_view client_id,
                     std::string_view authentication_name);
  // Resends the in-flight QoS 1 messages with DUP set, then the queue.
  void Redeliver(Session& session);

  // --- broker_routing.cc
  void OnPublish(Connection& connection, mqtt::Publish& publish);
  // A PUBLISH refused for one message (not a protocol error): QoS 1 in v5
  // gets PUBACK `reason_code`; QoS 1 in 3.1.1, which has no negative PUBACK,
  // closes the connection [MQTT-3.3.5-2]; QoS 0 is dropped.
  void RefusePublish(Connection& connection, const mqtt::Publish& publish,
                     mqtt::ReasonCode reason_code, EventKind kind,
                     DisconnectionReason reason, std::string_view detail);
  // Sends the PUBACK for a client's QoS 1 PUBLISH, or holds it while the
  // connection is write-blocked.
  void AcknowledgePublish(Connection& connection, uint16_t packet_id,
                          mqtt::ReasonCode reason_code);
  // Delivers `message` (a PUBLISH received; changed in the process) to every
  // session whose subscriptions match, in ascending session order.
  void Route(const Session& publisher, mqtt::Publish& message);
  // Whether the session may hold one more delivery under Event Grid's queue
  // limit (unacknowledged QoS 1 messages, queued or in flight; QoS 0 ones
  // queued, counted apart). Expired messages are dropped to make room; when
  // there is none, a QoS 0 delivery is dropped and a QoS 1 one overflows the
  // session (which ends).
  bool Admit(Session& session, const PendingDelivery& delivery);
  void Enqueue(Session& session, PendingDelivery delivery);
  // Sends what the session's queue may send now.
  void Pump(Session& session);
  // The one way a message reaches a subscriber (Route, Pump and Redeliver
  // all send through it): `publish` becomes the delivery (its QoS, packet
  // identifier and DUP; the Message Expiry Interval what is left at now of a
  // message that expires at `expires_at`, or as received when nullopt) and is
  // written. False when it exceeds the client's Maximum Packet Size
  // [MQTT-3.1.2-25]: nothing is sent and the drop is reported.
  bool WriteDelivery(Session& session, Connection& connection,
                     mqtt::Publish& publish, uint8_t qos, uint16_t packet_id,
                     bool dup, std::optional<Time> expires_at);
  // Sets the forwarded Message Expiry Interval to what is left at now.
  void SetRemainingExpiry(mqtt::Publish& publish, Time expires_at) const;
  bool HasWindow(const Session& session, const Connection& connection) const;
  void DropMessage(const Session& session, std::string_view topic,
                   std::string_view detail);
  void DropExpired(Session& session);
  void OverflowSession(Session& session, std::string_view detail);
  void OnPuback(Connection& connection, const mqtt::Puback& puback);
  void ReleaseHeldPubacks(Connection& connection);

  // --- broker_subscriptions.cc
  // Event Grid's limit on SUBSCRIBE and UNSUBSCRIBE requests a second (one
  // budget for both, docs/limits.md). False when it was crossed: the
  // connection is already ended.
  bool TakeSubscriptionRequest(Connection& connection);
  void OnSubscribe(Connection& connection, const mqtt::Subscribe& subscribe);
  mqtt::ReasonCode Subscribe(Connection& connection, Session& session,
                             const mqtt::Subscription& subscription);
  void OnUnsubscribe(Connection& connection,
                     const mqtt::Unsubscribe& unsubscribe);
  // Removes the subscriptions the session's permissions no longer cover
  // (kSubscriptionDenied each, `detail`); returns how many.
  size_t Reauthorize(Session& session, std::string_view detail);
  void RemoveSubscription(Session& session, size_t index);

  // --- broker_admin.cc
  void ApplyChanges(const DirectoryChanges& changes);
  void EndClientConnections(const AffectedClient& client,
                            std::string_view detail);

  BrokerHost* const host_;
  Observer* const observer_;
  // Declared first: stored messages must outlive every session.
  MessagePool pool_;
  std::unique_ptr<Directory> directory_;
  const Limits limits_;
  SubscriptionIndex index_;
  SessionTable sessions_;
  TimerQueue timers_;
  absl::flat_hash_map<ConnectionId, std::unique_ptr<Connection>> connections_;
  ConnectionId next_connection_id_ = 1;
  size_t awaiting_connect_ = 0;
  RateLimiter namespace_connects_;
  Time now_ = 0;
  // Ended during the current call; freed by Leave.
  std::vector<std::unique_ptr<Connection>> closed_connections_;
  std::vector<std::unique_ptr<Session>> ended_sessions_;
  // Scratch space reused by every call.
  std::vector<uint8_t> out_;
  std::vector<SubscriberMatch> matches_;
  std::vector<uint8_t> reason_codes_;
  BrokerStats stats_;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_BROKER_IMPL_H_
