#include "fuzz/broker_session_driver.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "broker/broker.h"
#include "broker/namespace_config.h"
#include "broker/namespace_validation.h"
#include "fuzz/session_wire.h"
#include "mqtt/decoder.h"

namespace mqlab::fuzz {
namespace {

constexpr int kMaximumClients = 4;
// The longest single step of virtual time: past the longest keep-alive
// (1.5 x 65535 s) and the default session expiry.
constexpr Duration kMaximumAdvance = 28 * kHour;
// Timers the final drain may run before it calls the growth unbounded.
constexpr int kMaximumDrainSteps = 100'000;

std::string ClientName(int index) { return "client-" + std::to_string(index); }

// Every client may publish and subscribe everywhere; each client's own
// topics are also granted through a template, so that authorization runs.
const broker::NamespaceConfig& BaseNamespace() {
  static const broker::NamespaceConfig* const config = [] {
    auto* made = new broker::NamespaceConfig();
    made->allow_unauthenticated_username = true;
    for (int i = 0; i < kMaximumClients; ++i) {
      broker::ClientResource client;
      client.name = ClientName(i);
      client.authentication_name = client.name;
      made->clients.push_back(std::move(client));
    }
    made->topic_spaces.push_back({"shared", {"shared/#"}, ""});
    made->topic_spaces.push_back(
        {"own", {"devices/${client.authenticationName}/#"}, ""});
    made->permission_bindings.push_back({"shared-publish", "$all", "shared",
                                         broker::Permission::kPublisher, ""});
    made->permission_bindings.push_back({"shared-subscribe", "$all", "shared",
                                         broker::Permission::kSubscriber, ""});
    made->permission_bindings.push_back(
        {"own-publish", "$all", "own", broker::Permission::kPublisher, ""});
    made->permission_bindings.push_back(
        {"own-subscribe", "$all", "own", broker::Permission::kSubscriber, ""});
    return made;
  }();
  return *config;
}

// The Limits member a LimitSetting names, as LimitFields() lists it.
std::variant<uint32_t broker::Limits::*, uint16_t broker::Limits::*>
LimitMember(LimitSetting::Limit limit) {
  using L = broker::Limits;
  switch (limit) {
    case LimitSetting::MAXIMUM_PACKET_SIZE:
      return &L::maximum_packet_size;
    case LimitSetting::TOPIC_ALIAS_MAXIMUM:
      return &L::topic_alias_maximum;
    case LimitSetting::MAXIMUM_KEEP_ALIVE_SECONDS:
      return &L::maximum_keep_alive_seconds;
    case LimitSetting::MAXIMUM_FILTERS_PER_SUBSCRIBE:
      return &L::maximum_filters_per_subscribe;
    case LimitSetting::MAXIMUM_SUBSCRIPTIONS_PER_SESSION:
      return &L::maximum_subscriptions_per_session;
    case LimitSetting::PUBLISH_MESSAGES_PER_SECOND:
      return &L::publish_messages_per_second;
    case LimitSetting::RECEIVE_MAXIMUM:
      return &L::receive_maximum;
    case LimitSetting::SESSION_EXPIRY_SECONDS:
      return &L::session_expiry_seconds;
    case LimitSetting::MAXIMUM_OFFLINE_MESSAGES:
      return &L::maximum_offline_messages;
    case LimitSetting::SUBSCRIBE_REQUESTS_PER_SECOND:
      return &L::subscribe_requests_per_second;
  }
  return &L::maximum_packet_size;
}

// Sets `setting` within the range the namespace validation accepts.
void ApplyLimit(const LimitSetting& setting, broker::Limits* limits) {
  const auto member = LimitMember(setting.limit());
  for (const broker::LimitField& field : broker::LimitFields()) {
    if (field.member != member) continue;
    const uint32_t value =
        std::clamp(setting.value(), field.minimum, field.maximum);
    std::visit([&](auto pointer) { limits->*pointer = value; }, member);
  }
}

class Driver : public broker::BrokerHost {
 public:
  Driver(const Session& session, const SessionRunOptions& options)
      : session_(session) {
    broker::NamespaceConfig config = BaseNamespace();
    for (const LimitSetting& setting : session.limit()) {
      ApplyLimit(setting, &config.limits);
    }
    client_count_ = std::clamp<int>(session.clients(), 1, kMaximumClients);
    for (int i = 0; i < client_count_; ++i) {
      clients_[i].context.client_name = ClientName(i);
      clients_[i].context.other_name = ClientName((i + 1) % kMaximumClients);
    }
    broker_ =
        std::make_unique<broker::Broker>(std::move(config), this, nullptr);
    observers_.push_back(&one_connection_per_session_);
    observers_.insert(observers_.end(), options.observers.begin(),
                      options.observers.end());
  }

