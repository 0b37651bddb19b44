// Outgoing messages: QoS 0 and 1, the server's Receive Maximum, Maximum
// Packet Size, Maximum QoS and Retain Available, the client's bounds,
// back-pressure, properties, and client-side Topic Aliases.
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/client_harness.h"

namespace mqlab::client {
namespace {

using ::mqlab::client::testing::AsBytes;
using ::mqlab::client::testing::ClientHarness;
using ::mqlab::client::testing::Text;
using mqtt::Qos;
using mqtt::ReasonCode;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

ApplicationMessage Qos1(std::string_view topic, std::string_view payload) {
  return ClientHarness::Message(topic, payload, Qos::kAtLeastOnce);
}

mqtt::Connack WithReceiveMaximum(uint16_t receive_maximum) {
  mqtt::Connack connack;
  connack.properties.receive_maximum = receive_maximum;
  return connack;
}

uint16_t PacketIdOf(const mqtt::Packet& packet) {
  return std::get<mqtt::Publish>(packet).packet_id;
}

TEST(PublishTest, Qos0GoesOutOnlyOnAnAcceptedConnection) {
  ClientHarness h;
  const ApplicationMessage message = ClientHarness::Message("a/b", "hi");
  EXPECT_EQ(h.client.Publish(message, h.now).status,
            PublishStatus::kNotConnected);
  ASSERT_TRUE(h.client.Connect({.client_id = "c1"}, h.now).ok());
  h.client.OnConnected(h.now);
  h.Sent();
  EXPECT_EQ(h.client.Publish(message, h.now).status,
            PublishStatus::kNotConnected);
  h.Receive(mqtt::Connack{});
  const PublishResult result = h.client.Publish(message, h.now);
  EXPECT_EQ(result.status, PublishStatus::kSent);
  EXPECT_EQ(result.message_id, 0u);
  EXPECT_THAT(h.Sent(),
              ElementsAre("PUBLISH qos=0 dup=0 topic=a/b payload=hi"));
  EXPECT_EQ(h.client.stats().qos0_sent, 1u);
  EXPECT_EQ(h.client.stats().publishes_refused, 2u);
}

TEST(PublishTest, Qos1HonoursTheServersReceiveMaximum) {
  ClientHarness h;
  h.Connect({.client_id = "c1"}, WithReceiveMaximum(2));
  h.Events();
  for (int i = 0; i < 5; ++i) {
    const PublishResult result =
        h.client.Publish(Qos1("t", std::to_string(i)), h.now);
    EXPECT_EQ(result.status, PublishStatus::kAccepted);
    EXPECT_EQ(result.message_id, static_cast<uint64_t>(i + 1));
  }
  std::vector<mqtt::Packet> sent = h.SentPackets();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(Text(std::get<mqtt::Publish>(sent[0]).payload), "0");
  EXPECT_EQ(Text(std::get<mqtt::Publish>(sent[1]).payload), "1");
  EXPECT_EQ(h.client.pending_publishes(), 5u);
  EXPECT_EQ(h.client.in_flight(), 2u);

  // Acknowledged out of order: each PUBACK lets one more go, in order.
  h.Receive(mqtt::Puback{.packet_id = PacketIdOf(sent[1])});
  EXPECT_THAT(h.Events(), ElementsAre("acked m2 rc=0x00"));
  std::vector<mqtt::Packet> next = h.SentPackets();
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(Text(std::get<mqtt::Publish>(next[0]).payload), "2");
  h.Receive(mqtt::Puback{.packet_id = PacketIdOf(sent[0])});
  h.Receive(mqtt::Puback{.packet_id = PacketIdOf(next[0])});
  EXPECT_THAT(h.Sent(), ElementsAre("PUBLISH qos=1 dup=0 topic=t payload=3",
                                    "PUBLISH qos=1 dup=0 topic=t payload=4"));
  EXPECT_THAT(h.Events(), ElementsAre("acked m1 rc=0x00", "acked m3 rc=0x00"));
  EXPECT_EQ(h.client.in_flight(), 2u);
  EXPECT_EQ(h.client.pending_publishes(), 2u);
}

TEST(PublishTest, MaxInFlightCapsTheWindowFurther) {
  ClientOptions options;
  options.max_in_flight = 1;
  ClientHarness h(options);
  h.Connect({.client_id = "c1"}, WithReceiveMaximum(100));
  h.client.Publish(Qos1("t", "a"), h.now);
  h.client.Publish(Qos1("t", "b"), h.now);
  EXPECT_EQ(h.SentPackets().size(), 1u);
  EXPECT_EQ(h.client.in_flight(), 1u);
}

TEST(PublishTest, FullQueueRefusesUntilAnAcknowledgement) {
  ClientOptions options;
  options.max_pending_publishes = 3;
  ClientHarness h(options);
  h.Connect({.client_id = "c1"}, WithReceiveMaximum(1));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(h.client.Publish(Qos1("t", "x"), h.now).status,
              PublishStatus::kAccepted);
  }
  EXPECT_EQ(h.client.Publish(Qos1("t", "x"), h.now).status,
            PublishStatus::kQueueFull);
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  ASSERT_EQ(sent.size(), 1u);
  h.Receive(mqtt::Puback{.packet_id = PacketIdOf(sent[0])});
  EXPECT_EQ(h.client.Publish(Qos1("t", "x"), h.now).status,
            PublishStatus::kAccepted);
}

TEST(PublishTest, PendingBytesAreBounded) {
  ClientOptions options;
  options.max_pending_publish_bytes = 100;
  ClientHarness h(options);
  h.Connect();
  const std::string payload(80, 'p');
  EXPECT_EQ(h.client.Publish(Qos1("t", payload), h.now).status,
            PublishStatus::kAccepted);
  EXPECT_EQ(h.client.Publish(Qos1("t", payload), h.now).status,
            PublishStatus::kQueueFull);
  EXPECT_EQ(h.client.pending_publishes(), 1u);
}

TEST(PublishTest, LargerThanTheServersMaximumPacketSizeIsRefused) {
  ClientHarness h;
  mqtt::Connack connack;
  connack.properties.maximum_packet_size = 64;
  h.Connect({.client_id = "c1"}, connack);
  const std::string payload(100, 'p');
  EXPECT_EQ(
      h.client.Publish(ClientHarness::Message("t", payload), h.now).status,
      PublishStatus::kPacketTooLarge);
  EXPECT_EQ(h.client.Publish(Qos1("t", payload), h.now).status,
            PublishStatus::kPacketTooLarge);
  EXPECT_EQ(h.client.pending_publishes(), 0u);
  EXPECT_EQ(h.client.Publish(Qos1("t", "small"), h.now).status,
            PublishStatus::kAccepted);
  EXPECT_THAT(h.Sent(),
              ElementsAre("PUBLISH qos=1 dup=0 topic=t payload=small"));
}

TEST(PublishTest, QosAndRetainBeyondTheServersAreRefused) {
  ClientHarness h;
  mqtt::Connack connack;
  connack.properties.maximum_qos = 0;
  connack.properties.retain_available = 0;
  h.Connect({.client_id = "c1"}, connack);
  EXPECT_EQ(
      h.client
          .Publish(ClientHarness::Message("t", "x", Qos::kExactlyOnce), h.now)
          .status,
      PublishStatus::kQosNotSupported);
  EXPECT_EQ(h.client.Publish(Qos1("t", "x"), h.now).status,
            PublishStatus::kQosNotSupported);
  ApplicationMessage retained = ClientHarness::Message("t", "x");
  retained.retain = true;
  EXPECT_EQ(h.client.Publish(retained, h.now).status,
            PublishStatus::kRetainNotSupported);
  EXPECT_THAT(h.Sent(), IsEmpty());
}

TEST(PublishTest, RetainGoesOutWhenTheServerSaysNothing) {
  ClientHarness h;
  h.Connect();
  ApplicationMessage retained = ClientHarness::Message("t", "x");
  retained.retain = true;
  EXPECT_EQ(h.client.Publish(retained, h.now).status, PublishStatus::kSent);
  EXPECT_THAT(h.Sent(),
              ElementsAre("PUBLISH qos=0 dup=0 topic=t retain payload=x"));
}

TEST(PublishTest, BadTopicsAndPropertiesAreRefused) {
  ClientHarness h;
  h.Connect();
  for (const std::string_view topic :
       {std::string_view(""), std::string_view("a/+"), std::string_view("#"),
        std::string_view("a\0b", 3), std::string_view("\xff\xfe")}) {
    EXPECT_EQ(
        h.client.Publish(ClientHarness::Message(topic, "x"), h.now).status,
        PublishStatus::kTopicNameInvalid)
        << topic;
  }
  ApplicationMessage m = ClientHarness::Message("t", "x");
  m.response_topic = "replies/+";
  EXPECT_EQ(h.client.Publish(m, h.now).status, PublishStatus::kPropertyInvalid);
  m = ClientHarness::Message("t", "x");
  m.payload_format_indicator = 2;
  EXPECT_EQ(h.client.Publish(m, h.now).status, PublishStatus::kPropertyInvalid);
  EXPECT_THAT(h.Sent(), IsEmpty());
}

TEST(PublishTest, PropertiesGoOnTheWire) {
  ClientHarness h;
  h.Connect();
  const mqtt::UserProperty user[] = {{"status", "200"}};
  ApplicationMessage m = Qos1("vehicles/v1/position", "{}");
  m.payload_format_indicator = 1;
  m.message_expiry_interval = 300;
  m.content_type = "application/json";
  m.response_topic = "vehicles/v1/replies";
  m.correlation_data = AsBytes("guid");
  m.user_properties = user;
  ASSERT_EQ(h.client.Publish(m, h.now).status, PublishStatus::kAccepted);
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  ASSERT_EQ(sent.size(), 1u);
  const mqtt::Publish& p = std::get<mqtt::Publish>(sent[0]);
  EXPECT_EQ(p.topic, "vehicles/v1/position");
  EXPECT_NE(p.packet_id, 0);
  EXPECT_EQ(p.properties.payload_format_indicator, 1);
  EXPECT_EQ(p.properties.message_expiry_interval, 300u);
  EXPECT_EQ(p.properties.content_type, "application/json");
  EXPECT_EQ(p.properties.response_topic, "vehicles/v1/replies");
  ASSERT_TRUE(p.properties.correlation_data.has_value());
  EXPECT_EQ(Text(*p.properties.correlation_data), "guid");
  ASSERT_EQ(p.properties.user_properties.size(), 1u);
  EXPECT_EQ(*p.properties.user_properties.begin(), user[0]);
}

TEST(PublishTest, V311HasNoPropertiesAndNoPubackReasonCode) {
  ClientHarness h({.version = mqtt::Version::kV311});
  h.Connect();
  h.Events();
  ApplicationMessage m = Qos1("t", "x");
  m.content_type = "text/plain";
  EXPECT_EQ(h.client.Publish(m, h.now).status, PublishStatus::kNeedsMqtt5);
  EXPECT_EQ(h.client.Publish(Qos1("t", "x"), h.now).status,
            PublishStatus::kAccepted);
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  ASSERT_EQ(sent.size(), 1u);
  h.Receive(mqtt::Puback{.packet_id = PacketIdOf(sent[0])});
  EXPECT_THAT(h.Events(), ElementsAre("acked m1 rc=0x00"));
  EXPECT_EQ(h.client.stats().qos1_acknowledged, 1u);
}

TEST(PublishTest, PubackFailureCodeIsReported) {
  ClientHarness h;
  h.Connect();
  h.Events();
  h.client.Publish(Qos1("t", "x"), h.now);
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  mqtt::Puback puback{.packet_id = PacketIdOf(sent[0]),
                      .reason_code = ReasonCode::kNotAuthorized};
  puback.properties.reason_string = "no publisher binding";
  h.Receive(puback);
  EXPECT_THAT(h.Events(), ElementsAre("acked m1 rc=0x87"));
  EXPECT_EQ(h.client.stats().qos1_rejected, 1u);
  EXPECT_EQ(h.client.pending_publishes(), 0u);
}

TEST(PublishTest, UnmatchedAndRepeatedPubacksAreCountedAndIgnored) {
  ClientHarness h;
  h.Connect();
  h.Events();
  h.client.Publish(Qos1("t", "a"), h.now);
  const uint16_t first = PacketIdOf(h.SentPackets()[0]);
  h.Receive(mqtt::Puback{.packet_id = first});
  // The slot is reused with another identifier: a repeated PUBACK for the
  // first message does not complete the second.
  h.client.Publish(Qos1("t", "b"), h.now);
  const uint16_t second = PacketIdOf(h.SentPackets()[0]);
  EXPECT_NE(first, second);
  h.Receive(mqtt::Puback{.packet_id = first});
  h.Receive(mqtt::Puback{.packet_id = 4242});
  EXPECT_THAT(h.Events(), ElementsAre("acked m1 rc=0x00"));
  EXPECT_EQ(h.client.stats().unmatched_acks, 2u);
  EXPECT_EQ(h.client.pending_publishes(), 1u);
}

TEST(PublishTest, PacketIdentifiersOfPendingMessagesAreDistinct) {
  ClientOptions options;
  options.max_pending_publishes = 2000;
  ClientHarness h(options);
  h.Connect();
  std::set<uint16_t> ids;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 2000; ++i) {
      ASSERT_EQ(h.client.Publish(Qos1("t", "x"), h.now).status,
                PublishStatus::kAccepted);
    }
    std::set<uint16_t> round_ids;
    for (const mqtt::Packet& packet : h.SentPackets()) {
      round_ids.insert(PacketIdOf(packet));
    }
    EXPECT_EQ(round_ids.size(), 2000u);
    for (const uint16_t id : round_ids) {
      h.Receive(mqtt::Puback{.packet_id = id});
    }
    ids.insert(round_ids.begin(), round_ids.end());
  }
  // Reused slots took new identifiers.
  EXPECT_EQ(ids.size(), 6000u);
  EXPECT_EQ(h.client.stats().qos1_acknowledged, 6000u);
}

