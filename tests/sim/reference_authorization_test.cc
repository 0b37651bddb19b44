#include "sim/reference_authorization.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace mqlab::sim {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

broker::ClientResource Client() {
  broker::ClientResource client;
  client.name = "vehicle01";
  client.authentication_name = "Vehicle01";
  client.attributes["type"] = std::string("vehicle");
  client.attributes["floor"] = int64_t{3};
  client.attributes["sensors"] = std::vector<std::string>{"gps", "speed"};
  client.attributes["bad"] = std::string("a/b");
  return client;
}

TEST(ReferenceMatchesTest, LevelByLevel) {
  EXPECT_TRUE(ReferenceMatches("a/+/c", "a/b/c"));
  EXPECT_TRUE(ReferenceMatches("a/#", "a"));
  EXPECT_TRUE(ReferenceMatches("a/#", "a/b/c"));
  EXPECT_TRUE(ReferenceMatches("#", "a/b"));
  EXPECT_TRUE(ReferenceMatches("a//b", "a//b"));
  EXPECT_TRUE(ReferenceMatches("+/+", "/x"));
  EXPECT_FALSE(ReferenceMatches("a/+", "a/b/c"));
  EXPECT_FALSE(ReferenceMatches("a/b", "a"));
  EXPECT_FALSE(ReferenceMatches("#", "$SYS/x"));
  EXPECT_FALSE(ReferenceMatches("+/x", "$SYS/x"));
  EXPECT_TRUE(ReferenceMatches("$SYS/#", "$SYS/x"));
}

TEST(ReferenceCoversTest, EveryTopicOfTheFilterMatchesTheGrant) {
  EXPECT_TRUE(ReferenceCovers("a/#", "a/b/+"));
  EXPECT_TRUE(ReferenceCovers("a/#", "a"));
  EXPECT_TRUE(ReferenceCovers("a/#", "a/#"));
  EXPECT_TRUE(ReferenceCovers("a/+/c", "a/b/c"));
  EXPECT_TRUE(ReferenceCovers("a/+/c", "a/+/c"));
  EXPECT_TRUE(ReferenceCovers("#", "+/x"));
  EXPECT_FALSE(ReferenceCovers("a/+", "a/#"));
  EXPECT_FALSE(ReferenceCovers("a/b", "a/+"));
  EXPECT_FALSE(ReferenceCovers("a/+/c", "a/+"));
  EXPECT_FALSE(ReferenceCovers("a/b/#", "a/#"));
  EXPECT_FALSE(ReferenceCovers("#", "$SYS/#"));
  EXPECT_FALSE(ReferenceCovers("+/#", "$SYS/x"));
}

TEST(ReferenceQueryTest, Comparisons) {
  const broker::ClientResource client = Client();
  const struct {
    const char* query;
    bool matches;
  } cases[] = {
      {"attributes.type = 'vehicle'", true},
      {"attributes.type = \"vehicle\"", true},
      {"attributes.type = 'Vehicle'", false},
      {"attributes.type != 'drone'", true},
      {"attributes.type <> 'vehicle'", false},
      {"attributes.missing != 'x'", false},
      {"attributes.missing = 'x'", false},
      {"attributes.floor <= 5", true},
      {"attributes.floor > 3", false},
      {"attributes.floor >= 3", true},
      {"attributes.floor < -1", false},
      {"attributes.floor = 3", true},
      {"attributes.floor = '3'", false},
      {"attributes.type < 5", false},
      {"attributes.sensors = 'gps'", true},
      {"attributes.sensors IN ['lidar', 'speed']", true},
      {"attributes.sensors in ['lidar']", false},
      {"attributes.sensors != 'gps'", false},
      {"authenticationName = 'VEHICLE01'", true},
      {"authenticationName IN ['x', 'vehicle01']", true},
      {"authenticationName < 3", false},
      {"attributes.type = 'x' or attributes.floor = 3", true},
      {"attributes.type = 'x' or attributes.floor = 3 and attributes.floor = 4",
       false},
      {"(attributes.type = 'x' or attributes.floor = 3) AND "
       "attributes.type = 'vehicle'",
       true},
      {"attributes.type = 'it''s'", false},
      // Malformed: never a member.
      {"attributes.type = ", false},
      {"attributes.type = 'vehicle' and", false},
      {"(attributes.type = 'vehicle'", false},
      {"type = 'vehicle'", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ReferenceQueryMatches(c.query, client), c.matches) << c.query;
  }
  broker::ClientResource quoted = client;
  quoted.attributes["type"] = std::string("it's");
  EXPECT_TRUE(ReferenceQueryMatches("attributes.type = 'it''s'", quoted));
}

broker::NamespaceConfig Namespace() {
  broker::NamespaceConfig config;
  config.client_groups = {{"vehicles", "attributes.type = 'vehicle'", ""},
                          {"drones", "attributes.type = 'drone'", ""}};
  config.topic_spaces = {
      {"own",
       {"v/${client.authenticationName}/#", "f/${client.attributes.floor}/+",
        "s/${client.attributes.sensors}", "b/${client.attributes.bad}",
        "m/${client.attributes.missing}", "x/${client.authenticationName}.y"},
       ""},
      {"alerts", {"alerts/#"}, ""}};
  config.permission_bindings = {
      {"p", "vehicles", "own", broker::Permission::kPublisher, ""},
      {"s", "$all", "alerts", broker::Permission::kSubscriber, ""},
      {"d", "drones", "own", broker::Permission::kSubscriber, ""}};
  return config;
}

TEST(ReferenceAuthorizationTest, TemplatesExpandPerClient) {
  const std::vector<broker::ClientResource> registrations = {Client()};
  ReferenceAuthorization authorization(Namespace(), registrations);
  const auto& grants = authorization.GrantsFor("vehicle01");
  // Arrays, values with '/', and missing attributes grant nothing.
  EXPECT_THAT(grants.publish,
              ElementsAre("v/Vehicle01/#", "f/3/+", "x/Vehicle01.y"));
  EXPECT_THAT(grants.subscribe, ElementsAre("alerts/#"));
  EXPECT_TRUE(authorization.MayPublish("VEHICLE01", "v/Vehicle01/gps"));
  EXPECT_FALSE(authorization.MayPublish("vehicle01", "v/vehicle01/gps"));
  EXPECT_TRUE(authorization.MayPublish("vehicle01", "f/3/x"));
  EXPECT_FALSE(authorization.MayPublish("vehicle01", "alerts/x"));
  EXPECT_TRUE(authorization.MaySubscribe("vehicle01", "alerts/+/x"));
  EXPECT_FALSE(authorization.MaySubscribe("vehicle01", "#"));
}

TEST(ReferenceAuthorizationTest, UnknownAndDisabledClientsGetNothing) {
  broker::ClientResource disabled = Client();
  disabled.state = broker::ClientState::kDisabled;
  const std::vector<broker::ClientResource> registrations = {disabled};
  ReferenceAuthorization authorization(Namespace(), registrations);
  EXPECT_THAT(authorization.GrantsFor("vehicle01").subscribe, IsEmpty());
  EXPECT_FALSE(authorization.MaySubscribe("stranger", "alerts/x"));
}

}  // namespace
}  // namespace mqlab::sim
