#include "sim/situation_counts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace mqlab::sim {
namespace {

TEST(SituationCountsTest, TheCatalogueNamesEverySituationOnce) {
  const std::vector<std::string> names = CatalogueSituations();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
  EXPECT_NE(
      std::find(names.begin(), names.end(),
                SituationName(scenario::RuleExplorer::OFFLINE_QUEUE_AT_LIMIT)),
      names.end());
  EXPECT_NE(std::find(names.begin(), names.end(),
                      SituationName(scenario::LimitProbe::WILL_MESSAGE)),
            names.end());
  EXPECT_NE(std::find(names.begin(), names.end(),
                      std::string(kTakeoverByAnotherName)),
            names.end());
  EXPECT_EQ(
      std::find(names.begin(), names.end(),
                SituationName(scenario::RuleExplorer::SITUATION_UNSPECIFIED)),
      names.end());
}

TEST(SituationCountsTest, CountsAddUpAndMissingOnesAreNamed) {
  SituationCounts run;
  const std::string will = SituationName(scenario::LimitProbe::WILL_MESSAGE);
  run.Count(will);
  run.Count(will);
  EXPECT_EQ(run.count(will), 2u);
  SituationCounts total;
  total.Add(run);
  total.Add(run);
  EXPECT_EQ(total.count(will), 4u);
  const std::vector<std::string> missing = total.Missing();
  EXPECT_EQ(missing.size(), CatalogueSituations().size() - 1);
  EXPECT_EQ(std::find(missing.begin(), missing.end(), will), missing.end());
  EXPECT_NE(total.Table().find("       4 limit-probe/WILL_MESSAGE\n"),
            std::string::npos);
  EXPECT_NE(total.Table().find(" limit-probe/QOS2_PUBLISH (none)\n"),
            std::string::npos);
}

TEST(SituationCountsTest, APrintedTableAddsUp) {
  SituationCounts run;
  const std::string will = SituationName(scenario::LimitProbe::WILL_MESSAGE);
  run.Count(will);
  run.Count(will);
  run.Count(kTakeoverByAnotherName);
  const std::string printed = "traffic: ...\n" +
                              std::string(kSituationTableHeading) + "\n" +
                              run.Table() + "latency: p50 1ms\n";
  SituationCounts total;
  EXPECT_TRUE(total.AddPrinted(printed));
  EXPECT_TRUE(total.AddPrinted(printed));
  EXPECT_EQ(total.count(will), 4u);
  EXPECT_EQ(total.count(kTakeoverByAnotherName), 2u);
  EXPECT_EQ(total.counts().size(), 2u);  // The "(none)" rows add nothing.
  EXPECT_FALSE(total.AddPrinted("no table here\n"));
}

TEST(SituationCountsTest, EveryCatalogueSituationProvokedLeavesNoneMissing) {
  SituationCounts counts;
  for (const std::string& name : CatalogueSituations()) counts.Count(name);
  EXPECT_TRUE(counts.Missing().empty());
}

}  // namespace
}  // namespace mqlab::sim
