#include "server/server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "base/check.h"
#include "broker/resource_names.h"
#include "server/namespace_reload.h"
#include "server/plain_transport.h"
#include "server/tls_transport.h"
#include "server/websocket_filter.h"

namespace mqlab::server {
namespace {

// epoll tags: a connection's is its fd; listeners and the signalfd are above
// every fd.
constexpr uint64_t kListenerTag = uint64_t{1} << 32;
constexpr uint64_t kSignalTag = uint64_t{2} << 32;
constexpr int kEventsPerWait = 256;
constexpr size_t kReadChunk = 64 * 1024;
// Capacity a drained write buffer keeps (a burst's larger buffer is freed).
constexpr size_t kIdleWriteCapacity = 64 * 1024;
// File descriptors kept for listeners, the epoll and signal fds, the log.
constexpr rlim_t kReservedDescriptors = 32;

}  // namespace

std::string_view ListenerKindName(ListenerKind kind) {
  switch (kind) {
    case ListenerKind::kMqtts:
      return "mqtts";
    case ListenerKind::kWss:
      return "wss";
    case ListenerKind::kDev:
      return "dev";
  }
  return "?";
}

struct Server::Connection {
  enum class State : uint8_t {
    kHandshake,       // Transport handshake (TLS) under way.
    kAwaitingFilter,  // A filter must accept first (WebSocket upgrade).
    kOpen,            // The broker knows it as broker_id.
    kClosing,         // Flushing, then closed; the broker has forgotten it.
  };
  int fd = -1;
  uint64_t generation = 0;
  ListenerKind kind = ListenerKind::kDev;
  std::string peer;
  std::unique_ptr<StreamTransport> transport;
  std::unique_ptr<StreamFilter> filter;  // Null: bytes go to the broker as is.
  State state = State::kHandshake;
  broker::ConnectionId broker_id = 0;
  ByteQueue out;
  bool write_blocked = false;  // What the broker was last told.
  bool dirty = false;          // In dirty_.
  bool watching_writable = false;
};

Server::Server(ServerOptions options, broker::NamespaceConfig config)
    : options_(std::move(options)),
      log_(options_.log_level),
      connection_log_(&log_),
      broker_(std::make_unique<broker::Broker>(std::move(config), this,
                                               &connection_log_)),
      read_buffer_(kReadChunk) {}

Server::~Server() {
  for (std::unique_ptr<Connection>& connection : connections_) {
    if (connection != nullptr) ::close(connection->fd);
  }
  for (const BoundListener& listener : listeners_) ::close(listener.fd);
  if (signal_fd_ >= 0) ::close(signal_fd_);
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

broker::StatusOr<std::unique_ptr<Server>> Server::Create(
    ServerOptions options, broker::NamespaceConfig config) {
  // As many descriptors as the system lets this process have, and never
  // more connections than descriptors (accept would fail in a loop).
  rlimit files;
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0) {
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);
    if (files.rlim_cur != RLIM_INFINITY &&
        files.rlim_cur > kReservedDescriptors) {
      options.limits.maximum_connections = static_cast<uint32_t>(
          std::min<rlim_t>(options.limits.maximum_connections,
                           files.rlim_cur - kReservedDescriptors));
    }
  }
  for (const ListenerSpec& spec : options.listeners) {
    if (spec.kind != ListenerKind::kDev && options.tls == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the ", ToAbsl(ListenerKindName(spec.kind)),
          " listener needs a server certificate: give --tls-cert and "
          "--tls-key"));
    }
  }
  std::unique_ptr<Server> server(
      new Server(std::move(options), std::move(config)));
  if (server->options_.tls != nullptr) {
    if (broker::Status status = server->options_.tls->SetTrustedCas(
            server->broker_->directory().Snapshot().ca_certificates);
        !status.ok()) {
      return status;
    }
  }
  server->epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (server->epoll_fd_ < 0) {
    return absl::InternalError(
        absl::StrCat("epoll_create1: ", std::strerror(errno)));
  }
  for (const ListenerSpec& spec : server->options_.listeners) {
    broker::StatusOr<BoundSocket> bound = Listen(spec.address, SOMAXCONN);
    if (!bound.ok()) {
      return absl::Status(
          bound.status().code(),
          absl::StrCat(ToAbsl(ListenerKindName(spec.kind)),
                       " listener: ", bound.status().message()));
    }
    const size_t index = server->listeners_.size();
    server->listeners_.push_back(
        {.kind = spec.kind, .fd = bound->fd, .address = bound->address});
    epoll_event event{.events = EPOLLIN, .data = {.u64 = kListenerTag | index}};
    ::epoll_ctl(server->epoll_fd_, EPOLL_CTL_ADD, bound->fd, &event);
  }
  sigset_t signals;
  sigemptyset(&signals);
  for (int signal : {SIGHUP, SIGTERM, SIGINT, SIGUSR1}) {
    sigaddset(&signals, signal);
  }
  ::sigprocmask(SIG_BLOCK, &signals, nullptr);
  // A peer that went away is a write error, not a fatal signal.
  ::signal(SIGPIPE, SIG_IGN);
  server->signal_fd_ = ::signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);
  epoll_event event{.events = EPOLLIN, .data = {.u64 = kSignalTag}};
  ::epoll_ctl(server->epoll_fd_, EPOLL_CTL_ADD, server->signal_fd_, &event);
  return server;
}

