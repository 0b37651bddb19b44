// The sim_choices fuzzer's pieces: bytes decode to the faults they say, the
// oracle reports violations and stopped runs, and a run's replay file
// reproduces it (same trace hash), as `mqlab sim-choices` relies on.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/sim_choices_run.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sim/replay_file.h"

namespace mqlab::fuzz {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> kClients = {"a/one", "b/two"};

TEST(SimChoicesTest, BytesChooseKindTimeTargetAndLength) {
  const std::vector<uint8_t> bytes = {
      2, 0xE8, 0x03, 1, 9,  // partition at 2 s, broker | b/two, 1 s
      0, 0x00, 0x00, 1, 0,  // reset-connections at 1 s on a/one's host
      7, 0x00, 0x00, 3, 4,  // client-delete at 1 s of b/two, restored 0.5 s
  };
  const std::vector<sim::NamedFault> faults =
      DecodeSimChoicesFaults(bytes, kClients);
  ASSERT_EQ(faults.size(), 3u);
  EXPECT_EQ(faults[0].kind, sim::FaultKind::kPartition);
  EXPECT_EQ(faults[0].at, 2 * kSecond);
  EXPECT_EQ(faults[0].hosts, std::vector<std::string>{"broker"});
  EXPECT_EQ(faults[0].other_hosts, std::vector<std::string>{"b/two"});
  EXPECT_EQ(faults[0].duration, kSecond);
  EXPECT_EQ(faults[1].kind, sim::FaultKind::kResetConnections);
  EXPECT_EQ(faults[1].hosts, std::vector<std::string>{"a/one"});
  EXPECT_EQ(faults[2].kind, sim::FaultKind::kClientDelete);
  EXPECT_EQ(faults[2].clients, std::vector<std::string>{"b/two"});
  EXPECT_EQ(faults[2].duration, 500 * kMillisecond);
}

TEST(SimChoicesTest, EveryFaultEndsBeforeTheQuietStretch) {
  const std::vector<uint8_t> bytes = {2, 0xFF, 0xFF, 0, 0xFF};
  const std::vector<sim::NamedFault> faults =
      DecodeSimChoicesFaults(bytes, kClients);
  ASSERT_EQ(faults.size(), 1u);
  EXPECT_LE(faults[0].at + faults[0].duration, kSimChoicesFaultsEnd);
}

TEST(SimChoicesTest, TheOracleReportsViolationsAndStoppedRuns) {
  sim::RunResult clean;
  EXPECT_EQ(SimChoicesFinding(clean), std::nullopt);
  sim::RunResult violated;
  sim::Violation lost;
  lost.rule = "message-lost";
  violated.violations.push_back(lost);
  EXPECT_THAT(SimChoicesFinding(violated).value_or(""),
              HasSubstr("message-lost"));
  sim::RunResult stopped;
  stopped.status = absl::ResourceExhaustedError("too many events");
  EXPECT_THAT(SimChoicesFinding(stopped).value_or(""),
              HasSubstr("too many events"));
  EXPECT_THAT(
      SimChoicesFinding(absl::InvalidArgumentError("bad plan")).value_or(""),
      HasSubstr("bad plan"));
}

TEST(SimChoicesTest, ARunsReplayFileReproducesIt) {
  const std::vector<uint8_t> choices = {
      7, 0,                  // seed 7
      5, 0x10, 0x27, 0, 20,  // broker restart at 11 s for 2.1 s
      2, 0xE8, 0x03, 1, 30,  // partition at 2 s
  };
  const sim::RunOptions options = SimChoicesRunOptions(choices);
  const absl::StatusOr<sim::RunResult> run =
      sim::RunScenario(SimChoicesRunInput(), options);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(SimChoicesFinding(run), std::nullopt);
  EXPECT_EQ(run->faults_taken.size(), 2u);

  const absl::StatusOr<sim::ReplayFile> replay =
      sim::ParseReplayFile(sim::ReplayFileToJson(sim::MakeReplayFile(
                               SimChoicesRunInput(), options, *run, "test")),
                           "run.replay.json");
  ASSERT_TRUE(replay.ok()) << replay.status();
  sim::RunOptions again = options;
  again.seed = replay->seed;
  again.faults = replay->faults;
  const absl::StatusOr<sim::RunResult> rerun =
      sim::RunScenario(replay->input, again);
  ASSERT_TRUE(rerun.ok()) << rerun.status();
  EXPECT_EQ(rerun->summary.trace_hash, run->summary.trace_hash);
}

}  // namespace
}  // namespace mqlab::fuzz