TEST(PublishTest, Qos1WaitsForAConnection) {
  ClientHarness h;
  EXPECT_EQ(h.client.Publish(Qos1("t", "early"), h.now).status,
            PublishStatus::kAccepted);
  EXPECT_EQ(h.client.pending_publishes(), 1u);
  h.Connect();
  EXPECT_THAT(h.Sent(),
              ElementsAre("PUBLISH qos=1 dup=0 topic=t payload=early"));
}

TEST(PublishTest, WriteBlockedHoldsQos1AndRefusesQos0) {
  ClientHarness h;
  h.Connect();
  h.client.OnWriteBlocked(true, h.now);
  EXPECT_EQ(h.client.Publish(ClientHarness::Message("t", "x"), h.now).status,
            PublishStatus::kWriteBlocked);
  EXPECT_EQ(h.client.Publish(Qos1("t", "y"), h.now).status,
            PublishStatus::kAccepted);
  EXPECT_THAT(h.Sent(), IsEmpty());
  h.client.OnWriteBlocked(false, h.now);
  EXPECT_THAT(h.Sent(), ElementsAre("PUBLISH qos=1 dup=0 topic=t payload=y"));
}

// ---- Topic aliases. ----

mqtt::Connack WithTopicAliasMaximum(uint16_t maximum) {
  mqtt::Connack connack;
  connack.properties.topic_alias_maximum = maximum;
  return connack;
}

