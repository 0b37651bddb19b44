#include "sim/checkers/publisher_order_checker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <initializer_list>
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

// pub publishes m0.1 to m0.4, its connection 7 ends at t=5s (`how`) with
// the PUBACKs of m0.1 to m0.`acknowledged` received, then sub1 first
// receives `sequences`, one a second from t=6s.
struct AfterAnEnd {
  AfterAnEnd(uint64_t acknowledged, ConnectionEnd how,
             std::initializer_list<uint64_t> sequences) {
    std::vector<Observation> stream = Publishes();
    for (uint64_t i = 1; i <= acknowledged; ++i) {
      stream.push_back(Puback(4 * kSecond + i * kMillisecond, {0, i}));
    }
    stream.push_back(
        ConnectionEnded{5 * kSecond, 7, how, mqtt::ReasonCode::kSuccess, kPub});
    Time time = 6 * kSecond;
    for (uint64_t sequence : sequences) {
      stream.push_back(At(time, sequence));
      time += kSecond;
    }
    Feed(checker, stream);
  }

  CheckerWorld world;
  PublisherOrderChecker checker{world.context()};
};

TEST(PublisherOrderTest, ResendsToASessionThatSubscribedInBetweenPass) {
  // sub1 subscribed after the first sends of m0.2 and m0.3: it first gets
  // m0.4, then the resends of m0.2, m0.3 and m0.4.
  AfterAnEnd run(1, ConnectionEnd::kTransportClosed, {4, 2, 3, 4});
  EXPECT_THAT(Rules(run.checker), IsEmpty());
  EXPECT_EQ(run.checker.exceptions().at("resent-by-publisher"), 1u);
}

TEST(PublisherOrderTest, AReorderWithinTheResendsIsReported) {
  AfterAnEnd run(1, ConnectionEnd::kTransportClosed, {4, 3, 2});
  ASSERT_THAT(Rules(run.checker), ElementsAre("reordered"));
  EXPECT_EQ(run.checker.violations()[0].messages,
            (std::vector<MessageTag>{{0, 2}, {0, 3}}));
}

TEST(PublisherOrderTest, AcknowledgedMessagesAreNotSentAgain) {
  AfterAnEnd run(4, ConnectionEnd::kTransportClosed, {4, 2});
  EXPECT_THAT(Rules(run.checker), ElementsAre("reordered"));
}

TEST(PublisherOrderTest, ACrashedPublisherSendsNothingAgain) {
  AfterAnEnd run(1, ConnectionEnd::kCrashed, {4, 2});
  EXPECT_THAT(Rules(run.checker), ElementsAre("reordered"));
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
