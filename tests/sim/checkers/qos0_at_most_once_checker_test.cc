#include "sim/checkers/qos0_at_most_once_checker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/sim/checkers/observation_stream.h"

namespace mqlab::sim::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr MessageTag kM1{0, 1};
constexpr mqtt::Qos kQos0 = mqtt::Qos::kAtMostOnce;

TEST(Qos0AtMostOnceTest, OneCopyPerSessionPasses) {
  CheckerWorld world;
  Qos0AtMostOnceChecker checker(world.context());
  Feed(checker,
       {Publish(kSecond, kPub, "pub", kM1, "t/pub/x", kQos0),
        Received(2 * kSecond, 1, kSub1, "sub1", kM1, "t/pub/x", kQos0),
        Received(2 * kSecond, 2, kSub2, "sub2", kM1, "t/pub/x", kQos0)});
  EXPECT_THAT(Rules(checker), IsEmpty());
}

TEST(Qos0AtMostOnceTest, ASecondCopyIsADuplicate) {
  CheckerWorld world;
  Qos0AtMostOnceChecker checker(world.context());
  Feed(checker,
       {Publish(kSecond, kPub, "pub", kM1, "t/pub/x", kQos0),
        Received(2 * kSecond, 1, kSub1, "sub1", kM1, "t/pub/x", kQos0),
        Received(3 * kSecond, 4, kSub1, "sub1", kM1, "t/pub/x", kQos0)});
  ASSERT_THAT(Rules(checker), ElementsAre("duplicate"));
  EXPECT_THAT(checker.violations()[0].detail,
              HasSubstr("again at t=3s on connection #4; first at t=2s"));
}

TEST(Qos0AtMostOnceTest, QosOneMessagesMayComeAgain) {
  CheckerWorld world;
  Qos0AtMostOnceChecker checker(world.context());
  // Published at QoS 1, delivered at QoS 0 (a QoS 0 subscription), twice
  // (the publisher sent it again after a lost PUBACK).
  Feed(checker,
       {Publish(kSecond, kPub, "pub", kM1, "t/pub/x"),
        Received(2 * kSecond, 1, kSub1, "sub1", kM1, "t/pub/x", kQos0),
        Received(3 * kSecond, 1, kSub1, "sub1", kM1, "t/pub/x", kQos0)});
  EXPECT_THAT(Rules(checker), IsEmpty());
}

}  // namespace
}  // namespace mqlab::sim::testing
