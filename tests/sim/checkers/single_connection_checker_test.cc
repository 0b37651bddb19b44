#include "sim/checkers/single_connection_checker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/sim/checkers/observation_stream.h"

namespace mqlab::sim::testing {
namespace {

using broker::EventKind;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(SingleConnectionTest, ATakeoverThatEndsTheOldConnectionPasses) {
  CheckerWorld world;
  SingleConnectionChecker checker(world.context());
  Feed(checker,
       {BrokerEvent(kSecond, EventKind::kConnected, 1, "sub1"),
        Connect(kSecond, 1, kSub1, "sub1"), Connack(kSecond, 1),
        Connect(10 * kSecond, 2, kSub1, "sub1"),
        BrokerEvent(11 * kSecond, EventKind::kDisconnected, 1, "sub1"),
        BrokerEvent(11 * kSecond, EventKind::kConnected, 2, "sub1"),
        Connack(12 * kSecond, 2),
        Ended(13 * kSecond, 1, ConnectionEnd::kServerDisconnect),
        // A refused stranger changes nothing.
        Connect(20 * kSecond, 3, kOutsider, "sub1"),
        Connack(21 * kSecond, 3, false, mqtt::ReasonCode::kNotAuthorized),
        // A restart forgets the broker's connections.
        Restart(30 * kSecond),
        BrokerEvent(31 * kSecond, EventKind::kConnected, 9, "sub1")});
  EXPECT_THAT(Rules(checker), IsEmpty());
}

TEST(SingleConnectionTest, TheBrokerReportsTwoConnections) {
  CheckerWorld world;
  SingleConnectionChecker checker(world.context());
  Feed(checker, {BrokerEvent(kSecond, EventKind::kConnected, 1, "sub1"),
                 BrokerEvent(2 * kSecond, EventKind::kConnected, 2, "sub1")});
  ASSERT_THAT(Rules(checker), ElementsAre("broker-reports-two"));
  EXPECT_THAT(checker.violations()[0].detail,
              HasSubstr("connected on connection 2 while connection 1"));
}

TEST(SingleConnectionTest, AnOldConnectionKeptAfterATakeover) {
  CheckerWorld world;
  SingleConnectionChecker checker(world.context());
  Feed(checker,
       {Connect(kSecond, 1, kSub1, "sub1"), Connack(kSecond, 1),
        Connect(10 * kSecond, 2, kSub1, "sub1"), Connack(10 * kSecond, 2),
        // Noticed by the next observation past the settle window.
        Connect(2 * kMinute, 3, kSub2, "sub2")});
  ASSERT_THAT(Rules(checker), ElementsAre("old-kept"));
  EXPECT_THAT(checker.violations()[0].detail,
              HasSubstr("connection #1 of client 1 to session sub1 was still "
                        "open at t=120s"));

  SingleConnectionChecker at_end(world.context());
  Feed(at_end,
       {Connect(kSecond, 1, kSub1, "sub1"), Connack(kSecond, 1),
        Connect(10 * kSecond, 2, kSub1, "sub1"), Connack(10 * kSecond, 2)});
  EXPECT_THAT(Rules(at_end), ElementsAre("old-kept"));
}

}  // namespace
}  // namespace mqlab::sim::testing
