#include "broker/authorization.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mqlab::broker {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

ClientResource Client(std::string name, std::string type) {
  ClientResource client;
  client.name = name;
  client.authentication_name = std::move(name);
  client.attributes["type"] = std::move(type);
  return client;
}

std::vector<TopicTemplate> Templates(std::vector<std::string_view> texts) {
  std::vector<TopicTemplate> templates;
  for (std::string_view text : texts) {
    templates.push_back(*TopicTemplate::Parse(text));
  }
  return templates;
}

TEST(AuthorizationTest, TelemetrySampleAllClientsPublishAndSubscribe) {
  // Azure's telemetry sample: $all is Publisher and Subscriber of vehicles/#.
  const std::vector<TopicTemplate> vehicles = Templates({"vehicles/#"});
  const PermissionGrant grants[] = {
      {Permission::kPublisher, nullptr, vehicles},
      {Permission::kSubscriber, nullptr, vehicles},
  };
  const auto map_app =
      CompileClientPermissions(Client("map-app", "map-client"), grants);
  EXPECT_TRUE(map_app->CanSubscribe("vehicles/+/position"));
  EXPECT_TRUE(map_app->CanSubscribe("vehicles/#"));
  EXPECT_TRUE(map_app->CanSubscribe("vehicles"));
  EXPECT_FALSE(map_app->CanSubscribe("#"));
  EXPECT_FALSE(map_app->CanSubscribe("+/position"));
  const auto vehicle =
      CompileClientPermissions(Client("vehicle01", "vehicle"), grants);
  EXPECT_TRUE(vehicle->CanPublish("vehicles/vehicle01/position"));
  EXPECT_TRUE(vehicle->CanPublish("vehicles"));
  EXPECT_FALSE(vehicle->CanPublish("trucks/vehicle01/position"));
}

TEST(AuthorizationTest, CommandSampleTemplateDoesNotCoverItsOwnTopics) {
  // The sample publishes to .../command/... but grants .../commands/#.
  const std::vector<TopicTemplate> commands =
      Templates({"vehicles/+/commands/#"});
  const PermissionGrant grants[] = {
      {Permission::kPublisher, nullptr, commands},
      {Permission::kSubscriber, nullptr, commands},
  };
  const auto app =
      CompileClientPermissions(Client("mobile-app", "app"), grants);
  EXPECT_FALSE(app->CanPublish("vehicles/vehicle03/command/unlock/request"));
  EXPECT_TRUE(app->CanPublish("vehicles/vehicle03/commands/unlock/request"));
  EXPECT_FALSE(app->CanSubscribe("vehicles/vehicle03/command/unlock/response"));
  EXPECT_TRUE(app->CanSubscribe("vehicles/vehicle03/commands/unlock/response"));
}

TEST(AuthorizationTest, GroupsSelectClientsAndVariablesSelectTopics) {
  const ClientGroupQuery vehicles_group =
      *ClientGroupQuery::Parse("attributes.type = 'vehicle'");
  const std::vector<TopicTemplate> own =
      Templates({"vehicles/${client.authenticationName}/#"});
  const std::vector<TopicTemplate> alerts = Templates({"alerts/#"});
  const PermissionGrant grants[] = {
      {Permission::kPublisher, &vehicles_group, own},
      {Permission::kSubscriber, nullptr, alerts},
  };
  const auto vehicle =
      CompileClientPermissions(Client("vehicle01", "vehicle"), grants);
  EXPECT_TRUE(vehicle->CanPublish("vehicles/vehicle01/position"));
  EXPECT_FALSE(vehicle->CanPublish("vehicles/vehicle02/position"));
  EXPECT_FALSE(vehicle->CanPublish("alerts/weather"));
  EXPECT_TRUE(vehicle->CanSubscribe("alerts/+"));
  EXPECT_FALSE(vehicle->CanSubscribe("vehicles/vehicle01/#"));
  EXPECT_THAT(vehicle->publish_filters(), ElementsAre("vehicles/vehicle01/#"));

  const auto tower =
      CompileClientPermissions(Client("control-tower", "tower"), grants);
  EXPECT_FALSE(tower->CanPublish("vehicles/control-tower/x"));
  EXPECT_THAT(tower->publish_filters(), IsEmpty());
  EXPECT_THAT(tower->subscribe_filters(), ElementsAre("alerts/#"));
}

TEST(AuthorizationTest, DisabledClientsGetNothing) {
  const std::vector<TopicTemplate> everything = Templates({"#"});
  const PermissionGrant grants[] = {
      {Permission::kPublisher, nullptr, everything}};
  ClientResource client = Client("c", "x");
  client.state = ClientState::kDisabled;
  const auto permissions = CompileClientPermissions(client, grants);
  EXPECT_FALSE(permissions->CanPublish("a"));
  EXPECT_THAT(permissions->publish_filters(), IsEmpty());
}

TEST(AuthorizationTest, GrantsAreNormalised) {
  const ClientPermissions permissions({"a/+", "a/#", "b/c", "a/#", "+/#", "#"},
                                      {"x/y", "x/+", "z"});
  // "#" and "+/#" match the same topics; "#" sorts first and stays.
  EXPECT_THAT(permissions.publish_filters(), ElementsAre("#"));
  EXPECT_THAT(permissions.subscribe_filters(), ElementsAre("x/+", "z"));
  EXPECT_EQ(permissions, ClientPermissions({"#"}, {"z", "x/+"}));
  EXPECT_FALSE(permissions == ClientPermissions({"#"}, {"z"}));
}

TEST(AuthorizationTest, DollarTopicsNeedAnExplicitGrant) {
  const ClientPermissions wildcard({"#"}, {"#"});
  EXPECT_FALSE(wildcard.CanPublish("$events/x"));
  EXPECT_FALSE(wildcard.CanSubscribe("$events/#"));
  const ClientPermissions explicit_grant({"$events/#"}, {"$events/#"});
  EXPECT_TRUE(explicit_grant.CanPublish("$events/x"));
  EXPECT_TRUE(explicit_grant.CanSubscribe("$events/+"));
}

}  // namespace
}  // namespace mqlab::broker
