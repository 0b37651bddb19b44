#include "sim/checkers/authorized_publish_checker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/sim/checkers/observation_stream.h"

namespace mqlab::sim::testing {
namespace {

using ::testing::ElementsAre;
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

}  // namespace
}  // namespace mqlab::sim::testing
