// Sessions across connections: retransmission with DUP on resume (in
// order, within the new Receive Maximum), what is lost when the session is
// not present or cannot outlive the connection, Clean Start on
// reconnection, and re-subscription.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/client_harness.h"

namespace mqlab::client {
namespace {

using ::mqlab::client::testing::ClientHarness;
using mqtt::Qos;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

ApplicationMessage Qos1(std::string_view payload) {
  return ClientHarness::Message("t", payload, Qos::kAtLeastOnce);
}

uint16_t PacketIdOf(const mqtt::Packet& packet) {
  return std::get<mqtt::Publish>(packet).packet_id;
}

mqtt::Connack Connack(bool session_present, uint16_t receive_maximum = 10) {
  mqtt::Connack connack{.session_present = session_present};
  connack.properties.receive_maximum = receive_maximum;
  return connack;
}

const ConnectOptions kPersistent = {
    .client_id = "c1", .clean_start = false, .session_expiry_interval = 3600};

TEST(SessionTest, ResumedSessionResendsUnacknowledgedInOrderWithDup) {
  ClientHarness h;
  h.Connect(kPersistent, Connack(false));
  h.client.Publish(Qos1("0"), h.now);
  h.client.Publish(Qos1("1"), h.now);
  h.client.Publish(Qos1("2"), h.now);
  const std::vector<mqtt::Packet> first = h.SentPackets();
  ASSERT_EQ(first.size(), 3u);
  h.Receive(mqtt::Puback{.packet_id = PacketIdOf(first[1])});
  h.client.OnConnectionClosed(h.now);
  EXPECT_EQ(h.client.Publish(Qos1("3"), h.now).status,
            PublishStatus::kAccepted);
  h.Events();

  const mqtt::Connect connect = h.Reconnect(Connack(true));
  EXPECT_FALSE(connect.clean_start);
  const std::vector<mqtt::Packet> resent = h.SentPackets();
  ASSERT_EQ(resent.size(), 3u);
  EXPECT_EQ(testing::Describe(resent[0]),
            "PUBLISH qos=1 dup=1 topic=t payload=0");
  EXPECT_EQ(testing::Describe(resent[1]),
            "PUBLISH qos=1 dup=1 topic=t payload=2");
  EXPECT_EQ(testing::Describe(resent[2]),
            "PUBLISH qos=1 dup=0 topic=t payload=3");
  EXPECT_EQ(PacketIdOf(resent[0]), PacketIdOf(first[0]));
  EXPECT_EQ(PacketIdOf(resent[1]), PacketIdOf(first[2]));
  EXPECT_THAT(h.Events(), ElementsAre("connack rc=0x00 session_present=1 "
                                      "resubscribed=0 resent=2"));
  EXPECT_EQ(h.client.stats().qos1_resent, 2u);
}

TEST(SessionTest, ResendsWithinTheNewReceiveMaximum) {
  ClientHarness h;
  h.Connect(kPersistent, Connack(false));
  for (const std::string_view p : {"0", "1", "2"})
    h.client.Publish(Qos1(p), h.now);
  h.SentPackets();
  h.client.OnConnectionClosed(h.now);
  h.Reconnect(Connack(true, /*receive_maximum=*/1));
  const std::vector<mqtt::Packet> resent = h.SentPackets();
  ASSERT_EQ(resent.size(), 1u);
  EXPECT_EQ(testing::Describe(resent[0]),
            "PUBLISH qos=1 dup=1 topic=t payload=0");
  h.Receive(mqtt::Puback{.packet_id = PacketIdOf(resent[0])});
  EXPECT_THAT(h.Sent(), ElementsAre("PUBLISH qos=1 dup=1 topic=t payload=1"));
}

TEST(SessionTest, SessionNotPresentFailsWhatWasSentAndSendsTheRest) {
  ClientHarness h;
  h.Connect(kPersistent, Connack(false, /*receive_maximum=*/2));
  for (const std::string_view p : {"0", "1", "2"})
    h.client.Publish(Qos1(p), h.now);
  EXPECT_EQ(h.SentPackets().size(), 2u);
  h.client.OnConnectionClosed(h.now);
  h.Events();
  h.Reconnect(Connack(false));
  EXPECT_THAT(h.Events(),
              ElementsAre("connack rc=0x00 session_present=0 resubscribed=0 "
                          "resent=0",
                          "failed m1 session-lost", "failed m2 session-lost"));
  EXPECT_THAT(h.Sent(), ElementsAre("PUBLISH qos=1 dup=0 topic=t payload=2"));
  EXPECT_EQ(h.client.stats().qos1_failed, 2u);
}

TEST(SessionTest, SessionThatEndsWithTheConnectionLosesInFlightAtOnce) {
  ClientHarness h;  // MQTT 5, no Session Expiry Interval: 0.
  h.Connect();
  h.client.Publish(Qos1("0"), h.now);
  h.Events();
  h.client.OnConnectionClosed(h.now);
  EXPECT_THAT(h.Events(),
              ElementsAre("disconnected transport-closed rc=0x00 reconnect=1",
                          "reconnecting attempt=1", "failed m1 session-lost"));
  const mqtt::Connect connect = h.Reconnect(Connack(false));
  EXPECT_TRUE(connect.clean_start);
}

TEST(SessionTest, ServersSessionExpiryDecides) {
  ClientHarness h;
  mqtt::Connack connack = Connack(false);
  connack.properties.session_expiry_interval = 0;
  h.Connect(kPersistent, connack);
  h.client.Publish(Qos1("0"), h.now);
  h.Events();
  h.client.OnConnectionClosed(h.now);
  EXPECT_THAT(h.Events(), ElementsAre(::testing::_, ::testing::_,
                                      "failed m1 session-lost"));
  EXPECT_TRUE(h.Reconnect(Connack(false)).clean_start);
}

TEST(SessionTest, CleanStartOnlyForTheFirstConnection) {
  ClientHarness h;
  h.Connect({.client_id = "c1",
             .clean_start = true,
             .session_expiry_interval = 3600});
  h.client.OnConnectionClosed(h.now);
  EXPECT_FALSE(h.Reconnect(Connack(true)).clean_start);
}

TEST(SessionTest, DisconnectWithSessionExpiryZeroEndsTheSession) {
  ClientHarness h;
  h.Connect(kPersistent, Connack(false));
  h.client.Publish(Qos1("0"), h.now);
  h.Events();
  h.client.Disconnect({.session_expiry_interval = 0}, h.now);
  EXPECT_THAT(h.Events(),
              ElementsAre("disconnected client-disconnect rc=0x00 reconnect=0",
                          "failed m1 session-lost"));
}

TEST(SessionTest, PendingMessagesWaitForTheNextConnect) {
  ClientHarness h;
  h.Connect(kPersistent, Connack(false));
  h.client.Publish(Qos1("0"), h.now);
  h.SentPackets();
  h.client.Disconnect({}, h.now);
  EXPECT_EQ(h.client.pending_publishes(), 1u);
  h.Sent();
  h.Connect(kPersistent, Connack(true));
  EXPECT_THAT(h.Sent(), ElementsAre("PUBLISH qos=1 dup=1 topic=t payload=0"));
}

TEST(SessionTest, V311CleanSessionFalseResumes) {
  ClientHarness h({.version = mqtt::Version::kV311});
  h.Connect({.client_id = "c1", .clean_start = false}, Connack(false));
  h.client.Publish(Qos1("0"), h.now);
  h.SentPackets();
  h.client.OnConnectionClosed(h.now);
  const mqtt::Connect connect =
      h.Reconnect(mqtt::Connack{.session_present = true});
  EXPECT_FALSE(connect.clean_start);
  EXPECT_THAT(h.Sent(), ElementsAre("PUBLISH qos=1 dup=1 topic=t payload=0"));
}

TEST(SessionTest, V311CleanSessionLosesInFlight) {
  ClientHarness h({.version = mqtt::Version::kV311});
  h.Connect({.client_id = "c1"}, mqtt::Connack{});
  h.client.Publish(Qos1("0"), h.now);
  h.Events();
  h.client.OnConnectionClosed(h.now);
  EXPECT_THAT(h.Events(), ElementsAre(::testing::_, ::testing::_,
                                      "failed m1 session-lost"));
  EXPECT_TRUE(h.Reconnect(mqtt::Connack{}).clean_start);
}

// ---- Re-subscription. ----

// Views of `names`, which must outlive them.
std::vector<mqtt::Subscription> Filters(const std::vector<std::string>& names,
                                        Qos qos = Qos::kAtLeastOnce) {
  std::vector<mqtt::Subscription> subscriptions;
  for (const std::string& name : names) {
    subscriptions.push_back(
        {.topic_filter = name, .options = {.maximum_qos = qos}});
  }
  return subscriptions;
}

// Subscribes and answers with `code` for every filter.
void SubscribeGranted(ClientHarness& h, const std::vector<std::string>& names,
                      uint8_t code = 0x01) {
  const std::vector<mqtt::Subscription> subscriptions = Filters(names);
  ASSERT_EQ(h.client.Subscribe({.subscriptions = subscriptions}, h.now).status,
            SubscribeStatus::kSent);
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  ASSERT_EQ(sent.size(), 1u);
  const std::vector<uint8_t> codes(names.size(), code);
  h.Receive(
      mqtt::Suback{.packet_id = std::get<mqtt::Subscribe>(sent[0]).packet_id,
                   .reason_codes = codes});
}

TEST(SessionTest, ResubscribesInBatchesWhenTheSessionIsNotPresent) {
  ClientHarness h;
  h.Connect();
  std::vector<std::string> first, second;
  for (int i = 0; i < 7; ++i) first.push_back("a/" + std::to_string(i));
  for (int i = 0; i < 5; ++i) second.push_back("b/" + std::to_string(i));
  SubscribeGranted(h, first);
  SubscribeGranted(h, second);
  EXPECT_EQ(h.client.subscriptions().size(), 12u);
  h.Events();

  h.client.OnConnectionClosed(h.now);
  h.Reconnect(mqtt::Connack{});
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(testing::Describe(sent[0]),
            "SUBSCRIBE a/0:1 a/1:1 a/2:1 a/3:1 a/4:1 a/5:1 a/6:1 b/0:1 b/1:1 "
            "b/2:1");
  EXPECT_EQ(testing::Describe(sent[1]), "SUBSCRIBE b/3:1 b/4:1");
  const std::vector<uint8_t> ten(10, 0x01);
  const std::vector<uint8_t> two = {0x01, 0x87};
  h.Receive(
      mqtt::Suback{.packet_id = std::get<mqtt::Subscribe>(sent[0]).packet_id,
                   .reason_codes = ten});
  h.Receive(
      mqtt::Suback{.packet_id = std::get<mqtt::Subscribe>(sent[1]).packet_id,
                   .reason_codes = two});
  const std::vector<std::string> events = h.Events();
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[2],
            "connack rc=0x00 session_present=0 resubscribed=12 resent=0");
  EXPECT_EQ(events[4], "suback r0 b/3 b/4 codes=01,87 resubscribe");
  // The refused filter is forgotten.
  EXPECT_EQ(h.client.subscriptions().size(), 11u);

