#include "sim/checkers/qos0_at_most_once_checker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

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

TEST(Qos0AtMostOnceTest, ALateCopyIsCaughtWhateverCameBetween) {
  CheckerWorld world;
  Qos0AtMostOnceChecker checker(world.context());
  std::vector<Observation> stream;
  // 1 000 messages, QoS 0 and QoS 1 interleaved, each received once.
  for (uint64_t i = 1; i <= 1000; ++i) {
    const mqtt::Qos qos = i % 3 == 0 ? mqtt::Qos::kAtLeastOnce : kQos0;
    stream.push_back(Publish(i * kSecond, kPub, "pub", {0, i}, "t/pub/x", qos));
    stream.push_back(
        Received(i * kSecond, 1, kSub1, "sub1", {0, i}, "t/pub/x", qos));
  }
  // The first again, long after: its first copy's time is forgotten.
  stream.push_back(
      Received(2000 * kSecond, 1, kSub1, "sub1", kM1, "t/pub/x", kQos0));
  // A recent one again: its first copy's time is known.
  stream.push_back(
      Received(2001 * kSecond, 1, kSub1, "sub1", {0, 1000}, "t/pub/x", kQos0));
  Feed(checker, stream);
  ASSERT_THAT(Rules(checker), ElementsAre("duplicate", "duplicate"));
  EXPECT_THAT(
      checker.violations()[0].detail,
      HasSubstr("again at t=2000s on connection #1; first before t=995s"));
  EXPECT_THAT(checker.violations()[1].detail, HasSubstr("; first at t=1000s"));
}

}  // namespace
}  // namespace mqlab::sim::testing
