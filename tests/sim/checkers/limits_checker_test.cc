#include "sim/checkers/limits_checker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "sim/checkers/limit_reactions.h"
#include "tests/sim/checkers/observation_stream.h"

namespace mqlab::sim::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using Kind = scenario::LimitProbe;
using mqtt::ReasonCode;
constexpr mqtt::Version kV5 = mqtt::Version::kV5;
constexpr mqtt::Version kV311 = mqtt::Version::kV311;

TEST(LimitReactionsTest, EveryProbeKindHasAnMqtt5Rule) {
  for (int kind = Kind::Kind_MIN; kind <= Kind::Kind_MAX; ++kind) {
    if (kind == Kind::KIND_UNSPECIFIED) continue;
    EXPECT_NE(FindLimitRule(static_cast<Kind::Kind>(kind), kV5), nullptr)
        << Kind::Kind_Name(kind);
  }
  std::set<std::pair<int, mqtt::Version>> seen;
  for (const LimitRule& rule : LimitRules()) {
    EXPECT_TRUE(seen.insert({rule.kind, rule.version}).second)
        << "two rules for " << Kind::Kind_Name(rule.kind);
    EXPECT_FALSE(rule.accepted.empty());
    EXPECT_FALSE(rule.source.empty());
  }
}

TEST(LimitReactionsTest, TheSeedPagesReactions) {
  EXPECT_EQ(
      DescribeReaction(FindLimitRule(Kind::QOS2_PUBLISH, kV5)->accepted.at(0)),
      "DISCONNECT 0x9b then close");
  EXPECT_EQ(
      DescribeReaction(FindLimitRule(Kind::WILL_MESSAGE, kV5)->accepted.at(0)),
      "CONNACK 0x83 then close");
  EXPECT_EQ(DescribeReaction(
                FindLimitRule(Kind::KEEP_ALIVE_TOO_LONG, kV5)->accepted.at(0)),
            "CONNACK 0x00 with 1160");
  EXPECT_EQ(FindLimitRule(Kind::TOPIC_ALIAS_ABUSE, kV311), nullptr);
}

TEST(LimitsCheckerTest, ExpectedReactionsPass) {
  CheckerWorld world;
  LimitsChecker checker(world.context());
  Feed(checker,
       {Probe(kSecond, 5, "p", Kind::QOS2_PUBLISH, kV5,
              ProbeReaction::kServerDisconnect, ReasonCode::kQosNotSupported,
              true),
        Probe(kSecond, 5, "p", Kind::QOS2_PUBLISH, kV311,
              ProbeReaction::kClosed, ReasonCode::kSuccess, true),
        Probe(kSecond, 5, "p", Kind::WILL_MESSAGE, kV311,
              ProbeReaction::kClosed, ReasonCode::kSuccess, true),
        Probe(kSecond, 5, "p", Kind::RETAIN_PUBLISH, kV5,
              ProbeReaction::kServerDisconnect, ReasonCode::kRetainNotSupported,
              true),
        Probe(kSecond, 5, "p", Kind::AUTHENTICATION_METHOD, kV5,
              ProbeReaction::kConnack, ReasonCode::kBadAuthenticationMethod,
              true),
        Probe(kSecond, 5, "p", Kind::KEEP_ALIVE_TOO_LONG, kV5,
              ProbeReaction::kConnack, ReasonCode::kSuccess, false, 1160),
        Probe(kSecond, 5, "p", Kind::UNAUTHORIZED_SUBSCRIBE, kV5,
              ProbeReaction::kSuback, ReasonCode::kNotAuthorized, false)});
  EXPECT_THAT(Rules(checker), IsEmpty());
}

TEST(LimitsCheckerTest, WrongCodeMissingCloseOrNoReaction) {
  CheckerWorld world;
  LimitsChecker checker(world.context());
  Feed(checker,
       {Probe(kSecond, 5, "p", Kind::QOS2_PUBLISH, kV5,
              ProbeReaction::kServerDisconnect, ReasonCode::kProtocolError,
              true),
        Probe(2 * kSecond, 5, "p", Kind::WILL_MESSAGE, kV5,
              ProbeReaction::kConnack, ReasonCode::kImplementationSpecificError,
              false),
        Probe(3 * kSecond, 5, "p", Kind::OVERSIZE_PACKET, kV5,
              ProbeReaction::kNothing, ReasonCode::kSuccess, false),
        Probe(4 * kSecond, 5, "p", Kind::KEEP_ALIVE_TOO_LONG, kV5,
              ProbeReaction::kConnack, ReasonCode::kSuccess, false, 2000)});
  EXPECT_THAT(Rules(checker), ElementsAre("wrong-reaction", "wrong-reaction",
                                          "wrong-reaction", "wrong-reaction"));
  EXPECT_THAT(checker.violations()[0].detail,
              HasSubstr("probe QOS2_PUBLISH (MQTT 5) by session p got "
                        "DISCONNECT 0x82 then close; expected DISCONNECT "
                        "0x9b then close (seed page"));
}

TEST(LimitsCheckerTest, ProbesWithoutARuleAreNotJudged) {
  CheckerWorld world;
  LimitsChecker checker(world.context());
  Feed(checker, {Probe(kSecond, 5, "p", Kind::TOPIC_ALIAS_ABUSE, kV311,
                       ProbeReaction::kClosed, ReasonCode::kSuccess, true)});
  EXPECT_THAT(Rules(checker), IsEmpty());
  EXPECT_THAT(checker.not_judged(),
              ElementsAre(Pair("no-rule-TOPIC_ALIAS_ABUSE", 1)));
}

}  // namespace
}  // namespace mqlab::sim::testing
