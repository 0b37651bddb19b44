// Incoming messages and everything else the server sends: acknowledgements
// (automatic with the observer's reason code, or manual), the client's
// Receive Maximum, QoS 2, the server's Topic Aliases, and malformed or
// forbidden input (reason code sent, rule reported, connection ended).
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mqtt/encoder.h"
#include "tests/client/client_harness.h"

namespace mqlab::client {
namespace {

using ::mqlab::client::testing::AsBytes;
using ::mqlab::client::testing::ClientHarness;
using mqtt::Qos;
using mqtt::ReasonCode;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

mqtt::Publish Incoming(std::string_view topic, std::string_view payload,
                       Qos qos = Qos::kAtMostOnce, uint16_t packet_id = 0) {
  return {.qos = qos,
          .topic = topic,
          .packet_id = packet_id,
          .payload = AsBytes(payload)};
}

TEST(ReceiveTest, Qos0IsDeliveredAndNotAcknowledged) {
  ClientHarness h;
  h.Connect();
  h.Events();
  h.Receive(Incoming("a/b", "hello"));
  EXPECT_THAT(h.Events(),
              ElementsAre("message topic=a/b qos=0 dup=0 payload=hello"));
  EXPECT_THAT(h.Sent(), IsEmpty());
  EXPECT_EQ(h.client.stats().messages_received, 1u);
}

TEST(ReceiveTest, Qos1IsAcknowledgedWithTheObserversReasonCode) {
  ClientHarness h;
  h.Connect();
  h.Receive(Incoming("t", "1", Qos::kAtLeastOnce, 10));
  EXPECT_THAT(h.Sent(), ElementsAre("PUBACK rc=0x00"));
  h.observer.on_message = [](const MessageEvent& e, MessageAck* ack) {
    EXPECT_NE(e.ack_token, 0u);
    ack->reason_code = ReasonCode::kImplementationSpecificError;
  };
  h.Receive(Incoming("t", "2", Qos::kAtLeastOnce, 11));
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  ASSERT_EQ(sent.size(), 1u);
  const mqtt::Puback& puback = std::get<mqtt::Puback>(sent[0]);
  EXPECT_EQ(puback.packet_id, 11);
  EXPECT_EQ(puback.reason_code, ReasonCode::kImplementationSpecificError);
  EXPECT_EQ(h.client.stats().acks_sent, 2u);
}

TEST(ReceiveTest, V311Qos1IsAcknowledged) {
  ClientHarness h({.version = mqtt::Version::kV311});
  h.Connect();
  h.Receive(Incoming("t", "1", Qos::kAtLeastOnce, 3));
  EXPECT_THAT(h.Sent(), ElementsAre("PUBACK rc=0x00"));
}

TEST(ReceiveTest, ManualAcknowledgementAndTheClientsReceiveMaximum) {
  ClientOptions options;
  options.ack_mode = AckMode::kManual;
  ClientHarness h(options);
  h.Connect({.client_id = "c1", .receive_maximum = 2});
  std::vector<uint64_t> tokens;
  h.observer.on_message = [&](const MessageEvent& e, MessageAck*) {
    tokens.push_back(e.ack_token);
  };
  h.Receive(Incoming("t", "1", Qos::kAtLeastOnce, 1));
  h.Receive(Incoming("t", "2", Qos::kAtLeastOnce, 2));
  EXPECT_THAT(h.Sent(), IsEmpty());
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_TRUE(h.client.Acknowledge(tokens[1], ReasonCode::kSuccess, h.now));
  EXPECT_FALSE(h.client.Acknowledge(tokens[1], ReasonCode::kSuccess, h.now));
  EXPECT_FALSE(h.client.Acknowledge(12345, ReasonCode::kSuccess, h.now));
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(std::get<mqtt::Puback>(sent[0]).packet_id, 2);
  h.Receive(Incoming("t", "3", Qos::kAtLeastOnce, 3));
  h.Events();
  // Two unacknowledged: a third is beyond the Receive Maximum.
  h.Receive(Incoming("t", "4", Qos::kAtLeastOnce, 4));
  EXPECT_THAT(h.Sent(), ElementsAre("DISCONNECT rc=0x93"));
  EXPECT_THAT(h.Events(),
              ElementsAre("disconnected protocol-error rc=0x93 reconnect=1",
                          "reconnecting attempt=1"));
  EXPECT_THAT(h.observer.last_rule, HasSubstr("Receive Maximum"));
  // Tokens of the old connection are void.
  EXPECT_FALSE(h.client.Acknowledge(tokens[0], ReasonCode::kSuccess, h.now));
}

TEST(ReceiveTest, ManualAcknowledgementOfQos2) {
  ClientOptions options;
  options.ack_mode = AckMode::kManual;
  ClientHarness h(options);
  h.Connect();
  uint64_t token = 0;
  h.observer.on_message = [&](const MessageEvent& e, MessageAck*) {
    token = e.ack_token;
  };
  h.Receive(Incoming("t", "x", Qos::kExactlyOnce, 8));
  EXPECT_THAT(h.Sent(), IsEmpty());
  // PUBREL before the application acknowledged: not released yet.
  h.Receive(mqtt::Pubrel{.packet_id = 8});
  EXPECT_THAT(h.Sent(), ElementsAre("PUBCOMP rc=0x92"));
  EXPECT_TRUE(h.client.Acknowledge(token, ReasonCode::kSuccess, h.now));
  EXPECT_THAT(h.Sent(), ElementsAre("PUBREC rc=0x00"));
  h.Receive(mqtt::Pubrel{.packet_id = 8});
  EXPECT_THAT(h.Sent(), ElementsAre("PUBCOMP rc=0x00"));
}

TEST(ReceiveTest, AutomaticModeRefusesManualAcknowledgement) {
  ClientHarness h;
  h.Connect();
  uint64_t token = 0;
  h.observer.on_message = [&](const MessageEvent& e, MessageAck*) {
    token = e.ack_token;
  };
  h.Receive(Incoming("t", "1", Qos::kAtLeastOnce, 1));
  EXPECT_FALSE(h.client.Acknowledge(token, ReasonCode::kSuccess, h.now));
  EXPECT_THAT(h.Sent(), ElementsAre("PUBACK rc=0x00"));
}

TEST(ReceiveTest, ReusedPacketIdentifierIsAProtocolError) {
  ClientOptions options;
  options.ack_mode = AckMode::kManual;
  ClientHarness h(options);
  h.Connect();
  h.Receive(Incoming("t", "1", Qos::kAtLeastOnce, 5));
  h.Receive(Incoming("t", "2", Qos::kAtLeastOnce, 5));
  EXPECT_THAT(h.Sent(), ElementsAre("DISCONNECT rc=0x82"));
  EXPECT_THAT(h.observer.last_rule, HasSubstr("2.2.1"));
}

TEST(ReceiveTest, Qos2IsDeliveredOnce) {
  ClientHarness h;
  h.Connect();
  h.Events();
  h.Receive(Incoming("t", "x", Qos::kExactlyOnce, 5));
  EXPECT_THAT(h.Sent(), ElementsAre("PUBREC rc=0x00"));
  mqtt::Publish again = Incoming("t", "x", Qos::kExactlyOnce, 5);
  again.dup = true;
  h.Receive(again);
  EXPECT_THAT(h.Sent(), ElementsAre("PUBREC rc=0x00"));
  h.Receive(mqtt::Pubrel{.packet_id = 5});
  EXPECT_THAT(h.Sent(), ElementsAre("PUBCOMP rc=0x00"));
  h.Receive(mqtt::Pubrel{.packet_id = 6});
  EXPECT_THAT(h.Sent(), ElementsAre("PUBCOMP rc=0x92"));
  EXPECT_THAT(h.Events(), ElementsAre("message topic=t qos=2 dup=0 payload=x"));
}

TEST(ReceiveTest, Qos2StateSurvivesAResumedSession) {
  ClientHarness h;
  mqtt::Connack connack;
  h.Connect(
      {.client_id = "c1", .clean_start = false, .session_expiry_interval = 60},
      connack);
  h.Receive(Incoming("t", "x", Qos::kExactlyOnce, 5));
  h.client.OnConnectionClosed(h.now);
  h.Reconnect(mqtt::Connack{.session_present = true});
  h.Events();
  mqtt::Publish again = Incoming("t", "x", Qos::kExactlyOnce, 5);
  again.dup = true;
  h.Receive(again);
  EXPECT_THAT(h.Sent(), ElementsAre("PUBREC rc=0x00"));
  EXPECT_THAT(h.Events(), IsEmpty());
}

TEST(ReceiveTest, MalformedInputGetsItsReasonCodeAndRule) {
  ClientHarness h;
  h.Connect();
  h.Events();
  // A PUBLISH with both QoS bits set.
  h.ReceiveBytes(std::vector<uint8_t>{0x36, 0x00});
  EXPECT_THAT(h.Sent(), ElementsAre("DISCONNECT rc=0x81"));
  EXPECT_THAT(h.Events(),
              ElementsAre("disconnected protocol-error rc=0x81 reconnect=1",
                          "reconnecting attempt=1"));
  EXPECT_THAT(h.observer.last_rule, HasSubstr("[MQTT-3.3.1-4]"));
  EXPECT_EQ(h.host.close_calls, 1);
}

TEST(ReceiveTest, V311MalformedInputClosesWithoutDisconnect) {
  ClientHarness h({.version = mqtt::Version::kV311});
  h.Connect();
  h.ReceiveBytes(std::vector<uint8_t>{0x36, 0x00});
  EXPECT_THAT(h.Sent(), IsEmpty());
  EXPECT_EQ(h.host.close_calls, 1);
  EXPECT_EQ(h.observer.last_cause, DisconnectCause::kProtocolError);
}

TEST(ReceiveTest, PacketOverTheClientsMaximumIsRefused) {
  ClientHarness h;
  h.Connect({.client_id = "c1", .maximum_packet_size = 100});
  h.Receive(Incoming("t", std::string(200, 'x')));
  EXPECT_THAT(h.Sent(), ElementsAre("DISCONNECT rc=0x95"));
  EXPECT_EQ(h.client.stats().messages_received, 0u);
}

TEST(ReceiveTest, ServerTopicAliases) {
  ClientHarness h;
  h.Connect({.client_id = "c1", .topic_alias_maximum = 2});
  h.Events();
  mqtt::Publish bind = Incoming("a/b", "1");
  bind.properties.topic_alias = 1;
  h.Receive(bind);
  mqtt::Publish use = Incoming("", "2");
  use.properties.topic_alias = 1;
  h.Receive(use);
  EXPECT_THAT(h.Events(),
              ElementsAre("message topic=a/b qos=0 dup=0 payload=1",
                          "message topic=a/b qos=0 dup=0 payload=2"));
  mqtt::Publish unknown = Incoming("", "3");
  unknown.properties.topic_alias = 2;
  h.Receive(unknown);
  EXPECT_THAT(h.Sent(), ElementsAre("DISCONNECT rc=0x82"));
  EXPECT_THAT(h.observer.last_rule, HasSubstr("3.3.2.3.4"));
}

TEST(ReceiveTest, ServerTopicAliasAboveTheMaximumIsRefused) {
  ClientHarness h;
  h.Connect({.client_id = "c1", .topic_alias_maximum = 2});
  mqtt::Publish bind = Incoming("a/b", "1");
  bind.properties.topic_alias = 3;
  h.Receive(bind);
  EXPECT_THAT(h.Sent(), ElementsAre("DISCONNECT rc=0x94"));
  EXPECT_THAT(h.observer.last_rule, HasSubstr("[MQTT-3.3.2-10]"));
}

TEST(ReceiveTest, ClientToServerPacketsFromTheServerAreProtocolErrors) {
  const mqtt::Subscription filter[] = {{.topic_filter = "a"}};
  for (const mqtt::Packet& packet :
       {mqtt::Packet(mqtt::Pingreq{}),
        mqtt::Packet(mqtt::Subscribe{.packet_id = 1,
        .subscriptions = mqtt::Subscriptions::FromList(filter)})}) {
    ClientHarness h;
    h.Connect();
    h.Receive(packet);
    EXPECT_THAT(h.Sent(), ElementsAre("DISCONNECT rc=0x82"));
    EXPECT_THAT(h.observer.last_rule, HasSubstr("sent only by the Client"));
  }
}

TEST(ReceiveTest, V311DisconnectFromTheServerIsAProtocolError) {
  ClientHarness h({.version = mqtt::Version::kV311});
  h.Connect();
  h.Receive(mqtt::Disconnect{});
  EXPECT_EQ(h.observer.last_cause, DisconnectCause::kProtocolError);
  EXPECT_THAT(h.observer.last_rule, HasSubstr("3.14"));
}

TEST(ReceiveTest, AuthWithoutAnAuthenticationMethodIsAProtocolError) {
  ClientHarness h;
  h.Connect();
  h.Receive(mqtt::Auth{.reason_code = ReasonCode::kContinueAuthentication});
  EXPECT_THAT(h.Sent(), ElementsAre("DISCONNECT rc=0x82"));
  EXPECT_THAT(h.observer.last_rule, HasSubstr("4.12"));
}

TEST(ReceiveTest, AnySplitOfTheStreamGivesTheSameEvents) {
  std::vector<uint8_t> stream;
  ASSERT_TRUE(mqtt::Encode(mqtt::Connack{}, mqtt::Version::kV5, &stream));
  ASSERT_TRUE(mqtt::Encode(Incoming("a", "first", Qos::kAtLeastOnce, 1),
                           mqtt::Version::kV5, &stream));
  ASSERT_TRUE(mqtt::Encode(Incoming("b", std::string(300, 'x')),
                           mqtt::Version::kV5, &stream));
  ASSERT_TRUE(mqtt::Encode(mqtt::Pingresp{}, mqtt::Version::kV5, &stream));
  std::vector<std::string> whole_events;
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    ClientHarness h;
    ASSERT_TRUE(h.client.Connect({.client_id = "c1"}, h.now).ok());
    h.client.OnConnected(h.now);
    h.ReceiveBytes(std::span(stream).first(cut));
    h.ReceiveBytes(std::span(stream).subspan(cut));
    const std::vector<std::string> events = h.Events();
    if (cut == 0) whole_events = events;
    EXPECT_EQ(events, whole_events) << "cut at " << cut;
  }
  ASSERT_EQ(whole_events.size(), 3u);
  EXPECT_EQ(whole_events[2],
            "message topic=b qos=0 dup=0 payload=" + std::string(300, 'x'));
}

TEST(ReceiveTest, DisconnectFromInsideTheObserverStopsTheBuffer) {
  ClientHarness h;
  h.Connect();
  h.Events();
  h.observer.on_message = [&](const MessageEvent&, MessageAck*) {
    h.client.Disconnect({}, h.now);
  };
  std::vector<uint8_t> stream;
  ASSERT_TRUE(mqtt::Encode(Incoming("a", "1", Qos::kAtLeastOnce, 1),
                           mqtt::Version::kV5, &stream));
  ASSERT_TRUE(mqtt::Encode(Incoming("a", "2"), mqtt::Version::kV5, &stream));
  h.ReceiveBytes(stream);
  EXPECT_THAT(h.Events(), ElementsAre("message topic=a qos=1 dup=0 payload=1",
                                      "disconnected client-disconnect rc=0x00 "
                                      "reconnect=0"));
  // No PUBACK after the DISCONNECT.
  EXPECT_THAT(h.Sent(), ElementsAre("DISCONNECT rc=0x00"));
}

}  // namespace
}  // namespace mqlab::client