TEST(TopicAliasTest, FirstComeTopicsKeepTheirAliases) {
  ClientOptions options;
  options.topic_alias_policy = TopicAliasPolicy::kFirstCome;
  options.max_topic_aliases = 2;
  ClientHarness h(options);
  h.Connect({.client_id = "c1"}, WithTopicAliasMaximum(10));
  for (const std::string_view topic : {"a", "a", "b", "c", "a", "c"}) {
    h.client.Publish(ClientHarness::Message(topic, "x"), h.now);
  }
  EXPECT_THAT(h.Sent(),
              ElementsAre("PUBLISH qos=0 dup=0 topic=a alias=1 payload=x",
                          "PUBLISH qos=0 dup=0 topic= alias=1 payload=x",
                          "PUBLISH qos=0 dup=0 topic=b alias=2 payload=x",
                          "PUBLISH qos=0 dup=0 topic=c payload=x",
                          "PUBLISH qos=0 dup=0 topic= alias=1 payload=x",
                          "PUBLISH qos=0 dup=0 topic=c payload=x"));
}

TEST(TopicAliasTest, LeastRecentlyUsedAliasIsRebound) {
  ClientOptions options;
  options.topic_alias_policy = TopicAliasPolicy::kLeastRecentlyUsed;
  ClientHarness h(options);
  h.Connect({.client_id = "c1"}, WithTopicAliasMaximum(2));  // Server cap.
  for (const std::string_view topic : {"a", "b", "a", "c", "b"}) {
    h.client.Publish(ClientHarness::Message(topic, "x"), h.now);
  }
  EXPECT_THAT(h.Sent(),
              ElementsAre("PUBLISH qos=0 dup=0 topic=a alias=1 payload=x",
                          "PUBLISH qos=0 dup=0 topic=b alias=2 payload=x",
                          "PUBLISH qos=0 dup=0 topic= alias=1 payload=x",
                          "PUBLISH qos=0 dup=0 topic=c alias=2 payload=x",
                          "PUBLISH qos=0 dup=0 topic=b alias=1 payload=x"));
}

