#include "broker/directory.h"

#include <memory>
#include <string>
#include <vector>

#include "broker/certificate.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/broker/test_certificates.h"

namespace mqlab::broker {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

ClientResource Client(std::string name, std::string type) {
  ClientResource client;
  client.name = std::move(name);
  client.attributes["type"] = std::move(type);
  return client;
}

std::string CaPem(uint8_t seed) {
  return testing::ToPem(*testing::MakeSelfSigned(
      {.subject = {{"CN", "ca-" + std::to_string(seed)}},
       .subject_alt_names = "",
       .key_seed = seed,
       .serial = seed}));
}

// vehicles publish to vehicles/<their name>/#; everyone subscribes alerts/#.
NamespaceConfig Fleet() {
  NamespaceConfig config;
  config.name = "fleet";
  config.clients = {Client("vehicle02", "vehicle"),
                    Client("vehicle01", "vehicle"), Client("tower", "tower")};
  config.clients[2].authentication_name = "Control-Tower";
  config.client_groups = {{"vehicles", "attributes.type = 'vehicle'", ""}};
  config.topic_spaces = {
      {"own", {"vehicles/${client.authenticationName}/#"}, ""},
      {"alerts", {"alerts/#"}, ""},
      {"unused", {"unused/#"}, ""}};
  config.permission_bindings = {
      {"vehicles-pub", "vehicles", "own", Permission::kPublisher, ""},
      {"all-sub", "$all", "alerts", Permission::kSubscriber, ""}};
  config.ca_certificates = {{"fleet-ca", CaPem(1), "", ""}};
  return config;
}

std::unique_ptr<Directory> FleetDirectory() {
  StatusOr<std::unique_ptr<Directory>> directory = Directory::Create(Fleet());
  EXPECT_TRUE(directory.ok()) << directory.status();
  return *std::move(directory);
}

AffectedClient Affected(std::string name, std::string authentication_name) {
  return {std::move(name), std::move(authentication_name)};
}

TEST(DirectoryTest, IndexesClientsByNameAndAuthenticationName) {
  const auto directory = FleetDirectory();
  EXPECT_EQ(directory->client_count(), 3u);
  ASSERT_NE(directory->FindClient("tower"), nullptr);
  EXPECT_EQ(directory->FindClient("Tower"), nullptr);  // Names are exact.
  EXPECT_EQ(directory->FindClientByAuthenticationName("control-TOWER"),
            directory->FindClient("tower"));
  // The authentication name defaults to the client name.
  EXPECT_EQ(directory->FindClient("vehicle01")->authentication_name,
            "vehicle01");
  EXPECT_EQ(directory->FindClientByAuthenticationName("nobody"), nullptr);
  EXPECT_NE(directory->FindClientGroup("vehicles"), nullptr);
  EXPECT_NE(directory->FindTopicSpace("own"), nullptr);
  EXPECT_NE(directory->FindPermissionBinding("all-sub"), nullptr);
  ASSERT_NE(directory->FindCaCertificate("fleet-ca"), nullptr);
  const std::string thumbprint =
      directory->FindCaCertificate("fleet-ca")->thumbprint;
  EXPECT_EQ(thumbprint, *PemCertificateThumbprint(CaPem(1)));
  EXPECT_TRUE(directory->IsRegisteredCaThumbprint(thumbprint));
  EXPECT_FALSE(directory->IsRegisteredCaThumbprint(std::string(64, 'A')));
}

TEST(DirectoryTest, CompilesEveryClientsPermissions) {
  const auto directory = FleetDirectory();
  const auto vehicle = directory->Permissions("vehicle01");
  ASSERT_NE(vehicle, nullptr);
  EXPECT_TRUE(vehicle->CanPublish("vehicles/vehicle01/position"));
  EXPECT_FALSE(vehicle->CanPublish("vehicles/vehicle02/position"));
  EXPECT_TRUE(vehicle->CanSubscribe("alerts/#"));
  const auto tower = directory->Permissions("tower");
  EXPECT_THAT(tower->publish_filters(), IsEmpty());
  EXPECT_THAT(tower->subscribe_filters(), ElementsAre("alerts/#"));
  EXPECT_EQ(directory->Permissions("nobody"), nullptr);
}

TEST(DirectoryTest, SnapshotListsResourcesByName) {
  const NamespaceConfig snapshot = FleetDirectory()->Snapshot();
  EXPECT_EQ(snapshot.name, "fleet");
  ASSERT_EQ(snapshot.clients.size(), 3u);
  EXPECT_EQ(snapshot.clients[0].name, "tower");
  EXPECT_EQ(snapshot.clients[1].name, "vehicle01");
  EXPECT_EQ(snapshot.topic_spaces[0].name, "alerts");
  EXPECT_EQ(snapshot.ca_certificates[0].thumbprint.size(), 64u);
  // A snapshot builds the same directory again.
  EXPECT_TRUE(Directory::Create(snapshot).ok());
}

TEST(DirectoryTest, NewClientsChangeNothingConnected) {
  auto directory = FleetDirectory();
  StatusOr<DirectoryChanges> changes =
      directory->UpsertClient(Client("vehicle03", "vehicle"));
  ASSERT_TRUE(changes.ok()) << changes.status();
  EXPECT_TRUE(changes->empty());
  EXPECT_TRUE(
      directory->Permissions("vehicle03")->CanPublish("vehicles/vehicle03/x"));
}

TEST(DirectoryTest, ClientUpdatesReportWhatChanged) {
  auto directory = FleetDirectory();
  // Attributes that change group membership change permissions.
  StatusOr<DirectoryChanges> changes =
      directory->UpsertClient(Client("tower", "vehicle"));
  // The authentication name cannot change: it must be given again.
  ASSERT_FALSE(changes.ok());
  EXPECT_EQ(changes.status().message(),
            "client \"tower\": properties.authenticationName: expected "
            "\"Control-Tower\": an authentication name cannot change once set "
            "(delete the client and create it again)");
  ClientResource tower = Client("tower", "vehicle");
  tower.authentication_name = "Control-Tower";
  changes = directory->UpsertClient(tower);
  ASSERT_TRUE(changes.ok()) << changes.status();
  EXPECT_THAT(changes->permissions_changed,
              ElementsAre(Affected("tower", "Control-Tower")));
  EXPECT_TRUE(
      directory->Permissions("tower")->CanPublish("vehicles/Control-Tower/x"));

  // The same resource again changes nothing.
  changes = directory->UpsertClient(tower);
  ASSERT_TRUE(changes.ok());
  EXPECT_TRUE(changes->empty());

  // New certificate settings: the client must authenticate again.
  tower.validation_scheme = ValidationScheme::kThumbprintMatch;
  tower.allowed_thumbprints = {std::string(64, 'b')};
  changes = directory->UpsertClient(tower);
  ASSERT_TRUE(changes.ok()) << changes.status();
  EXPECT_THAT(changes->authentication_changed,
              ElementsAre(Affected("tower", "Control-Tower")));

  // Disabling ends its connections; it keeps no permissions.
  tower.state = ClientState::kDisabled;
  changes = directory->UpsertClient(tower);
  ASSERT_TRUE(changes.ok());
  EXPECT_THAT(changes->disabled,
              ElementsAre(Affected("tower", "Control-Tower")));
  EXPECT_THAT(changes->permissions_changed, IsEmpty());
  EXPECT_THAT(directory->Permissions("tower")->subscribe_filters(), IsEmpty());

  // Enabling again reports nothing: a disabled client has no connections.
  tower.state = ClientState::kEnabled;
  changes = directory->UpsertClient(tower);
  ASSERT_TRUE(changes.ok());
  EXPECT_TRUE(changes->empty());
}

TEST(DirectoryTest, DeletingAClientReportsIt) {
  auto directory = FleetDirectory();
  StatusOr<DirectoryChanges> changes = directory->DeleteClient("tower");
  ASSERT_TRUE(changes.ok());
  EXPECT_THAT(changes->deleted,
              ElementsAre(Affected("tower", "Control-Tower")));
  EXPECT_EQ(directory->FindClientByAuthenticationName("control-tower"),
            nullptr);
  // Its authentication name is free again.
  ClientResource other = Client("other", "x");
  other.authentication_name = "CONTROL-TOWER";
  EXPECT_TRUE(directory->UpsertClient(other).ok());
  changes = directory->DeleteClient("tower");
  EXPECT_EQ(changes.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(changes.status().message(), "client \"tower\": no such client");
}

TEST(DirectoryTest, ClientRulesAreEnforced) {
  auto directory = FleetDirectory();
  ClientResource clash = Client("impostor", "vehicle");
  clash.authentication_name = "VEHICLE01";
  StatusOr<DirectoryChanges> changes = directory->UpsertClient(clash);
  EXPECT_EQ(changes.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(changes.status().message(),
            "client \"impostor\": properties.authenticationName: expected an "
            "authentication name no other client has (ignoring case); client "
            "\"vehicle01\" has \"vehicle01\"");
  changes = directory->UpsertClient(Client("bad name", "x"));
  EXPECT_EQ(changes.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(changes.status().message(),
            "client \"bad name\": name: expected 1 to 128 characters of A-Z "
            "a-z 0-9 - : . _, got \"bad name\"");
  EXPECT_EQ(directory->client_count(), 3u);
}

TEST(DirectoryTest, ClientCountIsBoundedPerThroughputUnit) {
  NamespaceConfig config = Fleet();
  config.limits.maximum_clients_per_unit = 2;
  config.limits.throughput_units = 2;
  auto directory = *Directory::Create(config);
  EXPECT_EQ(directory->maximum_clients(), 4u);
  EXPECT_TRUE(directory->UpsertClient(Client("fourth", "x")).ok());
  StatusOr<DirectoryChanges> changes =
      directory->UpsertClient(Client("fifth", "x"));
  EXPECT_EQ(changes.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(changes.status().message(),
            "client \"fifth\": the namespace holds at most 4 clients (2 per "
            "throughput unit; throughput units: 2)");
  // Replacing an existing client is not a new one.
  EXPECT_TRUE(directory->UpsertClient(Client("fourth", "y")).ok());
}

TEST(DirectoryTest, GroupChangesReportAffectedClientsInNameOrder) {
  auto directory = FleetDirectory();
  StatusOr<DirectoryChanges> changes = directory->UpsertClientGroup(
      {"vehicles", "attributes.type IN ['vehicle', 'tower']", ""});
  ASSERT_TRUE(changes.ok()) << changes.status();
  EXPECT_THAT(changes->permissions_changed,
              ElementsAre(Affected("tower", "Control-Tower")));
  changes = directory->UpsertClientGroup(
      {"vehicles", "attributes.type = 'none'", ""});
  ASSERT_TRUE(changes.ok());
  EXPECT_THAT(changes->permissions_changed,
              ElementsAre(Affected("tower", "Control-Tower"),
                          Affected("vehicle01", "vehicle01"),
                          Affected("vehicle02", "vehicle02")));
  // A group no binding uses changes no permissions.
  changes =
      directory->UpsertClientGroup({"spare", "attributes.type = 'x'", ""});
  ASSERT_TRUE(changes.ok());
  EXPECT_TRUE(changes->empty());
  EXPECT_TRUE(directory->DeleteClientGroup("spare").ok());
}

TEST(DirectoryTest, PermissionsKeepTheirIdentityWhenUnchanged) {
  auto directory = FleetDirectory();
  const auto before = directory->Permissions("vehicle01");
  ASSERT_TRUE(directory
                  ->UpsertPermissionBinding({"tower-sub", "$all", "unused",
                                             Permission::kSubscriber, ""})
                  .ok());
  const auto after = directory->Permissions("vehicle01");
  EXPECT_NE(before, after);
  ASSERT_TRUE(
      directory
          ->UpsertClientGroup(
              {"vehicles",
               "attributes.type = 'vehicle' or attributes.type = 'car'", ""})
          .ok());
  EXPECT_EQ(directory->Permissions("vehicle01"), after);
}

TEST(DirectoryTest, GroupRulesAreEnforced) {
  auto directory = FleetDirectory();
  StatusOr<DirectoryChanges> changes = directory->DeleteClientGroup("vehicles");
  EXPECT_EQ(changes.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(changes.status().message(),
            "client group \"vehicles\": permission binding \"vehicles-pub\" "
            "uses this client group; delete or change it first");
  changes = directory->DeleteClientGroup("$all");
  EXPECT_EQ(changes.status().code(), absl::StatusCode::kInvalidArgument);
  changes = directory->UpsertClientGroup({"$all", "attributes.a = 1", ""});
  EXPECT_EQ(changes.status().code(), absl::StatusCode::kInvalidArgument);
  changes = directory->UpsertClientGroup({"broken", "attributes.a <", ""});
  EXPECT_EQ(changes.status().message(),
            "client group \"broken\": properties.query: column 15: expected a "
            "value after '<', got end of query");
  changes = directory->DeleteClientGroup("missing");
  EXPECT_EQ(changes.status().code(), absl::StatusCode::kNotFound);
}

TEST(DirectoryTest, TopicSpaceChangesReportAffectedClients) {
  auto directory = FleetDirectory();
  StatusOr<DirectoryChanges> changes =
      directory->UpsertTopicSpace({"alerts", {"alerts/#", "weather/#"}, ""});
  ASSERT_TRUE(changes.ok()) << changes.status();
  EXPECT_EQ(changes->permissions_changed.size(), 3u);
  EXPECT_TRUE(directory->Permissions("tower")->CanSubscribe("weather/+"));
  changes = directory->UpsertTopicSpace({"unused", {"other/#"}, ""});
  ASSERT_TRUE(changes.ok());
  EXPECT_TRUE(changes->empty());
  changes = directory->DeleteTopicSpace("alerts");
  EXPECT_EQ(changes.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(directory->DeleteTopicSpace("unused").ok());
  changes = directory->UpsertTopicSpace({"bad", {"a/#/b"}, ""});
  EXPECT_EQ(changes.status().message(),
            "topic space \"bad\": properties.topicTemplates[0]: column 3: '#' "
            "must be the last level");
}

TEST(DirectoryTest, BindingChangesReportAffectedClients) {
  auto directory = FleetDirectory();
  StatusOr<DirectoryChanges> changes =
      directory->DeletePermissionBinding("vehicles-pub");
  ASSERT_TRUE(changes.ok());
  EXPECT_THAT(changes->permissions_changed,
              ElementsAre(Affected("vehicle01", "vehicle01"),
                          Affected("vehicle02", "vehicle02")));
  EXPECT_FALSE(
      directory->Permissions("vehicle01")->CanPublish("vehicles/vehicle01/x"));
  changes = directory->UpsertPermissionBinding(
      {"pub", "nobody", "own", Permission::kPublisher, ""});
  EXPECT_EQ(changes.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(changes.status().message(),
            "permission binding \"pub\": properties.clientGroupName: expected "
            "the name of a client group (or $all), got \"nobody\"");
  changes = directory->DeletePermissionBinding("vehicles-pub");
  EXPECT_EQ(changes.status().code(), absl::StatusCode::kNotFound);
}

TEST(DirectoryTest, DisabledClientsAreNotReportedForPermissionChanges) {
  NamespaceConfig config = Fleet();
  config.clients[0].state = ClientState::kDisabled;  // vehicle02
  auto directory = *Directory::Create(config);
  StatusOr<DirectoryChanges> changes =
      directory->DeletePermissionBinding("vehicles-pub");
  ASSERT_TRUE(changes.ok());
  EXPECT_THAT(changes->permissions_changed,
              ElementsAre(Affected("vehicle01", "vehicle01")));
}

TEST(DirectoryTest, CaCertificatesAreCountedAndReplaced) {
  NamespaceConfig config = Fleet();
  config.limits.maximum_ca_certificates = 2;
  auto directory = *Directory::Create(config);
  EXPECT_TRUE(
      directory->UpsertCaCertificate({"second", CaPem(2), "", ""}).ok());
  StatusOr<DirectoryChanges> changes =
      directory->UpsertCaCertificate({"third", CaPem(3), "", ""});
  EXPECT_EQ(changes.status().code(), absl::StatusCode::kResourceExhausted);
  // Replacing changes the thumbprint.
  ASSERT_TRUE(
      directory->UpsertCaCertificate({"second", CaPem(3), "", ""}).ok());
  EXPECT_TRUE(
      directory->IsRegisteredCaThumbprint(*PemCertificateThumbprint(CaPem(3))));
  EXPECT_FALSE(
      directory->IsRegisteredCaThumbprint(*PemCertificateThumbprint(CaPem(2))));
  ASSERT_TRUE(directory->DeleteCaCertificate("second").ok());
  EXPECT_FALSE(
      directory->IsRegisteredCaThumbprint(*PemCertificateThumbprint(CaPem(3))));
  changes = directory->UpsertCaCertificate({"broken", "PEM?", "", ""});
  EXPECT_EQ(changes.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DirectoryTest, CreateNamesTheSourceAndPath) {
  NamespaceConfig config = Fleet();
  config.topic_spaces[1].topic_templates = {};
  StatusOr<std::unique_ptr<Directory>> directory =
      Directory::Create(config, "fleet.json");
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.status().message(),
            "fleet.json: $.topicSpaces[1].properties.topicTemplates: expected "
            "1 to 10 topic templates, got 0");
  config = Fleet();
  config.limits.receive_maximum = 0;
  directory = Directory::Create(config);
  EXPECT_EQ(directory.status().message(),
            "$.namespace.properties.mqlab.limits.receiveMaximum: expected an "
            "integer from 1 to 65535, got 0");
}

}  // namespace
}  // namespace mqlab::broker
