#include "sim/checkers/authorized_publish_checker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "tests/sim/checkers/observation_stream.h"

namespace mqlab::sim::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

constexpr MessageTag kM1{0, 1};
constexpr MessageTag kM2{1, 1};

TEST(AuthorizedPublishTest, AuthorizedPublishesPassAndDenialsOfOthersToo) {
  CheckerWorld world;
  AuthorizedPublishChecker checker(world.context());
  Feed(checker,
       {Publish(kSecond, kPub, "pub", kM1, "t/pub/x"), Puback(2 * kSecond, kM1),
        Received(2 * kSecond, 1, kSub1, "sub1", kM1, "t/pub/x"),
        // sub1 may not publish on pub's topic, and is told so.
        Publish(kSecond, kSub1, "sub1", kM2, "t/pub/x"),
        Puback(2 * kSecond, kM2, mqtt::ReasonCode::kNotAuthorized)});
  EXPECT_THAT(Rules(checker), IsEmpty());
}

TEST(AuthorizedPublishTest, AcceptingAnUnauthorizedPublish) {
  CheckerWorld world;
  AuthorizedPublishChecker checker(world.context());
  Feed(checker, {Publish(kSecond, kSub1, "sub1", kM2, "t/pub/x"),
                 Puback(2 * kSecond, kM2),
                 Received(2 * kSecond, 1, kSub2, "sub2", kM2, "t/pub/x")});
  EXPECT_THAT(Rules(checker), ElementsAre("acknowledged-unauthorized",
                                          "delivered-unauthorized"));
}

TEST(AuthorizedPublishTest, Mqtt311MayBeAcknowledgedButNeverDelivered) {
  CheckerWorld world;
  AuthorizedPublishChecker checker(world.context());
  const MessageTag m{4, 1};
  Feed(checker,
       {Publish(kSecond, kOld, "old", m, "t/pub/x"), Puback(2 * kSecond, m)});
  EXPECT_THAT(Rules(checker), IsEmpty());
  EXPECT_THAT(checker.exceptions(),
              ElementsAre(Pair("mqtt311-unauthorized-acknowledged", 1)));

  AuthorizedPublishChecker delivered(world.context());
  Feed(delivered, {Publish(kSecond, kOld, "old", m, "t/pub/x"),
                   Received(2 * kSecond, 1, kSub1, "sub1", m, "t/pub/x")});
  EXPECT_THAT(Rules(delivered), ElementsAre("delivered-unauthorized"));
}

TEST(AuthorizedPublishTest, RefusingAnAuthorizedPublish) {
  CheckerWorld world;
  AuthorizedPublishChecker checker(world.context());
  Feed(checker, {Publish(kSecond, kPub, "pub", kM1, "t/pub/x"),
                 Puback(2 * kSecond, kM1, mqtt::ReasonCode::kNotAuthorized)});
  EXPECT_THAT(Rules(checker), ElementsAre("refused-authorized"));
}

TEST(AuthorizedPublishTest, UnauthorizedMessagesStayKnownAfterTheirPuback) {
  CheckerWorld world;
  AuthorizedPublishChecker checker(world.context());
  std::vector<Observation> stream;
  // sub1 keeps trying pub's topic, 1 000 times, each refused; pub's own
  // messages are acknowledged.
  for (uint64_t i = 1; i <= 1000; ++i) {
    const Time t = i * kSecond;
    stream.push_back(Publish(t, kSub1, "sub1", {1, i}, "t/pub/x"));
    stream.push_back(Puback(t, {1, i}, mqtt::ReasonCode::kNotAuthorized));
    stream.push_back(Publish(t, kPub, "pub", {0, i}, "t/pub/x"));
    stream.push_back(Puback(t, {0, i}));
  }
  // Long after: a delivery of an early refused one is still caught; a late
  // copy of an authorized one is fine.
  stream.push_back(Received(2000 * kSecond, 1, kSub2, "sub2", {1, 3}, "t/x"));
  stream.push_back(Received(2000 * kSecond, 1, kSub2, "sub2", {0, 3}, "t/x"));
  Feed(checker, stream);
  ASSERT_THAT(Rules(checker), ElementsAre("delivered-unauthorized"));
  EXPECT_THAT(checker.violations()[0].detail,
              HasSubstr("received m1.3 that sub1 (sub1) published on t/pub/x"));
}

}  // namespace
}  // namespace mqlab::sim::testing
