// CONNECT: the ClientId and Username rules, authentication, the seed's
// refusals, CONNACK properties, and what 3.1.1 answers.
#include <string>
#include <vector>

#include "broker/certificate.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mqtt/decoder.h"
#include "mqtt/encoder.h"
#include "tests/broker/broker_harness.h"
#include "tests/broker/test_certificates.h"

namespace mqlab::broker::testing {
namespace {

using mqtt::ReasonCode;
using mqtt::Version;

BrokerHarness Open(std::vector<std::string> clients = {"dev1", "dev2"}) {
  return BrokerHarness(OpenNamespace(clients));
}

// Sends `connect` on a new connection and returns the client.
TestClient& SendConnect(BrokerHarness& harness, const mqtt::Connect& connect) {
  TestClient& client = harness.Open();
  client.set_version(connect.version);
  client.Send(connect);
  return client;
}

TEST(ConnectTest, AcceptedConnackCarriesEventGridsLimits) {
  BrokerHarness harness = Open();
  TestClient& client = harness.Connect({.client_id = "s1", .username = "dev1"});
  const Received<mqtt::Connack> connack = client.ExpectConnack();
  EXPECT_EQ(connack->reason_code, ReasonCode::kSuccess);
  EXPECT_FALSE(connack->session_present);
  const mqtt::Properties& p = connack->properties;
  EXPECT_EQ(p.maximum_qos, 1);
  EXPECT_EQ(p.retain_available, 0);
  EXPECT_EQ(p.shared_subscription_available, 0);
  EXPECT_EQ(p.subscription_identifier_available, 0);
  EXPECT_EQ(p.wildcard_subscription_available, 1);
  EXPECT_EQ(p.maximum_packet_size, 524288u);
  EXPECT_EQ(p.topic_alias_maximum, 10);
  EXPECT_EQ(p.receive_maximum, 1000);
  // Seed: "Assigned Client Identifiers aren't supported yet."
  EXPECT_FALSE(p.assigned_client_identifier.has_value());
  // Not asked for a session: nothing to replace.
  EXPECT_FALSE(p.session_expiry_interval.has_value());
  // Keep-alive 60 is within the maximum.
  EXPECT_FALSE(p.server_keep_alive.has_value());
  const std::vector<RecordedEvent> connected =
      harness.EventsOfKind(EventKind::kConnected);
  ASSERT_EQ(connected.size(), 1u);
  EXPECT_EQ(connected[0].session, "s1");
  EXPECT_EQ(connected[0].authentication_name, "dev1");
}

// Seed: "CONNACK doesn't return Response Information property even if the
// CONNECT request contains Request Response Information property."
TEST(ConnectTest, NoResponseInformationEvenWhenRequested) {
  BrokerHarness harness = Open();
  mqtt::Connect connect{.version = Version::kV5, .keep_alive = 30};
  connect.client_id = "s1";
  connect.username = "dev1";
  connect.properties.request_response_information = 1;
  TestClient& client = SendConnect(harness, connect);
  const Received<mqtt::Connack> connack = client.ExpectConnack();
  EXPECT_EQ(connack->reason_code, ReasonCode::kSuccess);
  EXPECT_FALSE(connack->properties.response_information.has_value());
}

// Facts: "ClientId ... Required, non-empty" — v5 0x85, 3.1.1 return code 2.
TEST(ConnectTest, EmptyClientIdIsRefused) {
  BrokerHarness harness = Open();
  TestClient& v5 = harness.Connect({.client_id = "", .username = "dev1"});
  EXPECT_EQ(v5.ExpectConnack()->reason_code,
            ReasonCode::kClientIdentifierNotValid);
  EXPECT_TRUE(v5.closed());
  TestClient& v3 = harness.Connect(
      {.client_id = "", .username = "dev1", .version = Version::kV311});
  // 3.1.1 return code 2 decodes as 0x85.
  EXPECT_EQ(v3.ExpectConnack()->reason_code,
            ReasonCode::kClientIdentifierNotValid);
  EXPECT_TRUE(v3.closed());
  ASSERT_EQ(harness.EventsOfKind(EventKind::kConnectRefused).size(), 2u);
  EXPECT_TRUE(harness.EventsOfKind(EventKind::kSessionCreated).empty());
}

// Seed: "The Username field is required if you didn't select a value in the
// alternativeAuthenticationNameSources".
TEST(ConnectTest, UsernameIsRequiredWithoutAlternativeSources) {
  BrokerHarness harness = Open();
  TestClient& client = harness.Connect({.client_id = "s1"});
  EXPECT_EQ(client.ExpectConnack()->reason_code, ReasonCode::kNotAuthorized);
  EXPECT_TRUE(client.closed());
  const std::vector<RecordedEvent> refused =
      harness.EventsOfKind(EventKind::kConnectRefused);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].reason, DisconnectionReason::kClientAuthenticationError);
}

