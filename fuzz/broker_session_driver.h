// broker_session's engine: plays a grammar Session (fuzz/mqtt_session.proto)
// against an I/O-free broker::Broker in virtual time, through a small
// in-memory host (no simulator network: its scheduler and links would cost
// more than the broker itself at fuzzing rates), and judges the run.
//
// Oracles, each a SessionObserver or a check of the driver's own:
// - the broker writes only well-formed MQTT (every byte it sends decodes as
//   server packets of the connection's version), never after closing a
//   connection, and closes a connection at most once;
// - one connection per session (OneConnectionPerSession);
// - nothing leaks or grows without bound: once every connection is gone and
//   every timer has run, the broker holds no session, subscription, stored
//   message or timer.
// The reference model of the broker (sim/model/, issue 11) plugs in as one
// more SessionObserver: it sees every byte the clients send, every packet
// and close of the broker, drops and admin changes, and names the first
// answer that differs from its own.
#ifndef MQLAB_FUZZ_BROKER_SESSION_DRIVER_H_
#define MQLAB_FUZZ_BROKER_SESSION_DRIVER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "base/time.h"
#include "broker/broker.h"
#include "broker/identity.h"
#include "fuzz/mqtt_session.pb.h"
#include "mqtt/decoder.h"
#include "mqtt/packet.h"

namespace mqlab::fuzz {

using broker::ConnectionId;

// Sees a session as the clients and the broker's host see it.
class SessionObserver {
 public:
  virtual ~SessionObserver() = default;
  // Client `client` (index into the session's clients) opened `connection`.
  virtual void OnOpened(int client, ConnectionId connection, Time now) = 0;
  // The client wrote `bytes` (the broker receives them next).
  virtual void OnClientBytes(ConnectionId connection, mqtt::Bytes bytes,
                             Time now) = 0;
  // The broker wrote `packet` (decoded in the connection's version).
  virtual void OnBrokerPacket(ConnectionId connection,
                              const mqtt::Packet& packet, Time now) = 0;
  // The broker closed the connection, or the transport dropped it.
  virtual void OnClosed(ConnectionId connection, bool by_broker, Time now) = 0;
  // An admin change was made (before the broker saw it).
  virtual void OnAdmin(const Admin& admin, Time now) = 0;
  // The first violation seen, or "".
  virtual const std::string& violation() const = 0;
};

// The broker never serves one session on two connections at once: when a
// CONNECT takes a session over, the broker closes the old connection before
// it accepts the new one (MQTT 5.0 3.1.4-3, "MQTT features support in Azure
// Event Grid", https://learn.microsoft.com/azure/event-grid/mqtt-support).
class OneConnectionPerSession : public SessionObserver {
 public:
  void OnOpened(int, ConnectionId, Time) override {}
  void OnClientBytes(ConnectionId connection, mqtt::Bytes bytes,
                     Time now) override;
  void OnBrokerPacket(ConnectionId connection, const mqtt::Packet& packet,
                      Time now) override;
  void OnClosed(ConnectionId connection, bool by_broker, Time now) override;
  void OnAdmin(const Admin&, Time) override {}
  const std::string& violation() const override { return violation_; }

  // The ClientId a connection asked for (the driver tells; the checker does
  // not parse the client's bytes).
  void SetRequestedClientId(ConnectionId connection, std::string client_id);

 private:
  std::map<ConnectionId, std::string> requested_;
  std::map<std::string, ConnectionId> serving_;  // Session: its connection.
  std::string violation_;
};

// What the broker writes, seen from its host: well-formed MQTT in each
// connection's version (server packets), nothing after a close, one close
// per connection.
class BrokerOutputChecker {
 public:
  // Output on `connection` decodes as `version` from now on (the client's
  // CONNECT said which); before, it is not decoded.
  void ExpectVersion(ConnectionId connection, mqtt::Version version);
  // The broker wrote `bytes`; each packet they complete goes to `on_packet`.
  void OnSend(ConnectionId connection, mqtt::Bytes bytes,
              absl::FunctionRef<void(const mqtt::Packet&)> on_packet);
  void OnClose(ConnectionId connection);
  bool closed(ConnectionId connection) const;
  const std::string& violation() const { return violation_; }

 private:
  struct Stream {
    bool closed = false;
    std::optional<mqtt::Decoder> decoder;
  };
  std::map<ConnectionId, Stream> streams_;
  mqtt::Packet packet_;
  std::string violation_;
};

// "" when the broker's counters, read once every connection closed and every
// timer ran, show nothing left behind; else what is left.
std::string LeftoverViolation(const broker::BrokerStats& stats);

struct SessionRunOptions {
  // Checked after the driver's own checks; not owned.
  std::vector<SessionObserver*> observers;
};

// Plays `session`; returns the first violation, or "".
std::string RunSession(const Session& session,
                       const SessionRunOptions& options = {});

// Actions of a session past this many are ignored.
inline constexpr int kMaximumActions = 512;

}  // namespace mqlab::fuzz

#endif  // MQLAB_FUZZ_BROKER_SESSION_DRIVER_H_
