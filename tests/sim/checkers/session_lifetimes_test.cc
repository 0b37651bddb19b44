#include "sim/checkers/session_lifetimes.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/sim/checkers/observation_stream.h"

namespace mqlab::sim::testing {
namespace {

struct Feeder {
  std::vector<SessionLifetimes::Ended> Feed(const Observation& observation) {
    std::vector<SessionLifetimes::Ended> ended;
    lifetimes.Observe(observation, &ended);
    return ended;
  }
  SessionLifetimes lifetimes;
};

TEST(SessionLifetimesTest, EpochsBeginAndEnd) {
  Feeder f;
  f.Feed(Connect(kSecond, 1, kSub1, "b", true, true));
  EXPECT_EQ(f.lifetimes.OpenEpoch("b"), 0u);  // Not before its CONNACK.
  f.Feed(Connack(kSecond, 1));
  EXPECT_EQ(f.lifetimes.OpenEpoch("b"), 1u);
  EXPECT_NE(f.lifetimes.Attempt(1), nullptr);
  // A persistent session survives its connection and a takeover.
  f.Feed(Connect(2 * kSecond, 2, kSub1, "b", false, true));
  EXPECT_TRUE(f.Feed(Connack(2 * kSecond, 2, true)).empty());
  EXPECT_TRUE(f.Feed(Ended(3 * kSecond, 1)).empty());
  EXPECT_TRUE(f.Feed(Ended(4 * kSecond, 2)).empty());
  EXPECT_EQ(f.lifetimes.Attempt(2), nullptr);
  EXPECT_EQ(f.lifetimes.OpenEpoch("b"), 1u);
  // Resumed without Clean Start, not present: vanished.
  f.Feed(Connect(5 * kSecond, 3, kSub1, "b", false, true));
  std::vector<SessionLifetimes::Ended> ended = f.Feed(Connack(6 * kSecond, 3));
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].cause, SessionEndCause::kVanished);
  EXPECT_EQ(ended[0].epoch, 1u);
  EXPECT_EQ(ended[0].time, 6 * kSecond);
  EXPECT_EQ(f.lifetimes.OpenEpoch("b"), 2u);
  // Expired by the broker.
  ended = f.Feed(
      BrokerEvent(7 * kSecond, broker::EventKind::kSessionExpired, 0, "b"));
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].cause, SessionEndCause::kExpired);
  EXPECT_EQ(f.lifetimes.OpenEpoch("b"), 0u);
}

TEST(SessionLifetimesTest, NonPersistentCleanStartAndRestart) {
  Feeder f;
  f.Feed(Connect(0, 1, kSub1, "b"));
  f.Feed(Connack(0, 1));
  f.Feed(Connect(0, 2, kSub2, "a", true, true));
  f.Feed(Connack(0, 2));
  // A refused connection changes nothing.
  f.Feed(Connect(0, 3, kOutsider, "a"));
  EXPECT_TRUE(
      f.Feed(Connack(0, 3, false, mqtt::ReasonCode::kNotAuthorized)).empty());
  std::vector<SessionLifetimes::Ended> ended = f.Feed(Ended(kSecond, 1));
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].cause, SessionEndCause::kEndedWithConnection);
  f.Feed(Connect(2 * kSecond, 4, kSub1, "b"));
  f.Feed(Connack(2 * kSecond, 4));
  f.Feed(Connect(3 * kSecond, 5, kSub2, "a", true, true));
  ended = f.Feed(Connack(3 * kSecond, 5));
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].cause, SessionEndCause::kCleanStart);
  // A restart ends every open epoch, in ClientId order.
  ended = f.Feed(Restart(4 * kSecond));
  ASSERT_EQ(ended.size(), 2u);
  EXPECT_EQ(ended[0].client_id, "a");
  EXPECT_EQ(ended[1].client_id, "b");
  EXPECT_EQ(ended[1].cause, SessionEndCause::kBrokerRestart);
  EXPECT_TRUE(IsDocumented(SessionEndCause::kBrokerRestart));
  EXPECT_FALSE(IsDocumented(SessionEndCause::kVanished));
}

}  // namespace
}  // namespace mqlab::sim::testing
