#include "sim/checkers/session_lifetimes.h"

#include <gtest/gtest.h>

#include <string_view>
#include <variant>
#include <vector>

#include "tests/sim/checkers/observation_stream.h"

namespace mqlab::sim::testing {
namespace {

struct Feeder {
  std::vector<SessionLifetimes::Ended> Feed(const Observation& observation) {
    std::vector<SessionLifetimes::Ended> ended;
    std::visit(
        [&](const auto& o) {
          const ObservedIds ids = world.names().Number(o);
          if constexpr (requires { lifetimes.Observe(o, ids, &ended); }) {
            lifetimes.Observe(o, ids, &ended);
          }
        },
        observation);
    return ended;
  }
  uint64_t OpenEpoch(std::string_view client_id) {
    return lifetimes.OpenEpoch(Number(client_id));
  }
  uint32_t Number(std::string_view client_id) {
    ClientIntent intent;
    intent.client = kNoName;  // No fleet client: numbered by name.
    intent.client_id = client_id;
    return world.names().Number(intent).session;
  }
  CheckerWorld world;
  SessionLifetimes lifetimes{&world.names()};
};

TEST(SessionLifetimesTest, EpochsBeginAndEnd) {
  Feeder f;
  f.Feed(Connect(kSecond, 1, kSub1, "b", true, true));
  EXPECT_EQ(f.OpenEpoch("b"), 0u);  // Not before its CONNACK.
  f.Feed(Connack(kSecond, 1));
  EXPECT_EQ(f.OpenEpoch("b"), 1u);
  // A persistent session survives its connection and a takeover.
  f.Feed(Connect(2 * kSecond, 2, kSub1, "b", false, true));
  EXPECT_TRUE(f.Feed(Connack(2 * kSecond, 2, true)).empty());
  EXPECT_TRUE(f.Feed(Ended(3 * kSecond, 1)).empty());
  EXPECT_TRUE(f.Feed(Ended(4 * kSecond, 2)).empty());
  EXPECT_EQ(f.OpenEpoch("b"), 1u);
  // Resumed without Clean Start, not present: vanished.
  f.Feed(Connect(5 * kSecond, 3, kSub1, "b", false, true));
  std::vector<SessionLifetimes::Ended> ended = f.Feed(Connack(6 * kSecond, 3));
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].cause, SessionEndCause::kVanished);
  EXPECT_EQ(ended[0].epoch, 1u);
  EXPECT_EQ(ended[0].time, 6 * kSecond);
  EXPECT_EQ(f.OpenEpoch("b"), 2u);
  // Expired by the broker.
  ended = f.Feed(
      BrokerEvent(7 * kSecond, broker::EventKind::kSessionExpired, 0, "b"));
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].cause, SessionEndCause::kExpired);
  EXPECT_EQ(f.OpenEpoch("b"), 0u);
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
  EXPECT_EQ(ended[0].session, f.Number("a"));
  EXPECT_EQ(ended[1].session, f.Number("b"));
  EXPECT_EQ(ended[1].cause, SessionEndCause::kBrokerRestart);
  EXPECT_TRUE(IsDocumented(SessionEndCause::kBrokerRestart));
  EXPECT_FALSE(IsDocumented(SessionEndCause::kVanished));
}

}  // namespace
}  // namespace mqlab::sim::testing
