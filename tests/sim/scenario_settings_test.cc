#include "sim/scenario_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "sim/scenario_loader.h"

namespace mqlab::sim {

void PrintTo(const Fault& fault, std::ostream* out) {
  *out << DescribeFault(fault);
}

namespace {

using ::testing::ElementsAre;

constexpr char kScenario[] = R"txt(name: "settings"
duration: "10m"
event_grid_namespace { json: "{}" }
network { receive_window_bytes: 1000 write_blocked_high_water: 900
          write_blocked_low_water: 100 connect_timeout: "3s" }
broker { network_profile: "dc" backlog: 5 accepts_per_second: 50 }
network_profiles { name: "dc" latency { fixed: "1ms" } }
network_profiles {
  name: "cell"
  latency { log_normal { floor: "5ms" median: "40ms" sigma: 0.5 max: "2s" } }
  bandwidth_bytes_per_second: 125000
  max_segment_bytes: 500
  split_chance: 0.75
}
populations { name: "cars" count: 4 authentication_name: "car{index}" }
populations { name: "apps" count: 3 authentication_name: "app{index}" }
faults {
  events { at: "20s" partition { side_a { population: "apps" indexes: 1 }
                                 side_b { broker: true } duration: "5s" } }
  events { at: "10s" client_crash { targets { population: "cars" random_count: 2 }
                                    restore_after: "30s" } }
  events { at: "30s" slow_reader { targets { broker: true }
                                   bytes_per_second: 1000 duration: "1m" } }
}
)txt";

scenario::Scenario Load(const std::string& text) {
  absl::StatusOr<scenario::Scenario> scenario = ParseScenario(text, "x");
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  return *scenario;
}

FleetLayout Layout() {
  FleetLayout layout;
  layout.broker_host = 0;
  layout.populations = {{"cars", 0, 4}, {"apps", 4, 3}};
  for (HostId host = 1; host <= 7; ++host) layout.client_hosts.push_back(host);
  return layout;
}

TEST(ScenarioSettingsTest, NetworkAndBrokerSettings) {
  const scenario::Scenario scenario = Load(kScenario);
  EXPECT_EQ(RunLength(scenario), 10 * kMinute);
  const NetworkOptions options = NetworkOptionsFor(scenario);
  EXPECT_EQ(options.receive_window_bytes, 1000u);
  EXPECT_EQ(options.write_blocked_high_water, 900u);
  EXPECT_EQ(options.write_blocked_low_water, 100u);
  EXPECT_EQ(options.connect_timeout, 3 * kSecond);
  EXPECT_EQ(options.retransmission_timeout, 30 * kSecond);  // The default.
  const ListenOptions listen = BrokerListenOptions(scenario);
  EXPECT_EQ(listen.backlog, 5u);
  EXPECT_EQ(listen.accepts_per_second, 50u);
}

TEST(ScenarioSettingsTest, LinkProfiles) {
  const scenario::Scenario scenario = Load(kScenario);
  const LinkProfile cell = LinkProfileFor(scenario, "cell");
  EXPECT_EQ(cell.latency.ToString(), "lognormal 5ms+40ms sigma=0.5 max=2s");
  EXPECT_EQ(cell.bandwidth_bytes_per_second, 125000);
  EXPECT_EQ(cell.max_segment_bytes, 500u);
  EXPECT_EQ(cell.split_chance, 0.75);
  const LinkProfile dc = LinkProfileFor(scenario, "dc");
  EXPECT_EQ(dc.latency.ToString(), "fixed 1ms");
  EXPECT_EQ(dc.max_segment_bytes, 1460u);
  EXPECT_EQ(LinkProfileFor(scenario, "").latency.ToString(), "fixed 0s");
}

TEST(ScenarioSettingsTest, ExplicitFaultsGetConcreteTargetsInTimeOrder) {
  const scenario::Scenario scenario = Load(kScenario);
  const FaultPlan plan = FaultPlanFor(scenario, Layout(), 1, nullptr);
  ASSERT_EQ(plan.faults.size(), 3u);
  EXPECT_EQ(plan.faults[0].kind, FaultKind::kClientCrash);
  EXPECT_EQ(plan.faults[0].at, 10 * kSecond);
  EXPECT_EQ(plan.faults[0].duration, 30 * kSecond);
  ASSERT_EQ(plan.faults[0].clients.size(), 2u);
  for (uint32_t client : plan.faults[0].clients) EXPECT_LT(client, 4u);
  EXPECT_EQ(plan.faults[1].kind, FaultKind::kPartition);
  EXPECT_THAT(plan.faults[1].hosts, ElementsAre(6u));  // apps[1] = client 5.
  EXPECT_THAT(plan.faults[1].other_hosts, ElementsAre(0u));
  EXPECT_EQ(plan.faults[2].kind, FaultKind::kSlowReader);
  EXPECT_EQ(plan.faults[2].amount, 1000);
  EXPECT_THAT(plan.faults[2].hosts, ElementsAre(0u));
  // Random targets follow the seed.
  EXPECT_EQ(FaultPlanFor(scenario, Layout(), 1, nullptr), plan);
  bool differs = false;
  for (uint64_t seed = 2; seed < 20 && !differs; ++seed) {
    differs =
        FaultPlanFor(scenario, Layout(), seed, nullptr).faults[0].clients !=
        plan.faults[0].clients;
  }
  EXPECT_TRUE(differs);
}

TEST(ScenarioSettingsTest, SwarmFaultsJoinTheExplicitOnes) {
  std::string text = kScenario;
  text.insert(text.rfind('}'),
              "  swarm { enabled: true kinds: PARTITION kinds: CLIENT_CRASH "
              "kind_probability: 1 min_mean_interval: \"5s\" "
              "max_mean_interval: \"5s\" }\n");
  const scenario::Scenario scenario = Load(text);
  SwarmChoice choice;
  const FaultPlan plan = FaultPlanFor(scenario, Layout(), 3, &choice);
  EXPECT_GT(plan.faults.size(), 20u);
  ASSERT_EQ(choice.enabled.size(), 2u);
  EXPECT_EQ(choice.enabled[0].kind, FaultKind::kPartition);
  EXPECT_EQ(choice.enabled[1].kind, FaultKind::kClientCrash);
  for (size_t i = 1; i < plan.faults.size(); ++i) {
    EXPECT_LE(plan.faults[i - 1].at, plan.faults[i].at);
  }
}

TEST(ScenarioSettingsTest, SwarmDefaultsAndOneSidedRanges) {
  scenario::Swarm swarm;
  swarm.set_min_active("5m");  // Above the default max_active (2m).
  swarm.set_max_faults(7);
  const SwarmOptions options = SwarmOptionsFor(swarm);
  EXPECT_EQ(options.min_active, 5 * kMinute);
  EXPECT_EQ(options.max_active, 5 * kMinute);
  EXPECT_EQ(options.max_faults, 7u);
  EXPECT_EQ(options.kind_probability, 0.5);
  EXPECT_TRUE(options.kinds.empty());
}

}  // namespace
}  // namespace mqlab::sim
