// Event Grid's limits (eventgrid-facts.md's table, broker::Limits): each
// crossed once, with its one reaction (docs/limits.md). Limits tested
// elsewhere: packet size and topic aliases (limitations_test.cc), keep-alive
// (keep_alive_test.cc), sessions per authentication name, session expiry and
// the offline queue (session_test.cc), connects per second (connect_test.cc),
// inbound in-flight and outbound bytes (flow_control_test.cc).
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
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::SizeIs;

std::string Levels(int count) {
  std::string topic = "l";
  for (int i = 1; i < count; ++i) topic += "/l";
  return topic;
}

// Two clients that may each hold several sessions (the per-name limit is
// session_test.cc's).
NamespaceConfig TwoClients() {
  NamespaceConfig config = OpenNamespace({"dev1", "dev2"});
  config.limits.maximum_client_sessions_per_authentication_name = 10;
  return config;
}

void SendSubscribe(TestClient& client, std::string_view filter) {
  const mqtt::Subscription subscriptions[] = {{filter, {}}};
  client.Send(mqtt::Subscribe{
      .packet_id = 1,
      .subscriptions = mqtt::Subscriptions::FromList(subscriptions)});
}

class LimitsTest : public ::testing::Test {
 protected:
  explicit LimitsTest(NamespaceConfig config = TwoClients())
      : harness_(std::move(config)) {}

  TestClient& V5(std::string_view user = "dev1") {
    return harness_.ConnectOk({.client_id = std::string(user) + "-v5",
                               .username = std::string(user)});
  }
  TestClient& V311(std::string_view user = "dev1") {
    return harness_.ConnectOk({.client_id = std::string(user) + "-v3",
                               .username = std::string(user),
                               .version = Version::kV311});
  }
  std::vector<std::string> LimitDetails() const {
    std::vector<std::string> details;
    for (const RecordedEvent& event :
         harness_.EventsOfKind(EventKind::kLimitExceeded)) {
      details.push_back(event.detail);
    }
    return details;
  }

  BrokerHarness harness_;
};

