#include "broker/namespace_loader.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "broker/certificate.h"
#include "broker/directory.h"
#include "broker/namespace_validation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/broker/test_certificates.h"

namespace mqlab::broker {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Json = nlohmann::ordered_json;

std::string CaPem() {
  return testing::ToPem(*testing::MakeSelfSigned({.subject = {{"CN", "ca"}},
                                                  .subject_alt_names = "",
                                                  .key_seed = 1,
                                                  .serial = 1}));
}

const std::string kThumbprint(64, 'a');

// A small valid namespace that exercises every resource kind.
Json ValidNamespace() {
  return Json::parse(R"({
    "namespace": {
      "name": "fleet",
      "properties": {
        "topicSpacesConfiguration": {"state": "Enabled"}
      }
    },
    "caCertificates": [
      {"name": "fleet-ca", "properties": {"encodedCertificate": ""}}
    ],
    "clients": [
      {"name": "vehicle01",
       "properties": {"attributes": {"type": "vehicle", "floor": 3}}},
      {"name": "vehicle02",
       "properties": {
         "authenticationName": "Vehicle02",
         "clientCertificateAuthentication": {
           "validationScheme": "ThumbprintMatch",
           "allowedThumbprints": ["THUMBPRINT"]}}},
      {"name": "map-app", "properties": {"state": "Disabled"}}
    ],
    "clientGroups": [
      {"name": "vehicles",
       "properties": {"query": "attributes.type = 'vehicle'"}}
    ],
    "topicSpaces": [
      {"name": "telemetry",
       "properties": {
         "topicTemplates": ["vehicles/${client.authenticationName}/#"]}}
    ],
    "permissionBindings": [
      {"name": "vehicles-pub",
       "properties": {"clientGroupName": "vehicles",
                      "topicSpaceName": "telemetry",
                      "permission": "Publisher"}}
    ]
  })");
}

std::string ValidText() {
  Json json = ValidNamespace();
  json["caCertificates"][0]["properties"]["encodedCertificate"] = CaPem();
  json["clients"][1]["properties"]["clientCertificateAuthentication"]
      ["allowedThumbprints"][0] = kThumbprint;
  return json.dump(2);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(NamespaceLoaderTest, LoadsAValidNamespaceWithDefaults) {
  StatusOr<NamespaceConfig> config = LoadNamespace(ValidText(), "fleet.json");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->name, "fleet");
  ASSERT_EQ(config->clients.size(), 3u);
  // The authentication name defaults to the client name.
  EXPECT_EQ(config->clients[0].authentication_name, "vehicle01");
  EXPECT_EQ(config->clients[1].authentication_name, "Vehicle02");
  EXPECT_EQ(config->clients[0].validation_scheme,
            ValidationScheme::kSubjectMatchesAuthenticationName);
  EXPECT_EQ(config->clients[1].validation_scheme,
            ValidationScheme::kThumbprintMatch);
  EXPECT_EQ(config->clients[2].state, ClientState::kDisabled);
  EXPECT_EQ(std::get<int64_t>(config->clients[0].attributes.at("floor")), 3);
  ASSERT_EQ(config->ca_certificates.size(), 1u);
  EXPECT_EQ(config->ca_certificates[0].thumbprint,
            *PemCertificateThumbprint(CaPem()));
  EXPECT_EQ(config->limits.publish_messages_per_second, 100u);
  EXPECT_FALSE(config->allow_unauthenticated_username);
  EXPECT_TRUE(config->alternative_authentication_name_sources.empty());
}

