// SUBSCRIBE and UNSUBSCRIBE: what is sent, how answers update the
// subscription table, what is refused at the call, the bounds, and answers
// that break the protocol.
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
using ::testing::HasSubstr;
using ::testing::IsEmpty;

uint16_t SubscribeIdOf(const mqtt::Packet& packet) {
  return std::get<mqtt::Subscribe>(packet).packet_id;
}

TEST(SubscribeTest, SubackUpdatesTheTable) {
  ClientHarness h;
  h.Connect();
  h.Events();
  const mqtt::Subscription subscriptions[] = {
      {.topic_filter = "vehicles/+/position",
       .options = {.maximum_qos = Qos::kAtLeastOnce}},
      {.topic_filter = "forbidden/#"}};
  const SubscribeResult result =
      h.client.Subscribe({.subscriptions = subscriptions}, h.now);
  EXPECT_EQ(result.status, SubscribeStatus::kSent);
  EXPECT_EQ(result.request_id, 1u);
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(testing::Describe(sent[0]),
            "SUBSCRIBE vehicles/+/position:1 forbidden/#:0");
  const uint8_t codes[] = {0x01, 0x87};
  h.Receive(
      mqtt::Suback{.packet_id = SubscribeIdOf(sent[0]), .reason_codes = codes});
  EXPECT_THAT(h.Events(), ElementsAre("suback r1 vehicles/+/position "
                                      "forbidden/# codes=01,87"));
  ASSERT_EQ(h.client.subscriptions().size(), 1u);
  EXPECT_EQ(h.client.subscriptions().entries()[0].topic_filter,
            "vehicles/+/position");
  EXPECT_EQ(h.client.pending_requests(), 0u);
  EXPECT_EQ(h.client.stats().subscribes_sent, 1u);
}

TEST(SubscribeTest, UnsubackRemovesFromTheTable) {
  for (const mqtt::Version version :
       {mqtt::Version::kV5, mqtt::Version::kV311}) {
    ClientHarness h({.version = version});
    h.Connect();
    const mqtt::Subscription subscriptions[] = {{.topic_filter = "a"},
                                                {.topic_filter = "b"}};
    h.client.Subscribe({.subscriptions = subscriptions}, h.now);
    const uint8_t granted[] = {0x00, 0x00};
    h.Receive(mqtt::Suback{.packet_id = SubscribeIdOf(h.SentPackets()[0]),
                           .reason_codes = granted});
    const std::string_view filters[] = {"a"};
    const SubscribeResult result =
        h.client.Unsubscribe({.topic_filters = filters}, h.now);
    EXPECT_EQ(result.status, SubscribeStatus::kSent);
    const std::vector<mqtt::Packet> sent = h.SentPackets();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(testing::Describe(sent[0]), "UNSUBSCRIBE a");
    const uint8_t removed[] = {0x00};
    mqtt::Unsuback unsuback{.packet_id =
                                std::get<mqtt::Unsubscribe>(sent[0]).packet_id};
    if (version == mqtt::Version::kV5) unsuback.reason_codes = removed;
    h.Events();
    h.Receive(unsuback);
    EXPECT_THAT(h.Events(), ElementsAre(version == mqtt::Version::kV5
                                            ? "unsuback r2 a codes=00"
                                            : "unsuback r2 a codes="));
    ASSERT_EQ(h.client.subscriptions().size(), 1u);
    EXPECT_EQ(h.client.subscriptions().entries()[0].topic_filter, "b");
    EXPECT_EQ(h.client.stats().unsubscribes_sent, 1u);
  }
}

