#include "tests/broker/broker_harness.h"

#include <cstdio>
#include <utility>

#include "mqtt/decoder.h"
#include "mqtt/encoder.h"
#include "mqtt/varint.h"

namespace mqlab::broker::testing {

NamespaceConfig OpenNamespace(const std::vector<std::string>& client_names) {
  NamespaceConfig config;
  config.allow_unauthenticated_username = true;
  for (const std::string& name : client_names) {
    ClientResource client;
    client.name = name;
    client.authentication_name = name;
    config.clients.push_back(std::move(client));
  }
  config.topic_spaces.push_back({"everything", {"#"}, ""});
  config.permission_bindings.push_back(
      {"all-publish", "$all", "everything", Permission::kPublisher, ""});
  config.permission_bindings.push_back(
      {"all-subscribe", "$all", "everything", Permission::kSubscriber, ""});
  return config;
}

void Grant(NamespaceConfig& config, std::string_view name,
           std::string_view group, Permission permission,
           std::vector<std::string> templates) {
  config.topic_spaces.push_back({std::string(name), std::move(templates), ""});
  config.permission_bindings.push_back({std::string(name), std::string(group),
                                        std::string(name), permission, ""});
}

mqtt::Bytes AsBytes(std::string_view text) {
  return mqtt::Bytes(reinterpret_cast<const uint8_t*>(text.data()),
                     text.size());
}

std::string_view AsText(mqtt::Bytes bytes) {
  return std::string_view(reinterpret_cast<const char*>(bytes.data()),
                          bytes.size());
}

std::string ToString(const RecordedEvent& event) {
  char code[8];
  std::snprintf(code, sizeof(code), "0x%02X",
                static_cast<unsigned>(event.reason_code));
  std::string text(EventKindName(event.kind));
  text += " connection=" + std::to_string(event.connection);
  if (!event.session.empty()) text += " session=" + event.session;
  if (event.reason != DisconnectionReason::kNone) {
    text += " reason=" + std::string(DisconnectionReasonName(event.reason));
  }
  if (event.reason_code != mqtt::ReasonCode::kSuccess) {
    text += std::string(" code=") + code;
  }
  if (!event.topic.empty()) text += " topic=" + event.topic;
  if (!event.detail.empty()) text += " detail=" + event.detail;
  return text;
}

std::vector<mqtt::ReasonCode> ReasonCodes(mqtt::Bytes codes) {
  std::vector<mqtt::ReasonCode> result;
  for (const uint8_t code : codes) {
    result.push_back(static_cast<mqtt::ReasonCode>(code));
  }
  return result;
}

ReceivedPacket::ReceivedPacket(std::vector<uint8_t> bytes,
                               mqtt::Version version)
    : bytes_(std::move(bytes)) {
  mqtt::DecodeError error;
  if (mqtt::DecodePacket(bytes_, version, &packet_, &error) !=
      mqtt::Decoder::Status::kPacket) {
    ADD_FAILURE() << "the broker sent bytes that do not decode: " << error.rule;
    packet_ = mqtt::Pingresp{};
  }
}

// --- The host and the observer.

class BrokerHarness::Host : public BrokerHost {
 public:
  void Send(ConnectionId connection, std::span<const uint8_t> bytes) override {
    EXPECT_FALSE(closed_.contains(connection))
        << "the broker wrote to connection " << connection
        << " after closing it";
    std::vector<uint8_t>& inbox = sent_[connection];
    inbox.insert(inbox.end(), bytes.begin(), bytes.end());
    send_order_.push_back(connection);
  }
  void Close(ConnectionId connection) override {
    EXPECT_TRUE(closed_.insert(connection).second)
        << "the broker closed connection " << connection << " twice";
  }

  std::vector<uint8_t> Take(ConnectionId connection) {
    return std::exchange(sent_[connection], {});
  }
  bool closed(ConnectionId connection) const {
    return closed_.contains(connection);
  }
  std::vector<ConnectionId> TakeSendOrder() {
    return std::exchange(send_order_, {});
  }