Time Server::Now() const {
  timespec now;
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return Time{now.tv_sec} * kSecond + now.tv_nsec;
}

int Server::Run() {
  epoll_event events[kEventsPerWait];
  while (true) {
    const Time now = Now();
    RunDeadlines(now);
    if (broker_->NextDeadline() <= now) broker_->Advance(now);
    FlushDirty();
    if (stopping_ && open_connections_ == 0) break;
    const int count = ::epoll_wait(epoll_fd_, events, kEventsPerWait,
                                   WaitMilliseconds(Now()));
    for (int i = 0; i < count; ++i) {
      const uint64_t tag = events[i].data.u64;
      if (tag == kSignalTag) {
        OnSignal();
      } else if (tag & kListenerTag) {
        const size_t index = tag & 0xFFFFFFFF;
        if (index < listeners_.size()) Accept(listeners_[index]);
      } else {
        OnSocketEvent(static_cast<int>(tag), events[i].events);
      }
    }
    // Everything the turn queued leaves in one write per connection.
    FlushDirty();
  }
  log_.Write(LogLevel::kInfo, "stopped");
  return 0;
}

void Server::Accept(const BoundListener& listener) {
  while (!stopping_) {
    sockaddr_storage address;
    socklen_t length = sizeof(address);
    const int fd = ::accept4(listener.fd, reinterpret_cast<sockaddr*>(&address),
                             &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        log_.Write(LogLevel::kWarning,
                   absl::StrCat("accept on ", listener.address.ToString(), ": ",
                                std::strerror(errno)));
      }
      return;
    }
    if (open_connections_ >= options_.limits.maximum_connections) {
      ++refused_over_capacity_;
      ::close(fd);
      if (log_.enabled(LogLevel::kDebug)) {
        log_.Write(LogLevel::kDebug,
                   absl::StrCat("refused peer=", PeerName(address),
                                " detail=maximum-connections"));
      }
      continue;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    ++accepted_;
    ++open_connections_;
    if (static_cast<size_t>(fd) >= connections_.size()) {
      connections_.resize(fd + 1);
    }
    auto connection = std::make_unique<Connection>();
    Connection& c = *connection;
    c.fd = fd;
    c.generation = next_generation_++;
    c.kind = listener.kind;
    c.peer = PeerName(address);
    switch (listener.kind) {
      case ListenerKind::kDev:
        c.transport = std::make_unique<PlainTransport>(fd, c.peer);
        c.filter = std::make_unique<DevConnectFilter>(
            options_.register_dev_clients ? this : nullptr,
            broker_->directory().limits().maximum_packet_size, accepted_);
        break;
      case ListenerKind::kMqtts:
        c.transport = std::make_unique<TlsTransport>(options_.tls, fd, c.peer);
        break;
      case ListenerKind::kWss:
        c.transport = std::make_unique<TlsTransport>(options_.tls, fd, c.peer);
        c.filter = std::make_unique<WebSocketFilter>();
        break;
    }
    connections_[fd] = std::move(connection);
    epoll_event event{.events = EPOLLIN,
                      .data = {.u64 = static_cast<uint64_t>(fd)}};
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event);
    deadlines_.push(
        {Now() + options_.limits.handshake_timeout, fd, c.generation});
    if (log_.enabled(LogLevel::kDebug)) {
      log_.Write(LogLevel::kDebug,
                 absl::StrCat("accepted peer=", c.peer,
                              " listener=", ToAbsl(ListenerKindName(c.kind))));
    }
    ProgressHandshake(c);
  }
}