TEST(NamespaceLoaderTest, ReadsNamespaceSettingsAndMqlabExtensions) {
  Json json = Json::parse(ValidText());
  json["namespace"]["sku"] = {{"name", "Standard"}, {"capacity", 4}};
  json["namespace"]["properties"]["topicSpacesConfiguration"] = Json::parse(R"({
    "state": "Enabled",
    "maximumClientSessionsPerAuthenticationName": 3,
    "maximumSessionExpiryInHours": 2,
    "clientAuthentication": {
      "alternativeAuthenticationNameSources":
          ["ClientCertificateDns", "ClientCertificateSubject"]}})");
  json["namespace"]["properties"]["mqlab"] = Json::parse(R"({
    "allowUnauthenticatedUsername": true,
    "limits": {"publishMessagesPerSecond": 5000, "receiveMaximum": 20,
               "rateLimitsLifted": true, "maximumOutboundBytes": 1024}})");
  StatusOr<NamespaceConfig> config = LoadNamespace(json.dump(), "fleet.json");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->limits.throughput_units, 4u);
  EXPECT_EQ(config->limits.maximum_client_sessions_per_authentication_name, 3u);
  EXPECT_EQ(config->limits.session_expiry_seconds, 7200u);
  EXPECT_EQ(config->limits.publish_messages_per_second, 5000u);
  EXPECT_EQ(config->limits.receive_maximum, 20);
  EXPECT_EQ(config->limits.maximum_outbound_bytes, 1024u);
  EXPECT_TRUE(config->limits.rate_limits_lifted);
  EXPECT_TRUE(config->allow_unauthenticated_username);
  EXPECT_THAT(config->alternative_authentication_name_sources,
              ElementsAre(AuthenticationNameSource::kClientCertificateDns,
                          AuthenticationNameSource::kClientCertificateSubject));
}

TEST(NamespaceLoaderTest, AcceptsTheFieldsOfResourcesExportedFromAzure) {
  Json json = Json::parse(ValidText());
  json["namespace"]["id"] = "/subscriptions/x/providers/...";
  json["namespace"]["location"] = "westeurope";
  json["namespace"]["tags"] = Json::object();
  json["namespace"]["properties"]["provisioningState"] = "Succeeded";
  json["namespace"]["properties"]["topicSpacesConfiguration"]["hostname"] =
      "fleet.westeurope-1.ts.eventgrid.azure.net";
  json["clients"][0]["type"] = "Microsoft.EventGrid/namespaces/clients";
  json["clients"][0]["systemData"] = Json::object();
  json["clients"][0]["properties"]["provisioningState"] = "Succeeded";
  json["caCertificates"][0]["properties"]["expiryTimeInUtc"] =
      "2033-05-18T03:33:20Z";
  StatusOr<NamespaceConfig> config = LoadNamespace(json.dump(), "fleet.json");
  EXPECT_TRUE(config.ok()) << config.status();
}

TEST(NamespaceLoaderTest, LoadsAzureSampleNamespaces) {
  for (const std::string name : {"telemetry", "command", "alert"}) {
    const std::string path = "scenarios/namespaces/" + name + ".json";
    StatusOr<NamespaceConfig> config = LoadNamespace(ReadFile(path), path);
    ASSERT_TRUE(config.ok()) << config.status();
    EXPECT_EQ(config->ca_certificates.size(), 1u);
    EXPECT_EQ(config->ca_certificates[0].thumbprint.size(), 64u);
    EXPECT_EQ(config->permission_bindings.size(), 2u);
    for (const ClientResource& client : config->clients) {
      EXPECT_EQ(client.validation_scheme,
                ValidationScheme::kSubjectMatchesAuthenticationName);
      EXPECT_TRUE(client.attributes.contains("type")) << client.name;
    }
    StatusOr<std::unique_ptr<Directory>> directory = Directory::Create(*config);
    ASSERT_TRUE(directory.ok()) << directory.status();
    // $all publishes and subscribes in every sample.
    const auto permissions = (*directory)->Permissions(config->clients[0].name);
    EXPECT_FALSE(permissions->publish_filters().empty()) << name;
    EXPECT_EQ(permissions->publish_filters(), permissions->subscribe_filters());
  }
}

// A change to apply to the valid namespace: set the value at the JSON
// pointer (or remove the field when `value` is discarded), then expect the
// error.
struct BadNamespace {
  std::string description;
  std::string pointer;
  Json value;
  std::string error;
};

Json Discarded() { return Json(Json::value_t::discarded); }

std::string Repeat(std::string_view text, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out += text;
  return out;
}

