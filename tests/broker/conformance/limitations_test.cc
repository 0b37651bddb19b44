// The seed's "Limitations" section, one test (at least) per bullet; each
// test quotes its bullet. Will in CONNECT, Authentication Method/Data,
// Response Information and Assigned Client Identifiers are in
// connect_test.cc; Session Expiry in session_test.cc; Keep Alive in
// keep_alive_test.cc; ordering in routing_test.cc.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mqtt/encoder.h"
#include "tests/broker/broker_harness.h"

namespace mqlab::broker::testing {
namespace {

using mqtt::Qos;
using mqtt::ReasonCode;
using mqtt::Version;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class LimitationsTest : public ::testing::Test {
 protected:
  LimitationsTest() : harness_(OpenNamespace({"dev1", "dev2", "dev3"})) {}

  TestClient& V5(std::string_view user = "dev1") {
    return harness_.ConnectOk({.client_id = std::string(user) + "-v5",
                               .username = std::string(user)});
  }
  TestClient& V311(std::string_view user = "dev1") {
    return harness_.ConnectOk({.client_id = std::string(user) + "-v3",
                               .username = std::string(user),
                               .version = Version::kV311});
  }
  // The reason the broker reported for the (single) disconnection.
  RecordedEvent Disconnection() {
    const std::vector<RecordedEvent> events =
        harness_.EventsOfKind(EventKind::kDisconnected);
    EXPECT_THAT(events, SizeIs(1));
    return events.empty() ? RecordedEvent{} : events[0];
  }

  BrokerHarness harness_;
};

// Seed (3.1.1): "QoS2 and Retain Flag aren't supported yet. A publish request
// with a retain flag or with a QoS2 will fail and close the connection."
TEST_F(LimitationsTest, V311PublishWithQos2ClosesTheConnection) {
  TestClient& client = V311();
  client.Send(
      mqtt::Publish{.qos = Qos::kExactlyOnce, .topic = "t", .packet_id = 1});
  client.ExpectNothing();
  EXPECT_TRUE(client.closed());
  EXPECT_EQ(Disconnection().reason, DisconnectionReason::kClientError);
}

TEST_F(LimitationsTest, V311PublishWithRetainClosesTheConnection) {
  TestClient& client = V311();
  client.Send(mqtt::Publish{.retain = true, .topic = "t"});
  client.ExpectNothing();
  EXPECT_TRUE(client.closed());
}

// Seed (v5): "Maximum QoS is 1." and "Retain flag isn't supported yet."
// (told in CONNACK; a client that sends them anyway gets DISCONNECT 0x9B /
// 0x9A, [MQTT-3.2.2-11] and [MQTT-3.2.2-14]).
TEST_F(LimitationsTest, V5PublishWithQos2GetsQosNotSupported) {
  TestClient& client = V5();
  client.Send(
      mqtt::Publish{.qos = Qos::kExactlyOnce, .topic = "t", .packet_id = 1});
  EXPECT_EQ(client.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kQosNotSupported);
  EXPECT_TRUE(client.closed());
  EXPECT_EQ(Disconnection().reason_code, ReasonCode::kQosNotSupported);
}

TEST_F(LimitationsTest, V5PublishWithRetainGetsRetainNotSupported) {
  TestClient& client = V5();
  client.Send(mqtt::Publish{.retain = true, .topic = "t"});
  EXPECT_EQ(client.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kRetainNotSupported);
  EXPECT_TRUE(client.closed());
}

// A QoS 2 subscription is granted QoS 1 (the server's maximum).
TEST_F(LimitationsTest, Qos2SubscriptionIsGrantedQos1) {
  EXPECT_EQ(V5().Subscribe("t", Qos::kExactlyOnce), ReasonCode::kGrantedQos1);
  EXPECT_EQ(V311("dev2").Subscribe("t", Qos::kExactlyOnce),
            ReasonCode::kGrantedQos1);
}

// Seed (v5): "Shared Subscriptions aren't supported yet."
TEST_F(LimitationsTest, SharedSubscriptionGetsSharedSubscriptionsNotSupported) {
  TestClient& client = V5();
  EXPECT_EQ(client.Subscribe("$share/group/t", Qos::kAtLeastOnce),
            ReasonCode::kSharedSubscriptionsNotSupported);
  EXPECT_FALSE(client.closed());
  const std::vector<RecordedEvent> denied =
      harness_.EventsOfKind(EventKind::kSubscriptionDenied);
  ASSERT_THAT(denied, SizeIs(1));
  EXPECT_EQ(denied[0].topic, "$share/group/t");
  // 3.1.1 has only 0x80 for a failure.
  EXPECT_EQ(V311("dev2").Subscribe("$share/group/t", Qos::kAtMostOnce),
            ReasonCode::kUnspecifiedError);
  EXPECT_EQ(harness_.broker().stats().subscriptions, 0u);
}

// Seed (v5): "Subscription Identifiers aren't supported." CONNACK says
// Subscription Identifiers Available 0; a SUBSCRIBE with one gets
// DISCONNECT 0xA1.
TEST_F(LimitationsTest, SubscriptionIdentifierGetsDisconnect) {
  TestClient& client = V5();
  const mqtt::Subscription subscriptions[] = {{"t", {}}};
  const uint32_t identifiers[] = {7};
  mqtt::Subscribe subscribe{
      .packet_id = 1,
      .subscriptions = mqtt::Subscriptions::FromList(subscriptions)};
  subscribe.properties.subscription_identifiers =
      mqtt::SubscriptionIdentifiers::FromList(identifiers);
  client.Send(subscribe);
  EXPECT_EQ(client.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kSubscriptionIdentifiersNotSupported);
  EXPECT_TRUE(client.closed());
}

// Seed (v5): "Topic Alias Maximum is 10. The server won't assign any topic
// aliases for outgoing messages at this time. Clients can assign and use
// topic aliases within set limit."
TEST_F(LimitationsTest, TopicAliasesWithinTheLimitWork) {
  TestClient& subscriber = V5("dev2");
  ASSERT_EQ(subscriber.Subscribe("a/#", Qos::kAtMostOnce),
            ReasonCode::kSuccess);
  TestClient& publisher = V5();
  mqtt::Properties first;
  first.topic_alias = 10;
  publisher.Publish("a/b", "1", Qos::kAtMostOnce, first);
  publisher.Publish("", "2", Qos::kAtMostOnce, first);  // Alias only.
  mqtt::Properties replaced;
  replaced.topic_alias = 10;
  publisher.Publish("a/c", "3", Qos::kAtMostOnce, replaced);
  publisher.Publish("", "4", Qos::kAtMostOnce, replaced);
  const std::vector<TestClient::Message> messages = subscriber.Messages();
  ASSERT_THAT(messages, SizeIs(4));
  EXPECT_EQ(messages[0].topic, "a/b");
  EXPECT_EQ(messages[1].topic, "a/b");
  EXPECT_EQ(messages[2].topic, "a/c");
  EXPECT_EQ(messages[3].topic, "a/c");
  EXPECT_FALSE(publisher.closed());
}

TEST_F(LimitationsTest, OutgoingMessagesCarryNoTopicAlias) {
  TestClient& subscriber = V5("dev2");
  ASSERT_EQ(subscriber.Subscribe("a", Qos::kAtMostOnce), ReasonCode::kSuccess);
  mqtt::Properties aliased;
  aliased.topic_alias = 1;
  V5().Publish("a", "x", Qos::kAtMostOnce, aliased);
  std::vector<ReceivedPacket> packets = subscriber.Receive();
  ASSERT_THAT(packets, SizeIs(1));
  const mqtt::Publish* publish = packets[0].As<mqtt::Publish>();
  ASSERT_NE(publish, nullptr);
  EXPECT_EQ(publish->topic, "a");
  EXPECT_FALSE(publish->properties.topic_alias.has_value());
}

TEST_F(LimitationsTest, TopicAliasAboveTenGetsTopicAliasInvalid) {
  TestClient& client = V5();
  mqtt::Properties properties;
  properties.topic_alias = 11;
  client.Publish("t", "x", Qos::kAtMostOnce, properties);
  EXPECT_EQ(client.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kTopicAliasInvalid);
  EXPECT_TRUE(client.closed());
}

TEST_F(LimitationsTest, TopicAliasZeroGetsTopicAliasInvalid) {
  TestClient& client = V5();
  // The encoder writes what it is given: alias 0 reaches the wire.
  mqtt::Properties properties;
  properties.topic_alias = 0;
  client.Publish("t", "x", Qos::kAtMostOnce, properties);
  EXPECT_EQ(client.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kTopicAliasInvalid);
  EXPECT_TRUE(client.closed());
}

TEST_F(LimitationsTest, UnsetTopicAliasIsAProtocolError) {
  TestClient& client = V5();
  mqtt::Properties properties;
  properties.topic_alias = 3;
  client.Publish("", "x", Qos::kAtMostOnce, properties);
  EXPECT_EQ(client.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kProtocolError);
}

// Aliases belong to the connection: a new connection starts with none.
TEST_F(LimitationsTest, TopicAliasesDoNotOutliveTheirConnection) {
  TestClient& first = harness_.ConnectOk(
      {.client_id = "p", .username = "dev1", .session_expiry_interval = 60});
  mqtt::Properties properties;
  properties.topic_alias = 1;
  first.Publish("t", "x", Qos::kAtMostOnce, properties);
  first.Drop();
  TestClient& second = harness_.ConnectOk({.client_id = "p",
                                           .username = "dev1",
                                           .clean_start = false,
                                           .session_expiry_interval = 60});
  second.Publish("", "y", Qos::kAtMostOnce, properties);
  EXPECT_EQ(second.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kProtocolError);
}

// Seed (v5): "Maximum Packet Size is 512 KiB". The decoder refuses a larger
// packet from its fixed header, before buffering its body.
TEST_F(LimitationsTest, PacketAbove512KiBGetsPacketTooLarge) {
  TestClient& client = V5();
  // Just the fixed header of a 512 KiB + 1 byte PUBLISH: nothing else needed.
  const uint32_t remaining = 512 * 1024 + 1 - 4;  // Header: 1 + 3 bytes.
  const uint8_t header[] = {
      0x30, static_cast<uint8_t>(0x80 | (remaining & 0x7F)),
      static_cast<uint8_t>(0x80 | ((remaining >> 7) & 0x7F)),
      static_cast<uint8_t>(remaining >> 14)};
  client.SendBytes(header);
  const Received<mqtt::Disconnect> disconnect =
      client.Expect<mqtt::Disconnect>();
  EXPECT_EQ(disconnect->reason_code, ReasonCode::kPacketTooLarge);
  EXPECT_TRUE(client.closed());
}

TEST_F(LimitationsTest, PacketOfExactly512KiBIsAccepted) {
  NamespaceConfig config = OpenNamespace({"dev1"});
  config.limits.rate_limits_lifted = true;
  BrokerHarness harness(config);
  TestClient& client =
      harness.ConnectOk({.client_id = "s", .username = "dev1"});
  ASSERT_EQ(client.Subscribe("t", Qos::kAtMostOnce), ReasonCode::kSuccess);
  // Fixed header 4 + topic 3 + properties 1 + payload = 524288.
  const std::string payload(524288 - 8, 'x');
  client.Publish("t", payload);
  EXPECT_THAT(client.Messages(), SizeIs(1));
  EXPECT_FALSE(client.closed());
}

// Seed (v5): "If the server receives a PUBACK from a client with non-success
// response code, the connection will be terminated."
TEST_F(LimitationsTest, PubackWithFailureReasonCodeTerminatesTheConnection) {
  TestClient& subscriber = V5("dev2");
  ASSERT_EQ(subscriber.Subscribe("t", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  V5().Publish("t", "x", Qos::kAtLeastOnce);
  const std::vector<TestClient::Message> messages = subscriber.Messages();
  ASSERT_THAT(messages, SizeIs(1));
  subscriber.Puback(messages[0].packet_id, ReasonCode::kQuotaExceeded);
  EXPECT_EQ(subscriber.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kImplementationSpecificError);
  EXPECT_TRUE(subscriber.closed());
  EXPECT_EQ(Disconnection().reason, DisconnectionReason::kClientError);
  // The PUBACK completed the delivery: nothing is redelivered.
  EXPECT_EQ(harness_.broker().stats().stored_messages, 0u);
}

TEST_F(LimitationsTest, PubackWithNoMatchingSubscribersIsStillSuccess) {
  TestClient& subscriber = V5("dev2");
  ASSERT_EQ(subscriber.Subscribe("t", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  V5().Publish("t", "x", Qos::kAtLeastOnce);
  const std::vector<TestClient::Message> messages = subscriber.Messages();
  ASSERT_THAT(messages, SizeIs(1));
  subscriber.Puback(messages[0].packet_id, ReasonCode::kNoMatchingSubscribers);
  EXPECT_FALSE(subscriber.closed());
}

// Facts: v5 user properties "not allowed on CONNECT, SUBSCRIBE, DISCONNECT,
// PUBACK, AUTH" (CONNECT: connect_test.cc).
TEST_F(LimitationsTest, UserPropertiesOnSubscribeFailTheRequest) {
  TestClient& client = V5();
  const mqtt::Subscription subscriptions[] = {{"a", {}}, {"b", {}}};
  const mqtt::UserProperty properties[] = {{"k", "v"}};
  mqtt::Subscribe subscribe{
      .packet_id = 1,
      .subscriptions = mqtt::Subscriptions::FromList(subscriptions)};
  subscribe.properties.user_properties =
      mqtt::UserProperties::FromList(properties);
  client.Send(subscribe);
  const Received<mqtt::Suback> suback = client.Expect<mqtt::Suback>();
  EXPECT_THAT(ReasonCodes(suback->reason_codes),
              ElementsAre(ReasonCode::kImplementationSpecificError,
                          ReasonCode::kImplementationSpecificError));
  EXPECT_FALSE(client.closed());
  EXPECT_EQ(harness_.broker().stats().subscriptions, 0u);
}

TEST_F(LimitationsTest, UserPropertiesOnPubackTerminateTheConnection) {
  TestClient& subscriber = V5("dev2");
  ASSERT_EQ(subscriber.Subscribe("t", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  V5().Publish("t", "x", Qos::kAtLeastOnce);
  const std::vector<TestClient::Message> messages = subscriber.Messages();
  ASSERT_THAT(messages, SizeIs(1));
  const mqtt::UserProperty properties[] = {{"k", "v"}};
  mqtt::Puback puback{.packet_id = messages[0].packet_id};
  puback.properties.user_properties =
      mqtt::UserProperties::FromList(properties);
  subscriber.Send(puback);
  EXPECT_EQ(subscriber.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kImplementationSpecificError);
  EXPECT_TRUE(subscriber.closed());
}

TEST_F(LimitationsTest, UserPropertiesOnDisconnectMakeItAClientError) {
  TestClient& client = harness_.ConnectOk(
      {.client_id = "s", .username = "dev1", .session_expiry_interval = 60});
  const mqtt::UserProperty properties[] = {{"k", "v"}};
  mqtt::Disconnect disconnect;
  disconnect.properties.user_properties =
      mqtt::UserProperties::FromList(properties);
  disconnect.properties.session_expiry_interval = 0;  // Not honoured.
  client.Send(disconnect);
  EXPECT_TRUE(client.closed());
  EXPECT_EQ(Disconnection().reason, DisconnectionReason::kClientError);
  EXPECT_THAT(harness_.EventsOfKind(EventKind::kSessionDeleted), SizeIs(0));
}

TEST_F(LimitationsTest, AuthPacketIsAProtocolError) {
  TestClient& client = V5();
  const mqtt::UserProperty properties[] = {{"k", "v"}};
  mqtt::Auth auth{.reason_code = ReasonCode::kReAuthenticate};
  auth.properties.authentication_method = "OAUTH2-JWT";
  auth.properties.user_properties = mqtt::UserProperties::FromList(properties);
  client.Send(auth);
  const Received<mqtt::Disconnect> disconnect =
      client.Expect<mqtt::Disconnect>();
  EXPECT_EQ(disconnect->reason_code, ReasonCode::kProtocolError);
  EXPECT_TRUE(client.closed());
}

// Packets only a server sends, and the QoS 2 flow, are protocol errors.
TEST_F(LimitationsTest,
       ServerPacketsAndQos2FlowFromTheClientAreProtocolErrors) {
  const mqtt::Packet packets[] = {
      mqtt::Pingresp{}, mqtt::Pubrel{.packet_id = 1},
      mqtt::Pubrec{.packet_id = 1}, mqtt::Connack{}};
  int i = 0;
  for (const mqtt::Packet& packet : packets) {
    TestClient& client = harness_.ConnectOk(
        {.client_id = "s" + std::to_string(i++), .username = "dev1"});
    client.Send(packet);
    EXPECT_EQ(client.Expect<mqtt::Disconnect>()->reason_code,
              ReasonCode::kProtocolError)
        << mqtt::PacketSummary(packet);
    EXPECT_TRUE(client.closed());
  }
}

// A PUBLISH from a client may not carry a Subscription Identifier.
TEST_F(LimitationsTest, PublishWithSubscriptionIdentifierIsAProtocolError) {
  TestClient& client = V5();
  const uint32_t identifiers[] = {1};
  mqtt::Properties properties;
  properties.subscription_identifiers =
      mqtt::SubscriptionIdentifiers::FromList(identifiers);
  client.Publish("t", "x", Qos::kAtMostOnce, properties);
  const Received<mqtt::Disconnect> disconnect =
      client.Expect<mqtt::Disconnect>();
  EXPECT_EQ(disconnect->reason_code, ReasonCode::kProtocolError);
  EXPECT_THAT(std::string(disconnect->properties.reason_string.value_or("")),
              HasSubstr("[MQTT-3.3.4-6]"));
}

}  // namespace
}  // namespace mqlab::broker::testing
