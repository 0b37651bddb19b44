// The default scenario provokes every situation of the catalogue
// (sim/situation_counts.h): the rule explorer's episodes, the limit probes
// and a takeover by another authentication name, each at least once over a
// 20-seed sweep (MQLAB_COVERAGE_SEEDS overrides the range). A situation
// that no seed provokes fails, named with the seeds' summed table.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "absl/strings/str_join.h"
#include "sim/runner.h"
#include "sim/situation_counts.h"
#include "sim/virtual_fleet.h"
#include "tools/run_command.h"
#include "tools/sweep_command.h"

namespace mqlab::sim {
namespace {

TEST(SituationCoverageTest,
     TwentySeedsOfTheDefaultScenarioProvokeEverySituation) {
  const char* env = std::getenv("MQLAB_COVERAGE_SEEDS");
  const absl::StatusOr<tools::SeedRange> seeds =
      tools::ParseSeedRange(env != nullptr && *env != '\0' ? env : "1-20");
  ASSERT_TRUE(seeds.ok()) << seeds.status();
  const absl::StatusOr<RunInput> input =
      tools::ReadRunInput("scenarios/default.textproto");
  ASSERT_TRUE(input.ok()) << input.status();
  SituationCounts total;
  for (uint64_t seed = seeds->first; seed <= seeds->last; ++seed) {
    RunOptions options;
    options.seed = seed;
    options.workload = VirtualFleetWorkload();
    const absl::StatusOr<RunResult> result = RunScenario(*input, options);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_TRUE(result->status.ok()) << result->status;
    EXPECT_EQ(result->summary.violations, 0u) << "seed " << seed;
    total.Add(result->summary.situations);
  }
  EXPECT_TRUE(total.Missing().empty())
      << "never provoked: " << absl::StrJoin(total.Missing(), ", ") << "\n"
      << total.Table();
}

}  // namespace
}  // namespace mqlab::sim