TEST(NamespaceLoaderTest, RefusesBadNamespacesNamingPathAndExpectation) {
  const std::string scheme_path =
      "test.json: $.clients[2].properties.clientCertificateAuthentication."
      "validationScheme: ";
  const std::vector<BadNamespace> cases = {
      {"validation scheme",
       "/clients/2/properties/clientCertificateAuthentication",
       {{"validationScheme", "Foo"}},
       scheme_path + "expected one of SubjectMatchesAuthenticationName, "
                     "DnsMatchesAuthenticationName, "
                     "UriMatchesAuthenticationName, "
                     "IpMatchesAuthenticationName, "
                     "EmailMatchesAuthenticationName, ThumbprintMatch, got "
                     "\"Foo\""},
      {"unknown top-level field", "/client", Json::array(),
       "test.json: $: unknown field \"client\"; expected one of namespace, "
       "caCertificates, clients, clientGroups, topicSpaces, "
       "permissionBindings"},
      {"typo in a property", "/clients/0/properties/atributes", Json::object(),
       "test.json: $.clients[0].properties: unknown field \"atributes\"; "
       "expected one of authenticationName, state, description, attributes, "
       "clientCertificateAuthentication"},
      {"state spelling", "/clients/0/properties/state", "enabled",
       "test.json: $.clients[0].properties.state: expected one of Enabled, "
       "Disabled, got \"enabled\""},
      {"client name characters", "/clients/0/name", "bad name",
       "test.json: $.clients[0].name: expected 1 to 128 characters of A-Z "
       "a-z 0-9 - : . _, got \"bad name\""},
      {"client name length", "/clients/0/name", std::string(129, 'a'),
       "test.json: $.clients[0].name: expected 1 to 128 characters"},
      {"missing name", "/clients/0/name", Discarded(),
       "test.json: $.clients[0].name: expected the resource's name, got "
       "nothing"},
      {"name type", "/clients/0/name", 7,
       "test.json: $.clients[0].name: expected a string, got 7"},
      {"authentication name length", "/clients/0/properties/authenticationName",
       Repeat("é", 129),
       "test.json: $.clients[0].properties.authenticationName: expected 1 to "
       "128 characters of UTF-8 without NUL"},
      {"attribute key", "/clients/0/properties/attributes/bad-key", "x",
       "test.json: $.clients[0].properties.attributes: expected attribute "
       "names of 1 to 128 characters of A-Z a-z 0-9 _, got \"bad-key\""},
      {"attribute value type", "/clients/0/properties/attributes/floor", 1.5,
       "test.json: $.clients[0].properties.attributes.floor: expected a "
       "string, a 64-bit integer or an array of strings, got 1.5"},
      {"attribute array of numbers",
       "/clients/0/properties/attributes/list",
       {1, 2},
       "$.clients[0].properties.attributes.list: expected a string, a 64-bit "
       "integer or an array of strings, got an array"},
      {"attributes size", "/clients/0/properties/attributes/blob",
       std::string(4100, 'x'),
       "test.json: $.clients[0].properties.attributes: expected at most 4096 "
       "bytes of attributes (as compact JSON), got 4138"},
      {"too many thumbprints",
       "/clients/1/properties/clientCertificateAuthentication/"
       "allowedThumbprints",
       {kThumbprint, kThumbprint, kThumbprint},
       "test.json: $.clients[1].properties.clientCertificateAuthentication."
       "allowedThumbprints: expected 1 to 2 thumbprints for ThumbprintMatch, "
       "got 3"},
      {"no thumbprints",
       "/clients/1/properties/clientCertificateAuthentication/"
       "allowedThumbprints",
       Json::array(), "expected 1 to 2 thumbprints for ThumbprintMatch, got 0"},
      {"thumbprint format",
       "/clients/1/properties/clientCertificateAuthentication/"
       "allowedThumbprints/0",
       "abc",
       "test.json: $.clients[1].properties.clientCertificateAuthentication."
       "allowedThumbprints[0]: expected a SHA-256 thumbprint (64 hex "
       "digits), got \"abc\""},
      {"thumbprints without ThumbprintMatch",
       "/clients/0/properties/clientCertificateAuthentication",
       {{"allowedThumbprints", {kThumbprint}}},
       "expected no thumbprints: only ThumbprintMatch uses them, and the "
       "validation scheme is SubjectMatchesAuthenticationName"},
      {"duplicate client name", "/clients/1/name", "vehicle01",
       "test.json: $.clients[1].name: expected a name no other client has; "
       "$.clients[0] is also \"vehicle01\""},
      {"duplicate authentication name ignoring case",
       "/clients/1/properties/authenticationName", "VEHICLE01",
       "test.json: $.clients[1].properties.authenticationName: expected an "
       "authentication name no other client has (ignoring case); client "
       "\"vehicle01\" has \"vehicle01\""},
      {"description size", "/clients/0/properties/description",
       std::string(1025, 'd'),
       "test.json: $.clients[0].properties.description: expected at most "
       "1024 bytes, got 1025"},
      {"clients not an array", "/clients", Json::object(),
       "test.json: $.clients: expected an array of clients, got an object"},
      {"group name", "/clientGroups/0/name", "ab",
       "test.json: $.clientGroups[0].name: expected 3 to 50 characters of "
       "A-Z a-z 0-9 -, got \"ab\""},
      {"defining $all", "/clientGroups/0/name", "$all",
       "test.json: $.clientGroups[0].name: the client group $all always "
       "exists"},
      {"group query", "/clientGroups/0/properties/query", "attributes.floor <=",
       "test.json: $.clientGroups[0].properties.query: column 20: expected a "
       "value after '<=', got end of query"},
      {"group without query", "/clientGroups/0/properties/query", Discarded(),
       "test.json: $.clientGroups[0].properties.query: expected the group's "
       "query, got nothing"},
      {"template syntax", "/topicSpaces/0/properties/topicTemplates/0", "a/b+",
       "test.json: $.topicSpaces[0].properties.topicTemplates[0]: column 4: "
       "'+' must be a whole level"},
      {"template variable", "/topicSpaces/0/properties/topicTemplates/0",
       "a/${client.id}",
       "test.json: $.topicSpaces[0].properties.topicTemplates[0]: column 3: "
       "unknown variable '${client.id}'"},
      {"no templates", "/topicSpaces/0/properties/topicTemplates",
       Json::array(),
       "test.json: $.topicSpaces[0].properties.topicTemplates: expected 1 to "
       "10 topic templates, got 0"},
      {"too many templates", "/topicSpaces/0/properties/topicTemplates",
       std::vector<std::string>(11, "a/#"),
       "expected 1 to 10 topic templates, got 11"},
      {"template levels", "/topicSpaces/0/properties/topicTemplates/0",
       "1/2/3/4/5/6/7/8/#",
       "test.json: $.topicSpaces[0].properties.topicTemplates[0]: expected "
       "at most 8 levels, got 9"},
      {"binding to a missing group",
       "/permissionBindings/0/properties/clientGroupName", "nope",
       "test.json: $.permissionBindings[0].properties.clientGroupName: "
       "expected the name of a client group (or $all), got \"nope\""},
      {"binding to a missing topic space",
       "/permissionBindings/0/properties/topicSpaceName", "nope",
       "test.json: $.permissionBindings[0].properties.topicSpaceName: "
       "expected the name of a topic space, got \"nope\""},
      {"permission spelling", "/permissionBindings/0/properties/permission",
       "Reader",
       "test.json: $.permissionBindings[0].properties.permission: expected "
       "one of Publisher, Subscriber, got \"Reader\""},
      {"CA certificate text", "/caCertificates/0/properties/encodedCertificate",
       "not a certificate",
       "test.json: $.caCertificates[0].properties.encodedCertificate: "
       "expected a PEM certificate"},
      {"limit range",
       "/namespace/properties/mqlab",
       {{"limits", {{"publishMessagesPerSecond", 0}}}},
       "test.json: $.namespace.properties.mqlab.limits."
       "publishMessagesPerSecond: expected an integer from 1 to 4294967295, "
       "got 0"},
      {"negative limit",
       "/namespace/properties/mqlab",
       {{"limits", {{"receiveMaximum", -5}}}},
       "$.namespace.properties.mqlab.limits.receiveMaximum: expected an "
       "integer from 1 to 65535, got -5"},
      {"limit typo",
       "/namespace/properties/mqlab",
       {{"limits", {{"publishMessagePerSecond", 10}}}},
       "test.json: $.namespace.properties.mqlab.limits: unknown field "
       "\"publishMessagePerSecond\"; expected one of rateLimitsLifted, "
       "maximumPacketSize"},
      {"flag type",
       "/namespace/properties/mqlab",
       {{"allowUnauthenticatedUsername", "yes"}},
       "test.json: $.namespace.properties.mqlab.allowUnauthenticatedUsername: "
       "expected true or false, got \"yes\""},
      {"topic spaces disabled",
       "/namespace/properties/topicSpacesConfiguration/state", "Disabled",
       "test.json: $.namespace.properties.topicSpacesConfiguration.state: "
       "expected \"Enabled\""},
      {"session expiry hours",
       "/namespace/properties/topicSpacesConfiguration/"
       "maximumSessionExpiryInHours",
       9,
       "test.json: $.namespace.properties.topicSpacesConfiguration."
       "maximumSessionExpiryInHours: expected an integer from 1 to 8, got 9"},
      {"name source spelling",
       "/namespace/properties/topicSpacesConfiguration/clientAuthentication",
       {{"alternativeAuthenticationNameSources", {"ClientCertificateName"}}},
       "test.json: $.namespace.properties.topicSpacesConfiguration."
       "clientAuthentication.alternativeAuthenticationNameSources[0]: "
       "expected one of ClientCertificateSubject, ClientCertificateDns, "
       "ClientCertificateUri, ClientCertificateIp, ClientCertificateEmail, "
       "got \"ClientCertificateName\""},
      {"name source twice",
       "/namespace/properties/topicSpacesConfiguration/clientAuthentication",
       {{"alternativeAuthenticationNameSources",
         {"ClientCertificateDns", "ClientCertificateDns"}}},
       "test.json: $.namespace.properties.topicSpacesConfiguration."
       "clientAuthentication.alternativeAuthenticationNameSources[1]: "
       "expected each source once, got ClientCertificateDns again"},
      {"namespace name", "/namespace/name", "x",
       "test.json: $.namespace.name: expected 3 to 50 characters"},
      {"clients per throughput unit",
       "/namespace/properties/mqlab",
       {{"limits", {{"maximumClientsPerUnit", 2}}}},
       "test.json: $.clients[2]: the namespace holds at most 2 clients (2 per "
       "throughput unit; throughput units: 1)"},
      {"CA certificates",
       "/namespace/properties/mqlab",
       {{"limits", {{"maximumCaCertificates", 0}}}},
       "test.json: $.namespace.properties.mqlab.limits.maximumCaCertificates: "
       "expected an integer from 1 to 1000, got 0"},
  };
  for (const BadNamespace& bad : cases) {
    Json json = Json::parse(ValidText());
    const Json::json_pointer pointer(bad.pointer);
    if (bad.value.is_discarded()) {
      json[pointer.parent_pointer()].erase(pointer.back());
    } else {
      json[pointer] = bad.value;
    }
    StatusOr<NamespaceConfig> config = LoadNamespace(json.dump(), "test.json");
    ASSERT_FALSE(config.ok()) << bad.description;
    EXPECT_THAT(std::string(config.status().message()), HasSubstr(bad.error))
        << bad.description;
  }
}