TEST(ConnectTest, UnknownAndDisabledClientsAreNotAuthorized) {
  NamespaceConfig config = OpenNamespace({"dev1", "off"});
  config.clients[1].state = ClientState::kDisabled;
  BrokerHarness harness(config);
  TestClient& unknown =
      harness.Connect({.client_id = "s1", .username = "nobody"});
  EXPECT_EQ(unknown.ExpectConnack()->reason_code, ReasonCode::kNotAuthorized);
  TestClient& disabled = harness.Connect(
      {.client_id = "s2", .username = "off", .version = Version::kV311});
  // 3.1.1 return code 5.
  EXPECT_EQ(disabled.ExpectConnack()->reason_code, ReasonCode::kNotAuthorized);
  EXPECT_TRUE(unknown.closed());
  EXPECT_TRUE(disabled.closed());
}

// Authentication names compare ignoring case, as Event Grid does.
TEST(ConnectTest, AuthenticationNameIgnoresCase) {
  BrokerHarness harness = Open();
  harness.ConnectOk({.client_id = "s1", .username = "DEV1"});
}

// Seed: "the server will respond to a CONNECT request with either
// Authentication Method or Authentication Data with a CONNACK with code 0x8C
// (Bad authentication method) or 0x87 (Not Authorized) respectively."
TEST(ConnectTest, AuthenticationMethodGetsBadAuthenticationMethod) {
  BrokerHarness harness = Open();
  mqtt::Connect connect{.version = Version::kV5};
  connect.client_id = "s1";
  connect.username = "dev1";
  connect.properties.authentication_method = "OAUTH2-JWT";
  connect.properties.authentication_data = AsBytes("token");
  TestClient& client = SendConnect(harness, connect);
  EXPECT_EQ(client.ExpectConnack()->reason_code,
            ReasonCode::kBadAuthenticationMethod);
  EXPECT_TRUE(client.closed());
}

TEST(ConnectTest, AuthenticationDataGetsNotAuthorized) {
  BrokerHarness harness = Open();
  mqtt::Connect connect{.version = Version::kV5};
  connect.client_id = "s1";
  connect.username = "dev1";
  connect.properties.authentication_data = AsBytes("token");
  TestClient& client = SendConnect(harness, connect);
  EXPECT_EQ(client.ExpectConnack()->reason_code, ReasonCode::kNotAuthorized);
  EXPECT_TRUE(client.closed());
  const std::vector<RecordedEvent> refused =
      harness.EventsOfKind(EventKind::kConnectRefused);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].detail, mqtt::kAuthenticationDataWithoutMethodRule);
}

// Seed (v5): "Receiving a CONNECT request with Will Message will result in
// CONNACK with 0x83 (Implementation specific error)."
TEST(ConnectTest, WillInV5GetsImplementationSpecificError) {
  BrokerHarness harness = Open();
  mqtt::Connect connect{.version = Version::kV5};
  connect.client_id = "s1";
  connect.username = "dev1";
  connect.will = mqtt::Will{.topic = "last/will"};
  TestClient& client = SendConnect(harness, connect);
  EXPECT_EQ(client.ExpectConnack()->reason_code,
            ReasonCode::kImplementationSpecificError);
  EXPECT_TRUE(client.closed());
}

