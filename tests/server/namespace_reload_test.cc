// SIGHUP's reload (server/namespace_reload.h): the file's resources become
// the admin calls that make the live namespace equal to it, and a reload of
// the same file changes nothing.
#include "server/namespace_reload.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/broker/broker_harness.h"

namespace mqlab::server {
namespace {

using broker::testing::BrokerHarness;
using broker::testing::OpenNamespace;
using broker::testing::TestClient;

TEST(NamespaceReloadTest, DifferencesBecomeAdminCallsInDependencyOrder) {
  BrokerHarness harness(OpenNamespace({"dev1", "dev2"}));
  TestClient& dev2 = harness.ConnectOk({.client_id = "s", .username = "dev2"});

  broker::NamespaceConfig desired = OpenNamespace({"dev1", "dev3"});
  desired.client_groups.push_back({.name = "floor-three",
                                   .query = "attributes.floor = 3",
                                   .description = ""});
  desired.topic_spaces.push_back(
      {.name = "floors", .topic_templates = {"floors/#"}, .description = ""});
  desired.permission_bindings.push_back(
      {.name = "floor-pub",
       .client_group_name = "floor-three",
       .topic_space_name = "floors",
       .permission = broker::Permission::kPublisher,
       .description = ""});
  const ReloadResult first =
      ReloadNamespace(harness.broker(), desired, harness.now());
  EXPECT_THAT(first.errors, ::testing::IsEmpty());
  EXPECT_EQ(first.upserted, 4);  // dev3, the group, the space, the binding.
  EXPECT_EQ(first.deleted, 1);   // dev2.
  EXPECT_TRUE(dev2.closed());
  const broker::Directory& directory = harness.broker().directory();
  EXPECT_NE(directory.FindClient("dev3"), nullptr);
  EXPECT_EQ(directory.FindClient("dev2"), nullptr);
  EXPECT_NE(directory.FindPermissionBinding("floor-pub"), nullptr);

  const ReloadResult again =
      ReloadNamespace(harness.broker(), desired, harness.now());
  EXPECT_EQ(again.upserted, 0);
  EXPECT_EQ(again.deleted, 0);

  // Taking the binding's topic space away deletes the binding first.
  desired.permission_bindings.pop_back();
  desired.topic_spaces.pop_back();
  const ReloadResult removed =
      ReloadNamespace(harness.broker(), desired, harness.now());
  EXPECT_THAT(removed.errors, ::testing::IsEmpty());
  EXPECT_EQ(removed.deleted, 2);
}

TEST(NamespaceReloadTest, RefusedCallsAndFixedSettingsAreReported) {
  BrokerHarness harness(OpenNamespace({"dev1"}));
  broker::NamespaceConfig desired = OpenNamespace({"dev1"});
  desired.name = "renamed";
  desired.permission_bindings.push_back(
      {.name = "dangling",
       .client_group_name = "no-such-group",
       .topic_space_name = "no-such-space",
       .permission = broker::Permission::kPublisher,
       .description = ""});
  const ReloadResult result =
      ReloadNamespace(harness.broker(), desired, harness.now());
  ASSERT_EQ(result.errors.size(), 2u);
  EXPECT_THAT(result.errors[0], ::testing::HasSubstr("namespace settings"));
  EXPECT_THAT(result.errors[1],
              ::testing::StartsWith("UpsertPermissionBinding dangling: "));
  EXPECT_EQ(result.upserted, 0);
}

}  // namespace
}  // namespace mqlab::server
