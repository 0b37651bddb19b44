// An in-memory driver for the broker core, for the conformance suite (and
// for the simulator's and fuzzers' drivers to borrow from): a BrokerHost that
// keeps what the broker sends per connection, an Observer that keeps every
// event, and test clients that encode packets with the codec, feed them to
// the broker and decode its answers. Time is the harness's own clock, moved
// only by the test.
//
//   BrokerHarness harness(OpenNamespace({"sensor", "app"}));
//   TestClient& app = harness.Connect({.client_id = "app-1",
//                                      .username = "app"});
//   EXPECT_EQ(app.ExpectConnack()->reason_code, ReasonCode::kSuccess);
//   EXPECT_EQ(app.Subscribe("vehicles/+/position", Qos::kAtLeastOnce),
//             ReasonCode::kGrantedQos1);
//   harness.ConnectOk({.client_id = "sensor-1", .username = "sensor"})
//       .Publish("vehicles/sensor/position", "{}", Qos::kAtLeastOnce);
//   EXPECT_EQ(app.Messages().size(), 1u);
//   harness.AdvanceBy(90 * kSecond);  // Keep-alive timers run.
#ifndef MQLAB_TESTS_BROKER_BROKER_HARNESS_H_
#define MQLAB_TESTS_BROKER_BROKER_HARNESS_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "broker/broker.h"
#include "broker/events.h"
#include "broker/identity.h"
#include "broker/namespace_config.h"
#include "gtest/gtest.h"
#include "mqtt/packet.h"
#include "mqtt/printer.h"

namespace mqlab::broker::testing {

// A namespace in mqlab's dev mode (clients authenticate by Username) with
// one client per name, whose group `$all` may publish and subscribe to every
// topic ("#"). Tests narrow it as they need.
NamespaceConfig OpenNamespace(const std::vector<std::string>& client_names);

// Adds a topic space with `templates` and binds `group` to it.
void Grant(NamespaceConfig& config, std::string_view name,
           std::string_view group, Permission permission,
           std::vector<std::string> templates);

mqtt::Bytes AsBytes(std::string_view text);
std::string_view AsText(mqtt::Bytes bytes);

// An event with its strings copied.
struct RecordedEvent {
  EventKind kind;
  Time time;
  ConnectionId connection;
  std::string session;
  std::string authentication_name;
  DisconnectionReason reason;
  mqtt::ReasonCode reason_code;
  std::string topic;
  std::string detail;
};

// "disconnected session=s1 reason=SessionTakenOver code=0x8E detail=..."
std::string ToString(const RecordedEvent& event);

// A packet the broker sent, owning the bytes it refers to. Movable, not
// copyable (moving keeps the bytes where they are).
class ReceivedPacket {
 public:
  ReceivedPacket(std::vector<uint8_t> bytes, mqtt::Version version);
  ReceivedPacket(ReceivedPacket&&) = default;
  ReceivedPacket& operator=(ReceivedPacket&&) = default;

  mqtt::PacketType type() const { return mqtt::TypeOf(packet_); }
  const mqtt::Packet& packet() const { return packet_; }
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  template <typename T>
  const T* As() const {
    return std::get_if<T>(&packet_);
  }

 private:
  std::vector<uint8_t> bytes_;
  mqtt::Packet packet_;
};

// What Expect<T> gives: the packet with the bytes it refers to, or (when
// the test already failed because something else came) a default T.
template <typename T>
class Received {
 public:
  Received() = default;
  explicit Received(ReceivedPacket packet) : packet_(std::move(packet)) {}

  bool ok() const { return packet_.has_value(); }
  const T& operator*() const {
    return packet_.has_value() ? *packet_->As<T>() : fallback_;
  }
  const T* operator->() const { return &**this; }

 private:
  std::optional<ReceivedPacket> packet_;
  T fallback_{};
};

// A SUBACK's or UNSUBACK's reason codes.
std::vector<mqtt::ReasonCode> ReasonCodes(mqtt::Bytes codes);

// Every member has an initializer, for designated initializers.
struct ConnectOptions {
  std::string client_id{};
  std::optional<std::string> username{};
  mqtt::Version version = mqtt::Version::kV5;
  bool clean_start = true;
  uint16_t keep_alive = 60;
  // v5 CONNECT properties.
  std::optional<uint32_t> session_expiry_interval{};
  std::optional<uint16_t> receive_maximum{};
  std::optional<uint32_t> maximum_packet_size{};
};

class BrokerHarness;

// One connection to the broker, seen from the client's side.
class TestClient {
 public:
  TestClient(BrokerHarness* harness, ConnectionId id, mqtt::Version version);
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  ConnectionId id() const { return id_; }
  mqtt::Version version() const { return version_; }
  // The version packets are encoded and decoded in (set by Connect).
  void set_version(mqtt::Version version) { version_ = version; }

  // Encodes `packet` in the client's version and hands it to the broker.
  void Send(const mqtt::Packet& packet);
  void SendBytes(std::span<const uint8_t> bytes);