// Seed (3.1.1): "Receiving a CONNECT request with Will Message will result in
// a connection failure." 3.1.1 has no return code for it: closed, no CONNACK.
TEST(ConnectTest, WillInV311ClosesWithoutConnack) {
  BrokerHarness harness = Open();
  mqtt::Connect connect{.version = Version::kV311};
  connect.client_id = "s1";
  connect.username = "dev1";
  connect.will = mqtt::Will{.topic = "last/will"};
  TestClient& client = SendConnect(harness, connect);
  client.ExpectNothing();
  EXPECT_TRUE(client.closed());
  const std::vector<RecordedEvent> refused =
      harness.EventsOfKind(EventKind::kConnectRefused);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].reason_code, ReasonCode::kImplementationSpecificError);
}

// Facts: User Properties "not allowed on CONNECT".
TEST(ConnectTest, UserPropertiesOnConnectAreRefused) {
  BrokerHarness harness = Open();
  mqtt::Connect connect{.version = Version::kV5};
  connect.client_id = "s1";
  connect.username = "dev1";
  const mqtt::UserProperty properties[] = {{"k", "v"}};
  connect.properties.user_properties =
      mqtt::UserProperties::FromList(properties);
  TestClient& client = SendConnect(harness, connect);
  EXPECT_EQ(client.ExpectConnack()->reason_code,
            ReasonCode::kImplementationSpecificError);
  EXPECT_TRUE(client.closed());
}

TEST(ConnectTest, FirstPacketMustBeConnect) {
  BrokerHarness harness = Open();
  TestClient& client = harness.Open();
  client.Send(mqtt::Pingreq{});
  client.ExpectNothing();  // No CONNACK before a CONNECT, no DISCONNECT.
  EXPECT_TRUE(client.closed());
  const std::vector<RecordedEvent> refused =
      harness.EventsOfKind(EventKind::kConnectRefused);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].reason_code, ReasonCode::kProtocolError);
  EXPECT_THAT(refused[0].detail, ::testing::HasSubstr("[MQTT-3.1.0-1]"));
}

TEST(ConnectTest, SecondConnectIsAProtocolError) {
  BrokerHarness harness = Open();
  TestClient& client =
      harness.ConnectOk({.client_id = "s1", .username = "dev1"});
  mqtt::Connect again{.version = Version::kV5};
  again.client_id = "s1";
  again.username = "dev1";
  client.Send(again);
  const Received<mqtt::Disconnect> disconnect =
      client.Expect<mqtt::Disconnect>();
  EXPECT_EQ(disconnect->reason_code, ReasonCode::kProtocolError);
  EXPECT_THAT(std::string(disconnect->properties.reason_string.value_or("")),
              ::testing::HasSubstr("[MQTT-3.1.0-2]"));
  EXPECT_TRUE(client.closed());

  TestClient& v3 = harness.ConnectOk(
      {.client_id = "s2", .username = "dev2", .version = Version::kV311});
  mqtt::Connect v3_again{.version = Version::kV311};
  v3_again.client_id = "s2";
  v3_again.username = "dev2";
  v3.Send(v3_again);
  v3.ExpectNothing();  // 3.1.1 has no DISCONNECT from the server.
  EXPECT_TRUE(v3.closed());
}

TEST(ConnectTest, ConnectMustArriveWithinTheConnectTimeout) {
  BrokerHarness harness = Open();
  TestClient& client = harness.Open();
  harness.AdvanceBy(kConnectTimeout - kMillisecond);
  EXPECT_FALSE(client.closed());
  harness.AdvanceBy(kMillisecond);
  EXPECT_TRUE(client.closed());
  const std::vector<RecordedEvent> refused =
      harness.EventsOfKind(EventKind::kConnectRefused);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].detail, "connect-timeout");
  EXPECT_EQ(refused[0].time, kConnectTimeout);
}

