#include "sim/shrinker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "sim/duration_text.h"
#include "sim/scenario_loader.h"
#include "tests/sim/scripted_workload.h"

namespace mqlab::sim {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kScenario[] = R"txt(
name: "shrink"
duration: "16m"
event_grid_namespace { json: "{}" }
populations { name: "cars" count: 64 authentication_name: "car{index}"
  behaviours { telemetry { topic: "t/{auth}" rate_per_second: 8 } }
  behaviours { subscriber { filters: "t/#" } } }
populations { name: "apps" count: 8 authentication_name: "app{index}"
  behaviours { broadcaster { topic: "t/all" rate_per_second: 1 } } }
faults { swarm { enabled: true } }
)txt";

ShrinkCandidate Start(int faults) {
  ShrinkCandidate candidate{*ParseScenario(kScenario, "shrink"), {}};
  for (int i = 0; i < faults; ++i) {
    NamedFault fault;
    fault.at = (i + 1) * kSecond;
    fault.kind = FaultKind::kClientCrash;
    fault.clients = {absl::StrCat("cars/car", i)};
    candidate.faults.push_back(fault);
  }
  return candidate;
}

bool HasFault(const ShrinkCandidate& candidate, int i) {
  return std::any_of(
      candidate.faults.begin(), candidate.faults.end(),
      [&](const NamedFault& fault) { return fault.at == (i + 1) * kSecond; });
}

TEST(ShrinkTest, DeltaDebuggingFindsTheTwoFaultsThatMatter) {
  // Fails when faults 3 and 11 are both there; needs at least one car and a
  // minute of run; indifferent to the rest.
  const FailureOracle oracle = [](const ShrinkCandidate& c) {
    return HasFault(c, 3) && HasFault(c, 11) &&
           c.scenario.populations(0).count() >= 1 &&
           *ParseDuration(c.scenario.duration()) >= kMinute;
  };
  const ShrinkResult result = Shrink(Start(20), {}, oracle);
  ASSERT_EQ(result.smallest.faults.size(), 2u);
  EXPECT_TRUE(HasFault(result.smallest, 3));
  EXPECT_TRUE(HasFault(result.smallest, 11));
  EXPECT_EQ(result.smallest.scenario.populations(0).count(), 1u);
  EXPECT_EQ(result.smallest.scenario.populations(1).count(), 1u);
  EXPECT_EQ(result.smallest.scenario.duration(), "60s");
  EXPECT_EQ(result.smallest.scenario.populations(0).behaviours_size(), 0);
  EXPECT_FALSE(result.smallest.scenario.has_faults());
  EXPECT_FALSE(result.attempts_exhausted);
  EXPECT_THAT(result.removed,
              ElementsAre("faults: 20 -> 2", "population cars: 64 -> 1 client",
                          "population apps: 8 -> 1 client",
                          "behaviour removed: telemetry of population cars",
                          "behaviour removed: subscriber of population cars",
                          "behaviour removed: broadcaster of population apps",
                          // No rate is left to halve.
                          "duration: 16m -> 60s"));
}

TEST(ShrinkTest, KeepsWhatTheFailureNeeds) {
  // Needs 5 cars, the telemetry behaviour and a rate of at least 2/s.
  const FailureOracle oracle = [](const ShrinkCandidate& c) {
    const auto& cars = c.scenario.populations(0);
    return cars.count() >= 5 && cars.behaviours_size() > 0 &&
           cars.behaviours(0).has_telemetry() &&
           cars.behaviours(0).telemetry().rate_per_second() >= 2;
  };
  const ShrinkResult result = Shrink(Start(3), {}, oracle);
  EXPECT_TRUE(result.smallest.faults.empty());
  EXPECT_EQ(result.smallest.scenario.populations(0).count(), 8u);
  EXPECT_EQ(result.smallest.scenario.populations(0).behaviours_size(), 1);
  EXPECT_EQ(result.smallest.scenario.populations(0)
                .behaviours(0)
                .telemetry()
                .rate_per_second(),
            2);
  EXPECT_THAT(result.removed, Contains("message rates: divided by 4"));
}

TEST(ShrinkTest, AttemptsAreBounded) {
  int calls = 0;
  const FailureOracle oracle = [&](const ShrinkCandidate&) {
    ++calls;
    return true;
  };
  ShrinkOptions options;
  options.max_attempts = 5;
  const ShrinkResult result = Shrink(Start(20), options, oracle);
  EXPECT_EQ(calls, 5);
  EXPECT_EQ(result.attempts, 5u);
  EXPECT_TRUE(result.attempts_exhausted);
}

constexpr char kRunScenario[] = R"txt(
name: "crashes"
duration: "8m"
event_grid_namespace { json: "{}" }
populations { name: "cars" count: 16 authentication_name: "car{index}" }
faults {
  swarm { enabled: true kinds: [CLIENT_CRASH, RESET_CONNECTIONS, LATENCY_SPIKE]
          kind_probability: 1 warmup: "10s" final_quiet: "1m"
          min_mean_interval: "5s" max_mean_interval: "10s" }
}
)txt";

TEST(ShrinkReplayTest, ShrinksARealRunToTheFaultsThatMatter) {
  // The scripted workload fails on the third crash.
  RunOptions options;
  options.seed = 11;
  options.workload = testing::Scripted(3);
  const RunInput input{"crashes.textproto", kRunScenario, "ns", "{}"};
  const RunResult run = *RunScenario(input, options);
  ASSERT_FALSE(run.violations.empty());
  ASSERT_GT(run.faults_taken.size(), 10u);
  const ReplayFile replay = MakeReplayFile(input, options, run, "abc");

  ShrinkResult details;
  const absl::StatusOr<ReplayFile> smallest =
      ShrinkReplay(replay, {}, testing::Scripted(3), &details);
  ASSERT_TRUE(smallest.ok()) << smallest.status();
  ASSERT_EQ(smallest->faults.size(), 3u);
  for (const NamedFault& fault : smallest->faults) {
    EXPECT_EQ(fault.kind, FaultKind::kClientCrash);
  }
  ASSERT_TRUE(smallest->violation.has_value());
  EXPECT_TRUE(smallest->violation->SameFailure(*replay.violation));
  EXPECT_EQ(smallest->git_commit, "abc");
  EXPECT_THAT(smallest->shrunk.front(), HasSubstr("faults: "));
  EXPECT_THAT(smallest->input.scenario_text, HasSubstr("name: \"crashes\""));

  // The smallest file replays to the same hash.
  RunOptions again;
  again.seed = smallest->seed;
  again.faults = smallest->faults;
  again.workload = testing::Scripted(3);
  EXPECT_EQ(RunScenario(smallest->input, again)->summary.trace_hash,
            smallest->trace_hash);
}

TEST(ShrinkReplayTest, NothingToShrink) {
  ReplayFile replay;
  replay.input = {"x", kRunScenario, "ns", "{}"};
  EXPECT_EQ(ShrinkReplay(replay, {}, testing::Scripted()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  replay.violation = Violation{};
  replay.violation->rule = "broker-reports-two";
  replay.violation->checker = CheckerKind::kSingleConnectionPerSession;
  // No faults recorded: the run does not fail.
  EXPECT_THAT(ShrinkReplay(replay, {}, testing::Scripted()).status().message(),
              HasSubstr("no longer fails"));
}

}  // namespace
}  // namespace mqlab::sim