  std::string Run() {
    int played = 0;
    for (const Action& action : session_.action()) {
      if (played++ == kMaximumActions || !violation_.empty()) break;
      Play(action);
      if (violation_.empty()) violation_ = ObserversViolation();
    }
    if (violation_.empty()) Drain();
    return violation_;
  }

  void Send(ConnectionId connection, std::span<const uint8_t> bytes) override {
    Connection* c = Find(connection);
    if (c == nullptr) return;  // Not one of ours: cannot happen.
    output_.OnSend(
        connection, mqtt::Bytes(bytes.data(), bytes.size()),
        [&](const mqtt::Packet& packet) {
          const auto* publish = std::get_if<mqtt::Publish>(&packet);
          if (publish != nullptr && publish->qos != mqtt::Qos::kAtMostOnce) {
            clients_[c->client].context.last_received_packet_id =
                publish->packet_id;
          }
          for (SessionObserver* observer : observers()) {
            observer->OnBrokerPacket(connection, packet, now_);
          }
        });
    Fail(output_.violation());
  }

  void Close(ConnectionId connection) override {
    Connection* c = Find(connection);
    if (c == nullptr) return;
    output_.OnClose(connection);
    Fail(output_.violation());
    for (SessionObserver* observer : observers()) {
      observer->OnClosed(connection, true, now_);
    }
  }

 private:
  struct Connection {
    ConnectionId id = 0;
    int client = 0;
    bool dropped = false;
    bool sent_connect = false;
  };
  struct Client {
    PacketContext context;
    ConnectionId connection = 0;  // The latest; 0 before the first.
  };

  const std::vector<SessionObserver*>& observers() const { return observers_; }

  std::string ObserversViolation() {
    for (SessionObserver* observer : observers()) {
      if (!observer->violation().empty()) return observer->violation();
    }
    return "";
  }

  void Fail(const std::string& what) {
    if (violation_.empty()) violation_ = what;
  }

  bool Open(const Connection& c) const {
    return !c.dropped && !output_.closed(c.id);
  }

  Connection* Find(ConnectionId id) {
    const auto it = connections_.find(id);
    return it == connections_.end() ? nullptr : &it->second;
  }

  // The client's open connection, opened now when it has none.
  Connection* OpenConnection(int client) {
    if (Connection* c = Find(clients_[client].connection);
        c != nullptr && Open(*c)) {
      return c;
    }
    return Reconnect(client);
  }

  Connection* Reconnect(int client) {
    broker::TransportIdentity identity;
    identity.peer = ClientName(client);
    const ConnectionId id = broker_->OnConnectionOpened(identity, now_);
    if (id == broker::kRefusedConnection) return nullptr;
    Connection& c = connections_[id];
    c.id = id;
    c.client = client;
    clients_[client].connection = id;
    for (SessionObserver* observer : observers()) {
      observer->OnOpened(client, id, now_);
    }
    return &c;
  }

  void Deliver(Connection* c, const std::vector<uint8_t>& bytes,
               const Action& action) {
    for (SessionObserver* observer : observers()) {
      observer->OnClientBytes(c->id, mqtt::Bytes(bytes), now_);
    }
    std::vector<size_t> cuts = {0, bytes.size()};
    for (const uint32_t split : action.split()) {
      if (!bytes.empty()) cuts.push_back(split % bytes.size());
    }
    std::sort(cuts.begin(), cuts.end());
    for (size_t i = 1; i < cuts.size() && Open(*c); ++i) {
      if (cuts[i] == cuts[i - 1]) continue;
      broker_->OnBytesReceived(
          c->id,
          std::span<const uint8_t>(bytes.data() + cuts[i - 1],
                                   cuts[i] - cuts[i - 1]),
          now_);
    }
  }

