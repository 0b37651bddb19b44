#include "broker/filter_coverage.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/broker/topic_oracle.h"

namespace mqlab::broker {
namespace {

using testing::AllFilters;
using testing::AllTopics;
using testing::OracleMatches;

TEST(FilterCoverageTest, WildcardsCoverNarrowerFilters) {
  EXPECT_TRUE(FilterCovers("vehicles/#", "vehicles/+/position"));
  EXPECT_TRUE(FilterCovers("vehicles/#", "vehicles"));
  EXPECT_TRUE(FilterCovers("vehicles/#", "vehicles/#"));
  EXPECT_TRUE(FilterCovers("vehicles/+/position", "vehicles/v1/position"));
  EXPECT_TRUE(FilterCovers("#", "vehicles/+/position"));
  EXPECT_TRUE(
      FilterCovers("+/#", "#"));  // Same topics: every topic has a level.
  EXPECT_TRUE(FilterCovers("+/+", "a/+"));
}

TEST(FilterCoverageTest, NarrowerFiltersDoNotCoverWiderOnes) {
  EXPECT_FALSE(FilterCovers("vehicles/+/position", "vehicles/#"));
  EXPECT_FALSE(
      FilterCovers("vehicles/+", "vehicles/#"));  // '#' matches "vehicles".
  EXPECT_FALSE(FilterCovers("vehicles/+/#", "vehicles/#"));
  EXPECT_FALSE(FilterCovers("a/+/#", "#"));
  EXPECT_FALSE(FilterCovers("a/b", "a/+"));
  EXPECT_FALSE(FilterCovers("a", "a/b"));
  EXPECT_FALSE(FilterCovers("a/b", "a"));
}

TEST(FilterCoverageTest, FirstLevelWildcardsDoNotCoverDollarTopics) {
  // [MQTT-4.7.2-1]
  EXPECT_FALSE(FilterCovers("#", "$SYS/#"));
  EXPECT_FALSE(FilterCovers("+/x", "$SYS/x"));
  EXPECT_TRUE(FilterCovers("$SYS/#", "$SYS/+"));
  EXPECT_TRUE(FilterCovers("#", "+/x"));
  EXPECT_TRUE(FilterCovers("a/#", "a/$b"));  // Only the first level is special.
}

TEST(FilterCoverageTest, EmptyLevelsAreLevels) {
  EXPECT_TRUE(FilterCovers("+/+", "/"));
  EXPECT_TRUE(FilterCovers("/#", "//a"));
  EXPECT_FALSE(FilterCovers("/", "+/"));
}

// inner ⊆ outer exactly when every topic inner matches, outer matches, over
// every filter pair of up to 3 levels from {a, $a, "", +} (plus a final '#')
// and every topic of up to 5 levels from {a, b, $a, ""}.
TEST(FilterCoverageTest, AgreesWithBruteForceOverSmallAlphabet) {
  const std::vector<std::string> filters = AllFilters({"a", "$a", ""}, 3);
  const std::vector<std::string> topics = AllTopics({"a", "b", "$a", ""}, 5);
  std::vector<std::vector<bool>> matches(filters.size());
  for (size_t f = 0; f < filters.size(); ++f) {
    for (const std::string& topic : topics) {
      matches[f].push_back(OracleMatches(filters[f], topic));
    }
  }
  int covered_pairs = 0;
  for (size_t outer = 0; outer < filters.size(); ++outer) {
    for (size_t inner = 0; inner < filters.size(); ++inner) {
      bool subset = true;
      for (size_t t = 0; t < topics.size() && subset; ++t) {
        subset = !matches[inner][t] || matches[outer][t];
      }
      covered_pairs += subset;
      ASSERT_EQ(FilterCovers(filters[outer], filters[inner]), subset)
          << "outer " << filters[outer] << " inner " << filters[inner];
    }
  }
  EXPECT_GT(covered_pairs, static_cast<int>(filters.size()));
}

}  // namespace
}  // namespace mqlab::broker
