// The request-response helper: Response Topic and Correlation Data on the
// request, the response matched by its Correlation Data, the timeout, the
// bounded table, and Reply() on the responder's side.
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
using ::testing::ElementsAre;
using ::testing::IsEmpty;

ApplicationMessage Command() {
  ApplicationMessage m = ClientHarness::Message(
      "vehicles/vehicle03/command/unlock/request", "unlock", Qos::kAtLeastOnce);
  m.response_topic = "vehicles/vehicle03/command/unlock/response";
  m.content_type = "text/plain";
  return m;
}

// The server's copy of a published request, answered with `payload`.
mqtt::Publish ResponseTo(const mqtt::Publish& request, std::string_view payload,
                         uint16_t packet_id) {
  mqtt::Publish response{.qos = Qos::kAtLeastOnce,
                         .topic = *request.properties.response_topic,
                         .packet_id = packet_id,
                         .payload = AsBytes(payload)};
  response.properties.correlation_data = request.properties.correlation_data;
  return response;
}

TEST(RequestResponseTest, ResponseIsMatchedByCorrelationData) {
  ClientHarness h;
  h.Connect();
  h.Events();
  const PublishResult result = h.client.Request(Command(), 5 * kSecond, h.now);
  EXPECT_EQ(result.status, PublishStatus::kAccepted);
  EXPECT_EQ(result.request_id, 1u);
  EXPECT_EQ(result.message_id, 1u);
  EXPECT_EQ(h.client.pending_responses(), 1u);
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  ASSERT_EQ(sent.size(), 1u);
  const mqtt::Publish& request = std::get<mqtt::Publish>(sent[0]);
  EXPECT_EQ(request.properties.response_topic,
            "vehicles/vehicle03/command/unlock/response");
  ASSERT_TRUE(request.properties.correlation_data.has_value());
  EXPECT_EQ(request.properties.correlation_data->size(), 12u);

  // Another message with other correlation data is an ordinary message.
  mqtt::Publish other{.topic = "vehicles/vehicle03/command/unlock/response",
                      .payload = AsBytes("other")};
  other.properties.correlation_data = AsBytes("someone-elses");
  h.Receive(other);
  h.Receive(ResponseTo(request, "200", 9));
  EXPECT_THAT(h.Events(),
              ElementsAre("message topic=vehicles/vehicle03/command/unlock/"
                          "response qos=0 dup=0 payload=other",
                          "response r1 topic=vehicles/vehicle03/command/unlock/"
                          "response payload=200"));
  EXPECT_THAT(h.Sent(), ElementsAre("PUBACK rc=0x00"));
  EXPECT_EQ(h.client.pending_responses(), 0u);
  EXPECT_EQ(h.client.stats().responses_received, 1u);
}

TEST(RequestResponseTest, RequestTimesOutAndALateResponseIsAMessage) {
  ClientHarness h;
  h.Connect({.client_id = "c1", .keep_alive_seconds = 0});
  h.client.Request(Command(), 5 * kSecond, h.now);
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  h.Events();
  EXPECT_EQ(h.client.NextDeadline(), 5 * kSecond);
  h.AdvanceTo(5 * kSecond - 1);
  EXPECT_THAT(h.Events(), IsEmpty());
  h.AdvanceTo(5 * kSecond);
  EXPECT_THAT(h.Events(), ElementsAre("timeout r1"));
  EXPECT_EQ(h.client.NextDeadline(), kInfiniteFuture);
  h.Receive(ResponseTo(std::get<mqtt::Publish>(sent[0]), "late", 3));
  EXPECT_THAT(h.Events(),
              ElementsAre("message topic=vehicles/vehicle03/command/unlock/"
                          "response qos=1 dup=0 payload=late"));
  EXPECT_EQ(h.client.stats().requests_timed_out, 1u);
}

