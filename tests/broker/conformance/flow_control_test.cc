// Flow control both ways (Receive Maximum), the client's Maximum Packet
// Size, and back-pressure (OnWriteBlocked).
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/broker/broker_harness.h"

namespace mqlab::broker::testing {
namespace {

using mqtt::Qos;
using mqtt::ReasonCode;
using mqtt::Version;
using ::testing::ElementsAre;
using ::testing::SizeIs;

std::vector<std::string> Payloads(
    const std::vector<TestClient::Message>& messages) {
  std::vector<std::string> payloads;
  for (const TestClient::Message& message : messages) {
    payloads.push_back(message.payload);
  }
  return payloads;
}

NamespaceConfig Config() {
  NamespaceConfig config = OpenNamespace({"sub", "pub"});
  config.limits.rate_limits_lifted = true;
  return config;
}

// Outbound: at most the client's Receive Maximum QoS 1 messages in flight;
// the rest wait in the session, in order.
TEST(FlowControlTest, OutboundInFlightStaysWithinTheClientsReceiveMaximum) {
  BrokerHarness harness(Config());
  TestClient& subscriber = harness.ConnectOk(
      {.client_id = "s", .username = "sub", .receive_maximum = 2});
  ASSERT_EQ(subscriber.Subscribe("t", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  TestClient& publisher =
      harness.ConnectOk({.client_id = "p", .username = "pub"});
  for (int i = 0; i < 5; ++i) {
    publisher.Publish("t", std::to_string(i), Qos::kAtLeastOnce);
  }
  std::vector<TestClient::Message> first = subscriber.Messages();
  EXPECT_THAT(Payloads(first), ElementsAre("0", "1"));
  subscriber.Puback(first[0].packet_id);
  std::vector<TestClient::Message> second = subscriber.Messages();
  EXPECT_THAT(Payloads(second), ElementsAre("2"));
  subscriber.Puback(first[1].packet_id);
  subscriber.Puback(second[0].packet_id);
  EXPECT_THAT(Payloads(subscriber.Messages()), ElementsAre("3", "4"));
}

// QoS 0 is not held by Receive Maximum, but it does not overtake queued
// QoS 1 messages of the same publisher either.
TEST(FlowControlTest, Qos0WaitsBehindQueuedQos1) {
  BrokerHarness harness(Config());
  TestClient& subscriber = harness.ConnectOk(
      {.client_id = "s", .username = "sub", .receive_maximum = 1});
  ASSERT_EQ(subscriber.Subscribe("t", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  TestClient& publisher =
      harness.ConnectOk({.client_id = "p", .username = "pub"});
  publisher.Publish("t", "a", Qos::kAtLeastOnce);
  publisher.Publish("t", "b", Qos::kAtLeastOnce);
  publisher.Publish("t", "c", Qos::kAtMostOnce);
  std::vector<TestClient::Message> first = subscriber.Messages();
  EXPECT_THAT(Payloads(first), ElementsAre("a"));
  subscriber.Puback(first[0].packet_id);
  EXPECT_THAT(Payloads(subscriber.Messages()), ElementsAre("b", "c"));
}

// Those QoS 0 deliveries are bounded like the QoS 1 queue, counted apart;
// beyond, they are dropped ("qos0-queue-full") and the session lives on.
TEST(FlowControlTest, Qos0QueuedBehindQos1IsBounded) {
  BrokerHarness harness(Config());
  TestClient& subscriber = harness.ConnectOk(
      {.client_id = "s", .username = "sub", .receive_maximum = 1});
  ASSERT_EQ(subscriber.Subscribe("t", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  TestClient& publisher =
      harness.ConnectOk({.client_id = "p", .username = "pub"});
  publisher.Publish("t", "in flight", Qos::kAtLeastOnce);
  publisher.Publish("t", "queued", Qos::kAtLeastOnce);
  for (int i = 0; i < 101; ++i) {
    publisher.Publish("t", std::to_string(i), Qos::kAtMostOnce);
  }
  const std::vector<RecordedEvent> dropped =
      harness.EventsOfKind(EventKind::kMessageDropped);
  ASSERT_THAT(dropped, SizeIs(1));
  EXPECT_EQ(dropped[0].detail, "qos0-queue-full");
  EXPECT_FALSE(subscriber.closed());
  std::vector<TestClient::Message> first = subscriber.Messages();
  ASSERT_THAT(first, SizeIs(1));
  subscriber.Puback(first[0].packet_id);
  EXPECT_THAT(subscriber.Messages(), SizeIs(101));  // "queued" + 100 QoS 0.
}

// Inbound: the broker acknowledges each QoS 1 PUBLISH as it routes it, so
// a client stays within the Receive Maximum 1000 it was told... unless its
// connection is write-blocked: then the PUBACKs are held, and the 1001st
// unacknowledged PUBLISH gets DISCONNECT 0x93 Receive Maximum exceeded.
TEST(FlowControlTest, InboundBeyondReceiveMaximumEndsTheConnection) {
  BrokerHarness harness(Config());
  TestClient& publisher =
      harness.ConnectOk({.client_id = "p", .username = "pub"});
  publisher.SetWriteBlocked(true);
  for (int i = 0; i < 1000; ++i) {
    mqtt::Publish publish{.qos = Qos::kAtLeastOnce,
                          .topic = "t",
                          .packet_id = static_cast<uint16_t>(i + 1)};
    publisher.Send(publish);
  }
  publisher.ExpectNothing();
  EXPECT_FALSE(publisher.closed());
  publisher.Send(
      mqtt::Publish{.qos = Qos::kAtLeastOnce, .topic = "t", .packet_id = 1001});
  EXPECT_EQ(publisher.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kReceiveMaximumExceeded);
  EXPECT_TRUE(publisher.closed());
  const std::vector<RecordedEvent> limits =
      harness.EventsOfKind(EventKind::kLimitExceeded);
  ASSERT_THAT(limits, SizeIs(1));
  EXPECT_EQ(limits[0].detail, "receive-maximum");
}

TEST(FlowControlTest, HeldPubacksAreSentInOrderWhenUnblocked) {
  BrokerHarness harness(Config());
  TestClient& publisher =
      harness.ConnectOk({.client_id = "p", .username = "pub"});
  publisher.SetWriteBlocked(true);
  for (uint16_t id = 1; id <= 3; ++id) {
    publisher.Send(
        mqtt::Publish{.qos = Qos::kAtLeastOnce, .topic = "t", .packet_id = id});
  }
  publisher.ExpectNothing();
  publisher.SetWriteBlocked(false);
  std::vector<uint16_t> acknowledged;
  for (ReceivedPacket& packet : publisher.Receive()) {
    ASSERT_NE(packet.As<mqtt::Puback>(), nullptr);
    acknowledged.push_back(packet.As<mqtt::Puback>()->packet_id);
  }
  EXPECT_THAT(acknowledged, ElementsAre(1, 2, 3));
}

// Back-pressure: while blocked, QoS 0 messages are dropped (reported
// "qos0-write-blocked") and QoS 1 messages wait; unblocking sends them.
TEST(FlowControlTest, WriteBlockedDropsQos0AndQueuesQos1) {
  BrokerHarness harness(Config());
  TestClient& subscriber =
      harness.ConnectOk({.client_id = "s", .username = "sub"});
  ASSERT_EQ(subscriber.Subscribe("t", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  TestClient& publisher =
      harness.ConnectOk({.client_id = "p", .username = "pub"});
  subscriber.SetWriteBlocked(true);
  publisher.Publish("t", "q1", Qos::kAtLeastOnce);
  publisher.Publish("t", "q0", Qos::kAtMostOnce);
  subscriber.Send(mqtt::Pingreq{});  // Answers still go out.
  std::vector<ReceivedPacket> while_blocked = subscriber.Receive();
  ASSERT_THAT(while_blocked, SizeIs(1));
  EXPECT_NE(while_blocked[0].As<mqtt::Pingresp>(), nullptr);
  const std::vector<RecordedEvent> dropped =
      harness.EventsOfKind(EventKind::kMessageDropped);
  ASSERT_THAT(dropped, SizeIs(1));
  EXPECT_EQ(dropped[0].detail, "qos0-write-blocked");
  subscriber.SetWriteBlocked(false);
  EXPECT_THAT(Payloads(subscriber.Messages()), ElementsAre("q1"));
}

// The QoS 1 queue of a blocked connection is bounded like the offline one.
TEST(FlowControlTest, WriteBlockedQueueOverflowEndsTheSession) {
  BrokerHarness harness(Config());
  TestClient& subscriber = harness.ConnectOk(
      {.client_id = "s", .username = "sub", .session_expiry_interval = 60});
  ASSERT_EQ(subscriber.Subscribe("t", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  TestClient& publisher =
      harness.ConnectOk({.client_id = "p", .username = "pub"});
  subscriber.SetWriteBlocked(true);
  for (int i = 0; i <= 100; ++i) {
    publisher.Publish("t", std::to_string(i), Qos::kAtLeastOnce);
  }
  EXPECT_TRUE(subscriber.closed());
  EXPECT_THAT(harness.EventsOfKind(EventKind::kSessionOverflow), SizeIs(1));
}

// Answers to a client that stopped reading are bounded too
// (Limits::maximum_outbound_bytes): beyond, the connection is closed.
TEST(FlowControlTest, OutboundBytesWhileBlockedAreBounded) {
  NamespaceConfig config = Config();
  config.limits.maximum_outbound_bytes = 20;
  BrokerHarness harness(config);
  TestClient& client = harness.ConnectOk({.client_id = "s", .username = "sub"});
  client.SetWriteBlocked(true);
  for (int i = 0; i < 10; ++i) client.Send(mqtt::Pingreq{});  // 2 bytes each.
  EXPECT_FALSE(client.closed());
  client.Send(mqtt::Pingreq{});
  EXPECT_TRUE(client.closed());
  const std::vector<RecordedEvent> limits =
      harness.EventsOfKind(EventKind::kLimitExceeded);
  ASSERT_THAT(limits, SizeIs(1));
  EXPECT_EQ(limits[0].detail, "maximum-outbound-bytes");
  const std::vector<RecordedEvent> disconnected =
      harness.EventsOfKind(EventKind::kDisconnected);
  ASSERT_THAT(disconnected, SizeIs(1));
  EXPECT_EQ(disconnected[0].reason, DisconnectionReason::kQuotaExceeded);
}

// The DISCONNECT that ends a blocked connection is written even when the
// bound is reached.
TEST(FlowControlTest, FinalDisconnectIsWrittenPastTheOutboundBound) {
  NamespaceConfig config = Config();
  config.limits.maximum_outbound_bytes = 20;
  BrokerHarness harness(config);
  TestClient& client = harness.ConnectOk(
      {.client_id = "s", .username = "sub", .keep_alive = 10});
  client.SetWriteBlocked(true);
  for (int i = 0; i < 10; ++i) client.Send(mqtt::Pingreq{});
  client.Receive();
  harness.AdvanceBy(15 * kSecond);
  EXPECT_EQ(client.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kKeepAliveTimeout);
  EXPECT_TRUE(client.closed());
  EXPECT_THAT(harness.EventsOfKind(EventKind::kDisconnected), SizeIs(1));
}

// The client's Maximum Packet Size: a message too large for it is not sent
// and counts as delivered [MQTT-3.1.2-25] (reported).
TEST(FlowControlTest, MessagesAboveTheClientsMaximumPacketSizeAreDropped) {
  BrokerHarness harness(Config());
  TestClient& subscriber = harness.ConnectOk(
      {.client_id = "s", .username = "sub", .maximum_packet_size = 64});
  ASSERT_EQ(subscriber.Subscribe("t", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  TestClient& publisher =
      harness.ConnectOk({.client_id = "p", .username = "pub"});
  publisher.Publish("t", std::string(100, 'x'), Qos::kAtLeastOnce);
  publisher.Publish("t", "small", Qos::kAtLeastOnce);
  EXPECT_THAT(Payloads(subscriber.Messages()), ElementsAre("small"));
  const std::vector<RecordedEvent> dropped =
      harness.EventsOfKind(EventKind::kMessageDropped);
  ASSERT_THAT(dropped, SizeIs(1));
  EXPECT_EQ(dropped[0].detail, "exceeds-client-maximum-packet-size");
  EXPECT_EQ(harness.broker().stats().stored_messages, 1u);  // "small".
}

// A 3.1.1 subscriber has no Receive Maximum: the session queue limit bounds
// what is in flight.
TEST(FlowControlTest, V311InFlightIsBoundedByTheSessionQueue) {
  BrokerHarness harness(Config());
  TestClient& subscriber = harness.ConnectOk(
      {.client_id = "s", .username = "sub", .version = Version::kV311});
  ASSERT_EQ(subscriber.Subscribe("t", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  TestClient& publisher =
      harness.ConnectOk({.client_id = "p", .username = "pub"});
  for (int i = 0; i < 100; ++i) {
    publisher.Publish("t", std::to_string(i), Qos::kAtLeastOnce);
  }
  EXPECT_THAT(subscriber.Messages(), SizeIs(100));
  EXPECT_FALSE(subscriber.closed());
  publisher.Publish("t", "100", Qos::kAtLeastOnce);
  EXPECT_TRUE(subscriber.closed());
}

}  // namespace
}  // namespace mqlab::broker::testing
