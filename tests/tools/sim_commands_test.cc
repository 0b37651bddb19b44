// The simulator commands (run, replay, shrink, sweep's seed ranges) as
// functions, with a scripted workload that fails on client crashes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "nlohmann/json.hpp"
#include "tests/sim/scripted_workload.h"
#include "tools/replay_command.h"
#include "tools/run_command.h"
#include "tools/shrink_command.h"
#include "tools/sweep_command.h"

namespace mqlab::tools {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

constexpr char kScenario[] = R"txt(
name: "crashes"
duration: "5m"
event_grid_namespace { json: "{}" }
populations { name: "cars" count: 8 authentication_name: "car{index}" }
faults {
  events { at: "20s" latency_spike { targets { broker: true } extra: "1s"
                                     duration: "10s" } }
  events { at: "1m" client_crash { targets { population: "cars" indexes: 3 }
                                   restore_after: "10s" } }
  events { at: "2m" reset_connections { targets { population: "cars" } } }
}
)txt";

class SimCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(std::getenv("TEST_TMPDIR")) /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::create_directories(dir_);
    scenario_ = (dir_ / "crashes.textproto").string();
    std::ofstream(scenario_) << kScenario;
  }

  // Runs the scenario with the crash-sensitive workload; returns the exit
  // code and fills out_.
  int Run(const sim::WorkloadFactory& workload) {
    RunCommandOptions options;
    options.scenario = scenario_;
    options.seed = 5;
    options.replay_dir = (dir_ / "replays").string();
    options.report_dir = (dir_ / "report").string();
    options.git_commit = "cafe";
    options.progress = false;
    out_.str("");
    return RunRunCommand(options, workload, out_, err_);
  }

  std::string ReplayPath() const {
    return (dir_ / "replays" / "crashes-seed5.replay.json").string();
  }

  std::filesystem::path dir_;
  std::string scenario_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(SimCommandsTest, RunWritesAReplayFileOnViolations) {
  EXPECT_EQ(Run(sim::testing::Scripted()), kRunViolations);
  const std::string out = out_.str();
  EXPECT_THAT(out, HasSubstr("mqlab run: scenario \"crashes\""));
  EXPECT_THAT(out,
              HasSubstr("first violation: t=60s "
                        "single-connection-per-session/broker-reports-two"));
  EXPECT_THAT(out, HasSubstr("replay file: " + ReplayPath()));
  EXPECT_THAT(out, MatchesRegex("(.|\n)*\ntrace_hash=[0-9a-f]{16}\n"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "report" / "report.html"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "report" / "report.json"));
  const nlohmann::json replay =
      nlohmann::json::parse(*ReadTextFile(ReplayPath()));
  EXPECT_EQ(replay["seed"], 5);
  EXPECT_EQ(replay["git_commit"], "cafe");
  EXPECT_EQ(replay["scenario"]["text"], kScenario);
  EXPECT_EQ(replay["faults"].size(), 3u);
  EXPECT_EQ(replay["violation"]["rule"], "broker-reports-two");
}

TEST_F(SimCommandsTest, RunWithoutAWorkloadSaysSo) {
  EXPECT_EQ(Run(sim::WorkloadFactory()), kRunPassed);
  EXPECT_THAT(out_.str(), HasSubstr("note: no workload"));
  EXPECT_FALSE(std::filesystem::exists(ReplayPath()));
}

TEST_F(SimCommandsTest, ReplayReproducesOrSaysWhatChanged) {
  ASSERT_EQ(Run(sim::testing::Scripted()), kRunViolations);
  ReplayCommandOptions options;
  options.file = ReplayPath();
  options.progress = false;
  options.trace_lines = 3;
  std::ostringstream out;
  EXPECT_EQ(RunReplayCommand(options, sim::testing::Scripted(), out, err_),
            kReplayReproduced);
  EXPECT_THAT(out.str(),
              HasSubstr("3 recorded faults, written at commit cafe"));
  EXPECT_THAT(out.str(), HasSubstr("violation: recurred, identical"));
  EXPECT_THAT(out.str(), HasSubstr("trace hash: same"));
  EXPECT_THAT(out.str(), HasSubstr("trace: "));

  // The bug is gone: the violation does not recur.
  std::ostringstream fixed;
  EXPECT_EQ(RunReplayCommand(options, sim::testing::Scripted(99), fixed, err_),
            kReplayNotRecurred);
  EXPECT_THAT(fixed.str(), HasSubstr("violation: did not recur"));

  // Another trace: the code changed, the violation stays.
  nlohmann::json replay = nlohmann::json::parse(*ReadTextFile(ReplayPath()));
  replay["trace_hash"] = "0000000000000001";
  std::ofstream(ReplayPath()) << replay.dump();
  std::ostringstream changed;
  EXPECT_EQ(RunReplayCommand(options, sim::testing::Scripted(), changed, err_),
            kReplayTraceDiffers);
  EXPECT_THAT(changed.str(),
              HasSubstr("trace hash: differs: recorded 0000000000000001"));
}

