// Every scenario under scenarios/ (benchmarks included) loads and
// validates, and the ones the issue asks for are there.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "sim/scenario_loader.h"
#include "sim/scenario_settings.h"

namespace mqlab::sim {
namespace {

std::string Read(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

TEST(ShippedScenariosTest, EveryScenarioLoads) {
  std::set<std::string> names;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator("scenarios")) {
    if (entry.path().extension() != ".textproto") continue;
    const std::string source = entry.path().string();
    const absl::StatusOr<scenario::Scenario> scenario =
        ParseScenario(Read(entry.path()), source);
    ASSERT_TRUE(scenario.ok()) << scenario.status();
    EXPECT_TRUE(names.insert(scenario->name()).second)
        << source << " repeats the name " << scenario->name();
    EXPECT_GT(RunLength(*scenario), 0);
  }
  for (const char* required :
       {"default", "telemetry", "command", "alert", "multi-session",
        "session-takeover", "limits", "client-deletion", "offline-overflow",
        "network-faults"}) {
    EXPECT_TRUE(names.contains(required)) << "missing scenario " << required;
  }
}

TEST(ShippedScenariosTest, TheDefaultFleetRunsUnderSwarmFaults) {
  const absl::StatusOr<scenario::Scenario> scenario = ParseScenario(
      Read("scenarios/default.textproto"), "scenarios/default.textproto");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  EXPECT_TRUE(scenario->faults().swarm().enabled());
  EXPECT_GE(scenario->populations_size(), 5);
}

}  // namespace
}  // namespace mqlab::sim