TEST(TopicAliasTest, NoAliasesWithoutTheServersConsent) {
  ClientOptions options;
  options.topic_alias_policy = TopicAliasPolicy::kLeastRecentlyUsed;
  ClientHarness h(options);
  h.Connect();  // No Topic Alias Maximum: 0.
  h.client.Publish(ClientHarness::Message("a", "x"), h.now);
  h.client.Publish(ClientHarness::Message("a", "x"), h.now);
  EXPECT_THAT(h.Sent(), ElementsAre("PUBLISH qos=0 dup=0 topic=a payload=x",
                                    "PUBLISH qos=0 dup=0 topic=a payload=x"));
}

TEST(TopicAliasTest, AliasesStartAfreshOnEachConnection) {
  ClientOptions options;
  options.topic_alias_policy = TopicAliasPolicy::kFirstCome;
  ClientHarness h(options);
  h.Connect({.client_id = "c1"}, WithTopicAliasMaximum(10));
  h.client.Publish(ClientHarness::Message("a", "x"), h.now);
  EXPECT_THAT(h.Sent(),
              ElementsAre("PUBLISH qos=0 dup=0 topic=a alias=1 payload=x"));
  h.client.OnConnectionClosed(h.now);
  h.Reconnect(WithTopicAliasMaximum(10));
  h.client.Publish(ClientHarness::Message("a", "x"), h.now);
  EXPECT_THAT(h.Sent(),
              ElementsAre("PUBLISH qos=0 dup=0 topic=a alias=1 payload=x"));
}

