#include "sim/checkers/publisher_order_checker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "tests/sim/checkers/observation_stream.h"

namespace mqlab::sim::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<Observation> Publishes(mqtt::Qos qos = mqtt::Qos::kAtLeastOnce) {
  std::vector<Observation> stream;
  for (uint64_t i = 1; i <= 4; ++i) {
    stream.push_back(Publish(i * kSecond, kPub, "pub", {0, i}, "t/pub/x", qos));
  }
  return stream;
}

Observation At(Time time, uint64_t sequence, uint32_t client = kSub1,
               const char* session = "sub1", bool dup = false) {
  return Received(time, 1, client, session, {0, sequence}, "t/pub/x",
                  mqtt::Qos::kAtLeastOnce, dup);
}

TEST(PublisherOrderTest, InOrderWithGapsAndRedeliveriesPasses) {
  CheckerWorld world;
  PublisherOrderChecker checker(world.context());
  std::vector<Observation> stream = Publishes();
  for (Observation o :
       {At(10 * kSecond, 1), At(11 * kSecond, 3),
        // A redelivery of an earlier message is fine.
        At(12 * kSecond, 1, kSub1, "sub1", true), At(13 * kSecond, 4),
        // Another session keeps its own order.
        At(14 * kSecond, 2, kSub2, "sub2")}) {
    stream.push_back(o);
  }
  Feed(checker, stream);
  EXPECT_THAT(Rules(checker), IsEmpty());
}

TEST(PublisherOrderTest, AFirstDeliveryAfterALaterMessageIsReordered) {
  CheckerWorld world;
  PublisherOrderChecker checker(world.context());
  std::vector<Observation> stream = Publishes();
  stream.push_back(At(10 * kSecond, 1));
  stream.push_back(At(11 * kSecond, 3));
  stream.push_back(At(12 * kSecond, 2));
  Feed(checker, stream);
  ASSERT_THAT(Rules(checker), ElementsAre("reordered"));
  const Violation& violation = checker.violations()[0];
  EXPECT_EQ(violation.messages, (std::vector<MessageTag>{{0, 2}, {0, 3}}));
  EXPECT_THAT(violation.detail,
              HasSubstr("received m0.2 for the first time at t=12s, after "
                        "m0.3 (first received at t=11s)"));
}

TEST(PublisherOrderTest, QosZeroMessagesAreNotJudged) {
  CheckerWorld world;
  PublisherOrderChecker checker(world.context());
  std::vector<Observation> stream = Publishes(mqtt::Qos::kAtMostOnce);
  stream.push_back(At(10 * kSecond, 3));
  stream.push_back(At(11 * kSecond, 2));
  Feed(checker, stream);
  EXPECT_THAT(Rules(checker), IsEmpty());
}

TEST(PublisherOrderTest, OldMessagesAreToldApartAfterLongStreams) {
  CheckerWorld world;
  PublisherOrderChecker checker(world.context());
  std::vector<Observation> stream;
  // pub publishes 1 000 messages; every tenth goes to a topic sub1 does not
  // receive.
  for (uint64_t i = 1; i <= 1000; ++i) {
    stream.push_back(Publish(i * kSecond, kPub, "pub", {0, i}, "t/pub/x"));
    if (i % 10 != 0) stream.push_back(At(i * kSecond, i));
  }
  // A redelivery of an old message is fine; the first delivery of an old
  // one it never got is out of order.
  stream.push_back(At(2000 * kSecond, 5, kSub1, "sub1", true));
  stream.push_back(At(2001 * kSecond, 10));
  Feed(checker, stream);
  ASSERT_THAT(Rules(checker), ElementsAre("reordered"));
  EXPECT_EQ(checker.violations()[0].messages,
            (std::vector<MessageTag>{{0, 10}, {0, 999}}));
}

}  // namespace
}  // namespace mqlab::sim::testing
