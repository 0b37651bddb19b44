// Malformed input: v5 gets DISCONNECT with the decoder's reason code and
// the normative statement broken as Reason String, then the connection
// closes; 3.1.1 is closed. Nothing crashes, whatever the split.
#include <string>
#include <vector>

#include "base/random.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mqtt/encoder.h"
#include "tests/broker/broker_harness.h"

namespace mqlab::broker::testing {
namespace {

using mqtt::Qos;
using mqtt::ReasonCode;
using mqtt::Version;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// SUBSCRIBE with reserved flags 0000 instead of 0010.
constexpr uint8_t kBadSubscribeFlags[] = {0x80, 0x06, 0x00, 0x01,
                                          0x00, 0x01, 't',  0x00};

TEST(MalformedTest, V5GetsTheDecodersReasonCodeAndRule) {
  BrokerHarness harness(OpenNamespace({"dev1"}));
  TestClient& client =
      harness.ConnectOk({.client_id = "s", .username = "dev1"});
  client.SendBytes(kBadSubscribeFlags);
  const Received<mqtt::Disconnect> disconnect =
      client.Expect<mqtt::Disconnect>();
  EXPECT_EQ(disconnect->reason_code, ReasonCode::kMalformedPacket);
  EXPECT_THAT(std::string(disconnect->properties.reason_string.value_or("")),
              HasSubstr("[MQTT-3.8.1-1]"));
  EXPECT_TRUE(client.closed());
  const std::vector<RecordedEvent> disconnected =
      harness.EventsOfKind(EventKind::kDisconnected);
  ASSERT_THAT(disconnected, SizeIs(1));
  EXPECT_EQ(disconnected[0].reason, DisconnectionReason::kClientError);
  EXPECT_EQ(disconnected[0].reason_code, ReasonCode::kMalformedPacket);
  EXPECT_THAT(disconnected[0].detail, HasSubstr("[MQTT-3.8.1-1]"));
}

// A second CONNECT of an unsupported protocol decodes to 0x84, which no
// DISCONNECT may carry: it is the Protocol Error of any second CONNECT
// [MQTT-3.1.0-2]. (Found by the broker_session fuzzer: the broker failed an
// invariant check.)
TEST(MalformedTest, SecondConnectOfAnUnsupportedProtocolIsAProtocolError) {
  BrokerHarness harness(OpenNamespace({"dev1"}));
  TestClient& client =
      harness.ConnectOk({.client_id = "s", .username = "dev1"});
  // CONNECT, protocol name "A", level 5.
  constexpr uint8_t kConnectOfProtocolA[] = {
      0x10, 0x0A, 0x00, 0x01, 'A', 0x05, 0x02, 0x00, 0x3C, 0x00, 0x00, 0x00};
  client.SendBytes(kConnectOfProtocolA);
  const Received<mqtt::Disconnect> disconnect =
      client.Expect<mqtt::Disconnect>();
  EXPECT_EQ(disconnect->reason_code, ReasonCode::kProtocolError);
  EXPECT_TRUE(client.closed());
}

TEST(MalformedTest, V311IsClosed) {
  BrokerHarness harness(OpenNamespace({"dev1"}));
  TestClient& client = harness.ConnectOk(
      {.client_id = "s", .username = "dev1", .version = Version::kV311});
  client.SendBytes(kBadSubscribeFlags);
  client.ExpectNothing();
  EXPECT_TRUE(client.closed());
}

// A syntactically invalid filter is a malformed packet ([MQTT-4.7.1-1]),
// not a SUBACK 0x8F, which is for well-formed filters the server refuses.
TEST(MalformedTest, InvalidFilterIsMalformed) {
  BrokerHarness harness(OpenNamespace({"dev1"}));
  TestClient& client =
      harness.ConnectOk({.client_id = "s", .username = "dev1"});
  const mqtt::Subscription subscriptions[] = {{"a/#/b", {}}};
  client.Send(mqtt::Subscribe{
      .packet_id = 1,
      .subscriptions = mqtt::Subscriptions::FromList(subscriptions)});
  EXPECT_EQ(client.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kMalformedPacket);
}

// The bytes of a session, cut at every point, give the same result.
TEST(MalformedTest, AnySplitOfTheInputGivesTheSameResult) {
  std::vector<uint8_t> stream;
  mqtt::Connect connect{.version = Version::kV5, .keep_alive = 60};
  connect.client_id = "s";
  connect.username = "dev1";
  ASSERT_TRUE(mqtt::Encode(connect, Version::kV5, &stream));
  const mqtt::Subscription subscriptions[] = {
      {"t", {.maximum_qos = Qos::kAtLeastOnce}}};
  ASSERT_TRUE(mqtt::Encode(
      mqtt::Subscribe{
          .packet_id = 1,
          .subscriptions = mqtt::Subscriptions::FromList(subscriptions)},
      Version::kV5, &stream));
  const std::string payload = "payload";
  mqtt::Publish publish{.qos = Qos::kAtLeastOnce, .topic = "t", .packet_id = 2};
  publish.payload = AsBytes(payload);
  ASSERT_TRUE(mqtt::Encode(publish, Version::kV5, &stream));
  stream.insert(stream.end(), std::begin(kBadSubscribeFlags),
                std::end(kBadSubscribeFlags));

  const auto run = [&](size_t split) {
    BrokerHarness harness(OpenNamespace({"dev1"}));
    TestClient& client = harness.Open();
    client.SendBytes(std::span(stream).first(split));
    client.SendBytes(std::span(stream).subspan(split));
    std::vector<std::string> received;
    for (const ReceivedPacket& packet : client.Receive()) {
      received.push_back(mqtt::PacketSummary(packet.packet()));
    }
    EXPECT_TRUE(client.closed());
    return received;
  };
  const std::vector<std::string> whole = run(stream.size());
  ASSERT_THAT(whole, SizeIs(5));  // CONNACK SUBACK PUBLISH PUBACK DISCONNECT.
  for (size_t split = 0; split < stream.size(); ++split) {
    ASSERT_EQ(run(split), whole) << "split at " << split;
  }
}

// Random bytes after CONNECT never crash the broker; every connection ends
// or stays consistent, and no stored message leaks.
TEST(MalformedTest, RandomBytesAreHandled) {
  Random random(11);
  for (int round = 0; round < 300; ++round) {
    BrokerHarness harness(OpenNamespace({"dev1"}));
    TestClient& client =
        harness.ConnectOk({.client_id = "s", .username = "dev1"});
    std::vector<uint8_t> bytes(random.Below(64) + 1);
    for (uint8_t& byte : bytes) byte = static_cast<uint8_t>(random.Next());
    client.SendBytes(bytes);
    client.Receive();
    client.Drop();
    EXPECT_EQ(harness.broker().stats().connections, 0u);
    EXPECT_EQ(harness.broker().stats().stored_messages, 0u);
  }
}

}  // namespace
}  // namespace mqlab::broker::testing