// Topic size 256 bytes and 8 levels, in a PUBLISH: v5 QoS 1 gets PUBACK 0x90
// Topic Name invalid; QoS 0 is dropped; 3.1.1 QoS 1 (no negative PUBACK)
// closes the connection.
TEST_F(LimitsTest, TopicNameAbove256BytesIsRefused) {
  TestClient& subscriber = V5("dev2");
  ASSERT_EQ(subscriber.Subscribe("#", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  TestClient& publisher = V5();
  EXPECT_EQ(publisher.Publish(std::string(256, 't'), "ok", Qos::kAtLeastOnce),
            ReasonCode::kSuccess);
  EXPECT_EQ(publisher.Publish(std::string(257, 't'), "no", Qos::kAtLeastOnce),
            ReasonCode::kTopicNameInvalid);
  publisher.Publish(std::string(257, 't'), "no", Qos::kAtMostOnce);
  EXPECT_FALSE(publisher.closed());
  EXPECT_THAT(subscriber.Messages(), SizeIs(1));
  EXPECT_THAT(LimitDetails(),
              ElementsAre("maximum-topic-size", "maximum-topic-size"));

  TestClient& v3 = V311();
  v3.Publish(std::string(257, 't'), "no", Qos::kAtLeastOnce);
  v3.ExpectNothing();
  EXPECT_TRUE(v3.closed());
}

TEST_F(LimitsTest, TopicNameAboveEightLevelsIsRefused) {
  TestClient& publisher = V5();
  EXPECT_EQ(publisher.Publish(Levels(8), "ok", Qos::kAtLeastOnce),
            ReasonCode::kSuccess);
  EXPECT_EQ(publisher.Publish(Levels(9), "no", Qos::kAtLeastOnce),
            ReasonCode::kTopicNameInvalid);
  EXPECT_THAT(LimitDetails(), ElementsAre("maximum-topic-levels"));
}

// The same limits on a SUBSCRIBE filter: SUBACK 0x8F Topic Filter invalid
// (3.1.1: 0x80).
TEST_F(LimitsTest, TopicFilterAboveTheLimitsIsRefused) {
  TestClient& client = V5();
  EXPECT_EQ(client.Subscribe(std::string(256, 'f'), Qos::kAtMostOnce),
            ReasonCode::kSuccess);
  EXPECT_EQ(client.Subscribe(std::string(257, 'f'), Qos::kAtMostOnce),
            ReasonCode::kTopicFilterInvalid);
  EXPECT_EQ(client.Subscribe(Levels(7) + "/#", Qos::kAtMostOnce),
            ReasonCode::kSuccess);
  EXPECT_EQ(client.Subscribe(Levels(8) + "/+", Qos::kAtMostOnce),
            ReasonCode::kTopicFilterInvalid);
  EXPECT_EQ(V311("dev2").Subscribe(Levels(9), Qos::kAtMostOnce),
            ReasonCode::kUnspecifiedError);
  EXPECT_THAT(LimitDetails(),
              ElementsAre("maximum-topic-size", "maximum-topic-levels",
                          "maximum-topic-levels"));
}

// Topic filters in one SUBSCRIBE: 10. More: SUBACK 0x97 for every filter.
TEST_F(LimitsTest, MoreThanTenFiltersInOneSubscribeAreRefused) {
  TestClient& client = V5();
  std::vector<std::string> filters;
  for (int i = 0; i < 11; ++i) filters.push_back("f" + std::to_string(i));
  std::vector<mqtt::Subscription> subscriptions;
  for (const std::string& filter : filters)
    subscriptions.push_back({filter, {}});
  client.Send(mqtt::Subscribe{.packet_id = 1,
                              .subscriptions = mqtt::Subscriptions::FromList(
                                  std::span(subscriptions).first(10))});
  EXPECT_THAT(ReasonCodes(client.Expect<mqtt::Suback>()->reason_codes),
              Each(ReasonCode::kSuccess));
  client.Send(mqtt::Subscribe{
      .packet_id = 2,
      .subscriptions = mqtt::Subscriptions::FromList(subscriptions)});
  const Received<mqtt::Suback> suback = client.Expect<mqtt::Suback>();
  EXPECT_THAT(ReasonCodes(suback->reason_codes), SizeIs(11));
  EXPECT_THAT(ReasonCodes(suback->reason_codes),
              Each(ReasonCode::kQuotaExceeded));
  EXPECT_THAT(LimitDetails(), ElementsAre("maximum-filters-per-subscribe"));
  EXPECT_EQ(harness_.broker().stats().subscriptions, 10u);
}

// Subscriptions per session: 50. The 51st gets SUBACK 0x97; replacing an
// existing one is no new subscription.
class SubscriptionCountTest : public LimitsTest {
 protected:
  static NamespaceConfig Config() {
    NamespaceConfig config = OpenNamespace({"dev1"});
    config.limits.rate_limits_lifted = true;  // 51 SUBSCRIBEs at once.
    return config;
  }
  SubscriptionCountTest() : LimitsTest(Config()) {}
};

TEST_F(SubscriptionCountTest, FiftyFirstSubscriptionIsRefused) {
  TestClient& client = V5();
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(client.Subscribe("f" + std::to_string(i), Qos::kAtMostOnce),
              ReasonCode::kSuccess);
  }
  EXPECT_EQ(client.Subscribe("f50", Qos::kAtMostOnce),
            ReasonCode::kQuotaExceeded);
  EXPECT_EQ(client.Subscribe("f7", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  EXPECT_THAT(LimitDetails(), ElementsAre("maximum-subscriptions-per-session"));
  EXPECT_EQ(harness_.broker().stats().subscriptions, 50u);
}

// SUBSCRIBE/UNSUBSCRIBE rate: 5 per second per session. The 6th within a
// second: DISCONNECT 0x97 Quota exceeded, reason QuotaExceeded.
TEST_F(LimitsTest, SixthSubscribeRequestInASecondEndsTheConnection) {
  TestClient& client = V5();
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(client.Subscribe("f" + std::to_string(i), Qos::kAtMostOnce),
              ReasonCode::kSuccess);
  }
  const std::string_view filters[] = {"f0", "f1"};
  for (int i = 0; i < 2; ++i) {
    client.Send(mqtt::Unsubscribe{
        .packet_id = 100,
        .topic_filters = mqtt::TopicFilters::FromList(
            std::span(filters).subspan(static_cast<size_t>(i), 1))});
    EXPECT_THAT(ReasonCodes(client.Expect<mqtt::Unsuback>()->reason_codes),
                ElementsAre(ReasonCode::kSuccess));
  }
  SendSubscribe(client, "f9");
  EXPECT_EQ(client.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kQuotaExceeded);
  EXPECT_TRUE(client.closed());
  EXPECT_THAT(LimitDetails(), ElementsAre("subscribe-requests-per-second"));
  const std::vector<RecordedEvent> disconnected =
      harness_.EventsOfKind(EventKind::kDisconnected);
  ASSERT_THAT(disconnected, SizeIs(1));
  EXPECT_EQ(disconnected[0].reason, DisconnectionReason::kQuotaExceeded);
}

TEST_F(LimitsTest, FiveSubscribeRequestsPerSecondSustainedPass) {
  TestClient& client = V5();
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(client.Subscribe("f", Qos::kAtMostOnce), ReasonCode::kSuccess);
    harness_.AdvanceBy(200 * kMillisecond);
    client.Send(mqtt::Pingreq{});  // Keep-alive.
    client.Expect<mqtt::Pingresp>();
  }
  EXPECT_FALSE(client.closed());
}

// Publish rate: 100 messages per second per session (inbound). The 101st
// within a second: DISCONNECT 0x96 Message rate too high, reason
// QuotaExceeded (3.1.1: closed).
TEST_F(LimitsTest, PublishRateAbove100MessagesPerSecondEndsTheConnection) {
  TestClient& client = V5();
  for (int i = 0; i < 100; ++i) client.Publish("t", "x");
  EXPECT_FALSE(client.closed());
  client.Publish("t", "x");
  EXPECT_EQ(client.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kMessageRateTooHigh);
  EXPECT_TRUE(client.closed());
  EXPECT_THAT(LimitDetails(), ElementsAre("publish-messages-per-second"));

  TestClient& v3 = V311("dev2");
  for (int i = 0; i < 101; ++i) v3.Publish("t", "x");
  v3.ExpectNothing();
  EXPECT_TRUE(v3.closed());
}

TEST_F(LimitsTest, PublishRateOf100MessagesPerSecondSustainedPasses) {
  TestClient& client = V5();
  for (int i = 0; i < 1000; ++i) {
    client.Publish("t", "x");
    harness_.AdvanceBy(10 * kMillisecond);
  }
  EXPECT_FALSE(client.closed());
}

// Publish bandwidth: 1 MB per second per session (inbound, whole packets).
TEST_F(LimitsTest, PublishBytesAbove1MBPerSecondEndsTheConnection) {
  TestClient& client = V5();
  const std::string payload(256 * 1024, 'x');
  for (int i = 0; i < 3; ++i) client.Publish("t", payload);
  EXPECT_FALSE(client.closed());
  client.Publish("t", payload);  // 4 x (256 KiB + header) > 1 MiB.
  EXPECT_EQ(client.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kMessageRateTooHigh);
  EXPECT_THAT(LimitDetails(), ElementsAre("publish-bytes-per-second"));
}

// rateLimitsLifted (mqlab extension) lifts the three per-session rates.
class LiftedRatesTest : public LimitsTest {
 protected:
  static NamespaceConfig Config() {
    NamespaceConfig config = OpenNamespace({"dev1"});
    config.limits.rate_limits_lifted = true;
    return config;
  }
  LiftedRatesTest() : LimitsTest(Config()) {}
};

TEST_F(LiftedRatesTest, NoPerSessionRateApplies) {
  TestClient& client = V5();
  for (int i = 0; i < 20; ++i) client.Subscribe("f", Qos::kAtMostOnce);
  const std::string payload(100 * 1024, 'x');
  for (int i = 0; i < 200; ++i) client.Publish("t", payload);  // 20 MB.
  EXPECT_FALSE(client.closed());
  EXPECT_THAT(LimitDetails(), SizeIs(0));
}

// v5 Response Topic, Content Type, Correlation Data: 256 bytes each; User
// Properties: 32 KB in all. A PUBLISH over any: QoS 1 gets PUBACK 0x83, QoS 0
// is dropped.
TEST_F(LimitsTest, V5PropertiesAboveTheirLimitsAreRefused) {
  TestClient& subscriber = V5("dev2");
  ASSERT_EQ(subscriber.Subscribe("t", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  TestClient& publisher = V5();
  const std::string at_limit(256, 'a');
  const std::string over(257, 'a');
  mqtt::Properties ok;
  ok.response_topic = at_limit;
  ok.content_type = at_limit;
  ok.correlation_data = AsBytes(at_limit);
  EXPECT_EQ(publisher.Publish("t", "ok", Qos::kAtLeastOnce, ok),
            ReasonCode::kSuccess);

  mqtt::Properties response_topic;
  response_topic.response_topic = over;
  mqtt::Properties content_type;
  content_type.content_type = over;
  mqtt::Properties correlation_data;
  correlation_data.correlation_data = AsBytes(over);
  // 32 KB exactly, then one byte more: entries of 5 + key + value bytes.
  const std::string value(32 * 1024 - 5 - 1, 'v');
  const mqtt::UserProperty exactly[] = {{"k", value}};
  mqtt::Properties user_ok;
  user_ok.user_properties = mqtt::UserProperties::FromList(exactly);
  EXPECT_EQ(publisher.Publish("t", "ok", Qos::kAtLeastOnce, user_ok),
            ReasonCode::kSuccess);
  const std::string longer = value + "v";
  const mqtt::UserProperty too_many[] = {{"k", longer}};
  mqtt::Properties user_over;
  user_over.user_properties = mqtt::UserProperties::FromList(too_many);

  for (const mqtt::Properties* properties :
       {&response_topic, &content_type, &correlation_data, &user_over}) {
    EXPECT_EQ(publisher.Publish("t", "no", Qos::kAtLeastOnce, *properties),
              ReasonCode::kImplementationSpecificError);
    publisher.Publish("t", "no", Qos::kAtMostOnce, *properties);
  }
  EXPECT_FALSE(publisher.closed());
  EXPECT_THAT(subscriber.Messages(), SizeIs(2));
  EXPECT_THAT(
      LimitDetails(),
      ElementsAre(
          "maximum-response-topic-size", "maximum-response-topic-size",
          "maximum-content-type-size", "maximum-content-type-size",
          "maximum-correlation-data-size", "maximum-correlation-data-size",
          "maximum-user-properties-size", "maximum-user-properties-size"));
}

// Namespace: sessions per throughput unit (10,000 per unit). A CONNECT that
// would create one more: CONNACK 0x97 (3.1.1: closed without CONNACK).
class NamespaceSessionsTest : public LimitsTest {
 protected:
  static NamespaceConfig Config() {
    NamespaceConfig config = OpenNamespace({"dev1", "dev2", "dev3", "dev4"});
    config.limits.maximum_sessions_per_unit = 1;
    config.limits.throughput_units = 2;
    return config;
  }
  NamespaceSessionsTest() : LimitsTest(Config()) {}
};

TEST_F(NamespaceSessionsTest, SessionsPerThroughputUnitAreEnforced) {
  harness_.ConnectOk({.client_id = "a", .username = "dev1"});
  harness_
      .ConnectOk(
          {.client_id = "b", .username = "dev2", .session_expiry_interval = 60})
      .Drop();  // Offline sessions count.
  TestClient& third = harness_.Connect({.client_id = "c", .username = "dev3"});
  EXPECT_EQ(third.ExpectConnack()->reason_code, ReasonCode::kQuotaExceeded);
  TestClient& v3 = harness_.Connect(
      {.client_id = "c", .username = "dev3", .version = Version::kV311});
  v3.ExpectNothing();
  EXPECT_TRUE(v3.closed());
  const std::vector<RecordedEvent> refused =
      harness_.EventsOfKind(EventKind::kConnectRefused);
  ASSERT_THAT(refused, SizeIs(2));
  EXPECT_EQ(refused[0].detail, "maximum-sessions");
  // Resuming an existing session needs no new one.
  harness_.ConnectOk({.client_id = "b",
                      .username = "dev2",
                      .clean_start = false,
                      .session_expiry_interval = 60});
}

// Connections waiting for their CONNECT: at most as many as the namespace
// has sessions; beyond, the broker turns a new connection down
// (kRefusedConnection: the driver closes it).
TEST_F(NamespaceSessionsTest, PendingConnectionsAreBounded) {
  const TestClient& first = harness_.Open();
  const TestClient& second = harness_.Open();
  const TestClient& third = harness_.Open();
  EXPECT_NE(first.id(), kRefusedConnection);
  EXPECT_NE(second.id(), kRefusedConnection);
  EXPECT_EQ(third.id(), kRefusedConnection);
  const std::vector<RecordedEvent> refused =
      harness_.EventsOfKind(EventKind::kConnectRefused);
  ASSERT_THAT(refused, SizeIs(1));
  EXPECT_EQ(refused[0].detail, "maximum-pending-connections");
  EXPECT_EQ(refused[0].connection, kRefusedConnection);
  // A connection that ends frees a place.
  harness_.broker().OnConnectionClosed(first.id(), harness_.now());
  EXPECT_NE(harness_.Open().id(), kRefusedConnection);
}

}  // namespace
}  // namespace mqlab::broker::testing
