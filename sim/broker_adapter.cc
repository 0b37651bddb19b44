#include "sim/broker_adapter.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "base/check.h"

namespace mqlab::sim {

BrokerAdapter::BrokerAdapter(Scheduler* scheduler, Network* network,
                             HostId host, ListenOptions listen,
                             broker::NamespaceConfig config,
                             IdentityLookup identities,
                             ObservationSink* observations, Trace* trace)
    : scheduler_(scheduler),
      network_(network),
      host_(host),
      listen_(listen),
      identities_(std::move(identities)),
      observations_(observations),
      trace_(trace),
      stored_(std::move(config)) {}

BrokerAdapter::~BrokerAdapter() { scheduler_->Cancel(timer_); }

void BrokerAdapter::Start() {
  MQLAB_CHECK_MSG(broker_ == nullptr, "the broker is already running");
  if (tap_ != nullptr) {
    tap_->OnBrokerStarted(stored_, scheduler_->now());
    tap_->InputDone();
  }
  broker_ = std::make_unique<broker::Broker>(std::move(stored_), this, this);
  stored_ = {};
  network_->Listen(host_, this, listen_);
  if (trace_ != nullptr) {
    trace_->Add(scheduler_->now(), TraceKind::kBrokerStarted, host_);
  }
  ArmTimer();
}

void BrokerAdapter::Crash() {
  MQLAB_CHECK_MSG(broker_ != nullptr, "the broker is not running");
  // The namespace is the control plane's: it outlives the process.
  stored_ = broker_->directory().Snapshot();
  network_->Listen(host_, nullptr);
  // The OS closes the process's sockets: the peers see resets, and this
  // adapter hears nothing more about them.
  network_->AbortHost(host_);
  by_socket_.clear();
  by_connection_.clear();
  broker_.reset();
  if (tap_ != nullptr) {
    tap_->OnBrokerStopped(scheduler_->now());
    tap_->InputDone();
  }
  scheduler_->Cancel(timer_);
  timer_ = kNoTimer;
  timer_at_ = kInfiniteFuture;
  if (trace_ != nullptr) {
    trace_->Add(scheduler_->now(), TraceKind::kBrokerStopped, host_);
  }
}

absl::Status BrokerAdapter::UpsertClient(const broker::ClientResource& client) {
  if (broker_ == nullptr) {
    for (broker::ClientResource& stored : stored_.clients) {
      if (stored.name == client.name) {
        stored = client;
        return absl::OkStatus();
      }
    }
    stored_.clients.push_back(client);
    return absl::OkStatus();
  }
  absl::Status status = broker_->UpsertClient(client, scheduler_->now());
  if (tap_ != nullptr) {
    tap_->OnUpsertClient(client, status, scheduler_->now());
    tap_->InputDone();
  }
  ArmTimer();
  return status;
}

absl::Status BrokerAdapter::DeleteClient(std::string_view name) {
  if (broker_ == nullptr) {
    for (auto it = stored_.clients.begin(); it != stored_.clients.end(); ++it) {
      if (it->name == name) {
        stored_.clients.erase(it);
        return absl::OkStatus();
      }
    }
    return absl::NotFoundError(absl::StrCat("no client named ", ToAbsl(name)));
  }
  absl::Status status = broker_->DeleteClient(name, scheduler_->now());
  if (tap_ != nullptr) {
    tap_->OnDeleteClient(name, status, scheduler_->now());
    tap_->InputDone();
  }
  ArmTimer();
  return status;
}

std::optional<broker::ClientResource> BrokerAdapter::FindClient(
    std::string_view name) const {
  if (broker_ == nullptr) {
    for (const broker::ClientResource& stored : stored_.clients) {
      if (stored.name == name) return stored;
    }
    return std::nullopt;
  }
  const broker::ClientResource* client = broker_->directory().FindClient(name);
  if (client == nullptr) return std::nullopt;
  return *client;
}

Endpoint* BrokerAdapter::OnAccept(SocketId socket, HostId /*peer*/,
                                  uint64_t tag) {
  MQLAB_CHECK(broker_ != nullptr);
  const broker::TransportIdentity identity = identities_(tag);
  const broker::ConnectionId id =
      broker_->OnConnectionOpened(identity, scheduler_->now());
  if (tap_ != nullptr) {
    tap_->OnOpened(identity, id, scheduler_->now());
    tap_->InputDone();
  }
  ArmTimer();
  if (id == broker::kRefusedConnection) return nullptr;
  by_socket_.emplace(socket.value(), id);
  by_connection_.emplace(id, socket);
  return this;
}

void BrokerAdapter::OnConnected(SocketId /*socket*/) {
  MQLAB_CHECK_MSG(false, "the broker's host never initiates connections");
}

broker::ConnectionId BrokerAdapter::ConnectionOf(SocketId socket) const {
  const auto it = by_socket_.find(socket.value());
  return it == by_socket_.end() ? broker::kRefusedConnection : it->second;
}

void BrokerAdapter::OnBytes(SocketId socket, std::span<const uint8_t> bytes) {
  const broker::ConnectionId id = ConnectionOf(socket);
  if (id == broker::kRefusedConnection) return;
  broker_->OnBytesReceived(id, bytes, scheduler_->now());
  if (tap_ != nullptr) {
    tap_->OnBytesIn(id, bytes, scheduler_->now());
    tap_->InputDone();
  }
  ArmTimer();
}

void BrokerAdapter::OnClosed(SocketId socket, CloseReason /*reason*/) {
  const broker::ConnectionId id = ConnectionOf(socket);
  if (id == broker::kRefusedConnection) return;
  by_socket_.erase(socket.value());
  by_connection_.erase(id);
  broker_->OnConnectionClosed(id, scheduler_->now());
  if (tap_ != nullptr) {
    tap_->OnClosedByPeer(id, scheduler_->now());
    tap_->InputDone();
  }
  ArmTimer();
}

void BrokerAdapter::OnWriteBlocked(SocketId socket, bool blocked) {
  const broker::ConnectionId id = ConnectionOf(socket);
  if (id == broker::kRefusedConnection) return;
  broker_->OnWriteBlocked(id, blocked, scheduler_->now());
  if (tap_ != nullptr) {
    tap_->OnWriteBlocked(id, blocked, scheduler_->now());
    tap_->InputDone();
  }
  ArmTimer();
}

void BrokerAdapter::Send(broker::ConnectionId connection,
                         std::span<const uint8_t> bytes) {
  const auto it = by_connection_.find(connection);
  MQLAB_CHECK_MSG(it != by_connection_.end(),
                  "the broker wrote to a connection it does not have");
  // A write the network refuses (the connection is already going) is lost
  // with the connection; the broker hears of it through OnClosed.
  if (tap_ != nullptr) tap_->OnSend(connection, bytes);
  network_->Send(it->second, bytes);
}

void BrokerAdapter::Close(broker::ConnectionId connection) {
  const auto it = by_connection_.find(connection);
  MQLAB_CHECK_MSG(it != by_connection_.end(),
                  "the broker closed a connection it does not have");
  if (tap_ != nullptr) tap_->OnClose(connection);
  const SocketId socket = it->second;
  by_connection_.erase(it);
  by_socket_.erase(socket.value());
  network_->Close(socket);
}

void BrokerAdapter::OnEvent(const broker::Event& event) {
  BrokerEventSeen seen;
  seen.time = event.time;
  seen.kind = event.kind;
  seen.connection = event.connection;
  seen.client_id = event.session;
  seen.authentication_name = event.authentication_name;
  seen.reason = event.reason;
  seen.reason_code = event.reason_code;
  seen.topic = event.topic;
  seen.detail = event.detail;
  if (trace_ != nullptr) {
    trace_->AddText(event.time, TraceKind::kBrokerEvent, event.connection,
                    static_cast<uint64_t>(event.kind),
                    static_cast<uint64_t>(event.reason_code), event.session);
  }
  if (tap_ != nullptr) tap_->OnEvent(event);
  observations_->Observe(seen);
}

void BrokerAdapter::ArmTimer() {
  const Time deadline = broker_->NextDeadline();
  if (deadline == timer_at_) return;
  if (deadline == kInfiniteFuture) {
    scheduler_->Cancel(timer_);
    timer_ = kNoTimer;
  } else if (timer_ == kNoTimer ||
             !scheduler_->Reschedule(timer_,
                                     std::max(deadline, scheduler_->now()))) {
    timer_ = scheduler_->At(std::max(deadline, scheduler_->now()),
                            [this] { OnTimer(); });
  }
  timer_at_ = deadline;
}

void BrokerAdapter::OnTimer() {
  timer_ = kNoTimer;
  timer_at_ = kInfiniteFuture;
  broker_->Advance(scheduler_->now());
  if (tap_ != nullptr) {
    tap_->OnAdvance(scheduler_->now());
    tap_->InputDone();
  }
  ArmTimer();
}

}  // namespace mqlab::sim