TEST(NamespaceLoaderTest, SettingsMayBeGivenInOnePlaceOnly) {
  Json json = Json::parse(ValidText());
  json["namespace"]["sku"] = {{"capacity", 2}};
  json["namespace"]["properties"]["mqlab"] = {
      {"limits", {{"throughputUnits", 2}}}};
  StatusOr<NamespaceConfig> config = LoadNamespace(json.dump(), "test.json");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(),
            "test.json: $.namespace.properties.mqlab.limits.throughputUnits: "
            "expected this setting in one place only; $.namespace.sku."
            "capacity sets it too");
}

TEST(NamespaceLoaderTest, CountsAreEnforcedAtLoad) {
  Json json = Json::parse(ValidText());
  for (int i = 0; i < 10; ++i) {
    json["caCertificates"].push_back(
        {{"name", "ca-" + std::to_string(i)},
         {"properties", {{"encodedCertificate", CaPem()}}}});
  }
  StatusOr<NamespaceConfig> config = LoadNamespace(json.dump(), "test.json");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(),
            "test.json: $.caCertificates[10]: the namespace holds at most 10 "
            "CA certificates");

  json = Json::parse(ValidText());
  json["namespace"]["properties"]["mqlab"] = {
      {"limits", {{"maximumClientGroups", 1}}}};
  json["clientGroups"].push_back(
      {{"name", "more"}, {"properties", {{"query", "attributes.a = 1"}}}});
  config = LoadNamespace(json.dump(), "test.json");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(),
            "test.json: $.clientGroups[1]: the namespace holds at most 1 "
            "client groups besides $all");

  json = Json::parse(ValidText());
  json["namespace"]["properties"]["mqlab"] = {
      {"limits", {{"maximumPermissionBindings", 1}}}};
  json["permissionBindings"].push_back({{"name", "vehicles-sub"},
                                        {"properties",
                                         {{"clientGroupName", "$all"},
                                          {"topicSpaceName", "telemetry"},
                                          {"permission", "Subscriber"}}}});
  config = LoadNamespace(json.dump(), "test.json");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message(),
            "test.json: $.permissionBindings[1]: the namespace holds at most 1 "
            "permission bindings");
}

