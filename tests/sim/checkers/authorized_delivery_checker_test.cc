#include "sim/checkers/authorized_delivery_checker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/sim/checkers/observation_stream.h"

namespace mqlab::sim::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr MessageTag kM1{0, 1};

TEST(AuthorizedDeliveryTest, AuthorizedSubscriptionsAndDeliveriesPass) {
  CheckerWorld world;
  AuthorizedDeliveryChecker checker(world.context());
  Feed(checker, {Suback(kSecond, kSub1, "sub1", "t/+/x"),
                 Suback(kSecond, kOutsider, "outsider", "t/#",
                        mqtt::ReasonCode::kNotAuthorized),
                 Suback(kSecond, kOld, "old", "elsewhere",
                        mqtt::ReasonCode::kUnspecifiedError),
                 Received(2 * kSecond, 1, kSub1, "sub1", kM1, "t/pub/x")});
  EXPECT_THAT(Rules(checker), IsEmpty());
}

TEST(AuthorizedDeliveryTest, GrantsAndRefusalsMustMatchTheModel) {
  CheckerWorld world;
  AuthorizedDeliveryChecker checker(world.context());
  Feed(checker, {Suback(kSecond, kOutsider, "outsider", "t/#"),
                 Suback(kSecond, kSub1, "sub1", "t/a/b",
                        mqtt::ReasonCode::kNotAuthorized),
                 // Wider than the grant t/#.
                 Suback(kSecond, kSub2, "sub2", "#")});
  EXPECT_THAT(Rules(checker), ElementsAre("granted-unauthorized-filter",
                                          "refused-authorized-filter",
                                          "granted-unauthorized-filter"));
  EXPECT_THAT(checker.violations()[0].detail,
              HasSubstr("session outsider of outsider was granted t/#"));
}

TEST(AuthorizedDeliveryTest, DeliveriesToUnauthorizedOrUnsubscribedSessions) {
  CheckerWorld world;
  AuthorizedDeliveryChecker checker(world.context());
  Feed(checker, {Received(kSecond, 1, kOutsider, "outsider", kM1, "t/pub/x"),
                 Received(kSecond, 2, kSub1, "sub1", kM1, "t/pub/x"),
                 Suback(2 * kSecond, kSub1, "sub1", "t/other/#"),
                 Received(3 * kSecond, 2, kSub1, "sub1", kM1, "t/pub/x"),
                 Suback(4 * kSecond, kSub1, "sub1", "t/pub/#"),
                 Received(5 * kSecond, 2, kSub1, "sub1", kM1, "t/pub/x")});
  EXPECT_THAT(Rules(checker), ElementsAre("delivered-to-unauthorized",
                                          "delivered-without-subscription",
                                          "delivered-without-subscription"));
}

}  // namespace
}  // namespace mqlab::sim::testing