TEST(ConnectTest, UnsupportedProtocolVersionGetsReturnCode1) {
  BrokerHarness harness = Open();
  TestClient& client = harness.Open();
  // MQTT 3.1: protocol name "MQIsdp", level 3.
  const uint8_t connect[] = {0x10, 0x12, 0x00, 0x06, 'M',  'Q',  'I',
                             's',  'd',  'p',  0x03, 0x02, 0x00, 0x3C,
                             0x00, 0x04, 'a',  'b',  'c',  'd'};
  client.set_version(Version::kV311);
  client.SendBytes(connect);
  EXPECT_EQ(client.ExpectConnack()->reason_code,
            ReasonCode::kUnsupportedProtocolVersion);
  EXPECT_TRUE(client.closed());
}

// Identity from the certificate: the namespace's alternative sources name
// the client when CONNECT has no Username.
TEST(ConnectTest, CertificateSubjectNamesTheClient) {
  const bssl::UniquePtr<X509> ca =
      MakeSelfSigned({.subject = {{"CN", "fleet CA"}},
                      .subject_alt_names = "",
                      .key_seed = 1,
                      .serial = 1});
  NamespaceConfig config;
  config.ca_certificates = {{"fleet-ca", ToPem(*ca), "", ""}};
  config.alternative_authentication_name_sources = {
      AuthenticationNameSource::kClientCertificateSubject};
  ClientResource vehicle;
  vehicle.name = "vehicle01";
  config.clients = {vehicle};
  BrokerHarness harness(config);

  const bssl::UniquePtr<X509> certificate =
      MakeIssued({.subject = {{"CN", "vehicle01"}},
                  .subject_alt_names = "",
                  .key_seed = 20,
                  .serial = 2},
                 *ca, 1);
  TransportIdentity identity{.has_certificate = true,
                             .certificate = IdentityOfCertificate(
                                 *certificate, CertificateThumbprint(*ca)),
                             .peer = "test"};
  harness.ConnectOk({.client_id = "vehicle01-session"}, identity);

  // Without a certificate the namespace (not in dev mode) refuses.
  TestClient& anonymous =
      harness.Connect({.client_id = "x", .username = "vehicle01"});
  EXPECT_EQ(anonymous.ExpectConnack()->reason_code, ReasonCode::kNotAuthorized);
}

// Namespace limit: connects per second per throughput unit.
TEST(ConnectTest, NamespaceConnectRateGetsConnectionRateExceeded) {
  NamespaceConfig config = OpenNamespace({"dev1"});
  config.limits.connects_per_second_per_unit = 3;
  BrokerHarness harness(config);
  for (int i = 0; i < 3; ++i) {
    TestClient& client = harness.Connect(
        {.client_id = "s" + std::to_string(i), .username = "nobody"});
    EXPECT_EQ(client.ExpectConnack()->reason_code, ReasonCode::kNotAuthorized);
  }
  TestClient& fourth = harness.Connect({.client_id = "s1", .username = "dev1"});
  EXPECT_EQ(fourth.ExpectConnack()->reason_code,
            ReasonCode::kConnectionRateExceeded);
  const std::vector<RecordedEvent> refused =
      harness.EventsOfKind(EventKind::kConnectRefused);
  ASSERT_EQ(refused.size(), 4u);
  EXPECT_EQ(refused[3].reason, DisconnectionReason::kQuotaExceeded);
  EXPECT_EQ(refused[3].detail, "connects-per-second");
  // 3.1.1 has no such return code: closed without CONNACK.
  TestClient& v3 = harness.Connect(
      {.client_id = "s1", .username = "dev1", .version = Version::kV311});
  v3.ExpectNothing();
  EXPECT_TRUE(v3.closed());
  harness.AdvanceBy(kSecond);
  harness.ConnectOk({.client_id = "s1", .username = "dev1"});
}

}  // namespace
}  // namespace mqlab::broker::testing
