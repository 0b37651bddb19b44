// Entry points, connection and session lifecycles, timers and sending.
#include "broker/broker.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "base/check.h"
#include "broker/broker_impl.h"
#include "mqtt/encoder.h"
#include "mqtt/packet_reason_codes.h"

namespace mqlab::broker {
namespace {

// Timer payloads: what the timer is for, and whose.
enum class TimerKind : uint64_t { kConnection = 1, kSessionExpiry = 2 };
constexpr int kTimerKindShift = 56;

uint64_t TimerPayload(TimerKind kind, uint64_t id) {
  MQLAB_CHECK(id < (uint64_t{1} << kTimerKindShift));
  return static_cast<uint64_t>(kind) << kTimerKindShift | id;
}

std::unique_ptr<Directory> CreateDirectory(const NamespaceConfig& config) {
  StatusOr<std::unique_ptr<Directory>> directory = Directory::Create(config);
  MQLAB_CHECK_MSG(directory.ok(),
                  std::string(directory.status().message()).c_str());
  return std::move(directory).value();
}

size_t MaximumSessions(const Limits& limits) {
  return size_t{limits.maximum_sessions_per_unit} * limits.throughput_units;
}

}  // namespace

Broker::Impl::Impl(NamespaceConfig config, BrokerHost* host, Observer* observer)
    : host_(host),
      observer_(observer),
      directory_(CreateDirectory(config)),
      limits_(directory_->limits()),
      index_(MaximumSessions(limits_) *
             limits_.maximum_subscriptions_per_session),
      sessions_(MaximumSessions(limits_)) {
  MQLAB_CHECK(host_ != nullptr);
}

// Members go in reverse order: sessions (and the messages they hold) before
// the pool.
Broker::Impl::~Impl() = default;

// --- Entry and exit.

void Broker::Impl::Enter(Time now) {
  MQLAB_CHECK_MSG(now >= now_, "time went back");
  now_ = now;
  uint64_t payload;
  while (timers_.PopDue(now_, &payload)) OnTimer(payload);
}

void Broker::Impl::Leave() {
  closed_connections_.clear();
  for (std::unique_ptr<Session>& session : ended_sessions_) {
    sessions_.Free(std::move(session));
  }
  ended_sessions_.clear();
}

ConnectionId Broker::Impl::OnConnectionOpened(const TransportIdentity& identity,
                                              Time now) {
  Enter(now);
  if (awaiting_connect_ >= sessions_.maximum_size()) {
    Event event = MakeEvent(EventKind::kConnectRefused, nullptr, nullptr);
    event.reason = DisconnectionReason::kQuotaExceeded;
    event.reason_code = mqtt::ReasonCode::kServerBusy;
    event.detail = "maximum-pending-connections";
    Report(event);
    ++stats_.connects_refused;
    Leave();
    return kRefusedConnection;
  }
  const ConnectionId id = next_connection_id_++;
  auto connection = std::make_unique<Connection>(id, identity, now_,
                                                 limits_.maximum_packet_size);
  connection->timer = timers_.Schedule(
      now_ + kConnectTimeout, TimerPayload(TimerKind::kConnection, id));
  connections_.emplace(id, std::move(connection));
  ++awaiting_connect_;
  Leave();
  return id;
}

void Broker::Impl::OnBytesReceived(ConnectionId id,
                                   std::span<const uint8_t> bytes, Time now) {
  Enter(now);
  if (Connection* connection = FindConnection(id)) {
    stats_.bytes_received += bytes.size();
    mqtt::Bytes input = bytes;
    mqtt::Packet packet;
    mqtt::DecodeError error;
    while (connection->state != Connection::State::kClosed) {
      const mqtt::Decoder::Status status =
          connection->decoder.Next(&input, &packet, &error);
      if (status == mqtt::Decoder::Status::kNeedMore) break;
      if (status == mqtt::Decoder::Status::kError) {
        OnDecodeError(*connection, error);
        break;
      }
      connection->last_packet_at = now_;
      OnPacket(*connection, packet);
    }
  }
  Leave();
}

void Broker::Impl::OnConnectionClosed(ConnectionId id, Time now) {
  Enter(now);
  if (Connection* connection = FindConnection(id)) {
    EndConnection(*connection, {.reason = DisconnectionReason::kConnectionLost,
                                .detail = "transport-closed",
                                .send_disconnect = false,
                                .tell_host = false});
  }
  Leave();
}

void Broker::Impl::ShutDown(Time now) {
  Enter(now);
  // In connection order, not the hash map's.
  std::vector<ConnectionId> open;
  open.reserve(connections_.size());
  for (const auto& [id, connection] : connections_) open.push_back(id);
  std::sort(open.begin(), open.end());
  for (const ConnectionId id : open) {
    if (Connection* connection = FindConnection(id)) {
      Disconnect(*connection, mqtt::ReasonCode::kServerShuttingDown,
                 DisconnectionReason::kServerInitiatedDisconnect,
                 "server-shutting-down");
    }
  }
  Leave();
}

void Broker::Impl::OnWriteBlocked(ConnectionId id, bool blocked, Time now) {
  Enter(now);
  Connection* connection = FindConnection(id);
  if (connection != nullptr && connection->write_blocked != blocked) {
    connection->write_blocked = blocked;
    connection->bytes_sent_while_blocked = 0;
    if (!blocked) {
      ReleaseHeldPubacks(*connection);
      if (connection->session != nullptr) Pump(*connection->session);
    }
  }
  Leave();
}

void Broker::Impl::Advance(Time now) {
  Enter(now);
  Leave();
}

Connection* Broker::Impl::FindConnection(ConnectionId id) {
  const auto it = connections_.find(id);
  return it == connections_.end() ? nullptr : it->second.get();
}

// --- Timers.

void Broker::Impl::OnTimer(uint64_t payload) {
  const auto kind = static_cast<TimerKind>(payload >> kTimerKindShift);
  const uint64_t id = payload & ((uint64_t{1} << kTimerKindShift) - 1);
  if (kind == TimerKind::kSessionExpiry) {
    Session* session = sessions_.Get(static_cast<SessionId>(id));
    MQLAB_CHECK(session != nullptr && session->connection == nullptr);
    session->expiry_timer = kNoTimer;
    EndSession(*session, EventKind::kSessionExpired, "session-expiry");
    return;
  }
  Connection* connection = FindConnection(id);
  MQLAB_CHECK(connection != nullptr);
  connection->timer = kNoTimer;
  if (connection->state == Connection::State::kAwaitingConnect) {
    Event event =
        MakeEvent(EventKind::kConnectRefused, connection, /*session=*/nullptr);
    event.reason = DisconnectionReason::kClientError;
    event.detail = "connect-timeout";
    Report(event);
    ++stats_.connects_refused;
    EndConnection(*connection, {.reason = DisconnectionReason::kClientError,
                                .detail = "connect-timeout",
                                .send_disconnect = false});
    return;
  }
  // Keep-alive: packets since the timer was set push the deadline out.
  const Time deadline =
      connection->last_packet_at + connection->keep_alive_timeout;
  if (deadline > now_) {
    connection->timer = timers_.Schedule(
        deadline, TimerPayload(TimerKind::kConnection, connection->id));
    return;
  }
  Disconnect(*connection, mqtt::ReasonCode::kKeepAliveTimeout,
             DisconnectionReason::kConnectionLost, "keep-alive-timeout");
}

// --- Connections and sessions ending.

void Broker::Impl::EndConnection(Connection& connection,
                                 const Disconnection& how) {
  if (connection.state == Connection::State::kClosed) return;
  const bool connected = connection.state == Connection::State::kConnected;
  if (connected && how.send_disconnect &&
      connection.version == mqtt::Version::kV5) {
    MQLAB_CHECK(mqtt::IsReasonCodeAllowed(mqtt::PacketType::kDisconnect,
                                          mqtt::Version::kV5, how.reason_code));
    mqtt::Disconnect disconnect{.reason_code = how.reason_code};
    disconnect.properties.reason_string = how.detail;
    // The Reason String is the first thing to go when the client's Maximum
    // Packet Size is small [MQTT-3.14.2-3].
    const std::optional<size_t> size =
        mqtt::EncodedSize(disconnect, mqtt::Version::kV5);
    if (!size.has_value() || *size > connection.client_maximum_packet_size) {
      disconnect.properties.reason_string.reset();
    }
    // The last packet: written even past the write-blocked bound, which
    // would only end the connection again.
    out_.clear();
    MQLAB_CHECK(mqtt::Encode(disconnect, mqtt::Version::kV5, &out_));
    stats_.bytes_sent += out_.size();
    host_->Send(connection.id, out_);
  }
  if (how.tell_host) host_->Close(connection.id);
  if (connection.timer != kNoTimer) {
    timers_.Cancel(connection.timer);
    connection.timer = kNoTimer;
  }
  if (connection.state == Connection::State::kAwaitingConnect) {
    --awaiting_connect_;
  }
  connection.state = Connection::State::kClosed;
  auto node = connections_.extract(connection.id);
  MQLAB_CHECK(!node.empty());
  closed_connections_.push_back(std::move(node.mapped()));
  if (!connected) return;

  Session& session = *connection.session;
  Event event = MakeEvent(EventKind::kDisconnected, &connection, &session);
  event.reason = how.reason;
  event.reason_code = how.reason_code;
  event.detail = how.detail;
  Report(event);
  session.connection = nullptr;
  connection.session = nullptr;
  if (how.end_session.has_value()) {
    EndSession(session, *how.end_session, how.detail);
  } else {
    SessionOffline(session);
  }
}

void Broker::Impl::Disconnect(Connection& connection,
                              mqtt::ReasonCode reason_code,
                              DisconnectionReason reason,
                              std::string_view detail) {
  EndConnection(
      connection,
      {.reason_code = reason_code, .reason = reason, .detail = detail});
}

void Broker::Impl::DisconnectForLimit(Connection& connection,
                                      mqtt::ReasonCode reason_code,
                                      DisconnectionReason reason,
                                      std::string_view detail) {
  Event event =
      MakeEvent(EventKind::kLimitExceeded, &connection, connection.session);
  event.reason = reason;
  event.reason_code = reason_code;
  event.detail = detail;
  Report(event);
  Disconnect(connection, reason_code, reason, detail);
}

void Broker::Impl::SessionOffline(Session& session) {
  if (session.expiry_seconds == 0) {
    EndSession(session, EventKind::kSessionDeleted, "session-expiry-zero");
    return;
  }
  // QoS 0 messages are not kept for offline sessions.
  session.deliveries.RemovePending(
      [](const PendingDelivery& delivery) { return delivery.qos == 0; },
      [&](const PendingDelivery& delivery) {
        DropMessage(session, delivery.message->publish().topic, "qos0-offline");
      });
  session.expiry_timer = timers_.Schedule(
      now_ + static_cast<Duration>(session.expiry_seconds) * kSecond,
      TimerPayload(TimerKind::kSessionExpiry, session.id));
}

void Broker::Impl::EndSession(Session& session, EventKind kind,
                              std::string_view detail) {
  if (session.ended) return;
  MQLAB_CHECK(session.connection == nullptr);
  Event event = MakeEvent(kind, nullptr, &session);
  event.detail = detail;
  Report(event);
  while (!session.subscriptions.empty()) {
    RemoveSubscription(session, session.subscriptions.size() - 1);
  }
  if (session.expiry_timer != kNoTimer) {
    timers_.Cancel(session.expiry_timer);
    session.expiry_timer = kNoTimer;
  }
  session.deliveries.Clear();
  session.ended = true;
  ended_sessions_.push_back(sessions_.Remove(&session));
}

// --- Sending and reporting.

void Broker::Impl::Send(Connection& connection, const mqtt::Packet& packet) {
  if (connection.state == Connection::State::kClosed) return;
  out_.clear();
  const bool encoded = mqtt::Encode(packet, connection.version, &out_);
  MQLAB_CHECK_MSG(encoded, "the broker built a packet its version lacks");
  SendBytes(connection, out_);
}

void Broker::Impl::SendBytes(Connection& connection,
                             std::span<const uint8_t> bytes) {
  if (connection.state == Connection::State::kClosed) return;
  if (connection.write_blocked) {
    if (connection.bytes_sent_while_blocked + bytes.size() >
        limits_.maximum_outbound_bytes) {
      // The client stopped reading: its answers cannot pile up forever.
      Event event =
          MakeEvent(EventKind::kLimitExceeded, &connection, connection.session);
      event.reason = DisconnectionReason::kQuotaExceeded;
      event.detail = "maximum-outbound-bytes";
      Report(event);
      EndConnection(connection, {.reason = DisconnectionReason::kQuotaExceeded,
                                 .detail = "maximum-outbound-bytes",
                                 .send_disconnect = false});
      return;
    }
    connection.bytes_sent_while_blocked += bytes.size();
  }
  stats_.bytes_sent += bytes.size();
  host_->Send(connection.id, bytes);
}

Event Broker::Impl::MakeEvent(EventKind kind, const Connection* connection,
                              const Session* session) const {
  Event event{.kind = kind, .time = now_};
  if (connection != nullptr) event.connection = connection->id;
  if (session != nullptr) {
    event.session = session->client_id;
    event.authentication_name = session->authentication_name;
  }
  return event;
}

void Broker::Impl::Report(const Event& event) {
  if (event.kind == EventKind::kMessageDropped) ++stats_.messages_dropped;
  if (observer_ != nullptr) observer_->OnEvent(event);
}

BrokerStats Broker::Impl::stats() const {
  BrokerStats stats = stats_;
  stats.connections = connections_.size();
  stats.sessions = sessions_.size();
  stats.connected_sessions = connections_.size() - awaiting_connect_;
  stats.subscriptions = index_.size();
  stats.stored_messages = pool_.live_count();
  stats.timers = timers_.size();
  return stats;
}

// --- The facade.

Broker::Broker(NamespaceConfig config, BrokerHost* host, Observer* observer)
    : impl_(std::make_unique<Impl>(std::move(config), host, observer)) {}

Broker::~Broker() = default;

ConnectionId Broker::OnConnectionOpened(const TransportIdentity& identity,
                                        Time now) {
  return impl_->OnConnectionOpened(identity, now);
}

void Broker::OnBytesReceived(ConnectionId connection,
                             std::span<const uint8_t> bytes, Time now) {
  impl_->OnBytesReceived(connection, bytes, now);
}

void Broker::OnConnectionClosed(ConnectionId connection, Time now) {
  impl_->OnConnectionClosed(connection, now);
}

void Broker::OnWriteBlocked(ConnectionId connection, bool blocked, Time now) {
  impl_->OnWriteBlocked(connection, blocked, now);
}

void Broker::Advance(Time now) { impl_->Advance(now); }

void Broker::ShutDown(Time now) { impl_->ShutDown(now); }

Time Broker::NextDeadline() const { return impl_->NextDeadline(); }

Status Broker::UpsertClient(const ClientResource& client, Time now) {
  return impl_->Administer(now, [&](Directory& directory) {
    return directory.UpsertClient(client);
  });
}

Status Broker::DeleteClient(std::string_view name, Time now) {
  return impl_->Administer(
      now, [&](Directory& directory) { return directory.DeleteClient(name); });
}

Status Broker::UpsertClientGroup(const ClientGroupResource& group, Time now) {
  return impl_->Administer(now, [&](Directory& directory) {
    return directory.UpsertClientGroup(group);
  });
}

Status Broker::DeleteClientGroup(std::string_view name, Time now) {
  return impl_->Administer(now, [&](Directory& directory) {
    return directory.DeleteClientGroup(name);
  });
}

Status Broker::UpsertTopicSpace(const TopicSpaceResource& space, Time now) {
  return impl_->Administer(now, [&](Directory& directory) {
    return directory.UpsertTopicSpace(space);
  });
}

Status Broker::DeleteTopicSpace(std::string_view name, Time now) {
  return impl_->Administer(now, [&](Directory& directory) {
    return directory.DeleteTopicSpace(name);
  });
}

Status Broker::UpsertPermissionBinding(const PermissionBindingResource& binding,
                                       Time now) {
  return impl_->Administer(now, [&](Directory& directory) {
    return directory.UpsertPermissionBinding(binding);
  });
}

Status Broker::DeletePermissionBinding(std::string_view name, Time now) {
  return impl_->Administer(now, [&](Directory& directory) {
    return directory.DeletePermissionBinding(name);
  });
}

Status Broker::UpsertCaCertificate(const CaCertificateResource& certificate,
                                   Time now) {
  return impl_->Administer(now, [&](Directory& directory) {
    return directory.UpsertCaCertificate(certificate);
  });
}

Status Broker::DeleteCaCertificate(std::string_view name, Time now) {
  return impl_->Administer(now, [&](Directory& directory) {
    return directory.DeleteCaCertificate(name);
  });
}

const Directory& Broker::directory() const { return impl_->directory(); }

BrokerStats Broker::stats() const { return impl_->stats(); }

}  // namespace mqlab::broker
