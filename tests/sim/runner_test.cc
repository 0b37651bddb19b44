#include "sim/runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/sim/scripted_workload.h"

namespace mqlab::sim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kNamespace[] =
    R"({"topicSpaces": [{"name": "all", "properties": {"topicTemplates": ["t/#"]}}],
        "permissionBindings": [
          {"name": "pub", "properties": {"clientGroupName": "$all", "topicSpaceName": "all", "permission": "Publisher"}},
          {"name": "sub", "properties": {"clientGroupName": "$all", "topicSpaceName": "all", "permission": "Subscriber"}}]})";

constexpr char kScenario[] = R"txt(
name: "runner"
duration: "10m"
event_grid_namespace { json_file: "ns.json" }
network_profiles { name: "cell" latency { uniform { min: "10ms" max: "80ms" } } }
populations { name: "cars" count: 6 authentication_name: "car{index}"
              network_profile: "cell"
              registration { enabled: true } }
faults {
  events { at: "30s" client_crash { targets { population: "cars" indexes: 2 }
                                    restore_after: "10s" } }
  events { at: "40s" broker_restart { downtime: "5s" } }
  swarm { enabled: true kinds: [RESET_CONNECTIONS, HALF_OPEN, PARTITION,
                                SLOW_READER, LATENCY_SPIKE]
          warmup: "10s" final_quiet: "2m" min_mean_interval: "5s"
          max_mean_interval: "20s" kind_probability: 0.9 }
}
checkers { liveness_within: "30s" }
)txt";

RunInput Input(std::string scenario = kScenario) {
  return {"runner.textproto", std::move(scenario), "ns.json", kNamespace};
}

using testing::Scripted;
using testing::ScriptedWorkload;

TEST(RunnerTest, WithoutAWorkloadTheNetworkAndFaultsRun) {
  absl::StatusOr<RunResult> result = RunScenario(Input(), {});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(result->status.ok()) << result->status;
  const RunSummary& summary = result->summary;
  EXPECT_FALSE(summary.workload_wired);
  EXPECT_EQ(summary.scenario_name, "runner");
  EXPECT_EQ(summary.clients, 6u);
  EXPECT_EQ(summary.hosts, 7u);
  EXPECT_THAT(summary.swarm, HasSubstr("swarm:"));
  EXPECT_GT(summary.faults_taken, 2u);
  EXPECT_EQ(summary.virtual_time, 10 * kMinute);
  EXPECT_GT(summary.events, 0u);
  EXPECT_EQ(summary.violations, 0u);
  EXPECT_EQ(summary.checkers.size(), 9u);
  EXPECT_LE(summary.quiet_start, 8 * kMinute);
  EXPECT_EQ(summary.settle, 30 * kSecond);
  EXPECT_EQ(result->samples.size(), 2000u);
  EXPECT_EQ(result->sample_interval, 300 * kMillisecond);
  EXPECT_EQ(result->faults_taken.size(), summary.faults_taken);
  int crashes = 0;
  for (const NamedFault& fault : result->faults_taken) {
    if (fault.kind != FaultKind::kClientCrash) continue;
    ++crashes;
    EXPECT_EQ(fault.at, 30 * kSecond);
    EXPECT_THAT(fault.clients, ElementsAre("cars/car2"));
  }
  EXPECT_EQ(crashes, 1);
}

TEST(RunnerTest, SameSeedSameHashOtherSeedOtherHash) {
  RunOptions options;
  options.seed = 5;
  const uint64_t hash = RunScenario(Input(), options)->summary.trace_hash;
  EXPECT_EQ(RunScenario(Input(), options)->summary.trace_hash, hash);
  options.seed = 6;
  EXPECT_NE(RunScenario(Input(), options)->summary.trace_hash, hash);
}

TEST(RunnerTest, ReplayingTheTakenFaultsGivesTheSameRun) {
  RunOptions options;
  options.seed = 3;
  options.workload = Scripted();
  const RunResult first = *RunScenario(Input(), options);
  options.faults = first.faults_taken;
  const RunResult replay = *RunScenario(Input(), options);
  EXPECT_EQ(replay.summary.trace_hash, first.summary.trace_hash);
  EXPECT_EQ(replay.summary.faults_taken, first.summary.faults_taken);
  ASSERT_FALSE(first.violations.empty());
  EXPECT_EQ(replay.violations[0].ToString(), first.violations[0].ToString());
  // Replays ignore the scenario's own plan.
  EXPECT_TRUE(replay.summary.swarm.empty());
}

