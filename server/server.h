// The broker on the real network: one epoll loop, one broker core, one
// thread (docs/server.md says why). The loop accepts connections on its
// listeners, runs their transport (TCP, TLS) and filters (the development
// listener's CONNECT rule; WebSocket), feeds the core the bytes with the
// monotonic clock's time, writes what the core sends in one batch per
// connection per loop turn, and wakes for the core's NextDeadline.
//
// Bounds (ServerLimits): connections open at once; bytes queued for one
// socket before the core is told the connection is write-blocked (the core
// then holds or drops what it would send, up to its own
// maximum_outbound_bytes); time for a TLS handshake and a WebSocket upgrade;
// time to flush before a close; bytes read from one connection per turn. The
// core bounds the rest (packet size, time before CONNECT, session queues).
//
// Signals (signalfd, read in the loop): SIGHUP reloads the namespace, SIGUSR1
// logs the counters, SIGTERM and SIGINT shut down (v5 clients get DISCONNECT
// 0x8B) and Run returns.
#ifndef MQLAB_SERVER_SERVER_H_
#define MQLAB_SERVER_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "base/time.h"
#include "broker/broker.h"
#include "broker/namespace_config.h"
#include "server/byte_queue.h"
#include "server/connection_log.h"
#include "server/dev_connect_filter.h"
#include "server/listen_address.h"
#include "server/log.h"
#include "server/stream_filter.h"
#include "server/stream_transport.h"
#include "server/tls_context.h"

namespace mqlab::server {

enum class ListenerKind : uint8_t {
  kMqtts,  // MQTT over TLS (Event Grid: 8883).
  kWss,    // MQTT over WebSockets over TLS (Event Grid: 443).
  kDev,    // Plaintext MQTT, development only.
};
std::string_view ListenerKindName(ListenerKind kind);

struct ListenerSpec {
  ListenerKind kind = ListenerKind::kMqtts;
  ListenAddress address;
};

struct ServerLimits {
  uint32_t maximum_connections = 10'000;
  // Bytes queued for one socket beyond which the core is told the
  // connection is write-blocked; below half of it, unblocked.
  size_t write_blocked_bytes = 256 * 1024;
  Duration handshake_timeout = 10 * kSecond;
  Duration close_timeout = 5 * kSecond;
  // Read from one connection per loop turn, so that one fast sender cannot
  // starve the others.
  size_t read_bytes_per_turn = 256 * 1024;
};

struct ServerOptions {
  std::vector<ListenerSpec> listeners;
  ServerLimits limits;
  // Required when a listener uses TLS; must outlive the server.
  TlsContext* tls = nullptr;
  // Built-in development namespace: register every client on first sight.
  bool register_dev_clients = false;
  // SIGHUP: the namespace to switch to; null when there is no file.
  std::function<broker::StatusOr<broker::NamespaceConfig>()> reload_namespace;
  LogLevel log_level = LogLevel::kInfo;
};

struct BoundListener {
  ListenerKind kind;
  int fd;
  ListenAddress address;
};

class Server final : public broker::BrokerHost, public ClientRegistrar {
 public:
  // Binds every listener (errors name the address: in use, privileged) and
  // makes the broker. Blocks the signals the loop handles.
  static broker::StatusOr<std::unique_ptr<Server>> Create(
      ServerOptions options, broker::NamespaceConfig config);
  ~Server() override;

  const std::vector<BoundListener>& listeners() const { return listeners_; }
  const Log& log() const { return log_; }
  // Runs until SIGTERM or SIGINT, then shuts down; returns the exit status.
  int Run();

  // broker::BrokerHost.
  void Send(broker::ConnectionId connection,
            std::span<const uint8_t> bytes) override;
  void Close(broker::ConnectionId connection) override;
  // ClientRegistrar (the development namespace).
  void Register(std::string_view authentication_name) override;

 private:
  struct Connection;
  // What a deadline (handshake, close) belongs to.
  struct Deadline {
    Time time;
    int fd;
    uint64_t generation;
    bool operator>(const Deadline& other) const { return time > other.time; }
  };

  Server(ServerOptions options, broker::NamespaceConfig config);
  Time Now() const;

  void Accept(const BoundListener& listener);
  void OnSocketEvent(int fd, uint32_t events);
  void ProgressHandshake(Connection& connection);
  // Tells the broker of the connection once its transport and filter allow.
  void OpenToBroker(Connection& connection);
  void ReadFrom(Connection& connection);
  void Deliver(Connection& connection, std::span<const uint8_t> bytes);
  // The transport ended: the broker is told, the socket closed.
  void Lose(Connection& connection, std::string_view why);
  // Flush what is queued, then close.
  void CloseAfterFlush(Connection& connection, Duration linger);
  void Destroy(Connection& connection);
  void MarkDirty(Connection& connection);
  void Flush(Connection& connection);
  void FlushDirty();
  void WatchWritable(Connection& connection, bool writable);
  void RunDeadlines(Time now);
  int WaitMilliseconds(Time now) const;
  void OnSignal();
  void Reload();
  void ShutDown();
  Connection* Find(int fd, uint64_t generation);

  ServerOptions options_;
  Log log_;
  ConnectionLog connection_log_;
  std::unique_ptr<broker::Broker> broker_;
  int epoll_fd_ = -1;
  int signal_fd_ = -1;
  std::vector<BoundListener> listeners_;
  // Indexed by socket fd.
  std::vector<std::unique_ptr<Connection>> connections_;
  absl::flat_hash_map<broker::ConnectionId, Connection*> by_broker_id_;
  uint32_t open_connections_ = 0;
  uint64_t next_generation_ = 1;
  std::vector<std::pair<int, uint64_t>> dirty_;
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>>
      deadlines_;
  std::vector<uint8_t> read_buffer_;
  ByteQueue filtered_;  // A filter's output for the broker, reused.
  uint64_t next_dev_client_ = 1;
  bool stopping_ = false;
  // Counters of the transport layer, for the SIGUSR1 line.
  uint64_t accepted_ = 0;
  uint64_t refused_over_capacity_ = 0;
  uint64_t handshakes_failed_ = 0;
  uint64_t timed_out_ = 0;
};

}  // namespace mqlab::server

#endif  // MQLAB_SERVER_SERVER_H_