  void SendPacket(int client, const Packet& packet, const Action& action) {
    Connection* c = OpenConnection(client);
    if (c == nullptr) return;
    PacketContext& context = clients_[client].context;
    if (packet.kind_case() == Packet::kConnect && !c->sent_connect) {
      c->sent_connect = true;
      const ResolvedConnect resolved = Resolve(packet.connect(), context);
      context.version = resolved.level == 5 ? 5 : 4;
      // The broker answers an unsupported level in 3.1.1; an unknown
      // protocol name leaves the answer's version open (not decoded).
      if (resolved.protocol_name == "MQTT") {
        output_.ExpectVersion(c->id, resolved.level == 5
                                         ? mqtt::Version::kV5
                                         : mqtt::Version::kV311);
      }
      one_connection_per_session_.SetRequestedClientId(c->id,
                                                       resolved.client_id);
    }
    const EncodedPacket encoded = EncodePacket(packet, context);
    if (++context.next_packet_id == 0) context.next_packet_id = 1;
    Deliver(c, encoded.bytes, action);
  }

  void AdvanceBy(Duration duration) {
    const Time target = now_ + std::min(duration, kMaximumAdvance);
    while (broker_->NextDeadline() <= target && violation_.empty()) {
      now_ = std::max(now_, broker_->NextDeadline());
      broker_->Advance(now_);
    }
    now_ = target;
    broker_->Advance(now_);
  }

  void Administer(const Admin& admin) {
    for (SessionObserver* observer : observers()) {
      observer->OnAdmin(admin, now_);
    }
    const broker::NamespaceConfig& base = BaseNamespace();
    broker::ClientResource client =
        base.clients[admin.client() % base.clients.size()];
    switch (admin.kind()) {
      case Admin::DELETE_CLIENT:
        (void)broker_->DeleteClient(client.name, now_);
        break;
      case Admin::DISABLE_CLIENT:
        client.state = broker::ClientState::kDisabled;
        (void)broker_->UpsertClient(client, now_);
        break;
      case Admin::ENABLE_CLIENT:
        (void)broker_->UpsertClient(client, now_);
        break;
    }
  }

  void Play(const Action& action) {
    const int client = static_cast<int>(action.client() % client_count_);
    switch (action.kind_case()) {
      case Action::kPacket:
        SendPacket(client, action.packet(), action);
        break;
      case Action::kRaw: {
        Connection* c = OpenConnection(client);
        if (c == nullptr) break;
        const std::string& raw = action.raw();
        Deliver(c, std::vector<uint8_t>(raw.begin(), raw.end()), action);
        break;
      }
      case Action::kAdvanceMilliseconds:
        AdvanceBy(action.advance_milliseconds() * kMillisecond);
        break;
      case Action::kDrop:
        if (Connection* c = Find(clients_[client].connection);
            c != nullptr && Open(*c)) {
          c->dropped = true;
          broker_->OnConnectionClosed(c->id, now_);
          for (SessionObserver* observer : observers()) {
            observer->OnClosed(c->id, false, now_);
          }
        }
        break;
      case Action::kReconnect:
        Reconnect(client);
        break;
      case Action::kAdmin:
        Administer(action.admin());
        break;
      case Action::kWriteBlocked:
        if (Connection* c = Find(clients_[client].connection);
            c != nullptr && Open(*c)) {
          broker_->OnWriteBlocked(c->id, action.write_blocked(), now_);
        }
        break;
      case Action::KIND_NOT_SET:
        break;
    }
  }

  // Every connection goes, every timer runs: nothing may be left.
  void Drain() {
    for (auto& [id, c] : connections_) {
      if (!Open(c)) continue;
      c.dropped = true;
      broker_->OnConnectionClosed(id, now_);
    }
    for (int step = 0; broker_->NextDeadline() != kInfiniteFuture; ++step) {
      if (step == kMaximumDrainSteps) {
        Fail("timers keep running with no connection left");
        return;
      }
      now_ = std::max(now_, broker_->NextDeadline());
      broker_->Advance(now_);
    }
    Fail(LeftoverViolation(broker_->stats()));
  }

