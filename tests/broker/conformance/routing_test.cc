// Routing: authorization by permission bindings, matching, QoS, one copy per
// session, No Local, cross-version delivery of v5 properties, message expiry,
// publish order per publisher, and Azure's three sample workloads.
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
using ::testing::Optional;
using ::testing::Pair;
using ::testing::SizeIs;

std::vector<std::string> Payloads(
    const std::vector<TestClient::Message>& messages) {
  std::vector<std::string> payloads;
  for (const TestClient::Message& message : messages) {
    payloads.push_back(message.payload);
  }
  return payloads;
}

ClientResource Client(std::string name, std::string type) {
  ClientResource client;
  client.name = std::move(name);
  client.attributes["type"] = std::move(type);
  return client;
}

// Vehicles publish under their own name and subscribe to their commands;
// apps subscribe to everything vehicles publish.
NamespaceConfig Fleet() {
  NamespaceConfig config;
  config.allow_unauthenticated_username = true;
  config.clients = {Client("vehicle01", "vehicle"),
                    Client("vehicle02", "vehicle"), Client("app", "app")};
  config.client_groups = {{"vehicles", "attributes.type = 'vehicle'", ""},
                          {"apps", "attributes.type = 'app'", ""}};
  Grant(config, "own-telemetry", "vehicles", Permission::kPublisher,
        {"vehicles/${client.authenticationName}/#"});
  Grant(config, "own-commands", "vehicles", Permission::kSubscriber,
        {"commands/${client.authenticationName}/#"});
  Grant(config, "all-telemetry", "apps", Permission::kSubscriber,
        {"vehicles/#"});
  Grant(config, "commands", "apps", Permission::kPublisher, {"commands/#"});
  return config;
}