Server::Connection* Server::Find(int fd, uint64_t generation) {
  if (fd < 0 || static_cast<size_t>(fd) >= connections_.size()) return nullptr;
  Connection* connection = connections_[fd].get();
  if (connection == nullptr || connection->generation != generation) {
    return nullptr;
  }
  return connection;
}

void Server::OnSocketEvent(int fd, uint32_t events) {
  if (static_cast<size_t>(fd) >= connections_.size() ||
      connections_[fd] == nullptr) {
    return;
  }
  Connection& c = *connections_[fd];
  switch (c.state) {
    case Connection::State::kHandshake:
      ProgressHandshake(c);
      return;
    case Connection::State::kClosing:
      if (events & (EPOLLHUP | EPOLLERR)) {
        Destroy(c);
      } else {
        Flush(c);
      }
      return;
    case Connection::State::kAwaitingFilter:
    case Connection::State::kOpen:
      if (events & EPOLLOUT) {
        const uint64_t generation = c.generation;
        Flush(c);
        if (Find(fd, generation) == nullptr) return;
      }
      if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) ReadFrom(c);
      return;
  }
}

void Server::ProgressHandshake(Connection& c) {
  const IoResult result = c.transport->Handshake();
  switch (result.status) {
    case IoStatus::kDone:
      c.state = Connection::State::kAwaitingFilter;
      WatchWritable(c, false);
      OpenToBroker(c);
      // Bytes that arrived with the end of the handshake.
      if (c.state != Connection::State::kClosing &&
          c.transport->HasBufferedInput()) {
        ReadFrom(c);
      }
      return;
    case IoStatus::kWantRead:
      WatchWritable(c, false);
      return;
    case IoStatus::kWantWrite:
      WatchWritable(c, true);
      return;
    case IoStatus::kPeerClosed:
    case IoStatus::kFailed:
      ++handshakes_failed_;
      log_.Write(LogLevel::kInfo,
                 absl::StrCat("handshake-refused peer=", c.peer, " listener=",
                              ToAbsl(ListenerKindName(c.kind)), " error=\"",
                              result.status == IoStatus::kPeerClosed
                                  ? "peer closed during the handshake"
                                  : c.transport->error(),
                              "\""));
      Destroy(c);
      return;
  }
}

void Server::OpenToBroker(Connection& c) {
  if (c.filter != nullptr && !c.filter->Open()) return;
  const broker::ConnectionId id =
      broker_->OnConnectionOpened(c.transport->Identity(), Now());
  if (id == broker::kRefusedConnection) {
    if (c.filter != nullptr) c.filter->CloseToPeer(&c.out);
    CloseAfterFlush(c, options_.limits.close_timeout);
    return;
  }
  c.broker_id = id;
  c.state = Connection::State::kOpen;
  by_broker_id_[id] = &c;
  if (log_.enabled(LogLevel::kInfo)) {
    const broker::TransportIdentity identity = c.transport->Identity();
    log_.Write(
        LogLevel::kInfo,
        absl::StrCat(
            "opened conn=", id, " peer=", c.peer,
            " listener=", ToAbsl(ListenerKindName(c.kind)),
            identity.has_certificate
                ? absl::StrCat(
                      " subject=\"", identity.certificate.subject,
                      "\" thumbprint=", identity.certificate.thumbprint,
                      identity.certificate.issuer_thumbprint.empty()
                          ? " issuer=none"
                          : " issuer=" + identity.certificate.issuer_thumbprint)
                : std::string(" certificate=none")));
  }
}

