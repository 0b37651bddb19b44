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
#ifndef MQLAB_BROKER_BROKER_H_
#define MQLAB_BROKER_BROKER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
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
  virtual void Send(ConnectionId connection, std::span<const uint8_t> bytes) = 0;
  // Close the connection once what was sent is flushed. The broker has
  // already forgotten it; no OnConnectionClosed is expected.
  virtual void Close(ConnectionId connection) = 0;
};

class Broker {
 public:
  // `config` is validated (LoadNamespace did). `host` and `observer` must
  // outlive the broker; `observer` may be null.
  Broker(NamespaceConfig config, BrokerHost* host, Observer* observer);
  ~Broker();
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  // A transport connection was accepted and its handshake finished.
  ConnectionId OnConnectionOpened(const TransportIdentity& identity, Time now);
  // Bytes arrived on the connection, in order.
  void OnBytesReceived(ConnectionId connection, std::span<const uint8_t> bytes,
                       Time now);
  // The transport lost the connection (reset, EOF, keep-alive in the driver).
  void OnConnectionClosed(ConnectionId connection, Time now);
  // Back-pressure: while a connection is write-blocked the broker sends it
  // only control packets; QoS 1 messages wait in the session's queue and
  // QoS 0 messages for it are dropped (and reported).
  void OnWriteBlocked(ConnectionId connection, bool blocked, Time now);

  // Runs every timer due at or before `now` (keep-alive, session expiry, rate
  // windows, message expiry).
  void Advance(Time now);
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

  const NamespaceConfig& config() const;
  BrokerStats stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_BROKER_H_