  // The packets received since the last call, in order. Bytes that do not
  // decode fail the test.
  std::vector<ReceivedPacket> Receive();
  // The next received packet; fails the test when there is none or it is
  // not a T.
  template <typename T>
  Received<T> Expect();
  // Fails the test if anything was received.
  void ExpectNothing();

  // The broker asked the host to close this connection.
  bool closed() const;
  // The transport failed under the client (the broker is told).
  void Drop();
  void SetWriteBlocked(bool blocked);

  // Conveniences: send, and return the answer the broker must give.
  Received<mqtt::Connack> ExpectConnack() { return Expect<mqtt::Connack>(); }
  // Subscribes to one filter; returns the SUBACK's reason code.
  mqtt::ReasonCode Subscribe(std::string_view filter, mqtt::Qos qos,
                             mqtt::SubscriptionOptions options = {});
  // Publishes; for QoS 1 returns the PUBACK's reason code (nullopt when the
  // broker sent something else or nothing), for QoS 0 Success if nothing
  // came back.
  std::optional<mqtt::ReasonCode> Publish(
      std::string_view topic, std::string_view payload,
      mqtt::Qos qos = mqtt::Qos::kAtMostOnce,
      const mqtt::Properties& properties = {});
  void Puback(uint16_t packet_id,
              mqtt::ReasonCode reason_code = mqtt::ReasonCode::kSuccess);
  // The PUBLISH packets among what was received (others are kept for the
  // next Receive), as (topic, payload) copies.
  struct Message {
    std::string topic;
    std::string payload;
    mqtt::Qos qos;
    bool dup;
    uint16_t packet_id;
    std::optional<uint32_t> message_expiry_interval;
    std::optional<std::string> content_type;
    std::optional<std::string> response_topic;
    std::optional<std::string> correlation_data;
    std::vector<std::pair<std::string, std::string>> user_properties;
  };
  std::vector<Message> Messages();
  friend void PrintTo(const Message& message, std::ostream* os) {
    *os << "PUBLISH topic=" << message.topic << " payload=" << message.payload
        << " qos=" << static_cast<int>(message.qos) << " dup=" << message.dup
        << " id=" << message.packet_id;
  }

 private:
  BrokerHarness* harness_;
  ConnectionId id_;
  mqtt::Version version_;
  uint16_t next_packet_id_ = 1;
  // Packets received but not yet taken by Messages().
  std::deque<ReceivedPacket> kept_;
};

class BrokerHarness {
 public:
  explicit BrokerHarness(NamespaceConfig config);
  ~BrokerHarness();

  Broker& broker() { return *broker_; }
  Time now() const { return now_; }
  // Moves the clock and runs the broker's timers up to it.
  void AdvanceBy(Duration duration);
  void AdvanceTo(Time time);

  // Opens a connection with `identity` (the default: no certificate).
  TestClient& Open(const TransportIdentity& identity = {});
  // Opens a connection and sends a CONNECT made from `options`; the CONNACK
  // is left for the test to read.
  TestClient& Connect(const ConnectOptions& options,
                      const TransportIdentity& identity = {});
  // Connect, and fail the test unless the CONNACK says Success.
  TestClient& ConnectOk(const ConnectOptions& options,
                        const TransportIdentity& identity = {});

  const std::vector<RecordedEvent>& events() const;
  std::vector<RecordedEvent> EventsOfKind(EventKind kind) const;
  void ClearEvents();

  // The connections the broker wrote to, one entry per BrokerHost::Send, in
  // order (cross-connection order, e.g. of a fan-out); cleared by the call.
  std::vector<ConnectionId> TakeSendOrder();

  // For TestClient.
  std::vector<uint8_t> TakeSent(ConnectionId id);
  bool WasClosed(ConnectionId id) const;

 private:
  class Host;
  class Recorder;

  Time now_ = 0;
  std::unique_ptr<Host> host_;
  std::unique_ptr<Recorder> recorder_;
  std::unique_ptr<Broker> broker_;
  std::deque<TestClient> clients_;
};

template <typename T>
Received<T> TestClient::Expect() {
  std::vector<ReceivedPacket> packets = Receive();
  for (ReceivedPacket& packet : packets) kept_.push_back(std::move(packet));
  const std::string_view expected =
      mqtt::PacketTypeName(mqtt::TypeOf(mqtt::Packet(T{})));
  if (kept_.empty()) {
    ADD_FAILURE() << "connection " << id_ << ": expected " << expected
                  << ", received nothing";
    return Received<T>();
  }
  ReceivedPacket next = std::move(kept_.front());
  kept_.pop_front();
  if (next.As<T>() == nullptr) {
    ADD_FAILURE() << "connection " << id_ << ": expected " << expected
                  << ", received " << mqtt::PacketSummary(next.packet());
    return Received<T>();
  }
  return Received<T>(std::move(next));
}

}  // namespace mqlab::broker::testing

#endif  // MQLAB_TESTS_BROKER_BROKER_HARNESS_H_