void Server::ReadFrom(Connection& c) {
  size_t budget = options_.limits.read_bytes_per_turn;
  while (budget > 0 || c.transport->HasBufferedInput()) {
    const IoResult result = c.transport->Read(read_buffer_);
    switch (result.status) {
      case IoStatus::kDone:
        budget -= std::min(budget, result.bytes);
        Deliver(c, std::span<const uint8_t>(read_buffer_.data(), result.bytes));
        if (c.state == Connection::State::kClosing) return;
        continue;
      case IoStatus::kWantRead:
        return;
      case IoStatus::kWantWrite:
        WatchWritable(c, true);
        return;
      case IoStatus::kPeerClosed:
        Lose(c, "peer closed");
        return;
      case IoStatus::kFailed:
        Lose(c, c.transport->error());
        return;
    }
  }
}

void Server::Deliver(Connection& c, std::span<const uint8_t> bytes) {
  if (c.filter == nullptr) {
    if (c.state == Connection::State::kOpen) {
      broker_->OnBytesReceived(c.broker_id, bytes, Now());
    }
    return;
  }
  filtered_.Clear();
  const StreamFilter::Verdict verdict =
      c.filter->FromPeer(bytes, &filtered_, &c.out);
  if (!c.out.empty()) MarkDirty(c);
  if (c.state == Connection::State::kAwaitingFilter) OpenToBroker(c);
  if (c.state == Connection::State::kOpen && !filtered_.empty()) {
    broker_->OnBytesReceived(c.broker_id, filtered_.Front(), Now());
  }
  if (verdict == StreamFilter::Verdict::kClose &&
      c.state != Connection::State::kClosing) {
    if (log_.enabled(LogLevel::kDebug)) {
      log_.Write(LogLevel::kDebug,
                 absl::StrCat("filter-closed peer=", c.peer, " error=\"",
                              c.filter->error(), "\""));
    }
    if (c.state == Connection::State::kOpen) {
      by_broker_id_.erase(c.broker_id);
      c.state = Connection::State::kClosing;
      broker_->OnConnectionClosed(c.broker_id, Now());
    }
    CloseAfterFlush(c, options_.limits.close_timeout);
  }
}

void Server::Lose(Connection& c, std::string_view why) {
  if (log_.enabled(LogLevel::kDebug)) {
    log_.Write(LogLevel::kDebug,
               absl::StrCat("lost peer=", c.peer, " conn=", c.broker_id,
                            " why=\"", ToAbsl(why), "\""));
  }
  if (c.state == Connection::State::kOpen) {
    by_broker_id_.erase(c.broker_id);
    c.state = Connection::State::kClosing;
    broker_->OnConnectionClosed(c.broker_id, Now());
  }
  Destroy(c);
}

void Server::CloseAfterFlush(Connection& c, Duration linger) {
  c.state = Connection::State::kClosing;
  deadlines_.push({Now() + linger, c.fd, c.generation});
  WatchWritable(c, c.watching_writable);  // Stops watching for input.
  MarkDirty(c);
}

void Server::Destroy(Connection& c) {
  MQLAB_CHECK(c.state != Connection::State::kOpen);
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
  ::close(c.fd);
  --open_connections_;
  connections_[c.fd].reset();
}

void Server::MarkDirty(Connection& c) {
  if (c.dirty) return;
  c.dirty = true;
  dirty_.emplace_back(c.fd, c.generation);
}

