#include "broker/topic_filter_set.h"

#include <string>
#include <vector>

#include "base/random.h"
#include "gtest/gtest.h"
#include "tests/broker/topic_oracle.h"

namespace mqlab::broker {
namespace {

using testing::AllFilters;
using testing::AllTopics;
using testing::OracleMatches;

TEST(TopicFilterSetTest, EmptySetMatchesNothing) {
  TopicFilterSet set;
  EXPECT_TRUE(set.empty());
  EXPECT_FALSE(set.Matches("a"));
  EXPECT_TRUE(TopicFilterSet(std::vector<std::string>{}).empty());
}

TEST(TopicFilterSetTest, MatchesLikeMqtt) {
  const std::vector<std::string> filters = {"vehicles/+/position", "alerts/#",
                                            "exact/topic"};
  TopicFilterSet set(filters);
  EXPECT_FALSE(set.empty());
  EXPECT_TRUE(set.Matches("vehicles/v1/position"));
  EXPECT_FALSE(set.Matches("vehicles/v1/speed"));
  EXPECT_TRUE(set.Matches("alerts"));
  EXPECT_TRUE(set.Matches("alerts/weather/rain"));
  EXPECT_TRUE(set.Matches("exact/topic"));
  EXPECT_FALSE(set.Matches("exact/topic/more"));
  EXPECT_FALSE(set.Matches("exact"));
}

TEST(TopicFilterSetTest, HashAloneMatchesAllButDollarTopics) {
  const std::vector<std::string> filters = {"#"};
  TopicFilterSet set(filters);
  EXPECT_FALSE(set.empty());
  EXPECT_TRUE(set.Matches("a/b"));
  EXPECT_TRUE(set.Matches("/"));
  EXPECT_FALSE(set.Matches("$SYS/uptime"));  // [MQTT-4.7.2-1]
}

TEST(TopicFilterSetTest, ManyLiteralChildrenAreSearched) {
  std::vector<std::string> filters;
  for (int i = 0; i < 100; ++i) filters.push_back("d/" + std::to_string(i));
  TopicFilterSet set(filters);
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(set.Matches("d/" + std::to_string(i))) << i;
  }
  EXPECT_FALSE(set.Matches("d/100"));
  EXPECT_FALSE(set.Matches("d/"));
}

// Random sets of filters over a small alphabet against every topic: the set
// matches exactly when one of its filters matches by the reference rules.
TEST(TopicFilterSetTest, AgreesWithOracleOnRandomSets) {
  const std::vector<std::string> all_filters = AllFilters({"a", "$a", ""}, 3);
  const std::vector<std::string> topics = AllTopics({"a", "b", "$a", ""}, 4);
  Random random(20240601);
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> filters;
    const int count = static_cast<int>(random.Between(1, 6));
    for (int i = 0; i < count; ++i) {
      filters.push_back(all_filters[random.Below(all_filters.size())]);
    }
    TopicFilterSet set(filters);
    for (const std::string& topic : topics) {
      bool expected = false;
      for (const std::string& filter : filters) {
        expected = expected || OracleMatches(filter, topic);
      }
      ASSERT_EQ(set.Matches(topic), expected) << "topic " << topic;
    }
  }
}

}  // namespace
}  // namespace mqlab::broker