TEST(RoutingTest, PublishNeedsAPublisherBinding) {
  BrokerHarness harness(Fleet());
  TestClient& app = harness.ConnectOk({.client_id = "app", .username = "app"});
  ASSERT_EQ(app.Subscribe("vehicles/#", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  TestClient& vehicle =
      harness.ConnectOk({.client_id = "v1", .username = "vehicle01"});
  EXPECT_EQ(
      vehicle.Publish("vehicles/vehicle01/position", "ok", Qos::kAtLeastOnce),
      ReasonCode::kSuccess);
  // Another vehicle's topic: PUBACK 0x87 and kPublishDenied.
  EXPECT_EQ(
      vehicle.Publish("vehicles/vehicle02/position", "no", Qos::kAtLeastOnce),
      ReasonCode::kNotAuthorized);
  vehicle.Publish("vehicles/vehicle02/position", "no", Qos::kAtMostOnce);
  EXPECT_FALSE(vehicle.closed());
  EXPECT_THAT(Payloads(app.Messages()), ElementsAre("ok"));
  const std::vector<RecordedEvent> denied =
      harness.EventsOfKind(EventKind::kPublishDenied);
  ASSERT_THAT(denied, SizeIs(2));
  EXPECT_EQ(denied[0].topic, "vehicles/vehicle02/position");
  EXPECT_EQ(denied[0].reason_code, ReasonCode::kNotAuthorized);
}

// 3.1.1 has no negative PUBACK: a denied QoS 1 PUBLISH closes the connection
// [MQTT-3.3.5-2] (reason ClientAuthorizationError); a denied QoS 0 one is
// dropped.
TEST(RoutingTest, DeniedV311PublishClosesTheConnectionForQos1) {
  BrokerHarness harness(Fleet());
  TestClient& vehicle = harness.ConnectOk(
      {.client_id = "v1", .username = "vehicle01", .version = Version::kV311});
  vehicle.Publish("commands/x", "no", Qos::kAtMostOnce);
  EXPECT_FALSE(vehicle.closed());
  vehicle.Publish("commands/x", "no", Qos::kAtLeastOnce);
  vehicle.ExpectNothing();
  EXPECT_TRUE(vehicle.closed());
  const std::vector<RecordedEvent> disconnected =
      harness.EventsOfKind(EventKind::kDisconnected);
  ASSERT_THAT(disconnected, SizeIs(1));
  EXPECT_EQ(disconnected[0].reason,
            DisconnectionReason::kClientAuthorizationError);
}

// Facts: "a SUBSCRIBE filter is allowed only if it is covered by an
// expanded template of a Subscriber binding (not authorized: SUBACK 0x87 for
// that filter)".
TEST(RoutingTest, SubscribeNeedsACoveringSubscriberBinding) {
  BrokerHarness harness(Fleet());
  TestClient& vehicle =
      harness.ConnectOk({.client_id = "v1", .username = "vehicle01"});
  const mqtt::Subscription subscriptions[] = {
      {"commands/vehicle01/#", {}},
      {"commands/+/unlock", {}},  // Wider than its own commands.
      {"commands/vehicle01/unlock", {.maximum_qos = Qos::kAtLeastOnce}}};
  vehicle.Send(mqtt::Subscribe{
      .packet_id = 1,
      .subscriptions = mqtt::Subscriptions::FromList(subscriptions)});
  EXPECT_THAT(ReasonCodes(vehicle.Expect<mqtt::Suback>()->reason_codes),
              ElementsAre(ReasonCode::kSuccess, ReasonCode::kNotAuthorized,
                          ReasonCode::kGrantedQos1));
  const std::vector<RecordedEvent> denied =
      harness.EventsOfKind(EventKind::kSubscriptionDenied);
  ASSERT_THAT(denied, SizeIs(1));
  EXPECT_EQ(denied[0].topic, "commands/+/unlock");
  TestClient& v3 = harness.ConnectOk(
      {.client_id = "v2", .username = "vehicle02", .version = Version::kV311});
  EXPECT_EQ(v3.Subscribe("commands/vehicle01/#", Qos::kAtMostOnce),
            ReasonCode::kUnspecifiedError);
}

// QoS delivered = min(published, granted); one copy per session even when
// several of its subscriptions match, at the highest granted QoS.
TEST(RoutingTest, OverlappingSubscriptionsDeliverOneCopyAtTheHighestQos) {
  BrokerHarness harness(OpenNamespace({"sub", "pub"}));
  TestClient& subscriber =
      harness.ConnectOk({.client_id = "s", .username = "sub"});
  ASSERT_EQ(subscriber.Subscribe("a/+", Qos::kAtMostOnce),
            ReasonCode::kSuccess);
  ASSERT_EQ(subscriber.Subscribe("a/#", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  ASSERT_EQ(subscriber.Subscribe("b", Qos::kAtMostOnce), ReasonCode::kSuccess);
  TestClient& publisher =
      harness.ConnectOk({.client_id = "p", .username = "pub"});
  publisher.Publish("a/x", "1", Qos::kAtLeastOnce);
  publisher.Publish("a/x", "2", Qos::kAtMostOnce);
  publisher.Publish("b", "3", Qos::kAtLeastOnce);
  const std::vector<TestClient::Message> messages = subscriber.Messages();
  ASSERT_THAT(messages, SizeIs(3));
  EXPECT_EQ(messages[0].qos, Qos::kAtLeastOnce);
  EXPECT_EQ(messages[1].qos, Qos::kAtMostOnce);
  EXPECT_EQ(messages[2].qos, Qos::kAtMostOnce);
}

TEST(RoutingTest, NoLocalKeepsAPublishersOwnMessagesFromIt) {
  NamespaceConfig config = OpenNamespace({"dev1"});
  config.limits.maximum_client_sessions_per_authentication_name = 2;
  BrokerHarness harness(config);
  TestClient& client =
      harness.ConnectOk({.client_id = "a", .username = "dev1"});
  ASSERT_EQ(client.Subscribe("t", Qos::kAtMostOnce, {.no_local = true}),
            ReasonCode::kSuccess);
  TestClient& other = harness.ConnectOk({.client_id = "b", .username = "dev1"});
  ASSERT_EQ(other.Subscribe("t", Qos::kAtMostOnce), ReasonCode::kSuccess);
  client.Publish("t", "mine");
  other.Publish("t", "theirs");
  EXPECT_THAT(Payloads(client.Messages()), ElementsAre("theirs"));
  EXPECT_THAT(Payloads(other.Messages()), ElementsAre("mine", "theirs"));
}

// Wildcards at the first level do not match topics starting with '$'.
TEST(RoutingTest, WildcardsDoNotMatchDollarTopics) {
  NamespaceConfig config = OpenNamespace({"sub", "pub"});
  // "#" does not grant '$' topics either.
  Grant(config, "dollar-pub", "$all", Permission::kPublisher, {"$sys/#"});
  Grant(config, "dollar-sub", "$all", Permission::kSubscriber, {"$sys/#"});
  BrokerHarness harness(config);
  TestClient& subscriber =
      harness.ConnectOk({.client_id = "s", .username = "sub"});
  ASSERT_EQ(subscriber.Subscribe("#", Qos::kAtMostOnce), ReasonCode::kSuccess);
  ASSERT_EQ(subscriber.Subscribe("$sys/+", Qos::kAtMostOnce),
            ReasonCode::kSuccess);
  TestClient& publisher =
      harness.ConnectOk({.client_id = "p", .username = "pub"});
  publisher.Publish("$sys/x", "dollar");
  publisher.Publish("plain", "plain");
  EXPECT_THAT(Payloads(subscriber.Messages()), ElementsAre("dollar", "plain"));
}

// Seed: "Event Grid also supports cross MQTT version (MQTT 3.1.1 and MQTT 5)
// communication." v5 properties reach v5 subscribers and are dropped for
// 3.1.1 ones.
TEST(RoutingTest, V5PropertiesReachV5SubscribersOnly) {
  BrokerHarness harness(OpenNamespace({"v5", "v3", "pub"}));
  TestClient& v5 = harness.ConnectOk({.client_id = "v5", .username = "v5"});
  TestClient& v3 = harness.ConnectOk(
      {.client_id = "v3", .username = "v3", .version = Version::kV311});
  ASSERT_EQ(v5.Subscribe("t", Qos::kAtLeastOnce), ReasonCode::kGrantedQos1);
  ASSERT_EQ(v3.Subscribe("t", Qos::kAtLeastOnce), ReasonCode::kGrantedQos1);
  TestClient& publisher =
      harness.ConnectOk({.client_id = "p", .username = "pub"});
  mqtt::Properties properties;
  properties.content_type = "application/json";
  properties.response_topic = "t/reply";
  properties.correlation_data = AsBytes("42");
  properties.payload_format_indicator = 1;
  properties.message_expiry_interval = 300;
  const mqtt::UserProperty user[] = {{"status", "200"}, {"status", "201"}};
  properties.user_properties = mqtt::UserProperties::FromList(user);
  ASSERT_EQ(publisher.Publish("t", "{}", Qos::kAtLeastOnce, properties),
            ReasonCode::kSuccess);

  std::vector<ReceivedPacket> to_v5 = v5.Receive();
  ASSERT_THAT(to_v5, SizeIs(1));
  const mqtt::Publish& forwarded = *to_v5[0].As<mqtt::Publish>();
  EXPECT_EQ(forwarded.properties.content_type, "application/json");
  EXPECT_EQ(forwarded.properties.response_topic, "t/reply");
  EXPECT_EQ(AsText(*forwarded.properties.correlation_data), "42");
  EXPECT_EQ(forwarded.properties.payload_format_indicator, 1);
  EXPECT_EQ(forwarded.properties.message_expiry_interval, 300u);
  EXPECT_EQ(forwarded.properties.user_properties,
            mqtt::UserProperties::FromList(user));

  const std::vector<TestClient::Message> to_v3 = v3.Messages();
  ASSERT_THAT(to_v3, SizeIs(1));
  EXPECT_EQ(to_v3[0].payload, "{}");
  EXPECT_EQ(to_v3[0].qos, Qos::kAtLeastOnce);
}

TEST(RoutingTest, V311PublisherReachesV5Subscriber) {
  BrokerHarness harness(OpenNamespace({"v5", "v3"}));
  TestClient& v5 = harness.ConnectOk({.client_id = "v5", .username = "v5"});
  ASSERT_EQ(v5.Subscribe("t", Qos::kAtLeastOnce), ReasonCode::kGrantedQos1);
  harness
      .ConnectOk(
          {.client_id = "v3", .username = "v3", .version = Version::kV311})
      .Publish("t", "hi", Qos::kAtLeastOnce);
  const std::vector<TestClient::Message> messages = v5.Messages();
  ASSERT_THAT(messages, SizeIs(1));
  EXPECT_EQ(messages[0].payload, "hi");
  EXPECT_FALSE(messages[0].content_type.has_value());
}

// Message expiry counts down while queued: the forwarded Message Expiry
// Interval is what is left; an expired message is not delivered
// (kMessageDropped "expired").
TEST(RoutingTest, MessageExpiryCountsDownWhileQueued) {
  BrokerHarness harness(OpenNamespace({"sub", "pub"}));
  harness
      .ConnectOk({.client_id = "s",
                  .username = "sub",
                  .session_expiry_interval = 3600})
      .Subscribe("t", Qos::kAtLeastOnce);
  harness
      .Connect({.client_id = "s",
                .username = "sub",
                .clean_start = false,
                .session_expiry_interval = 3600})
      .Drop();
  TestClient& publisher =
      harness.ConnectOk({.client_id = "p", .username = "pub"});
  mqtt::Properties short_lived;
  short_lived.message_expiry_interval = 10;
  mqtt::Properties long_lived;
  long_lived.message_expiry_interval = 300;
  publisher.Publish("t", "short", Qos::kAtLeastOnce, short_lived);
  publisher.Publish("t", "long", Qos::kAtLeastOnce, long_lived);
  publisher.Publish("t", "forever", Qos::kAtLeastOnce);
  harness.AdvanceBy(30 * kSecond);
  TestClient& back = harness.Connect({.client_id = "s",
                                      .username = "sub",
                                      .clean_start = false,
                                      .session_expiry_interval = 3600});
  const std::vector<TestClient::Message> messages = back.Messages();
  ASSERT_THAT(messages, SizeIs(2));
  EXPECT_EQ(messages[0].payload, "long");
  EXPECT_THAT(messages[0].message_expiry_interval, Optional(270u));
  EXPECT_EQ(messages[1].payload, "forever");
  EXPECT_FALSE(messages[1].message_expiry_interval.has_value());
  const std::vector<RecordedEvent> dropped =
      harness.EventsOfKind(EventKind::kMessageDropped);
  ASSERT_THAT(dropped, SizeIs(1));
  EXPECT_EQ(dropped[0].detail, "expired");
}

// Beyond Event Grid (which does not guarantee ordering): messages of one
// publishing session reach each subscribing session in publish order, also
// across QoS levels, flow control, reconnects and redelivery.
TEST(RoutingTest, MessagesArriveInPublishOrderAcrossReconnects) {
  NamespaceConfig config = OpenNamespace({"sub", "pub"});
  config.limits.rate_limits_lifted = true;
  BrokerHarness harness(config);
  TestClient* subscriber = &harness.ConnectOk({.client_id = "s",
                                               .username = "sub",
                                               .session_expiry_interval = 60,
                                               .receive_maximum = 3});
  ASSERT_EQ(subscriber->Subscribe("t", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  TestClient& publisher =
      harness.ConnectOk({.client_id = "p", .username = "pub"});
  int next = 0;
  std::vector<int> first_deliveries;
  std::vector<int> seen;
  const auto publish_some = [&](int count) {
    for (int i = 0; i < count; ++i, ++next) {
      publisher.Publish("t", std::to_string(next),
                        next % 3 == 0 ? Qos::kAtMostOnce : Qos::kAtLeastOnce);
    }
  };
  const auto read = [&](bool acknowledge) {
    for (const TestClient::Message& message : subscriber->Messages()) {
      const int value = std::stoi(message.payload);
      if (!message.dup) first_deliveries.push_back(value);
      seen.push_back(value);
      if (acknowledge && message.qos == Qos::kAtLeastOnce) {
        subscriber->Puback(message.packet_id);
      }
    }
  };
  for (int round = 0; round < 6; ++round) {
    publish_some(7);
    read(/*acknowledge=*/round % 2 == 0);
    publish_some(5);
    if (round % 2 == 1) {
      subscriber->Drop();
      publish_some(4);
      subscriber = &harness.Connect({.client_id = "s",
                                     .username = "sub",
                                     .clean_start = false,
                                     .session_expiry_interval = 60,
                                     .receive_maximum = 3});
      EXPECT_TRUE(subscriber->ExpectConnack()->session_present);
    }
    read(/*acknowledge=*/true);
  }
  for (int i = 0; i < 20; ++i) read(/*acknowledge=*/true);
  // First deliveries are strictly increasing: order kept, nothing twice.
  for (size_t i = 1; i < first_deliveries.size(); ++i) {
    ASSERT_LT(first_deliveries[i - 1], first_deliveries[i]) << i;
  }
  // Every QoS 1 message arrived (QoS 0 ones may be dropped offline).
  for (int value = 0; value < next; ++value) {
    if (value % 3 == 0) continue;
    EXPECT_NE(std::find(seen.begin(), seen.end(), value), seen.end()) << value;
  }
}

// One PUBLISH fans out in ascending session order (session numbers are
// reused smallest first, so this is not connection order).
TEST(RoutingTest, FanOutIsInAscendingSessionOrder) {
  NamespaceConfig config = OpenNamespace({"dev"});
  config.limits.maximum_client_sessions_per_authentication_name = 10;
  BrokerHarness harness(config);
  std::vector<TestClient*> subscribers;
  for (int i = 0; i < 5; ++i) {
    subscribers.push_back(&harness.ConnectOk(
        {.client_id = "s" + std::to_string(i), .username = "dev"}));
    ASSERT_EQ(subscribers.back()->Subscribe("t", Qos::kAtMostOnce),
              ReasonCode::kSuccess);
  }
  // s1's session ends (expiry 0); s5 takes its number, 1.
  subscribers[1]->Drop();
  TestClient& s5 = harness.ConnectOk({.client_id = "s5", .username = "dev"});
  ASSERT_EQ(s5.Subscribe("t", Qos::kAtMostOnce), ReasonCode::kSuccess);
  TestClient& publisher =
      harness.ConnectOk({.client_id = "p", .username = "dev"});
  harness.TakeSendOrder();
  publisher.Publish("t", "x", Qos::kAtMostOnce);
  EXPECT_THAT(harness.TakeSendOrder(),
              ElementsAre(subscribers[0]->id(), s5.id(), subscribers[2]->id(),
                          subscribers[3]->id(), subscribers[4]->id()));
}

// Azure's samples (eventgrid-facts.md, "Reference workloads").
TEST(RoutingTest, TelemetrySampleFanIn) {
  NamespaceConfig config;
  config.allow_unauthenticated_username = true;
  config.clients = {Client("vehicle01", "vehicle"),
                    Client("vehicle02", "vehicle"), Client("map-app", "app")};
  Grant(config, "vehicles", "$all", Permission::kPublisher, {"vehicles/#"});
  Grant(config, "vehicles-sub", "$all", Permission::kSubscriber,
        {"vehicles/#"});
  BrokerHarness harness(config);
  TestClient& map =
      harness.ConnectOk({.client_id = "map-app", .username = "map-app"});
  ASSERT_EQ(map.Subscribe("vehicles/+/position", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  TestClient& one =
      harness.ConnectOk({.client_id = "vehicle01", .username = "vehicle01"});
  TestClient& two =
      harness.ConnectOk({.client_id = "vehicle02", .username = "vehicle02"});
  one.Publish("vehicles/vehicle01/position", "p1", Qos::kAtLeastOnce);
  two.Publish("vehicles/vehicle02/position", "p2", Qos::kAtLeastOnce);
  std::vector<std::pair<std::string, std::string>> received;
  for (const TestClient::Message& message : map.Messages()) {
    received.emplace_back(message.topic, message.payload);
  }
  EXPECT_THAT(received, ElementsAre(Pair("vehicles/vehicle01/position", "p1"),
                                    Pair("vehicles/vehicle02/position", "p2")));
}

TEST(RoutingTest, CommandSampleRequestResponse) {
  NamespaceConfig config;
  config.allow_unauthenticated_username = true;
  config.clients = {Client("mobile-app", "app"),
                    Client("vehicle03", "vehicle")};
  // The sample's own mismatch (command/ vs commands/#) fixed here.
  Grant(config, "commands-pub", "$all", Permission::kPublisher,
        {"vehicles/+/command/#"});
  Grant(config, "commands-sub", "$all", Permission::kSubscriber,
        {"vehicles/+/command/#"});
  BrokerHarness harness(config);
  TestClient& vehicle =
      harness.ConnectOk({.client_id = "vehicle03", .username = "vehicle03"});
  ASSERT_EQ(vehicle.Subscribe("vehicles/vehicle03/command/unlock/request",
                              Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  TestClient& app =
      harness.ConnectOk({.client_id = "mobile-app", .username = "mobile-app"});
  ASSERT_EQ(app.Subscribe("vehicles/vehicle03/command/unlock/response",
                          Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  mqtt::Properties request;
  request.correlation_data = AsBytes("5f1a1b8e-guid");
  request.response_topic = "vehicles/vehicle03/command/unlock/response";
  request.content_type = "application/json";
  app.Publish("vehicles/vehicle03/command/unlock/request", "{}",
              Qos::kAtLeastOnce, request);
  const std::vector<TestClient::Message> requests = vehicle.Messages();
  ASSERT_THAT(requests, SizeIs(1));
  ASSERT_TRUE(requests[0].response_topic.has_value());
  vehicle.Puback(requests[0].packet_id);
  mqtt::Properties response;
  response.correlation_data = AsBytes(*requests[0].correlation_data);
  const mqtt::UserProperty status[] = {{"status", "200"}};
  response.user_properties = mqtt::UserProperties::FromList(status);
  vehicle.Publish(*requests[0].response_topic, "{\"ok\":true}",
                  Qos::kAtLeastOnce, response);
  const std::vector<TestClient::Message> responses = app.Messages();
  ASSERT_THAT(responses, SizeIs(1));
  EXPECT_EQ(responses[0].correlation_data, "5f1a1b8e-guid");
  EXPECT_THAT(responses[0].user_properties, ElementsAre(Pair("status", "200")));
}

TEST(RoutingTest, CommandSampleAsPublishedIsNotAuthorized) {
  NamespaceConfig config;
  config.allow_unauthenticated_username = true;
  config.clients = {Client("mobile-app", "app")};
  Grant(config, "commands-pub", "$all", Permission::kPublisher,
        {"vehicles/+/commands/#"});
  BrokerHarness harness(config);
  EXPECT_EQ(
      harness.ConnectOk({.client_id = "mobile-app", .username = "mobile-app"})
          .Publish("vehicles/vehicle03/command/unlock/request", "{}",
                   Qos::kAtLeastOnce),
      ReasonCode::kNotAuthorized);
}

TEST(RoutingTest, AlertSampleFanOutWithExpiry) {
  NamespaceConfig config;
  config.allow_unauthenticated_username = true;
  config.clients = {Client("control-tower", "app"),
                    Client("vehicle04", "vehicle"),
                    Client("vehicle05", "vehicle")};
  Grant(config, "alerts-pub", "$all", Permission::kPublisher,
        {"vehicles/weather/alert"});
  Grant(config, "alerts-sub", "$all", Permission::kSubscriber,
        {"vehicles/weather/alert"});
  BrokerHarness harness(config);
  for (const char* vehicle : {"vehicle04", "vehicle05"}) {
    TestClient& client = harness.ConnectOk({.client_id = vehicle,
                                            .username = vehicle,
                                            .version = Version::kV311,
                                            .clean_start = false});
    ASSERT_EQ(client.Subscribe("vehicles/weather/alert", Qos::kAtLeastOnce),
              ReasonCode::kGrantedQos1);
  }
  // vehicle05 goes offline; it comes back after the alert expired.
  harness
      .Connect({.client_id = "vehicle05",
                .username = "vehicle05",
                .version = Version::kV311,
                .clean_start = false})
      .Drop();
  mqtt::Properties alert;
  alert.message_expiry_interval = 300;
  harness.ConnectOk({.client_id = "control-tower", .username = "control-tower"})
      .Publish("vehicles/weather/alert", "storm", Qos::kAtLeastOnce, alert);
  harness.AdvanceBy(301 * kSecond);
  TestClient& back = harness.Connect({.client_id = "vehicle05",
                                      .username = "vehicle05",
                                      .version = Version::kV311,
                                      .clean_start = false});
  EXPECT_TRUE(back.ExpectConnack()->session_present);
  EXPECT_THAT(back.Messages(), SizeIs(0));
  EXPECT_THAT(harness.EventsOfKind(EventKind::kMessageDropped), SizeIs(1));
}

}  // namespace
}  // namespace mqlab::broker::testing