void Server::WatchWritable(Connection& c, bool writable) {
  c.watching_writable = writable;
  uint32_t events = writable ? uint32_t{EPOLLOUT} : 0;
  if (c.state != Connection::State::kClosing) events |= EPOLLIN;
  epoll_event event{.events = events,
                    .data = {.u64 = static_cast<uint64_t>(c.fd)}};
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &event);
}

void Server::Flush(Connection& c) {
  if (c.state == Connection::State::kHandshake) return;
  if (c.filter != nullptr) c.filter->FlushToPeer(&c.out);
  while (!c.out.empty()) {
    const IoResult result = c.transport->Write(c.out.Front());
    if (result.status == IoStatus::kDone) {
      c.out.Consume(result.bytes);
      continue;
    }
    if (result.status == IoStatus::kWantWrite ||
        result.status == IoStatus::kWantRead) {
      break;
    }
    Lose(c, result.status == IoStatus::kFailed ? c.transport->error()
                                               : "peer closed");
    return;
  }
  if (c.out.empty()) {
    if (c.state == Connection::State::kClosing) {
      Destroy(c);
      return;
    }
    c.out.ShrinkIfIdle(kIdleWriteCapacity);
    if (c.watching_writable) WatchWritable(c, false);
  } else if (!c.watching_writable) {
    WatchWritable(c, true);
  }
  if (c.state != Connection::State::kOpen) return;
  // Back-pressure: a socket that does not drain stops the broker's
  // deliveries to it (their queues are the broker's, and bounded).
  const size_t high = options_.limits.write_blocked_bytes;
  if (!c.write_blocked && c.out.size() > high) {
    c.write_blocked = true;
    broker_->OnWriteBlocked(c.broker_id, true, Now());
  } else if (c.write_blocked && c.out.size() <= high / 2) {
    c.write_blocked = false;
    broker_->OnWriteBlocked(c.broker_id, false, Now());
  }
}

void Server::FlushDirty() {
  // Unblocking a connection may queue more: dirty_ grows while we go.
  for (size_t i = 0; i < dirty_.size(); ++i) {
    const auto [fd, generation] = dirty_[i];
    Connection* c = Find(fd, generation);
    if (c == nullptr) continue;
    c->dirty = false;
    Flush(*c);
  }
  dirty_.clear();
}

void Server::RunDeadlines(Time now) {
  while (!deadlines_.empty() && deadlines_.top().time <= now) {
    const Deadline deadline = deadlines_.top();
    deadlines_.pop();
    Connection* c = Find(deadline.fd, deadline.generation);
    if (c == nullptr) continue;
    switch (c->state) {
      case Connection::State::kHandshake:
      case Connection::State::kAwaitingFilter:
        ++timed_out_;
        log_.Write(
            LogLevel::kInfo,
            absl::StrCat("handshake-timeout peer=", c->peer,
                         " listener=", ToAbsl(ListenerKindName(c->kind))));
        Destroy(*c);
        break;
      case Connection::State::kClosing:
        Destroy(*c);
        break;
      case Connection::State::kOpen:
        break;
    }
  }
}

int Server::WaitMilliseconds(Time now) const {
  Time next = broker_->NextDeadline();
  if (!deadlines_.empty()) next = std::min(next, deadlines_.top().time);
  if (next == kInfiniteFuture) return -1;
  if (next <= now) return 0;
  const Time milliseconds = (next - now + kMillisecond - 1) / kMillisecond;
  return static_cast<int>(std::min<Time>(milliseconds, INT_MAX / 2));
}