TEST(SubscribeTest, BadRequestsAreRefusedAtTheCall) {
  ClientHarness h;
  h.Connect();
  auto status = [&](const std::vector<mqtt::Subscription>& subscriptions,
                    std::optional<uint32_t> identifier = std::nullopt) {
    return h.client
        .Subscribe({.subscriptions = subscriptions,
                    .subscription_identifier = identifier},
                   h.now)
        .status;
  };
  EXPECT_EQ(status({}), SubscribeStatus::kEmpty);
  EXPECT_EQ(status({{.topic_filter = "a/#/b"}}),
            SubscribeStatus::kTopicFilterInvalid);
  EXPECT_EQ(status({{.topic_filter = ""}}),
            SubscribeStatus::kTopicFilterInvalid);
  EXPECT_EQ(status({{.topic_filter = "$share//x"}}),
            SubscribeStatus::kTopicFilterInvalid);
  EXPECT_EQ(
      status({{.topic_filter = "$share/g/x", .options = {.no_local = true}}}),
      SubscribeStatus::kPropertyInvalid);
  EXPECT_EQ(status({{.topic_filter = "x", .options = {.retain_handling = 3}}}),
            SubscribeStatus::kPropertyInvalid);
  EXPECT_EQ(status({{.topic_filter = "x"}}, 0),
            SubscribeStatus::kPropertyInvalid);
  EXPECT_EQ(status({{.topic_filter = "x"}}, 268'435'456),
            SubscribeStatus::kPropertyInvalid);
  const std::string_view none[] = {""};
  EXPECT_EQ(h.client.Unsubscribe({.topic_filters = none}, h.now).status,
            SubscribeStatus::kTopicFilterInvalid);
  EXPECT_EQ(h.client.Unsubscribe({}, h.now).status, SubscribeStatus::kEmpty);
  EXPECT_THAT(h.Sent(), IsEmpty());

  ClientHarness v311({.version = mqtt::Version::kV311});
  v311.Connect();
  const mqtt::Subscription no_local[] = {
      {.topic_filter = "x", .options = {.no_local = true}}};
  EXPECT_EQ(v311.client.Subscribe({.subscriptions = no_local}, v311.now).status,
            SubscribeStatus::kNeedsMqtt5);
  const mqtt::Subscription plain[] = {{.topic_filter = "x"}};
  EXPECT_EQ(
      v311.client
          .Subscribe({.subscriptions = plain, .subscription_identifier = 1},
                     v311.now)
          .status,
      SubscribeStatus::kNeedsMqtt5);
}

TEST(SubscribeTest, PendingRequestsAreBounded) {
  ClientOptions options;
  options.max_pending_requests = 2;
  ClientHarness h(options);
  h.Connect();
  const mqtt::Subscription one[] = {{.topic_filter = "a"}};
  EXPECT_TRUE(h.client.Subscribe({.subscriptions = one}, h.now).ok());
  const std::string_view filters[] = {"a"};
  EXPECT_TRUE(h.client.Unsubscribe({.topic_filters = filters}, h.now).ok());
  EXPECT_EQ(h.client.Subscribe({.subscriptions = one}, h.now).status,
            SubscribeStatus::kTooManyPending);
  EXPECT_EQ(h.client.Unsubscribe({.topic_filters = filters}, h.now).status,
            SubscribeStatus::kTooManyPending);
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  const uint8_t granted[] = {0x00};
  h.Receive(mqtt::Suback{.packet_id = SubscribeIdOf(sent[0]),
                         .reason_codes = granted});
  EXPECT_TRUE(h.client.Subscribe({.subscriptions = one}, h.now).ok());
}

TEST(SubscribeTest, RememberedSubscriptionsAreBounded) {
  ClientOptions options;
  options.max_subscriptions = 3;
  ClientHarness h(options);
  h.Connect();
  const mqtt::Subscription two[] = {{.topic_filter = "a"},
                                    {.topic_filter = "b"}};
  const mqtt::Subscription other_two[] = {{.topic_filter = "c"},
                                          {.topic_filter = "d"}};
  EXPECT_TRUE(h.client.Subscribe({.subscriptions = two}, h.now).ok());
  // Counted before the answer.
  EXPECT_EQ(h.client.Subscribe({.subscriptions = other_two}, h.now).status,
            SubscribeStatus::kTooManySubscriptions);
  const uint8_t refused[] = {0x87, 0x87};
  h.Receive(mqtt::Suback{.packet_id = SubscribeIdOf(h.SentPackets()[0]),
                         .reason_codes = refused});
  EXPECT_TRUE(h.client.Subscribe({.subscriptions = other_two}, h.now).ok());
}

