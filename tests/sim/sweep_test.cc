// A seed sweep as a sharded Bazel test: one test case per seed of a
// scenario, which GoogleTest spreads over the test's shards
// (TEST_SHARD_INDEX / TEST_TOTAL_SHARDS), so that `bazel test` can spread a
// large sweep over remote executors:
//
//   bazel test //tests/sim:sweep_test --test_env=MQLAB_SWEEP_SEEDS=1-400
//       --test_env=MQLAB_SWEEP_SCENARIO=scenarios/default.textproto
//
// CI runs the default share (seeds 1-16 of the default scenario). A failing
// seed writes its replay file into the test's undeclared outputs
// (.bazel/testlogs/tests/sim/sweep_test/shard_N_of_4/test.outputs/), for
// `mqlab replay` and `mqlab shrink`.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "sim/replay_file.h"
#include "sim/runner.h"
#include "sim/virtual_fleet.h"
#include "tools/run_command.h"
#include "tools/sweep_command.h"
#include "tools/write_files.h"

namespace mqlab::sim {
namespace {

std::string Env(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

std::vector<uint64_t> Seeds() {
  const absl::StatusOr<tools::SeedRange> range =
      tools::ParseSeedRange(Env("MQLAB_SWEEP_SEEDS", "1-16"));
  std::vector<uint64_t> seeds;
  if (!range.ok()) return seeds;  // SweepTest.Setup reports it.
  for (uint64_t seed = range->first; seed <= range->last; ++seed) {
    seeds.push_back(seed);
  }
  return seeds;
}

class SweepTest : public ::testing::TestWithParam<uint64_t> {};

TEST(SweepSetupTest, SeedsAndScenarioAreValid) {
  const absl::StatusOr<tools::SeedRange> range =
      tools::ParseSeedRange(Env("MQLAB_SWEEP_SEEDS", "1-16"));
  EXPECT_TRUE(range.ok()) << "MQLAB_SWEEP_SEEDS: " << range.status();
}

TEST_P(SweepTest, NoViolations) {
  const std::string scenario =
      Env("MQLAB_SWEEP_SCENARIO", "scenarios/default.textproto");
  const absl::StatusOr<RunInput> input = tools::ReadRunInput(scenario);
  ASSERT_TRUE(input.ok()) << input.status();
  RunOptions options;
  options.seed = GetParam();
  options.workload = VirtualFleetWorkload();
  const absl::StatusOr<RunResult> result = RunScenario(*input, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->status.ok()) << result->status;
  if (result->violations.empty()) return;
  const ReplayFile replay = MakeReplayFile(*input, options, *result, "");
  const std::string dir = Env("TEST_UNDECLARED_OUTPUTS_DIR", ".");
  const std::string name = tools::ReplayFilePath("", *result);
  const absl::Status written =
      tools::WriteFile(dir, name, ReplayFileToJson(replay));
  ADD_FAILURE() << scenario << " seed " << GetParam() << ": "
                << result->summary.violations << " violations, the first: "
                << result->violations[0].ToString() << "\nreplay file: " << dir
                << "/" << name << (written.ok() ? "" : " (not written)");
}

INSTANTIATE_TEST_SUITE_P(Seeds, SweepTest, ::testing::ValuesIn(Seeds()),
                         [](const ::testing::TestParamInfo<uint64_t>& info) {
                           return "seed" + std::to_string(info.param);
                         });

}  // namespace
}  // namespace mqlab::sim