void Server::OnSignal() {
  signalfd_siginfo info;
  while (::read(signal_fd_, &info, sizeof(info)) == sizeof(info)) {
    switch (info.ssi_signo) {
      case SIGHUP:
        Reload();
        break;
      case SIGUSR1:
        log_.Write(LogLevel::kInfo, StatsLine(broker_->stats()));
        log_.Write(
            LogLevel::kInfo,
            absl::StrCat("transport open=", open_connections_,
                         " accepted=", accepted_,
                         " refused_over_capacity=", refused_over_capacity_,
                         " handshakes_failed=", handshakes_failed_,
                         " handshake_timeouts=", timed_out_));
        log_.Write(LogLevel::kInfo, connection_log_.DenialCounts());
        break;
      default:
        ShutDown();
        break;
    }
  }
}

void Server::Reload() {
  if (!options_.reload_namespace) {
    log_.Write(LogLevel::kWarning,
               "SIGHUP: no namespace file to reload (the broker runs the "
               "built-in development namespace)");
    return;
  }
  broker::StatusOr<broker::NamespaceConfig> config =
      options_.reload_namespace();
  if (!config.ok()) {
    log_.Write(LogLevel::kError,
               absl::StrCat("reload refused, the running namespace stays: ",
                            config.status().message()));
    return;
  }
  const ReloadResult result = ReloadNamespace(*broker_, *config, Now());
  for (const std::string& error : result.errors) {
    log_.Write(LogLevel::kWarning, absl::StrCat("reload: ", error));
  }
  if (options_.tls != nullptr) {
    if (broker::Status status = options_.tls->SetTrustedCas(
            broker_->directory().Snapshot().ca_certificates);
        !status.ok()) {
      log_.Write(LogLevel::kError,
                 absl::StrCat("reload: CA certificates: ", status.message()));
    }
  }
  log_.Write(LogLevel::kInfo,
             absl::StrCat("reloaded namespace: upserted=", result.upserted,
                          " deleted=", result.deleted,
                          " errors=", result.errors.size()));
}

void Server::ShutDown() {
  if (stopping_) return;
  stopping_ = true;
  log_.Write(LogLevel::kInfo, "shutting down");
  for (const BoundListener& listener : listeners_) {
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listener.fd, nullptr);
    ::close(listener.fd);
  }
  listeners_.clear();
  broker_->ShutDown(Now());
  for (std::unique_ptr<Connection>& connection : connections_) {
    if (connection != nullptr &&
        connection->state != Connection::State::kClosing) {
      MQLAB_CHECK(connection->state != Connection::State::kOpen);
      Destroy(*connection);
    }
  }
}

void Server::Send(broker::ConnectionId connection,
                  std::span<const uint8_t> bytes) {
  const auto it = by_broker_id_.find(connection);
  MQLAB_CHECK(it != by_broker_id_.end());
  Connection& c = *it->second;
  if (c.filter != nullptr) {
    c.filter->ToPeer(bytes, &c.out);
  } else {
    c.out.Append(bytes);
  }
  MarkDirty(c);
}

void Server::Close(broker::ConnectionId connection) {
  const auto it = by_broker_id_.find(connection);
  MQLAB_CHECK(it != by_broker_id_.end());
  Connection& c = *it->second;
  by_broker_id_.erase(it);
  if (c.filter != nullptr) c.filter->CloseToPeer(&c.out);
  CloseAfterFlush(c, options_.limits.close_timeout);
}

void Server::Register(std::string_view authentication_name) {
  const broker::Directory& directory = broker_->directory();
  if (directory.FindClientByAuthenticationName(authentication_name) !=
      nullptr) {
    return;
  }
  broker::ClientResource client;
  client.authentication_name = std::string(authentication_name);
  client.name = broker::IsValidClientName(authentication_name) &&
                        directory.FindClient(authentication_name) == nullptr
                    ? std::string(authentication_name)
                    : absl::StrCat("dev-client-", next_dev_client_++);
  const broker::Status status = broker_->UpsertClient(client, Now());
  log_.Write(status.ok() ? LogLevel::kInfo : LogLevel::kWarning,
             absl::StrCat("dev-register client=", client.name, " auth=\"",
                          client.authentication_name, "\"",
                          status.ok() ? "" : " error=",
                          status.ok() ? "" : status.message()));
}

}  // namespace mqlab::server