TEST_F(SimCommandsTest, ShrinkKeepsTheCrash) {
  ASSERT_EQ(Run(sim::testing::Scripted()), kRunViolations);
  ShrinkCommandOptions options;
  options.file = ReplayPath();
  options.progress = false;
  std::ostringstream out;
  EXPECT_EQ(RunShrinkCommand(options, sim::testing::Scripted(), out, err_),
            kRunPassed)
      << err_.str();
  const std::string shrunk = ShrunkReplayPath(ReplayPath());
  EXPECT_THAT(out.str(), HasSubstr("removed: faults: 3 -> 1"));
  EXPECT_THAT(out.str(), HasSubstr("removed: population cars: 8 -> 4 clients"));
  EXPECT_THAT(out.str(), HasSubstr("smallest replay file: " + shrunk));
  const nlohmann::json replay = nlohmann::json::parse(*ReadTextFile(shrunk));
  ASSERT_EQ(replay["faults"].size(), 1u);
  EXPECT_EQ(replay["faults"][0]["kind"], "client-crash");
  EXPECT_EQ(replay["faults"][0]["clients"][0], "cars/car3");

  ReplayCommandOptions replay_options;
  replay_options.file = shrunk;
  replay_options.progress = false;
  std::ostringstream again;
  EXPECT_EQ(
      RunReplayCommand(replay_options, sim::testing::Scripted(), again, err_),
      kReplayReproduced);
  EXPECT_THAT(again.str(), HasSubstr("shrunk: faults: 3 -> 1"));
}

TEST_F(SimCommandsTest, BadInputs) {
  RunCommandOptions options;
  options.scenario = (dir_ / "missing.textproto").string();
  std::ostringstream err;
  EXPECT_EQ(RunRunCommand(options, {}, out_, err), kRunBadInput);
  EXPECT_THAT(err.str(), HasSubstr("cannot open " + options.scenario));

  std::ofstream(scenario_) << "name: \"x\" duration: \"soon\"";
  std::ostringstream bad_scenario;
  options.scenario = scenario_;
  EXPECT_EQ(RunRunCommand(options, {}, out_, bad_scenario), kRunBadInput);
  EXPECT_THAT(bad_scenario.str(), HasSubstr(scenario_ + ":1:11: field"));

  const std::string replay = (dir_ / "bad.json").string();
  std::ofstream(replay) << "{\"format\": \"mqlab-replay\"}";
  ReplayCommandOptions replay_options;
  replay_options.file = replay;
  std::ostringstream bad_replay;
  EXPECT_EQ(RunReplayCommand(replay_options, {}, out_, bad_replay),
            kRunBadInput);
  EXPECT_THAT(bad_replay.str(), HasSubstr(replay + ": $.version"));

  // A scenario whose namespace file is missing.
  std::ofstream(scenario_) << "name: \"x\" duration: \"1m\" "
                              "event_grid_namespace { json_file: \"ns.json\" } "
                              "populations { name: \"a\" count: 1 "
                              "authentication_name: \"a\" }";
  EXPECT_THAT(std::string(ReadRunInput(scenario_).status().message()),
              HasSubstr("field \"json_file\": cannot open " +
                        (dir_ / "ns.json").string()));
}

TEST_F(SimCommandsTest, PathsInsideTheCheckoutAreRecordedRelativeToIt) {
  std::filesystem::create_directories(dir_ / "scenarios" / "namespaces");
  std::ofstream(dir_ / "scenarios" / "namespaces" / "ns.json") << "{}";
  const std::string scenario = (dir_ / "scenarios" / "x.textproto").string();
  std::ofstream(scenario) << "name: \"x\" duration: \"1m\" "
                             "event_grid_namespace { json_file: "
                             "\"namespaces/ns.json\" } "
                             "populations { name: \"a\" count: 1 "
                             "authentication_name: \"a\" }";
  ASSERT_EQ(setenv(kCheckoutVariable, dir_.c_str(), 1), 0);
  absl::StatusOr<sim::RunInput> input = ReadRunInput(scenario);
  ASSERT_TRUE(input.ok()) << input.status();
  EXPECT_EQ(input->scenario_path, "scenarios/x.textproto");
  EXPECT_EQ(input->namespace_source, "scenarios/namespaces/ns.json");

  // Outside the checkout, a path stays as given.
  ASSERT_EQ(setenv(kCheckoutVariable, "/nonexistent-checkout", 1), 0);
  input = ReadRunInput(scenario);
  ASSERT_TRUE(input.ok()) << input.status();
  EXPECT_EQ(input->scenario_path, scenario);
  ASSERT_EQ(unsetenv(kCheckoutVariable), 0);
}

TEST(SweepSeedsTest, Ranges) {
  EXPECT_EQ(ParseSeedRange("7")->first, 7u);
  EXPECT_EQ(ParseSeedRange("7")->count(), 1u);
  EXPECT_EQ(ParseSeedRange("3-10")->count(), 8u);
  EXPECT_FALSE(ParseSeedRange("10-3").ok());
  EXPECT_FALSE(ParseSeedRange("x").ok());
  EXPECT_FALSE(ParseSeedRange("1-").ok());
  EXPECT_THAT(std::string(ParseSeedRange("1-2000000").status().message()),
              HasSubstr("at most 1000000 seeds"));
  EXPECT_EQ(ShrunkReplayPath("a/x.replay.json"), "a/x.replay.shrunk.json");
  EXPECT_EQ(ShrunkReplayPath("x"), "x.shrunk.json");
}

}  // namespace
}  // namespace mqlab::tools