 private:
  std::vector<ConnectionId> send_order_;
  std::map<ConnectionId, std::vector<uint8_t>> sent_;
  std::set<ConnectionId> closed_;
};

class BrokerHarness::Recorder : public Observer {
 public:
  void OnEvent(const Event& event) override {
    events_.push_back({event.kind, event.time, event.connection,
                       std::string(event.session),
                       std::string(event.authentication_name), event.reason,
                       event.reason_code, std::string(event.topic),
                       std::string(event.detail)});
  }
  std::vector<RecordedEvent> events_;
};

// --- The harness.

BrokerHarness::BrokerHarness(NamespaceConfig config)
    : host_(std::make_unique<Host>()),
      recorder_(std::make_unique<Recorder>()),
      broker_(std::make_unique<Broker>(std::move(config), host_.get(),
                                       recorder_.get())) {}

BrokerHarness::~BrokerHarness() = default;

void BrokerHarness::AdvanceBy(Duration duration) { AdvanceTo(now_ + duration); }

void BrokerHarness::AdvanceTo(Time time) {
  // Like a driver: run each deadline at its own time.
  while (broker_->NextDeadline() <= time) {
    now_ = std::max(now_, broker_->NextDeadline());
    broker_->Advance(now_);
  }
  now_ = time;
  broker_->Advance(now_);
}

TestClient& BrokerHarness::Open(const TransportIdentity& identity) {
  const ConnectionId id = broker_->OnConnectionOpened(identity, now_);
  return clients_.emplace_back(this, id, mqtt::Version::kV5);
}

TestClient& BrokerHarness::Connect(const ConnectOptions& options,
                                   const TransportIdentity& identity) {
  TestClient& client = Open(identity);
  client.set_version(options.version);
  mqtt::Connect connect{.version = options.version,
                        .clean_start = options.clean_start,
                        .keep_alive = options.keep_alive};
  connect.client_id = options.client_id;
  if (options.username.has_value()) connect.username = *options.username;
  if (options.version == mqtt::Version::kV5) {
    connect.properties.session_expiry_interval =
        options.session_expiry_interval;
    connect.properties.receive_maximum = options.receive_maximum;
    connect.properties.maximum_packet_size = options.maximum_packet_size;
  }
  client.Send(connect);
  return client;
}

TestClient& BrokerHarness::ConnectOk(const ConnectOptions& options,
                                     const TransportIdentity& identity) {
  TestClient& client = Connect(options, identity);
  const Received<mqtt::Connack> connack = client.ExpectConnack();
  EXPECT_EQ(connack->reason_code, mqtt::ReasonCode::kSuccess)
      << "CONNECT of " << options.client_id << " refused";
  return client;
}

const std::vector<RecordedEvent>& BrokerHarness::events() const {
  return recorder_->events_;
}

std::vector<RecordedEvent> BrokerHarness::EventsOfKind(EventKind kind) const {
  std::vector<RecordedEvent> matching;
  for (const RecordedEvent& event : recorder_->events_) {
    if (event.kind == kind) matching.push_back(event);
  }
  return matching;
}

void BrokerHarness::ClearEvents() { recorder_->events_.clear(); }

std::vector<ConnectionId> BrokerHarness::TakeSendOrder() {
  return host_->TakeSendOrder();
}

std::vector<uint8_t> BrokerHarness::TakeSent(ConnectionId id) {
  return host_->Take(id);
}

bool BrokerHarness::WasClosed(ConnectionId id) const {
  return host_->closed(id);
}

// --- The client.

TestClient::TestClient(BrokerHarness* harness, ConnectionId id,
                       mqtt::Version version)
    : harness_(harness), id_(id), version_(version) {}

void TestClient::Send(const mqtt::Packet& packet) {
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(mqtt::Encode(packet, version_, &bytes))
      << "the test built a packet " << static_cast<int>(version_)
      << " cannot carry";
  SendBytes(bytes);
}

void TestClient::SendBytes(std::span<const uint8_t> bytes) {
  harness_->broker().OnBytesReceived(id_, bytes, harness_->now());
}

std::vector<ReceivedPacket> TestClient::Receive() {
  std::vector<ReceivedPacket> packets;
  for (ReceivedPacket& kept : kept_) packets.push_back(std::move(kept));
  kept_.clear();
  const std::vector<uint8_t> bytes = harness_->TakeSent(id_);
  size_t at = 0;
  while (at < bytes.size()) {
    // The broker writes whole packets: find each one's end.
    const mqtt::VarintDecoding length =
        mqtt::DecodeVarint(bytes.data() + at + 1, bytes.size() - at - 1);
    const size_t size = 1 + length.size + length.value;
    if (length.status != mqtt::VarintDecoding::Status::kOk ||
        at + size > bytes.size()) {
      ADD_FAILURE() << "connection " << id_ << ": the broker sent "
                    << bytes.size() - at << " bytes that end inside a packet";
      break;
    }
    packets.emplace_back(
        std::vector<uint8_t>(bytes.begin() + at, bytes.begin() + at + size),
        version_);
    at += size;
  }
  return packets;
}

void TestClient::ExpectNothing() {
  for (const ReceivedPacket& packet : Receive()) {
    ADD_FAILURE() << "connection " << id_ << ": expected nothing, received "
                  << mqtt::PacketSummary(packet.packet());
  }
}

bool TestClient::closed() const { return harness_->WasClosed(id_); }

void TestClient::Drop() {
  harness_->broker().OnConnectionClosed(id_, harness_->now());
}

void TestClient::SetWriteBlocked(bool blocked) {
  harness_->broker().OnWriteBlocked(id_, blocked, harness_->now());
}

mqtt::ReasonCode TestClient::Subscribe(std::string_view filter, mqtt::Qos qos,
                                       mqtt::SubscriptionOptions options) {
  options.maximum_qos = qos;
  const mqtt::Subscription subscriptions[] = {{filter, options}};
  Send(mqtt::Subscribe{
      .packet_id = next_packet_id_++,
      .subscriptions = mqtt::Subscriptions::FromList(subscriptions)});
  const Received<mqtt::Suback> suback = Expect<mqtt::Suback>();
  if (!suback.ok() || suback->reason_codes.size() != 1) {
    return mqtt::ReasonCode::kUnspecifiedError;
  }
  return static_cast<mqtt::ReasonCode>(suback->reason_codes[0]);
}

std::optional<mqtt::ReasonCode> TestClient::Publish(
    std::string_view topic, std::string_view payload, mqtt::Qos qos,
    const mqtt::Properties& properties) {
  mqtt::Publish publish{.qos = qos, .topic = topic};
  if (qos != mqtt::Qos::kAtMostOnce) publish.packet_id = next_packet_id_++;
  publish.properties = properties;
  publish.payload = AsBytes(payload);
  Send(publish);
  if (qos == mqtt::Qos::kAtMostOnce) return mqtt::ReasonCode::kSuccess;
  // The PUBACK may come after PUBLISHes the broker routed back to us.
  std::vector<ReceivedPacket> packets = Receive();
  std::optional<mqtt::ReasonCode> answer;
  for (ReceivedPacket& packet : packets) {
    const mqtt::Puback* puback = packet.As<mqtt::Puback>();
    if (!answer.has_value() && puback != nullptr &&
        puback->packet_id == publish.packet_id) {
      answer = puback->reason_code;
      continue;
    }
    kept_.push_back(std::move(packet));
  }
  return answer;
}

void TestClient::Puback(uint16_t packet_id, mqtt::ReasonCode reason_code) {
  Send(mqtt::Puback{.packet_id = packet_id, .reason_code = reason_code});
}

std::vector<TestClient::Message> TestClient::Messages() {
  std::vector<Message> messages;
  std::deque<ReceivedPacket> others;
  for (ReceivedPacket& packet : Receive()) {
    const mqtt::Publish* publish = packet.As<mqtt::Publish>();
    if (publish == nullptr) {
      others.push_back(std::move(packet));
      continue;
    }
    const mqtt::Properties& p = publish->properties;
    Message message{.topic = std::string(publish->topic),
                    .payload = std::string(AsText(publish->payload)),
                    .qos = publish->qos,
                    .dup = publish->dup,
                    .packet_id = publish->packet_id,
                    .message_expiry_interval = p.message_expiry_interval,
                    .content_type = std::nullopt,
                    .response_topic = std::nullopt,
                    .correlation_data = std::nullopt,
                    .user_properties = {}};
    if (p.content_type.has_value()) {
      message.content_type = std::string(*p.content_type);
    }
    if (p.response_topic.has_value()) {
      message.response_topic = std::string(*p.response_topic);
    }
    if (p.correlation_data.has_value()) {
      message.correlation_data = std::string(AsText(*p.correlation_data));
    }
    for (const mqtt::UserProperty& property : p.user_properties) {
      message.user_properties.emplace_back(property.key, property.value);
    }
    messages.push_back(std::move(message));
  }
  kept_ = std::move(others);
  return messages;
}

}  // namespace mqlab::broker::testing