  const Session& session_;
  std::unique_ptr<broker::Broker> broker_;
  Time now_ = 0;
  int client_count_ = 1;
  Client clients_[kMaximumClients];
  std::map<ConnectionId, Connection> connections_;
  BrokerOutputChecker output_;
  OneConnectionPerSession one_connection_per_session_;
  std::vector<SessionObserver*> observers_;  // The one above, then options'.
  std::string violation_;
};

}  // namespace

void BrokerOutputChecker::ExpectVersion(ConnectionId connection,
                                        mqtt::Version version) {
  streams_[connection].decoder.emplace(
      mqtt::DecoderOptions{.version = version});
}

void BrokerOutputChecker::OnSend(
    ConnectionId connection, mqtt::Bytes bytes,
    absl::FunctionRef<void(const mqtt::Packet&)> on_packet) {
  Stream& stream = streams_[connection];
  if (stream.closed) {
    if (violation_.empty()) {
      violation_ = "the broker wrote to connection " +
                   std::to_string(connection) + " after closing it";
    }
    return;
  }
  if (!stream.decoder.has_value()) return;  // Its version is unknown.
  mqtt::DecodeError error;
  while (true) {
    const auto status = stream.decoder->Next(&bytes, &packet_, &error);
    if (status == mqtt::Decoder::Status::kNeedMore) return;
    if (status == mqtt::Decoder::Status::kError) {
      if (violation_.empty()) {
        violation_ = "the broker sent bytes that do not decode on connection " +
                     std::to_string(connection) + ": " +
                     std::string(error.rule);
      }
      stream.decoder.reset();
      return;
    }
    on_packet(packet_);
  }
}

void BrokerOutputChecker::OnClose(ConnectionId connection) {
  Stream& stream = streams_[connection];
  if (stream.closed && violation_.empty()) {
    violation_ =
        "the broker closed connection " + std::to_string(connection) + " twice";
  }
  stream.closed = true;
}

bool BrokerOutputChecker::closed(ConnectionId connection) const {
  const auto it = streams_.find(connection);
  return it != streams_.end() && it->second.closed;
}

std::string LeftoverViolation(const broker::BrokerStats& stats) {
  if (stats.connections == 0 && stats.sessions == 0 &&
      stats.subscriptions == 0 && stats.stored_messages == 0 &&
      stats.timers == 0) {
    return "";
  }
  return "after every connection closed and every timer ran, the broker "
         "still holds connections=" +
         std::to_string(stats.connections) +
         " sessions=" + std::to_string(stats.sessions) +
         " subscriptions=" + std::to_string(stats.subscriptions) +
         " stored_messages=" + std::to_string(stats.stored_messages) +
         " timers=" + std::to_string(stats.timers);
}

void OneConnectionPerSession::SetRequestedClientId(ConnectionId connection,
                                                   std::string client_id) {
  requested_[connection] = std::move(client_id);
}

void OneConnectionPerSession::OnClientBytes(ConnectionId, mqtt::Bytes, Time) {}

void OneConnectionPerSession::OnBrokerPacket(ConnectionId connection,
                                             const mqtt::Packet& packet, Time) {
  const auto* connack = std::get_if<mqtt::Connack>(&packet);
  if (connack == nullptr || !mqtt::IsSuccess(connack->reason_code)) return;
  std::string session = requested_[connection];
  if (connack->properties.assigned_client_identifier.has_value()) {
    session = std::string(*connack->properties.assigned_client_identifier);
  }
  const auto [it, inserted] = serving_.try_emplace(session, connection);
  if (!inserted && it->second != connection && violation_.empty()) {
    violation_ = "session '" + session + "' accepted on connection " +
                 std::to_string(connection) + " while connection " +
                 std::to_string(it->second) + " still serves it";
  }
  it->second = connection;
}

void OneConnectionPerSession::OnClosed(ConnectionId connection, bool, Time) {
  for (auto it = serving_.begin(); it != serving_.end(); ++it) {
    if (it->second == connection) {
      serving_.erase(it);
      return;
    }
  }
}

std::string RunSession(const Session& session,
                       const SessionRunOptions& options) {
  Driver driver(session, options);
  return driver.Run();
}

}  // namespace mqlab::fuzz
