// The raw escape hatch for the lab's limit probes: SendPacket and SendRaw
// write what they are given, untracked; the tap sees every packet from the
// server.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mqtt/encoder.h"
#include "mqtt/printer.h"
#include "tests/client/client_harness.h"

namespace mqlab::client {
namespace {

using ::mqlab::client::testing::AsBytes;
using ::mqlab::client::testing::ClientHarness;
using mqtt::Qos;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(ProbeTest, Qos2PublishCompletesWithPubrel) {
  ClientHarness h;
  mqtt::Connack connack;
  connack.properties.maximum_qos = 1;
  connack.properties.retain_available = 0;
  h.Connect({.client_id = "probe"}, connack);
  // What Publish() refuses, SendPacket writes.
  EXPECT_TRUE(h.client.SendPacket(mqtt::Publish{.qos = Qos::kExactlyOnce,
                                                .retain = true,
                                                .topic = "probes/qos2",
                                                .packet_id = 9,
                                                .payload = AsBytes("x")},
                                  h.now));
  EXPECT_THAT(h.Sent(),
              ElementsAre("PUBLISH qos=2 dup=0 topic=probes/qos2 retain "
                          "payload=x"));
  h.Receive(mqtt::Pubrec{.packet_id = 9});
  EXPECT_THAT(h.Sent(), ElementsAre("PUBREL rc=0x00"));
  h.Receive(mqtt::Pubcomp{.packet_id = 9});
  EXPECT_THAT(h.Sent(), IsEmpty());
  EXPECT_EQ(h.client.stats().raw_sends, 1u);
}

TEST(ProbeTest, FailedPubrecGetsNoPubrel) {
  ClientHarness h;
  h.Connect();
  h.Receive(mqtt::Pubrec{.packet_id = 9,
                         .reason_code = mqtt::ReasonCode::kQuotaExceeded});
  EXPECT_THAT(h.Sent(), IsEmpty());
}

TEST(ProbeTest, RawQos1PublishIsNotTracked) {
  ClientHarness h;
  h.Connect();
  EXPECT_TRUE(h.client.SendPacket(
      mqtt::Publish{.qos = Qos::kAtLeastOnce, .topic = "t", .packet_id = 7},
      h.now));
  h.Receive(mqtt::Puback{.packet_id = 7});
  EXPECT_EQ(h.client.stats().unmatched_acks, 1u);
  EXPECT_EQ(h.client.pending_publishes(), 0u);
}

TEST(ProbeTest, RawBytesGoOutAsTheyAre) {
  ClientHarness h;
  EXPECT_FALSE(h.client.SendRaw(std::vector<uint8_t>{0xC0, 0x00}, h.now));
  ASSERT_TRUE(h.client.Connect({.client_id = "probe"}, h.now).ok());
  EXPECT_FALSE(h.client.SendPacket(mqtt::Pingreq{}, h.now));  // Not open.
  h.client.OnConnected(h.now);
  // Before CONNACK already: a probe may send right after CONNECT.
  const std::vector<uint8_t> topic_alias_zero = {0x30, 0x07, 0x00, 0x01, 't',
                                                 0x03, 0x23, 0x00, 0x00};
  EXPECT_TRUE(h.client.SendRaw(topic_alias_zero, h.now));
  ASSERT_EQ(h.host.sent.size(), 2u);
  EXPECT_EQ(h.host.sent[1], topic_alias_zero);
}

TEST(ProbeTest, AuthExchangeIsLeftToTheApplication) {
  std::vector<std::string> seen;
  struct Tap : testing::RecordingObserver {
    std::vector<std::string>* seen;
    void OnPacketReceived(const mqtt::Packet& packet, Time) override {
      seen->push_back(mqtt::PacketSummary(packet));
    }
  };
  Tap tap;
  tap.seen = &seen;
  Random random(1);
  testing::ScriptedHost host(mqtt::Version::kV5);
  Client client({}, &host, &tap, &random);
  ASSERT_TRUE(
      client
          .Connect(
              {.client_id = "probe", .authentication_method = "SCRAM-SHA-1"}, 0)
          .ok());
  client.OnConnected(0);
  std::vector<uint8_t> auth;
  ASSERT_TRUE(mqtt::Encode(
      mqtt::Auth{.reason_code = mqtt::ReasonCode::kContinueAuthentication},
      mqtt::Version::kV5, &auth));
  client.OnBytesReceived(auth, 0);
  EXPECT_EQ(client.state(), Client::State::kAwaitingConnack);
  EXPECT_THAT(seen, ElementsAre("AUTH"));
  EXPECT_TRUE(client.SendPacket(
      mqtt::Auth{.reason_code = mqtt::ReasonCode::kContinueAuthentication}, 0));
}

}  // namespace
}  // namespace mqlab::client
