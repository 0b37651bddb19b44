// The client's parts on their own: packet identifiers, the packet queue,
// backoff arithmetic, the request-response table, topic alias tables,
// incoming exchanges and option validation.
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "base/random.h"
#include "client/backoff.h"
#include "client/client_options.h"
#include "client/incoming_exchanges.h"
#include "client/packet_ids.h"
#include "client/packet_queue.h"
#include "client/pending_responses.h"
#include "client/topic_aliases.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mqlab::client {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(PacketIdSchemeTest, EveryIdentifierMapsBackToItsSlot) {
  for (const uint32_t slots : {1u, 7u, 1116u, 65'535u}) {
    const PacketIdScheme ids(slots);
    std::set<uint16_t> seen;
    for (uint32_t slot = 0; slot < slots; slot += std::max(1u, slots / 50)) {
      uint16_t generation = 0;
      do {
        const uint16_t id = ids.IdFor(slot, generation);
        EXPECT_NE(id, 0);
        EXPECT_EQ(ids.SlotOf(id), slot);
        EXPECT_TRUE(seen.insert(id).second) << id;
        generation = ids.NextGeneration(slot, generation);
      } while (generation != 0);
    }
  }
}

TEST(PacketIdSchemeTest, GenerationsWrapBeforeTheLargestIdentifier) {
  const PacketIdScheme ids(30'000);
  EXPECT_EQ(ids.IdFor(0, 0), 1);
  EXPECT_EQ(ids.IdFor(0, 1), 30'001);
  EXPECT_EQ(ids.IdFor(0, 2), 60'001);
  EXPECT_EQ(ids.NextGeneration(0, 2), 0);
  EXPECT_EQ(ids.NextGeneration(5534, 1), 2);  // 65,535.
  EXPECT_EQ(ids.NextGeneration(5535, 1), 0);  // 65,536 would not fit.
}

class PacketQueueTest : public ::testing::Test {
 protected:
  uint32_t AddCommitted(PacketQueue& queue, uint64_t tag, size_t size = 10) {
    const uint32_t slot = queue.Add(tag, 0);
    EXPECT_NE(slot, PacketQueue::kNone);
    queue.packet(slot).assign(size, 0x32);
    EXPECT_TRUE(queue.Commit(slot));
    return slot;
  }
  std::vector<uint64_t> Tags(const PacketQueue& queue) {
    std::vector<uint64_t> tags;
    for (uint32_t s = queue.First(); s != PacketQueue::kNone;
         s = queue.Next(s)) {
      tags.push_back(queue.tag(s));
    }
    return tags;
  }
  PacketIdScheme ids_{20};
};

TEST_F(PacketQueueTest, KeepsOrderAndFindsInFlightByIdentifier) {
  PacketQueue queue(&ids_, 5, 3, 1000);
  const uint32_t a = AddCommitted(queue, 1);
  const uint32_t b = AddCommitted(queue, 2);
  const uint32_t c = AddCommitted(queue, 3);
  EXPECT_EQ(queue.Add(4, 0), PacketQueue::kNone);  // Capacity 3.
  EXPECT_GE(a, 5u);
  EXPECT_EQ(queue.FirstUnsent(), a);
  EXPECT_FALSE(queue.MarkSent(a));
  EXPECT_FALSE(queue.MarkSent(b));
  EXPECT_EQ(queue.FirstUnsent(), c);
  EXPECT_EQ(queue.in_flight(), 2u);
  EXPECT_EQ(queue.FindInFlight(queue.packet_id(b)), b);
  EXPECT_EQ(queue.FindInFlight(queue.packet_id(c)), PacketQueue::kNone);
  EXPECT_EQ(queue.FindInFlight(1), PacketQueue::kNone);  // Another range.
  queue.Remove(b);
  EXPECT_EQ(queue.in_flight(), 1u);
  EXPECT_THAT(Tags(queue), ElementsAre(1, 3));
  EXPECT_EQ(queue.bytes(), 20u);

  queue.MarkAllUnsent();
  EXPECT_EQ(queue.in_flight(), 0u);
  EXPECT_EQ(queue.FirstUnsent(), a);
  EXPECT_TRUE(queue.MarkSent(a));  // Sent before: a resend.
  std::vector<uint64_t> removed;
  queue.RemoveSentBefore([&](uint64_t tag) { removed.push_back(tag); });
  EXPECT_THAT(removed, ElementsAre(1));
  EXPECT_THAT(Tags(queue), ElementsAre(3));
}

TEST_F(PacketQueueTest, ReusedSlotsTakeNewIdentifiers) {
  PacketQueue queue(&ids_, 0, 1, 1000);
  const uint32_t slot = AddCommitted(queue, 1);
  const uint16_t first = queue.packet_id(slot);
  queue.Remove(slot);
  EXPECT_EQ(AddCommitted(queue, 2), slot);
  EXPECT_NE(queue.packet_id(slot), first);
}

TEST_F(PacketQueueTest, BytesAreBoundedAndBigBuffersFreed) {
  PacketQueue queue(&ids_, 0, 4, 100);
  AddCommitted(queue, 1, 60);
  const uint32_t slot = queue.Add(2, 0);
  queue.packet(slot).assign(50, 0);
  EXPECT_FALSE(queue.Commit(slot));  // 110 > 100: removed.
  EXPECT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue.bytes(), 60u);

  PacketQueue big(&ids_, 0, 1, 1 << 20);
  const uint32_t s =
      AddCommitted(big, 1, PacketQueue::kRetainedPacketCapacity + 1);
  big.Remove(s);
  EXPECT_EQ(big.packet(s).capacity(), 0u);
  const uint32_t t = AddCommitted(big, 2, 100);
  big.Remove(t);
  EXPECT_GE(big.packet(t).capacity(), 100u);  // Kept for reuse.
}

TEST_F(PacketQueueTest, RemoveCanTakeTheBytes) {
  PacketQueue queue(&ids_, 0, 2, 1000);
  const uint32_t slot = AddCommitted(queue, 1, 30);
  const uint8_t* data = queue.packet(slot).data();
  std::vector<uint8_t> taken;
  queue.Remove(slot, &taken);
  EXPECT_EQ(taken.size(), 30u);
  EXPECT_EQ(taken.data(), data);  // The buffer moved, not the bytes.
  EXPECT_EQ(queue.bytes(), 0u);
}

TEST(BackoffTest, CeilingGrowsToTheCap) {
  const ReconnectOptions options{.initial = kSecond, .maximum = 60 * kSecond};
  EXPECT_EQ(BackoffCeiling(options, 0), kSecond);
  EXPECT_EQ(BackoffCeiling(options, 1), 2 * kSecond);
  EXPECT_EQ(BackoffCeiling(options, 5), 32 * kSecond);
  EXPECT_EQ(BackoffCeiling(options, 6), 60 * kSecond);
  EXPECT_EQ(BackoffCeiling(options, 4'000'000'000u), 60 * kSecond);
  const ReconnectOptions flat{
      .initial = kSecond, .maximum = 60 * kSecond, .multiplier = 1.0};
  EXPECT_EQ(BackoffCeiling(flat, 4'000'000'000u), kSecond);
  const ReconnectOptions slow{
      .initial = kSecond, .maximum = 60 * kSecond, .multiplier = 1.5};
  EXPECT_EQ(BackoffCeiling(slow, 2), 2250 * kMillisecond);
  const ReconnectOptions zero{.initial = 0, .maximum = 60 * kSecond};
  EXPECT_EQ(BackoffCeiling(zero, 10), 0);
}

TEST(BackoffTest, JitteredDelayStaysInRangeAndReplays) {
  const ReconnectOptions options{
      .initial = kSecond, .maximum = 60 * kSecond, .jitter = 0.25};
  Random a(42), b(42);
  for (uint32_t attempt = 0; attempt < 1000; ++attempt) {
    const Duration ceiling = BackoffCeiling(options, attempt % 10);
    const Duration delay = BackoffDelay(options, attempt % 10, a);
    EXPECT_GE(delay, ceiling - ceiling / 4);
    EXPECT_LE(delay, ceiling);
    EXPECT_EQ(delay, BackoffDelay(options, attempt % 10, b));
  }
}

TEST(PendingResponsesTest, CorrelationDataRoundTrips) {
  for (const uint64_t id : {uint64_t{1}, uint64_t{0xFEDCBA9876543210}}) {
    const auto data = RequestCorrelationData(id);
    EXPECT_EQ(RequestIdOf(mqtt::Bytes(data)), id);
  }
  const uint8_t other[12] = {'x'};
  EXPECT_EQ(RequestIdOf(mqtt::Bytes(other)), std::nullopt);
  EXPECT_EQ(RequestIdOf(mqtt::Bytes()), std::nullopt);
}

TEST(PendingResponsesTest, ExpiresInOrderAndTracksTheEarliestDeadline) {
  PendingResponses table(3);
  table.Add(1, 30);
  table.Add(2, 10);
  table.Add(3, 20);
  EXPECT_TRUE(table.full());
  EXPECT_EQ(table.NextDeadline(), 10);
  EXPECT_TRUE(table.Take(2));
  EXPECT_FALSE(table.Take(2));
  EXPECT_EQ(table.NextDeadline(), 20);
  std::vector<uint64_t> expired;
  table.TakeExpired(30, &expired);
  EXPECT_THAT(expired, ElementsAre(1, 3));  // The order they were made.
  EXPECT_EQ(table.NextDeadline(), kInfiniteFuture);
}

TEST(OutgoingTopicAliasesTest, SpareBytesDecide) {
  OutgoingTopicAliases aliases;
  aliases.Reset(TopicAliasPolicy::kFirstCome, 4);
  EXPECT_EQ(aliases.Choose("abc", 4).alias, 0);  // Binding needs 5 spare.
  const OutgoingTopicAliases::Choice bound = aliases.Choose("abc", 5);
  EXPECT_EQ(bound.alias, 1);
  EXPECT_TRUE(bound.send_topic);
  // Using it drops 3 topic bytes: needs 2 spare.
  EXPECT_EQ(aliases.Choose("abc", 1).alias, 0);
  const OutgoingTopicAliases::Choice used = aliases.Choose("abc", 2);
  EXPECT_EQ(used.alias, 1);
  EXPECT_FALSE(used.send_topic);
}

TEST(OutgoingTopicAliasesTest, CapacityZeroMeansNone) {
  OutgoingTopicAliases aliases;
  aliases.Reset(TopicAliasPolicy::kLeastRecentlyUsed, 0);
  EXPECT_FALSE(aliases.active());
  EXPECT_EQ(aliases.Choose("a", 100).alias, 0);
}

TEST(IncomingTopicAliasesTest, BindsResolvesAndRefuses) {
  IncomingTopicAliases aliases;
  aliases.Reset(3);
  EXPECT_EQ(aliases.Resolve("a", 0).topic, "a");
  EXPECT_EQ(aliases.Resolve("x/y", 3).topic, "x/y");
  EXPECT_EQ(aliases.Resolve("", 3).topic, "x/y");
  EXPECT_EQ(aliases.Resolve("x/z", 3).topic, "x/z");  // Rebound.
  EXPECT_EQ(aliases.Resolve("", 3).topic, "x/z");
  EXPECT_EQ(aliases.Resolve("", 1).reason_code,
            mqtt::ReasonCode::kProtocolError);
  EXPECT_EQ(aliases.Resolve("q", 4).reason_code,
            mqtt::ReasonCode::kTopicAliasInvalid);
  aliases.Reset(3);
  EXPECT_EQ(aliases.Resolve("", 3).reason_code,
            mqtt::ReasonCode::kProtocolError);
}

TEST(IncomingExchangesTest, ConnectionEndKeepsOnlyReleasedQos2) {
  IncomingExchanges exchanges;
  exchanges.Add(1, mqtt::Qos::kAtLeastOnce);
  exchanges.Add(2, mqtt::Qos::kExactlyOnce);
  exchanges.Add(3, mqtt::Qos::kExactlyOnce);
  exchanges.Find(3)->stage = IncomingExchanges::Stage::kAwaitingPubrel;
  exchanges.OnConnectionEnded(/*session_outlives_connection=*/true);
  EXPECT_EQ(exchanges.size(), 1u);
  EXPECT_NE(exchanges.Find(3), nullptr);
  exchanges.OnConnectionEnded(/*session_outlives_connection=*/false);
  EXPECT_EQ(exchanges.size(), 0u);
}

TEST(ClientOptionsTest, ErrorsNameTheField) {
  EXPECT_TRUE(ValidateClientOptions({}).ok());
  ClientOptions options;
  options.max_pending_publishes = 65'500;  // + 16 + 100 > 65,535.
  absl::Status status = ValidateClientOptions(options);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("ClientOptions.max_pending_publishes"));
  EXPECT_THAT(status.message(), HasSubstr("65,535"));
  options = {};
  options.reconnect.jitter = 1.5;
  EXPECT_THAT(ValidateClientOptions(options).message(),
              HasSubstr("ClientOptions.reconnect.jitter"));
  options = {};
  options.connack_timeout = 0;
  EXPECT_THAT(ValidateClientOptions(options).message(),
              HasSubstr("ClientOptions.connack_timeout"));
  options = {};
  options.reconnect.maximum = options.reconnect.initial - 1;
  EXPECT_THAT(ValidateClientOptions(options).message(),
              HasSubstr("ClientOptions.reconnect.maximum"));
}

}  // namespace
}  // namespace mqlab::client