  // Every connection without the session subscribes again.
  h.client.OnConnectionClosed(h.now);
  h.Reconnect(mqtt::Connack{});
  EXPECT_EQ(h.SentPackets().size(), 2u);  // 10 + 1 filters.
}

TEST(SessionTest, NoResubscriptionWhenTheSessionIsPresent) {
  ClientHarness h;
  h.Connect(kPersistent, Connack(false));
  SubscribeGranted(h, {"a/#"});
  h.client.OnConnectionClosed(h.now);
  h.Reconnect(Connack(true));
  EXPECT_THAT(h.Sent(), IsEmpty());
}

TEST(SessionTest, ResubscriptionKeepsOptionsAndSubscriptionIdentifiers) {
  ClientHarness h;
  h.Connect();
  const mqtt::Subscription with_id[] = {
      {.topic_filter = "x/#",
       .options = {.maximum_qos = Qos::kAtLeastOnce, .no_local = true}}};
  ASSERT_TRUE(
      h.client
          .Subscribe({.subscriptions = with_id, .subscription_identifier = 7},
                     h.now)
          .ok());
  std::vector<mqtt::Packet> sent = h.SentPackets();
  const uint8_t granted[] = {0x01};
  h.Receive(
      mqtt::Suback{.packet_id = std::get<mqtt::Subscribe>(sent[0]).packet_id,
                   .reason_codes = granted});
  SubscribeGranted(h, {"y"});
  h.client.OnConnectionClosed(h.now);
  h.Reconnect(mqtt::Connack{});
  sent = h.SentPackets();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(testing::Describe(sent[0]), "SUBSCRIBE x/#:1 sid=7");
  EXPECT_TRUE(std::get<mqtt::Subscribe>(sent[0])
                  .subscriptions.begin()
                  .
                  operator*()
                  .options.no_local);
  EXPECT_EQ(testing::Describe(sent[1]), "SUBSCRIBE y:1");
}

TEST(SessionTest, UnansweredRequestsAreSentAgainOnTheNextConnection) {
  ClientHarness h;
  h.Connect();
  const mqtt::Subscription a[] = {
      {.topic_filter = "a", .options = {.maximum_qos = Qos::kAtLeastOnce}}};
  const SubscribeResult result =
      h.client.Subscribe({.subscriptions = a}, h.now);
  ASSERT_EQ(result.status, SubscribeStatus::kSent);
  EXPECT_THAT(h.Sent(), ElementsAre("SUBSCRIBE a:1"));
  h.client.OnConnectionClosed(h.now);
  // Asked while disconnected: queued.
  const std::string_view b[] = {"b"};
  EXPECT_EQ(h.client.Unsubscribe({.topic_filters = b}, h.now).status,
            SubscribeStatus::kQueued);
  h.Events();
  h.Reconnect(mqtt::Connack{});
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(testing::Describe(sent[0]), "SUBSCRIBE a:1");
  EXPECT_EQ(testing::Describe(sent[1]), "UNSUBSCRIBE b");
  const uint8_t granted[] = {0x01};
  h.Receive(
      mqtt::Suback{.packet_id = std::get<mqtt::Subscribe>(sent[0]).packet_id,
                   .reason_codes = granted});
  EXPECT_THAT(h.Events(), ElementsAre(::testing::_, "suback r1 a codes=01"));
  EXPECT_EQ(h.client.pending_requests(), 1u);
}

}  // namespace
}  // namespace mqlab::client
