#include "broker/delivery_queue.h"

#include <string>
#include <vector>

#include "broker/stored_message.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mqlab::broker {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

mqtt::Bytes AsBytes(std::string_view text) {
  return mqtt::Bytes(reinterpret_cast<const uint8_t*>(text.data()),
                     text.size());
}

class DeliveryQueueTest : public ::testing::Test {
 protected:
  MessageRef Message(std::string_view topic, std::string_view payload,
                     std::optional<uint32_t> expiry = std::nullopt) {
    mqtt::Publish publish{.topic = topic};
    publish.payload = AsBytes(payload);
    publish.properties.message_expiry_interval = expiry;
    return pool_.Store(publish, /*now=*/0);
  }
  std::vector<std::pair<uint16_t, std::string>> InFlight() const {
    std::vector<std::pair<uint16_t, std::string>> result;
    queue_.ForEachInFlight([&](uint16_t id, const StoredMessage& message) {
      result.emplace_back(id, std::string(message.publish().topic));
    });
    return result;
  }

  MessagePool pool_;  // Outlives the queue.
  DeliveryQueue queue_;
};

TEST_F(DeliveryQueueTest, StoredMessagesCopyWhatTravels) {
  mqtt::Publish publish{.dup = true,
                        .qos = mqtt::Qos::kAtLeastOnce,
                        .topic = "a/b",
                        .packet_id = 9};
  const std::string payload = "hello";
  publish.payload = AsBytes(payload);
  publish.properties.content_type = "text/plain";
  publish.properties.correlation_data = AsBytes("id-1");
  publish.properties.response_topic = "a/reply";
  publish.properties.message_expiry_interval = 30;
  publish.properties.payload_format_indicator = 1;
  publish.properties.topic_alias = 3;
  const mqtt::UserProperty properties[] = {{"k1", "v1"}, {"k2", ""}};
  publish.properties.user_properties =
      mqtt::UserProperties::FromList(properties);
  const MessageRef message = pool_.Store(publish, 5 * kSecond);

  const mqtt::Publish& stored = message->publish();
  EXPECT_EQ(stored.topic, "a/b");
  EXPECT_EQ(
      std::string_view(reinterpret_cast<const char*>(stored.payload.data()),
                       stored.payload.size()),
      "hello");
  EXPECT_NE(stored.topic.data(), publish.topic.data());  // A copy.
  EXPECT_EQ(stored.properties.content_type, "text/plain");
  EXPECT_EQ(stored.properties.response_topic, "a/reply");
  EXPECT_EQ(stored.properties.message_expiry_interval, 30u);
  EXPECT_EQ(stored.properties.payload_format_indicator, 1);
  EXPECT_EQ(stored.properties.user_properties,
            mqtt::UserProperties::FromList(properties));
  // Per connection or per sender: not kept.
  EXPECT_FALSE(stored.properties.topic_alias.has_value());
  EXPECT_FALSE(stored.dup);
  EXPECT_EQ(stored.packet_id, 0);
  EXPECT_EQ(message->expires_at(), 35 * kSecond);
}

TEST_F(DeliveryQueueTest, PoolRecyclesReleasedMessages) {
  { const MessageRef a = Message("a", "1"); }
  EXPECT_EQ(pool_.live_count(), 0u);
  EXPECT_EQ(pool_.free_count(), 1u);
  const MessageRef b = Message("b", "2");
  EXPECT_EQ(pool_.free_count(), 0u);
  const MessageRef c = b;
  EXPECT_EQ(pool_.live_count(), 1u);
}

TEST_F(DeliveryQueueTest, PendingIsFifoAndCounted) {
  queue_.PushPending({Message("a", "12"), 1});
  queue_.PushPending({Message("b", "345"), 0});
  queue_.PushPending({Message("c", "6"), 1});
  EXPECT_EQ(queue_.qos1().messages, 2u);
  EXPECT_EQ(queue_.qos1().bytes, 5u);  // "a12" + "c6".
  EXPECT_EQ(queue_.qos0().messages, 1u);
  EXPECT_EQ(queue_.PopPending().message->publish().topic, "a");
  EXPECT_EQ(queue_.qos1().messages, 1u);
  queue_.RemovePending([](const PendingDelivery& d) { return d.qos == 0; },
                       [](const PendingDelivery&) {});
  EXPECT_EQ(queue_.qos0().messages, 0u);
  EXPECT_EQ(queue_.pending_size(), 1u);
  EXPECT_EQ(queue_.PopPending().message->publish().topic, "c");
  EXPECT_TRUE(queue_.pending_empty());
}

TEST_F(DeliveryQueueTest, InFlightTakesConsecutiveIdentifiers) {
  EXPECT_EQ(queue_.StartInFlight(Message("a", "")), 1);
  EXPECT_EQ(queue_.StartInFlight(Message("b", "")), 2);
  EXPECT_EQ(queue_.StartInFlight(Message("c", "")), 3);
  EXPECT_EQ(queue_.qos1().messages, 3u);
  EXPECT_TRUE(queue_.Acknowledge(1));
  EXPECT_FALSE(queue_.Acknowledge(1));  // Already.
  EXPECT_FALSE(queue_.Acknowledge(4));  // Never sent.
  EXPECT_EQ(queue_.window(), 2u);
  EXPECT_EQ(queue_.next_packet_id(), 4);
  EXPECT_THAT(InFlight(), ElementsAre(Pair(2, "b"), Pair(3, "c")));
}

TEST_F(DeliveryQueueTest, OutOfOrderAcknowledgementLeavesAGapInTheWindow) {
  queue_.StartInFlight(Message("a", ""));
  queue_.StartInFlight(Message("b", ""));
  queue_.StartInFlight(Message("c", ""));
  EXPECT_TRUE(queue_.Acknowledge(2));
  EXPECT_EQ(queue_.window(), 3u);
  EXPECT_EQ(queue_.in_flight_count(), 2u);
  EXPECT_THAT(InFlight(), ElementsAre(Pair(1, "a"), Pair(3, "c")));
  EXPECT_TRUE(queue_.Acknowledge(1));
  EXPECT_EQ(queue_.window(), 1u);
  EXPECT_THAT(InFlight(), ElementsAre(Pair(3, "c")));
}

TEST_F(DeliveryQueueTest, IdentifiersWrapAndSkipZero) {
  for (int i = 0; i < 65534; ++i) {
    queue_.StartInFlight(Message("x", ""));
    ASSERT_TRUE(queue_.Acknowledge(static_cast<uint16_t>(i + 1)));
  }
  EXPECT_EQ(queue_.StartInFlight(Message("last", "")), 65535);
  EXPECT_EQ(queue_.StartInFlight(Message("wrapped", "")), 1);
  EXPECT_THAT(InFlight(), ElementsAre(Pair(65535, "last"), Pair(1, "wrapped")));
  EXPECT_TRUE(queue_.Acknowledge(65535));
  EXPECT_TRUE(queue_.Acknowledge(1));
  EXPECT_EQ(queue_.window(), 0u);
}

TEST_F(DeliveryQueueTest, ClearReleasesEverything) {
  queue_.PushPending({Message("a", ""), 1});
  queue_.StartInFlight(Message("b", ""));
  queue_.Clear();
  EXPECT_EQ(pool_.live_count(), 0u);
  EXPECT_EQ(queue_.qos1().messages, 0u);
  EXPECT_EQ(queue_.window(), 0u);
}

}  // namespace
}  // namespace mqlab::broker
