// The namespace changing at run time through the broker's admin operations.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/broker/broker_harness.h"

namespace mqlab::broker::testing {
namespace {

using mqtt::Qos;
using mqtt::ReasonCode;
using mqtt::Version;
using ::testing::ElementsAre;
using ::testing::SizeIs;

ClientResource Client(std::string name) {
  ClientResource client;
  client.name = std::move(name);
  return client;
}

TEST(AdminTest, DisabledClientsConnectionsEndAndItsSessionWaits) {
  BrokerHarness harness(OpenNamespace({"dev1", "pub"}));
  TestClient& client = harness.ConnectOk(
      {.client_id = "s", .username = "dev1", .session_expiry_interval = 60});
  ASSERT_EQ(client.Subscribe("t", Qos::kAtLeastOnce), ReasonCode::kGrantedQos1);
  ClientResource disabled = Client("dev1");
  disabled.state = ClientState::kDisabled;
  ASSERT_TRUE(harness.broker().UpsertClient(disabled, harness.now()).ok());
  EXPECT_EQ(client.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kAdministrativeAction);
  EXPECT_TRUE(client.closed());
  const std::vector<RecordedEvent> disconnected =
      harness.EventsOfKind(EventKind::kDisconnected);
  ASSERT_THAT(disconnected, SizeIs(1));
  EXPECT_EQ(disconnected[0].reason,
            DisconnectionReason::kClientAuthenticationError);
  EXPECT_EQ(disconnected[0].detail, "client-disabled");
  // Disabled: it cannot connect; its session keeps what comes for it.
  TestClient& refused = harness.Connect({.client_id = "s", .username = "dev1"});
  EXPECT_EQ(refused.ExpectConnack()->reason_code, ReasonCode::kNotAuthorized);
  harness.ConnectOk({.client_id = "p", .username = "pub"})
      .Publish("t", "waiting", Qos::kAtLeastOnce);
  ASSERT_TRUE(
      harness.broker().UpsertClient(Client("dev1"), harness.now()).ok());
  TestClient& back = harness.Connect({.client_id = "s",
                                      .username = "dev1",
                                      .clean_start = false,
                                      .session_expiry_interval = 60});
  EXPECT_TRUE(back.ExpectConnack()->session_present);
  const std::vector<TestClient::Message> messages = back.Messages();
  ASSERT_THAT(messages, SizeIs(1));
  EXPECT_EQ(messages[0].payload, "waiting");
}

TEST(AdminTest, DeletedClientsConnectionsEndAndItsSessionsKeepTheirNames) {
  BrokerHarness harness(OpenNamespace({"dev1", "dev2"}));
  TestClient& v3 = harness.ConnectOk({.client_id = "s",
                                      .username = "dev1",
                                      .version = Version::kV311,
                                      .clean_start = false});
  ASSERT_EQ(v3.Subscribe("t", Qos::kAtLeastOnce), ReasonCode::kGrantedQos1);
  ASSERT_TRUE(harness.broker().DeleteClient("dev1", harness.now()).ok());
  v3.ExpectNothing();  // 3.1.1: closed without DISCONNECT.
  EXPECT_TRUE(v3.closed());
  // Its subscription serves nobody any more.
  EXPECT_EQ(harness.broker().stats().subscriptions, 0u);
  EXPECT_EQ(harness.broker().stats().sessions, 1u);
  // Created again with the same name: a new client; the old session's name
  // is still blocked, other names are free.
  ASSERT_TRUE(
      harness.broker().UpsertClient(Client("dev1"), harness.now()).ok());
  TestClient& again = harness.Connect({.client_id = "s", .username = "dev1"});
  EXPECT_EQ(again.ExpectConnack()->reason_code, ReasonCode::kNotAuthorized);
  harness.ConnectOk({.client_id = "s2", .username = "dev1"});
}

TEST(AdminTest, AuthenticationChangeEndsConnections) {
  BrokerHarness harness(OpenNamespace({"dev1"}));
  TestClient& client =
      harness.ConnectOk({.client_id = "s", .username = "dev1"});
  ClientResource changed = Client("dev1");
  changed.validation_scheme = ValidationScheme::kThumbprintMatch;
  changed.allowed_thumbprints = {std::string(64, 'A')};
  ASSERT_TRUE(harness.broker().UpsertClient(changed, harness.now()).ok());
  EXPECT_EQ(client.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kAdministrativeAction);
  const std::vector<RecordedEvent> disconnected =
      harness.EventsOfKind(EventKind::kDisconnected);
  ASSERT_THAT(disconnected, SizeIs(1));
  EXPECT_EQ(disconnected[0].detail, "client-authentication-changed");
}

// Subscriptions no longer authorized are removed; a connected client that
// lost one is disconnected (0x87, reason ClientAuthorizationError), as Event
// Grid disconnects for authorization changes.
TEST(AdminTest, RevokedSubscribePermissionRemovesSubscriptions) {
  NamespaceConfig config;
  config.allow_unauthenticated_username = true;
  config.clients = {Client("sub"), Client("other"), Client("pub")};
  Grant(config, "pub", "$all", Permission::kPublisher, {"#"});
  Grant(config, "sub-a", "$all", Permission::kSubscriber, {"a/#"});
  Grant(config, "sub-b", "$all", Permission::kSubscriber, {"b/#"});
  BrokerHarness harness(config);
  TestClient& subscriber =
      harness.ConnectOk({.client_id = "s", .username = "sub"});
  ASSERT_EQ(subscriber.Subscribe("a/x", Qos::kAtMostOnce),
            ReasonCode::kSuccess);
  ASSERT_EQ(subscriber.Subscribe("b/x", Qos::kAtMostOnce),
            ReasonCode::kSuccess);
  TestClient& other =
      harness.ConnectOk({.client_id = "o", .username = "other"});
  ASSERT_EQ(other.Subscribe("a/x", Qos::kAtMostOnce), ReasonCode::kSuccess);
  harness.ClearEvents();

  ASSERT_TRUE(
      harness.broker().DeletePermissionBinding("sub-b", harness.now()).ok());
  EXPECT_EQ(subscriber.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kNotAuthorized);
  EXPECT_FALSE(other.closed());  // Lost nothing.
  const std::vector<RecordedEvent> denied =
      harness.EventsOfKind(EventKind::kSubscriptionDenied);
  ASSERT_THAT(denied, SizeIs(1));
  EXPECT_EQ(denied[0].topic, "b/x");
  EXPECT_EQ(denied[0].detail, "permissions-changed");
  const std::vector<RecordedEvent> disconnected =
      harness.EventsOfKind(EventKind::kDisconnected);
  ASSERT_THAT(disconnected, SizeIs(1));
  EXPECT_EQ(disconnected[0].reason,
            DisconnectionReason::kClientAuthorizationError);
}

// Publish permissions apply at the next PUBLISH.
TEST(AdminTest, RevokedPublishPermissionAppliesToTheNextPublish) {
  BrokerHarness harness(OpenNamespace({"dev1"}));
  TestClient& client =
      harness.ConnectOk({.client_id = "s", .username = "dev1"});
  EXPECT_EQ(client.Publish("t", "x", Qos::kAtLeastOnce), ReasonCode::kSuccess);
  ASSERT_TRUE(harness.broker()
                  .DeletePermissionBinding("all-publish", harness.now())
                  .ok());
  EXPECT_FALSE(client.closed());
  EXPECT_EQ(client.Publish("t", "x", Qos::kAtLeastOnce),
            ReasonCode::kNotAuthorized);
}

NamespaceConfig FloorNamespace() {
  NamespaceConfig config = OpenNamespace({"dev1"});
  config.clients[0].attributes["floor"] = int64_t{3};
  config.client_groups = {{"low", "attributes.floor <= 5", ""}};
  Grant(config, "low-floors", "low", Permission::kSubscriber, {"floors/#"});
  // Only the group's binding lets anyone subscribe.
  config.permission_bindings.erase(config.permission_bindings.begin() + 1);
  return config;
}

// An offline session's subscriptions are re-checked when its client's
// permissions change.
TEST(AdminTest, OfflineSessionIsReauthorizedWhenPermissionsChange) {
  BrokerHarness harness(FloorNamespace());
  TestClient& client = harness.ConnectOk(
      {.client_id = "s", .username = "dev1", .session_expiry_interval = 60});
  ASSERT_EQ(client.Subscribe("floors/3", Qos::kAtMostOnce),
            ReasonCode::kSuccess);
  client.Drop();
  ClientResource moved = *harness.broker().directory().FindClient("dev1");
  moved.attributes["floor"] = int64_t{9};
  ASSERT_TRUE(harness.broker().UpsertClient(moved, harness.now()).ok());
  EXPECT_EQ(harness.broker().stats().subscriptions, 0u);
  const std::vector<RecordedEvent> denied =
      harness.EventsOfKind(EventKind::kSubscriptionDenied);
  ASSERT_THAT(denied, SizeIs(1));
  EXPECT_EQ(denied[0].topic, "floors/3");
}

// A disabled client's permission changes are not reported; its session is
// re-checked when it resumes.
TEST(AdminTest, ResumedSessionIsReauthorized) {
  BrokerHarness harness(FloorNamespace());
  harness
      .ConnectOk(
          {.client_id = "s", .username = "dev1", .session_expiry_interval = 60})
      .Subscribe("floors/3", Qos::kAtMostOnce);
  ClientResource client = *harness.broker().directory().FindClient("dev1");
  client.state = ClientState::kDisabled;
  ASSERT_TRUE(harness.broker().UpsertClient(client, harness.now()).ok());
  ASSERT_TRUE(harness.broker()
                  .DeletePermissionBinding("low-floors", harness.now())
                  .ok());
  client.state = ClientState::kEnabled;
  ASSERT_TRUE(harness.broker().UpsertClient(client, harness.now()).ok());
  EXPECT_EQ(harness.broker().stats().subscriptions, 1u);
  harness.ClearEvents();
  TestClient& back = harness.Connect({.client_id = "s",
                                      .username = "dev1",
                                      .clean_start = false,
                                      .session_expiry_interval = 60});
  EXPECT_TRUE(back.ExpectConnack()->session_present);
  EXPECT_EQ(harness.broker().stats().subscriptions, 0u);
  const std::vector<RecordedEvent> denied =
      harness.EventsOfKind(EventKind::kSubscriptionDenied);
  ASSERT_THAT(denied, SizeIs(1));
  EXPECT_EQ(denied[0].detail, "permissions-changed");
  EXPECT_FALSE(back.closed());
}

TEST(AdminTest, ErrorsNameTheResourceAndChangeNothing) {
  BrokerHarness harness(OpenNamespace({"dev1"}));
  TestClient& client =
      harness.ConnectOk({.client_id = "s", .username = "dev1"});
  const Status missing = harness.broker().DeleteClient("nobody", harness.now());
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  ClientResource bad = Client("bad name!");
  const Status invalid = harness.broker().UpsertClient(bad, harness.now());
  EXPECT_EQ(invalid.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(invalid.message()),
              ::testing::HasSubstr("bad name!"));
  EXPECT_FALSE(client.closed());
}

// Namespace limit: clients per throughput unit (the directory refuses).
TEST(AdminTest, ClientsPerThroughputUnitAreEnforced) {
  NamespaceConfig config = OpenNamespace({"a", "b"});
  config.limits.maximum_clients_per_unit = 2;
  BrokerHarness harness(config);
  EXPECT_EQ(harness.broker().UpsertClient(Client("c"), harness.now()).code(),
            absl::StatusCode::kResourceExhausted);
}

TEST(AdminTest, SnapshotReflectsChanges) {
  BrokerHarness harness(OpenNamespace({"a"}));
  ASSERT_TRUE(harness.broker().UpsertClient(Client("b"), harness.now()).ok());
  std::vector<std::string> names;
  for (const ClientResource& client :
       harness.broker().directory().Snapshot().clients) {
    names.push_back(client.name);
  }
  EXPECT_THAT(names, ElementsAre("a", "b"));
}

}  // namespace
}  // namespace mqlab::broker::testing
