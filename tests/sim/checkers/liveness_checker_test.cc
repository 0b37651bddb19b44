#include "sim/checkers/liveness_checker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/sim/checkers/observation_stream.h"

namespace mqlab::sim::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class LivenessTest : public ::testing::Test {
 protected:
  LivenessTest() { world_.mutable_context().quiet_start = 5 * kMinute; }
  CheckerWorld world_;
};

TEST_F(LivenessTest, ReconnectingWithinTheBoundPasses) {
  LivenessChecker checker(world_.context());
  Feed(checker,
       {Intent(0, kSub1, "sub1", true), Connect(kSecond, 1, kSub1, "sub1"),
        Connack(kSecond, 1),
        // Down for long during the faults: not judged.
        Ended(kMinute, 1), Connect(4 * kMinute, 2, kSub1, "sub1"),
        // A retry that fails changes nothing.
        Connack(4 * kMinute, 2, false, mqtt::ReasonCode::kServerBusy),
        Ended(4 * kMinute, 2),
        Connect(5 * kMinute + 50 * kSecond, 3, kSub1, "sub1"),
        Connack(5 * kMinute + 50 * kSecond, 3),
        // Deliberately offline for long: fine.
        Intent(7 * kMinute, kSub1, "sub1", false), Ended(7 * kMinute, 3),
        Intent(9 * kMinute + 30 * kSecond, kSub1, "sub1", true)});
  EXPECT_THAT(Rules(checker), IsEmpty());
}

TEST_F(LivenessTest, ReconnectingTooLate) {
  LivenessChecker checker(world_.context());
  Feed(checker,
       {Intent(0, kSub1, "sub1", true), Connect(kSecond, 1, kSub1, "sub1"),
        Connack(kSecond, 1), Ended(kMinute, 1),
        Connect(6 * kMinute + kSecond, 2, kSub1, "sub1"),
        Connack(6 * kMinute + kSecond, 2)});
  ASSERT_THAT(Rules(checker), ElementsAre("not-reconnected"));
  EXPECT_THAT(checker.violations()[0].detail,
              HasSubstr("it was not from t=60s to t=361s: more than 60s after "
                        "the faults stopped at t=300s"));
}

TEST_F(LivenessTest, NeverReconnected) {
  LivenessChecker checker(world_.context());
  Feed(checker, {Intent(0, kSub1, "sub1", true), Intent(0, kSub2, "sub2", true),
                 Connect(kSecond, 1, kSub1, "sub1"), Connack(kSecond, 1),
                 // Wanted again after the quiet start: 60 s from then.
                 Intent(9 * kMinute + 30 * kSecond, kSub1, "sub1", true)});
  ASSERT_THAT(Rules(checker), ElementsAre("still-disconnected"));
  EXPECT_THAT(checker.violations()[0].sessions, ElementsAre("sub2"));
}

TEST_F(LivenessTest, WantedLateGetsTheFullBound) {
  LivenessChecker checker(world_.context());
  Feed(checker, {Intent(9 * kMinute + 30 * kSecond, kSub1, "sub1", true)});
  EXPECT_THAT(Rules(checker), IsEmpty());
}

}  // namespace
}  // namespace mqlab::sim::testing