TEST(RequestResponseTest, TheTableIsBounded) {
  ClientOptions options;
  options.max_pending_responses = 2;
  ClientHarness h(options);
  h.Connect();
  EXPECT_TRUE(h.client.Request(Command(), kSecond, h.now).ok());
  EXPECT_TRUE(h.client.Request(Command(), 2 * kSecond, h.now).ok());
  EXPECT_EQ(h.client.Request(Command(), kSecond, h.now).status,
            PublishStatus::kTooManyRequests);
  h.AdvanceTo(kSecond);
  EXPECT_THAT(h.Events(), ElementsAre(::testing::_, "timeout r1"));
  EXPECT_TRUE(h.client.Request(Command(), kSecond, h.now).ok());
}

TEST(RequestResponseTest, RequestsNeedMqtt5AndAResponseTopic) {
  ClientHarness h;
  h.Connect();
  ApplicationMessage no_topic = Command();
  no_topic.response_topic.reset();
  EXPECT_EQ(h.client.Request(no_topic, kSecond, h.now).status,
            PublishStatus::kNoResponseTopic);
  ClientHarness v311({.version = mqtt::Version::kV311});
  v311.Connect();
  EXPECT_EQ(v311.client.Request(Command(), kSecond, v311.now).status,
            PublishStatus::kNeedsMqtt5);
  EXPECT_EQ(h.client.pending_responses(), 0u);
}

TEST(RequestResponseTest, ResponderRepliesFromInsideOnMessage) {
  ClientHarness h;
  h.Connect();
  const mqtt::UserProperty status[] = {{"status", "200"}};
  PublishResult reply;
  h.observer.on_message = [&](const MessageEvent& e, MessageAck*) {
    ApplicationMessage answer =
        ClientHarness::Message("ignored", "unlocked", Qos::kAtLeastOnce);
    answer.user_properties = status;
    reply = h.client.Reply(e, answer, h.now);
  };
  mqtt::Publish request{.qos = Qos::kAtLeastOnce,
                        .topic = "vehicles/vehicle03/command/unlock/request",
                        .packet_id = 4,
                        .payload = AsBytes("unlock")};
  request.properties.response_topic = "replies/mobile-app";
  request.properties.correlation_data = AsBytes("guid-1");
  h.Receive(request);
  EXPECT_EQ(reply.status, PublishStatus::kAccepted);
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  ASSERT_EQ(sent.size(), 2u);
  const mqtt::Publish& answer = std::get<mqtt::Publish>(sent[0]);
  EXPECT_EQ(answer.topic, "replies/mobile-app");
  EXPECT_EQ(Text(*answer.properties.correlation_data), "guid-1");
  EXPECT_EQ(answer.properties.user_properties.size(), 1u);
  EXPECT_EQ(testing::Describe(sent[1]), "PUBACK rc=0x00");

  // A message without a Response Topic cannot be replied to.
  h.observer.on_message = [&](const MessageEvent& e, MessageAck*) {
    reply = h.client.Reply(e, ClientHarness::Message("x", "y"), h.now);
  };
  h.Receive(mqtt::Publish{.topic = "t", .payload = AsBytes("z")});
  EXPECT_EQ(reply.status, PublishStatus::kNoResponseTopic);
}

TEST(RequestResponseTest, Qos0RequestsAreTrackedToo) {
  ClientHarness h;
  h.Connect();
  ApplicationMessage m = Command();
  m.qos = Qos::kAtMostOnce;
  const PublishResult result = h.client.Request(m, kSecond, h.now);
  EXPECT_EQ(result.status, PublishStatus::kSent);
  EXPECT_EQ(result.request_id, 1u);
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  h.Events();
  mqtt::Publish response =
      ResponseTo(std::get<mqtt::Publish>(sent[0]), "ok", 1);
  response.qos = Qos::kAtMostOnce;
  response.packet_id = 0;
  h.Receive(response);
  EXPECT_THAT(h.Events(), ElementsAre(::testing::StartsWith("response r1")));
}

}  // namespace
}  // namespace mqlab::client
