// The broker on the simulated network: a broker::Broker driven by the
// broker's host (sim/network.h), exactly as a socket server would drive it.
//
// | network                         | broker                                  |
// |---------------------------------|-----------------------------------------|
// | Listener::OnAccept(tag)         | OnConnectionOpened(identity of tag)     |
// | Endpoint::OnBytes               | OnBytesReceived                         |
// | Endpoint::OnClosed              | OnConnectionClosed                      |
// | Endpoint::OnWriteBlocked        | OnWriteBlocked                          |
// | Network::Send / Close           | BrokerHost::Send / Close                |
// | one scheduler timer             | NextDeadline() / Advance()              |
//
// The TLS layer is the identity lookup: a connection's tag (the fleet index
// of the connecting client) gives the certificate identity the handshake
// would have established. A connection the broker turns down at accept
// (kRefusedConnection) is refused by the network.
//
// Every lifecycle event the broker reports becomes a BrokerEventSeen
// observation and a trace record. Crash() is the broker process dying: the
// broker object (every session, every queue) is destroyed, its host's
// connections are aborted (their peers see resets) and it stops listening;
// Start() brings a fresh broker up on the namespace as it was (the namespace
// is Azure's control plane: admin changes survive a restart). Admin changes
// go through the broker's admin API, or to the stored namespace while the
// broker is down.
#ifndef MQLAB_SIM_BROKER_ADAPTER_H_
#define MQLAB_SIM_BROKER_ADAPTER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "base/time.h"
#include "broker/broker.h"
#include "broker/events.h"
#include "broker/identity.h"
#include "broker/namespace_config.h"
#include "sim/broker_tap.h"
#include "sim/network.h"
#include "sim/observations.h"
#include "sim/scheduler.h"
#include "sim/trace.h"

namespace mqlab::sim {

class BrokerAdapter : public Listener,
                      public Endpoint,
                      public broker::BrokerHost,
                      public broker::Observer {
 public:
  // The identity a connection with `tag` presents (its TLS handshake).
  using IdentityLookup = std::function<broker::TransportIdentity(uint64_t)>;

  // `config` must be valid (sim/served_namespace.h checked it). Every
  // pointer outlives the adapter; `trace` may be null.
  BrokerAdapter(Scheduler* scheduler, Network* network, HostId host,
                ListenOptions listen, broker::NamespaceConfig config,
                IdentityLookup identities, ObservationSink* observations,
                Trace* trace);
  ~BrokerAdapter() override;
  BrokerAdapter(const BrokerAdapter&) = delete;
  BrokerAdapter& operator=(const BrokerAdapter&) = delete;

  // Shows the broker's inputs and outputs to `tap` from now on (null: none).
  // The tap outlives the adapter.
  void set_tap(BrokerTap* tap) { tap_ = tap; }

  // A fresh broker serving the stored namespace starts listening.
  void Start();
  // The broker process dies now (see above).
  void Crash();
  bool running() const { return broker_ != nullptr; }

  // Admin operations: through the broker's API while it runs, on the stored
  // namespace while it is down.
  absl::Status UpsertClient(const broker::ClientResource& client);
  absl::Status DeleteClient(std::string_view name);
  // The client resource named `name` now, if any.
  std::optional<broker::ClientResource> FindClient(std::string_view name) const;

  // The broker, while it runs (benchmarks and tests read its stats).
  const broker::Broker* broker() const { return broker_.get(); }

  // Listener.
  Endpoint* OnAccept(SocketId socket, HostId peer, uint64_t tag) override;
  // Endpoint (the accepting ends).
  void OnConnected(SocketId socket) override;
  void OnBytes(SocketId socket, std::span<const uint8_t> bytes) override;
  void OnClosed(SocketId socket, CloseReason reason) override;
  void OnWriteBlocked(SocketId socket, bool blocked) override;
  // broker::BrokerHost.
  void Send(broker::ConnectionId connection,
            std::span<const uint8_t> bytes) override;
  void Close(broker::ConnectionId connection) override;
  // broker::Observer.
  void OnEvent(const broker::Event& event) override;

 private:
  // Moves the deadline timer to the broker's NextDeadline().
  void ArmTimer();
  void OnTimer();
  broker::ConnectionId ConnectionOf(SocketId socket) const;

  Scheduler* scheduler_;
  Network* network_;
  HostId host_;
  ListenOptions listen_;
  IdentityLookup identities_;
  ObservationSink* observations_;
  Trace* trace_;
  // The namespace while the broker is down (its directory while it runs).
  broker::NamespaceConfig stored_;
  std::unique_ptr<broker::Broker> broker_;
  // Lookups only: both ways between the broker's connections and sockets.
  absl::flat_hash_map<uint64_t, broker::ConnectionId> by_socket_;
  absl::flat_hash_map<broker::ConnectionId, SocketId> by_connection_;
  TimerId timer_ = kNoTimer;
  Time timer_at_ = kInfiniteFuture;
  BrokerTap* tap_ = nullptr;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_BROKER_ADAPTER_H_