struct BadText {
  std::string text;
  std::string error;
};

TEST(NamespaceLoaderTest, RefusesBadJsonWithLineAndColumn) {
  const BadText cases[] = {
      {"{\n  \"clients\": [,]\n}",
       "test.json: parse error at line 2, column 15: syntax error while "
       "parsing value - unexpected ','"},
      {"", "test.json: parse error at line 1, column 1"},
      {"{\"clients\": []} extra",
       "test.json: parse error at line 1, column 17"},
      {"{\"clients\": [], \"clients\": []}",
       "test.json: $: field \"clients\" appears twice"},
      {"{\"clients\": [{\"name\": \"a\", \"properties\": {\"state\": "
       "\"Enabled\", \"state\": \"Disabled\"}}]}",
       "test.json: $.clients[0].properties: field \"state\" appears twice"},
      {"[]", "test.json: $: expected an object, got an array"},
      {Repeat("[", 40) + Repeat("]", 40), "nested deeper than 32 levels"},
  };
  for (const BadText& bad : cases) {
    StatusOr<NamespaceConfig> config = LoadNamespace(bad.text, "test.json");
    ASSERT_FALSE(config.ok()) << bad.text;
    EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(config.status().message()), HasSubstr(bad.error))
        << bad.text;
  }
}

TEST(NamespaceLoaderTest, RefusesFilesAboveTheSizeBound) {
  const std::string huge(kMaximumNamespaceFileSize + 1, ' ');
  StatusOr<NamespaceConfig> config = LoadNamespace(huge, "big.json");
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()),
              HasSubstr("big.json: expected at most 67108864 bytes"));
}

TEST(NamespaceLoaderTest, AnEmptyObjectIsAnEmptyNamespace) {
  StatusOr<NamespaceConfig> config = LoadNamespace("{}", "empty.json");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->name, "mqlab");
  EXPECT_TRUE(config->clients.empty());
}

TEST(NamespaceLoaderTest, EveryLimitIsDocumented) {
  const std::string reference = ReadFile("docs/namespace.md");
  for (const LimitField& field : LimitFields()) {
    EXPECT_THAT(reference,
                HasSubstr(absl::StrCat("| `", ToAbsl(field.json_name), "` | ")))
        << field.json_name;
  }
  EXPECT_THAT(reference, HasSubstr("| `rateLimitsLifted` |"));
  EXPECT_THAT(reference, HasSubstr("| `allowUnauthenticatedUsername` |"));
}

}  // namespace
}  // namespace mqlab::broker
