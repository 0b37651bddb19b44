// The pinned trace hashes of tests/sim/pinned_trace_hashes.txt, in the
// build being tested: the same scenario and seed give the same run in every
// build mode. (tests/sim/check_determinism_across_modes.sh runs the mqlab
// binary in -c dbg, -c opt and --config=asan against the same file.)
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "sim/replay_file.h"
#include "sim/runner.h"
#include "sim/virtual_fleet.h"
#include "tools/run_command.h"

namespace mqlab::sim {
namespace {

constexpr char kPinned[] = "tests/sim/pinned_trace_hashes.txt";

struct Pin {
  std::string scenario;
  uint64_t seed = 0;
  std::string hash;
};

std::vector<Pin> ReadPins() {
  const absl::StatusOr<std::string> text = tools::ReadTextFile(kPinned);
  EXPECT_TRUE(text.ok()) << text.status();
  std::vector<Pin> pins;
  std::istringstream lines(text.value_or(""));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> fields =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    Pin pin;
    EXPECT_EQ(fields.size(), 3u) << kPinned << ": " << line;
    if (fields.size() != 3 || !absl::SimpleAtoi(fields[1], &pin.seed)) continue;
    pin.scenario = fields[0];
    pin.hash = fields[2];
    pins.push_back(pin);
  }
  return pins;
}

TEST(RunDeterminismTest, PinnedTraceHashes) {
  const std::vector<Pin> pins = ReadPins();
  ASSERT_FALSE(pins.empty());
  std::string updated;
  bool all_same = true;
  for (const Pin& pin : pins) {
    const absl::StatusOr<RunInput> input = tools::ReadRunInput(pin.scenario);
    ASSERT_TRUE(input.ok()) << input.status();
    RunOptions options;
    options.seed = pin.seed;
    options.workload = VirtualFleetWorkload();
    const absl::StatusOr<RunResult> result = RunScenario(*input, options);
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_TRUE(result->status.ok()) << result->status;
    const std::string hash = HashHex(result->summary.trace_hash);
    EXPECT_EQ(hash, pin.hash) << pin.scenario << " seed " << pin.seed;
    all_same &= hash == pin.hash;
    EXPECT_TRUE(result->violations.empty())
        << pin.scenario << " seed " << pin.seed << ": "
        << result->violations[0].ToString();
    updated +=
        pin.scenario + " " + std::to_string(pin.seed) + " " + hash + "\n";
  }
  if (!all_same) {
    ADD_FAILURE() << "if the change is meant to alter runs, these are the "
                     "lines for "
                  << kPinned << ":\n"
                  << updated;
  }
}

}  // namespace
}  // namespace mqlab::sim
