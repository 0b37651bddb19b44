#include "sim/fleet.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/scenario_loader.h"

namespace mqlab::sim {
namespace {

using ::testing::ElementsAre;

constexpr char kScenario[] = R"txt(
name: "fleet"
duration: "1m"
event_grid_namespace { json: "{}" }
populations {
  name: "cars" count: 3 mqtt5_fraction: 0.5 authentication_name: "car{index:02}"
  registration {
    enabled: true
    attributes { key: "type" value { text: "car-{population}" } }
    attributes { key: "year" value { integer: 2020 } }
    attributes { key: "tags" value { texts { values: ["a{number}", "b"] } } }
    validation_scheme: THUMBPRINT_MATCH
  }
}
populations {
  name: "mgmt" count: 1 authentication_name: "Mgmt"
  sessions_per_client: 2 session_name: "Mgmt-Session{session_number}"
}
)txt";

Fleet Build(uint64_t seed = 1) {
  absl::StatusOr<scenario::Scenario> scenario = ParseScenario(kScenario, "x");
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  absl::StatusOr<Fleet> fleet = BuildFleet(*scenario, seed);
  EXPECT_TRUE(fleet.ok()) << fleet.status();
  return *std::move(fleet);
}

TEST(FleetTest, ClientsSessionsAndHosts) {
  const Fleet fleet = Build();
  ASSERT_EQ(fleet.clients.size(), 4u);
  EXPECT_EQ(fleet.clients[1].name, "cars/car01");
  EXPECT_EQ(fleet.clients[1].authentication_name, "car01");
  EXPECT_EQ(fleet.clients[3].name, "mgmt/Mgmt");
  EXPECT_EQ(fleet.clients[3].first_session, 3u);
  EXPECT_EQ(fleet.clients[3].session_count, 2u);
  ASSERT_EQ(fleet.sessions.size(), 5u);
  EXPECT_EQ(fleet.sessions[0].client_id, "car00");
  EXPECT_EQ(fleet.sessions[4].client_id, "Mgmt-Session2");
  EXPECT_EQ(fleet.sessions[4].client, 3u);
  EXPECT_EQ(fleet.layout.broker_host, 0u);
  EXPECT_THAT(fleet.layout.client_hosts, ElementsAre(1, 2, 3, 4));
  ASSERT_EQ(fleet.layout.populations.size(), 2u);
  EXPECT_EQ(fleet.layout.populations[1].first_client, 3u);
  EXPECT_EQ(fleet.FindClient("cars/car02"), 2u);
  EXPECT_EQ(fleet.FindClient("car02"), std::nullopt);
}

TEST(FleetTest, Registrations) {
  const Fleet fleet = Build();
  ASSERT_EQ(fleet.registrations.size(), 3u);
  const broker::ClientResource& car = fleet.registrations[2];
  EXPECT_EQ(car.name, "car02");
  EXPECT_EQ(car.authentication_name, "car02");
  EXPECT_EQ(car.validation_scheme, broker::ValidationScheme::kThumbprintMatch);
  EXPECT_EQ(std::get<std::string>(car.attributes.at("type")), "car-cars");
  EXPECT_EQ(std::get<int64_t>(car.attributes.at("year")), 2020);
  EXPECT_THAT(std::get<std::vector<std::string>>(car.attributes.at("tags")),
              ElementsAre("a3", "b"));
}

TEST(FleetTest, VersionsAreDrawnPerSeedAndPopulation) {
  int mqtt5 = 0;
  bool differs = false;
  const Fleet first = Build(1);
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const Fleet fleet = Build(seed);
    for (int i = 0; i < 3; ++i) {
      mqtt5 += fleet.clients[i].version == mqtt::Version::kV5;
      differs |= fleet.clients[i].version != first.clients[i].version;
    }
    // mqtt5_fraction defaults to 1.
    EXPECT_EQ(fleet.clients[3].version, mqtt::Version::kV5);
  }
  EXPECT_TRUE(differs);
  EXPECT_GT(mqtt5, 10);
  EXPECT_LT(mqtt5, 50);
  EXPECT_EQ(Build(7).clients[0].version, Build(7).clients[0].version);
}

}  // namespace
}  // namespace mqlab::sim
