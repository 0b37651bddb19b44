// The broker: Event Grid's MQTT semantics as an I/O-free state machine.
//
// Drivers (the network server, the simulator, the tests) own the transport.
// They tell the broker when a connection opens (with the identity its TLS
// handshake established), hand it the bytes that arrive with the time they
// arrived, and call Advance() when NextDeadline() is due. The broker answers
// through the BrokerHost it was given: bytes to write, connections to close.
// Lifecycle events go to the Observer. Nothing here reads a clock, opens a
// socket, starts a thread or draws a random number, so the same inputs always
// produce the same outputs.
//
// Every entry point first runs the timers due at its `now` (so a late
// Advance never lets a connection outlive its keep-alive), and `now` must
// never go back. Bytes or notifications for a connection the broker already
// closed (it called BrokerHost::Close) are ignored.
//
// docs/limits.md lists every limit and the one reaction to crossing it;
// docs/broker.md the behaviour where Event Grid's documentation is silent.
#ifndef MQLAB_BROKER_BROKER_H_
#define MQLAB_BROKER_BROKER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "base/time.h"
#include "broker/directory.h"
#include "broker/events.h"
#include "broker/identity.h"
#include "broker/namespace_config.h"

namespace mqlab::broker {

// What the broker asks of its driver. Calls happen only from inside the
// Broker's own methods; an implementation must not call back into the Broker.
class BrokerHost {
 public:
  virtual ~BrokerHost() = default;
  // Write `bytes` to the connection, after what was written before. The span
  // is valid only during the call.
  virtual void Send(ConnectionId connection,
                    std::span<const uint8_t> bytes) = 0;
  // Close the connection once what was sent is flushed. The broker has
  // already forgotten it; no OnConnectionClosed is expected.
  virtual void Close(ConnectionId connection) = 0;
};

// What OnConnectionOpened returns for a connection it turns down.
inline constexpr ConnectionId kRefusedConnection = 0;

// How long a connection may stay open without sending CONNECT.
inline constexpr Duration kConnectTimeout = 30 * kSecond;

// Counters, for logs, benchmarks and tests. Deterministic.
struct BrokerStats {
  // Now.
  uint64_t connections = 0;  // Open, with or without a session.
  uint64_t sessions = 0;
  uint64_t connected_sessions = 0;
  uint64_t subscriptions = 0;
  uint64_t stored_messages = 0;  // Held for queues and in-flight windows.
  uint64_t timers = 0;
  // Since the broker was made.
  uint64_t connects_accepted = 0;
  uint64_t connects_refused = 0;
  uint64_t messages_received = 0;   // PUBLISHes accepted and routed.
  uint64_t messages_delivered = 0;  // PUBLISHes sent (redeliveries too).
  uint64_t messages_dropped = 0;    // kMessageDropped events.
  uint64_t bytes_received = 0;
  uint64_t bytes_sent = 0;
};

class Broker {
 public:
  // `config` must be valid (LoadNamespace checked it; an invalid one is a
  // bug and fails an invariant check naming the error). `host` and
  // `observer` must outlive the broker; `observer` may be null.
  Broker(NamespaceConfig config, BrokerHost* host, Observer* observer);
  ~Broker();
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  // A transport connection was accepted and its handshake finished. Returns
  // its number, or kRefusedConnection when the broker turns it down (as many
  // connections wait for their CONNECT as the namespace has sessions): the
  // driver closes it, and no other call names it.
  ConnectionId OnConnectionOpened(const TransportIdentity& identity, Time now);
  // Bytes arrived on the connection, in order.
  void OnBytesReceived(ConnectionId connection, std::span<const uint8_t> bytes,
                       Time now);
  // The transport lost the connection (reset, EOF, keep-alive in the driver).
  void OnConnectionClosed(ConnectionId connection, Time now);
  // Back-pressure: while a connection is write-blocked the broker sends it
  // no PUBLISH: QoS 1 messages wait in the session's queue (bounded like
  // the offline queue) and QoS 0 messages for it are dropped and reported
  // (kMessageDropped, "qos0-write-blocked"). The PUBACKs it owes the client
  // are held too (at most the Receive Maximum it announced: one more QoS 1
  // PUBLISH is a Receive Maximum violation); other answers (SUBACK,
  // UNSUBACK, PINGRESP, DISCONNECT) are still sent, up to
  // Limits::maximum_outbound_bytes while blocked, beyond which the connection
  // is closed. Unblocking sends the held PUBACKs, then the queue.
  void OnWriteBlocked(ConnectionId connection, bool blocked, Time now);

  // Runs every timer due at or before `now` (keep-alive, session expiry, rate
  // windows, message expiry).
  void Advance(Time now);
  // The server is stopping: every open connection ends, in connection order;
  // v5 clients past CONNACK get DISCONNECT 0x8B Server shutting down
  // (reason ServerInitiatedDisconnect, detail "server-shutting-down"). Their
  // sessions go offline as after any disconnection.
  void ShutDown(Time now);
  // When Advance() next has work; kInfiniteFuture when nothing is pending.
  Time NextDeadline() const;

  // Run-time administration (the namespace's resources). A deleted or
  // disabled client's connections end; a deleted client's session names stay
  // blocked until those sessions expire.
  Status UpsertClient(const ClientResource& client, Time now);
  Status DeleteClient(std::string_view name, Time now);
  Status UpsertClientGroup(const ClientGroupResource& group, Time now);
  Status DeleteClientGroup(std::string_view name, Time now);
  Status UpsertTopicSpace(const TopicSpaceResource& space, Time now);
  Status DeleteTopicSpace(std::string_view name, Time now);
  Status UpsertPermissionBinding(const PermissionBindingResource& binding,
                                 Time now);
  Status DeletePermissionBinding(std::string_view name, Time now);
  Status UpsertCaCertificate(const CaCertificateResource& certificate,
                             Time now);
  Status DeleteCaCertificate(std::string_view name, Time now);

  // The live namespace (its Snapshot() is the current configuration).
  const Directory& directory() const;
  BrokerStats stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_BROKER_H_