TEST(RunnerTest, ObservationsReachTheCheckersAndStatistics) {
  RunOptions options;
  options.workload = Scripted();
  const int restarts = ScriptedWorkload::restarts();
  const RunResult result = *RunScenario(Input(), options);
  EXPECT_TRUE(result.summary.workload_wired);
  EXPECT_GE(ScriptedWorkload::restarts(), restarts + 1);
  EXPECT_EQ(result.summary.counters.connect_attempts, 1u);
  EXPECT_EQ(result.summary.counters.connections_accepted, 1u);
  EXPECT_EQ(result.samples.back().mqtt_connections, 1u);
  ASSERT_FALSE(result.violations.empty());
  EXPECT_EQ(result.violations[0].checker,
            CheckerKind::kSingleConnectionPerSession);
  EXPECT_EQ(result.violations[0].time, 30 * kSecond);
  EXPECT_EQ(result.summary.violations, result.violations.size());
}

TEST(RunnerTest, StopAtTheFirstViolation) {
  RunOptions options;
  options.workload = Scripted();
  options.stop_at_first_violation = true;
  const RunResult result = *RunScenario(Input(), options);
  EXPECT_TRUE(result.status.ok());
  EXPECT_TRUE(result.summary.stopped_early);
  EXPECT_EQ(result.summary.virtual_time, 30 * kSecond);
  EXPECT_EQ(result.violations.size(), 1u);
}

TEST(RunnerTest, ProgressAndCancel) {
  RunOptions options;
  int calls = 0;
  options.progress = [&](const RunProgress& progress) {
    EXPECT_EQ(progress.end, 10 * kMinute);
    return ++calls < 10;
  };
  const RunResult result = *RunScenario(Input(), options);
  EXPECT_EQ(calls, 10);
  EXPECT_EQ(result.status.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(result.summary.virtual_time, 3 * kSecond);
  EXPECT_EQ(result.samples.size(), 10u);
}

TEST(RunnerTest, BoundsStopTheRun) {
  RunOptions options;
  options.scheduler_limits.max_events = 10;
  const RunResult result = *RunScenario(Input(), options);
  EXPECT_EQ(result.status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(result.status.message(), HasSubstr("max_events=10"));
}

TEST(RunnerTest, BadInputsAreNamed) {
  absl::StatusOr<RunResult> bad_scenario =
      RunScenario(Input(R"(name: "x" duration: "soon")"), {});
  EXPECT_THAT(bad_scenario.status().message(),
              HasSubstr("runner.textproto:1:11: field \"duration\""));
  RunInput bad_namespace = Input();
  bad_namespace.namespace_json = "{\"clients\": 3}";
  EXPECT_THAT(RunScenario(bad_namespace, {}).status().message(),
              HasSubstr("ns.json: $.clients"));
  RunOptions options;
  NamedFault fault;
  fault.kind = FaultKind::kClientCrash;
  fault.clients = {"cars/car9"};
  options.faults = std::vector<NamedFault>{fault};
  EXPECT_THAT(RunScenario(Input(), options).status().message(),
              HasSubstr("the fleet has no client named \"cars/car9\""));
  options.missing_fault_targets = MissingNames::kDrop;
  EXPECT_EQ(RunScenario(Input(), options)->summary.faults_planned, 0u);
}

TEST(RunnerTest, QuietStartIsTheEndOfTheLastEffect) {
  FaultPlan plan;
  Fault partition;
  partition.at = 10 * kSecond;
  partition.duration = 30 * kSecond;
  Fault reset;
  reset.at = 20 * kSecond;
  plan.faults = {partition, reset};
  EXPECT_EQ(QuietStart(plan, kMinute), 40 * kSecond);
  EXPECT_EQ(QuietStart(plan, 30 * kSecond), 30 * kSecond);
  EXPECT_EQ(QuietStart({}, kMinute), 0);
}

}  // namespace
}  // namespace mqlab::sim
