// Replay files of runs that found bugs, after the fixes: each is run again
// as `mqlab replay` runs it (its seed, its recorded faults) and must not
// find a violation now. tests/sim/regressions/README lists what each found.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/replay_file.h"
#include "sim/runner.h"
#include "sim/virtual_fleet.h"
#include "tools/run_command.h"

namespace mqlab::sim {
namespace {

constexpr char kDirectory[] = "tests/sim/regressions";

std::vector<std::string> ReplayFiles() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(kDirectory)) {
    const std::string path = entry.path().string();
    if (path.ends_with(".replay.json")) files.push_back(path);
  }
  std::sort(files.begin(), files.end());
  return files;
}

class RegressionsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RegressionsTest, NoViolationAnyMore) {
  const absl::StatusOr<std::string> text = tools::ReadTextFile(GetParam());
  ASSERT_TRUE(text.ok()) << text.status();
  const absl::StatusOr<ReplayFile> replay = ParseReplayFile(*text, GetParam());
  ASSERT_TRUE(replay.ok()) << replay.status();
  ASSERT_TRUE(replay->violation.has_value())
      << GetParam() << " records no violation: it is no regression";
  RunOptions options;
  options.seed = replay->seed;
  options.faults = replay->faults;
  options.stop_at_first_violation = replay->stop_at_first_violation;
  options.workload = VirtualFleetWorkload();
  const absl::StatusOr<RunResult> result = RunScenario(replay->input, options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->status.ok()) << result->status;
  EXPECT_TRUE(result->violations.empty())
      << GetParam() << " fails again: " << result->violations[0].ToString()
      << "\n(it found: " << replay->violation->ToString() << ")";
}

INSTANTIATE_TEST_SUITE_P(Files, RegressionsTest,
                         ::testing::ValuesIn(ReplayFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name =
                               std::filesystem::path(info.param).stem().stem();
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c)))
                               c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace mqlab::sim