TEST(TopicAliasTest, Qos1StoredWithoutAliasSentWithOne) {
  ClientOptions options;
  options.topic_alias_policy = TopicAliasPolicy::kFirstCome;
  ClientHarness h(options);
  mqtt::Connack connack = WithTopicAliasMaximum(10);
  connack.properties.receive_maximum = 1;
  h.Connect({.client_id = "c1", .session_expiry_interval = 3600}, connack);
  h.client.Publish(Qos1("a", "1"), h.now);
  h.client.Publish(Qos1("a", "2"), h.now);  // Queued: decoded when sent.
  const std::vector<mqtt::Packet> first = h.SentPackets();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(testing::Describe(first[0]),
            "PUBLISH qos=1 dup=0 topic=a alias=1 payload=1");
  h.Receive(mqtt::Puback{.packet_id = PacketIdOf(first[0])});
  const std::vector<mqtt::Packet> second = h.SentPackets();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(testing::Describe(second[0]),
            "PUBLISH qos=1 dup=0 topic= alias=1 payload=2");
  // Resent on a resumed session: DUP, and the topic again (aliases are per
  // connection).
  h.client.OnConnectionClosed(h.now);
  mqtt::Connack resumed = WithTopicAliasMaximum(10);
  resumed.session_present = true;
  h.Reconnect(resumed);
  const std::vector<mqtt::Packet> resent = h.SentPackets();
  ASSERT_EQ(resent.size(), 1u);
  EXPECT_EQ(testing::Describe(resent[0]),
            "PUBLISH qos=1 dup=1 topic=a alias=1 payload=2");
  EXPECT_EQ(PacketIdOf(resent[0]), PacketIdOf(second[0]));
}

TEST(TopicAliasTest, NoAliasWhenItWouldPassTheMaximumPacketSize) {
  ClientOptions options;
  options.topic_alias_policy = TopicAliasPolicy::kFirstCome;
  ClientHarness h(options);
  mqtt::Connack connack = WithTopicAliasMaximum(10);
  // "PUBLISH qos=0 topic=a payload=x": 2 + 3 + 1 (properties) + 1 = 7 bytes.
  connack.properties.maximum_packet_size = 7;
  h.Connect({.client_id = "c1"}, connack);
  EXPECT_EQ(h.client.Publish(ClientHarness::Message("a", "x"), h.now).status,
            PublishStatus::kSent);
  EXPECT_THAT(h.Sent(), ElementsAre("PUBLISH qos=0 dup=0 topic=a payload=x"));
}

}  // namespace
}  // namespace mqlab::client
