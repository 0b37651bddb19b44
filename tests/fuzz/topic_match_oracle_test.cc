// The topic_match oracle: the reference agrees with the index on valid
// operation sequences, and a wrong answer is reported.
#include "fuzz/topic_match_oracle.h"

#include <cstdint>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mqlab::fuzz {
namespace {

using broker::SubscriberMatch;
using ::testing::HasSubstr;

TEST(TopicMatchOracleTest, ReferenceFollowsTheMatchingRules) {
  ReferenceSubscriptions reference(8);
  reference.Add(1, "a/+", {.maximum_qos = 1});
  reference.Add(1, "a/#", {.maximum_qos = 2, .retain_as_published = true});
  reference.Add(2, "+/b", {.maximum_qos = 0, .no_local = true});
  reference.Add(3, "#", {.maximum_qos = 1});
  EXPECT_EQ(reference.Match("a/b", std::nullopt),
            (std::vector<SubscriberMatch>{
                {1, 2, true}, {2, 0, false}, {3, 1, false}}));
  // No Local drops the publisher's own subscription.
  EXPECT_EQ(reference.Match("a/b", 2),
            (std::vector<SubscriberMatch>{{1, 2, true}, {3, 1, false}}));
  // Wildcards at the first level skip '$' topics [MQTT-4.7.2-1].
  EXPECT_EQ(reference.Match("$sys/b", std::nullopt),
            std::vector<SubscriberMatch>{});
}

TEST(TopicMatchOracleTest, ReportsAMatchTheIndexGotWrong) {
  const std::vector<SubscriberMatch> expected = {{1, 1, false}};
  const std::vector<SubscriberMatch> wrong_qos = {{1, 0, false}};
  const std::vector<SubscriberMatch> missing = {};
  EXPECT_EQ(CompareMatches("a/b", expected, expected), std::nullopt);
  EXPECT_THAT(CompareMatches("a/b", expected, wrong_qos).value_or(""),
              HasSubstr("topic \"a/b\""));
  EXPECT_TRUE(CompareMatches("a/b", expected, missing).has_value());
}

TEST(TopicMatchOracleTest, IndexAgreesOnAnOperationSequence) {
  // Add subscriber 1 "+/#" qos 1; add subscriber 2 "$sys/a" qos 2; match
  // "$sys/a" and "a/b" from outside (operation byte 0x13).
  const std::vector<uint8_t> operations = {
      0,    1, 1, 5, 6, 1,  // add 1 "+/#" {qos 1}
      0,    2, 1, 3, 0, 2,  // add 2 "$sys/a" {qos 2}
      0x13, 0, 1, 3, 0,     // match "$sys/a"
      0x13, 0, 1, 0, 1,     // match "a/b"
      2,    2, 1, 3, 0,     // remove 2 "$sys/a"
      0x13, 0, 1, 3, 0,     // match "$sys/a"
  };
  EXPECT_EQ(RunTopicMatchOperations(operations), std::nullopt);
}

}  // namespace
}  // namespace mqlab::fuzz