TEST(SubscribeTest, SubackWithTheWrongNumberOfCodesIsAProtocolError) {
  ClientHarness h;
  h.Connect();
  const mqtt::Subscription two[] = {{.topic_filter = "a"},
                                    {.topic_filter = "b"}};
  h.client.Subscribe({.subscriptions = two}, h.now);
  const uint8_t one[] = {0x00};
  h.Receive(mqtt::Suback{.packet_id = SubscribeIdOf(h.SentPackets()[0]),
                         .reason_codes = one});
  EXPECT_THAT(h.Sent(), ElementsAre("DISCONNECT rc=0x82"));
  EXPECT_THAT(h.observer.last_rule, HasSubstr("3.9.3"));
}

TEST(SubscribeTest, AnswersOfTheWrongKindAreProtocolErrors) {
  ClientHarness h;
  h.Connect();
  const std::string_view filters[] = {"a"};
  h.client.Unsubscribe({.topic_filters = filters}, h.now);
  const uint16_t id = std::get<mqtt::Unsubscribe>(h.SentPackets()[0]).packet_id;
  const uint8_t code[] = {0x00};
  h.Receive(mqtt::Suback{.packet_id = id, .reason_codes = code});
  EXPECT_THAT(h.Sent(), ElementsAre("DISCONNECT rc=0x82"));
  EXPECT_THAT(h.observer.last_rule, HasSubstr("3.9.2"));
}

TEST(SubscribeTest, UnmatchedAnswersAreCounted) {
  ClientHarness h;
  h.Connect();
  const uint8_t code[] = {0x00};
  h.Receive(mqtt::Suback{.packet_id = 77, .reason_codes = code});
  h.Receive(mqtt::Unsuback{.packet_id = 78, .reason_codes = code});
  EXPECT_EQ(h.client.stats().unmatched_acks, 2u);
  EXPECT_EQ(h.client.state(), Client::State::kConnected);
}

TEST(SubscribeTest, TooLargeForTheServer) {
  ClientHarness h;
  mqtt::Connack small;
  small.properties.maximum_packet_size = 20;
  const std::string long_filter(40, 'f');
  const mqtt::Subscription big[] = {{.topic_filter = long_filter}};
  // Known at the call: refused.
  h.Connect({.client_id = "c1"}, small);
  EXPECT_EQ(h.client.Subscribe({.subscriptions = big}, h.now).status,
            SubscribeStatus::kPacketTooLarge);
  // Queued while disconnected: dropped with an event when the limit shows.
  h.client.OnConnectionClosed(h.now);
  EXPECT_EQ(h.client.Subscribe({.subscriptions = big}, h.now).status,
            SubscribeStatus::kQueued);
  h.Events();
  h.Reconnect(small);
  EXPECT_THAT(h.Sent(), IsEmpty());
  EXPECT_THAT(h.Events(), ElementsAre(::testing::_, "suback r1 " + long_filter +
                                                        " codes= too_large"));
  EXPECT_EQ(h.client.pending_requests(), 0u);
}

TEST(SubscribeTest, RequestsOverTheClientsSizeBoundAreRefused) {
  ClientHarness h;  // Not connected: only the client's own bound applies.
  const std::string filter(60'000, 'f');
  std::vector<mqtt::Subscription> five(5, {.topic_filter = filter});
  EXPECT_EQ(h.client.Subscribe({.subscriptions = five}, h.now).status,
            SubscribeStatus::kPacketTooLarge);
  five.pop_back();
  EXPECT_EQ(h.client.Subscribe({.subscriptions = five}, h.now).status,
            SubscribeStatus::kQueued);
}

}  // namespace
}  // namespace mqlab::client
