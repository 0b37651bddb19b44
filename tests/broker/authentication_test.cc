#include "broker/authentication.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "broker/certificate.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/broker/test_certificates.h"

namespace mqlab::broker {
namespace {

using testing::MakeIssued;
using testing::MakeSelfSigned;
using testing::ToPem;

constexpr uint8_t kCaSeed = 1;

bssl::UniquePtr<X509> Ca() {
  return MakeSelfSigned({.subject = {{"CN", "fleet CA"}},
                         .subject_alt_names = "",
                         .key_seed = kCaSeed,
                         .serial = 1});
}

// A client certificate issued by the registered CA.
CertificateIdentity Issued(
    std::vector<std::pair<std::string, std::string>> subject,
    std::string subject_alt_names = "") {
  const bssl::UniquePtr<X509> ca = Ca();
  const bssl::UniquePtr<X509> certificate =
      MakeIssued({.subject = std::move(subject),
                  .subject_alt_names = std::move(subject_alt_names),
                  .key_seed = 20,
                  .serial = 2},
                 *ca, kCaSeed);
  return IdentityOfCertificate(*certificate, CertificateThumbprint(*ca));
}

// A self-signed client certificate.
CertificateIdentity SelfSigned(uint8_t seed) {
  const bssl::UniquePtr<X509> certificate =
      MakeSelfSigned({.subject = {{"CN", "device"}},
                      .subject_alt_names = "",
                      .key_seed = seed,
                      .serial = seed});
  return IdentityOfCertificate(*certificate, "");
}

TransportIdentity WithCertificate(CertificateIdentity certificate) {
  TransportIdentity identity;
  identity.has_certificate = true;
  identity.certificate = std::move(certificate);
  identity.peer = "test";
  return identity;
}

ClientResource Client(std::string name, std::string authentication_name,
                      ValidationScheme scheme) {
  ClientResource client;
  client.name = std::move(name);
  client.authentication_name = std::move(authentication_name);
  client.validation_scheme = scheme;
  return client;
}

NamespaceConfig Fleet() {
  NamespaceConfig config;
  config.ca_certificates = {{"fleet-ca", ToPem(*Ca()), "", ""}};
  config.clients = {
      Client("vehicle01", "vehicle01",
             ValidationScheme::kSubjectMatchesAuthenticationName),
      Client("dns-client", "dev.example.com",
             ValidationScheme::kDnsMatchesAuthenticationName),
      Client("uri-client", "urn:dev:7",
             ValidationScheme::kUriMatchesAuthenticationName),
      Client("ip-client", "10.0.0.7",
             ValidationScheme::kIpMatchesAuthenticationName),
      Client("email-client", "dev@example.com",
             ValidationScheme::kEmailMatchesAuthenticationName),
      Client("thumb-client", "thumb-client",
             ValidationScheme::kThumbprintMatch),
      Client("disabled-client", "disabled-client",
             ValidationScheme::kSubjectMatchesAuthenticationName),
  };
  // Thumbprints compare ignoring case.
  config.clients[5].allowed_thumbprints = {
      absl::AsciiStrToLower(SelfSigned(30).thumbprint), std::string(64, 'A')};
  config.clients[6].state = ClientState::kDisabled;
  return config;
}

std::unique_ptr<Directory> MakeDirectory(NamespaceConfig config = Fleet()) {
  StatusOr<std::unique_ptr<Directory>> directory = Directory::Create(config);
  EXPECT_TRUE(directory.ok()) << directory.status();
  return *std::move(directory);
}

void ExpectRefused(const AuthenticationResult& result,
                   AuthenticationFailure failure) {
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.failure, failure)
      << AuthenticationFailureName(result.failure) << ": " << result.detail;
  EXPECT_EQ(result.reason_code, mqtt::ReasonCode::kNotAuthorized);
  EXPECT_EQ(result.disconnection_reason,
            DisconnectionReason::kClientAuthenticationError);
  EXPECT_FALSE(result.detail.empty());
}

void ExpectAccepted(const AuthenticationResult& result,
                    std::string_view client_name) {
  EXPECT_TRUE(result.ok()) << AuthenticationFailureName(result.failure) << ": "
                           << result.detail;
  EXPECT_EQ(result.client_name, client_name);
  EXPECT_EQ(result.reason_code, mqtt::ReasonCode::kSuccess);
  EXPECT_EQ(result.disconnection_reason, DisconnectionReason::kNone);
}

TEST(AuthenticationTest, SubjectMatchesAuthenticationName) {
  const auto directory = MakeDirectory();
  const TransportIdentity identity =
      WithCertificate(Issued({{"CN", "vehicle01"}, {"O", "Contoso"}}));
  const AuthenticationResult result =
      Authenticate(*directory, identity, "VEHICLE01");
  ExpectAccepted(result, "vehicle01");
  // The configured spelling, whatever the Username's case.
  EXPECT_EQ(result.authentication_name, "vehicle01");

  ExpectRefused(
      Authenticate(*directory, WithCertificate(Issued({{"CN", "vehicle02"}})),
                   "vehicle01"),
      AuthenticationFailure::kCertificateFieldMismatch);
  ExpectRefused(
      Authenticate(*directory, WithCertificate(Issued({{"O", "vehicle01"}})),
                   "vehicle01"),
      AuthenticationFailure::kCertificateFieldMismatch);
}

TEST(AuthenticationTest, CaSchemesNeedARegisteredIssuer) {
  const auto directory = MakeDirectory();
  CertificateIdentity unchained = Issued({{"CN", "vehicle01"}});
  unchained.issuer_thumbprint.clear();
  ExpectRefused(
      Authenticate(*directory, WithCertificate(unchained), "vehicle01"),
      AuthenticationFailure::kCertificateNotFromRegisteredCa);
  CertificateIdentity other_ca = Issued({{"CN", "vehicle01"}});
  other_ca.issuer_thumbprint = std::string(64, 'C');
  ExpectRefused(
      Authenticate(*directory, WithCertificate(other_ca), "vehicle01"),
      AuthenticationFailure::kCertificateNotFromRegisteredCa);
  // Registered thumbprints compare ignoring case.
  CertificateIdentity lower = Issued({{"CN", "vehicle01"}});
  lower.issuer_thumbprint = absl::AsciiStrToLower(lower.issuer_thumbprint);
  ExpectAccepted(Authenticate(*directory, WithCertificate(lower), "vehicle01"),
                 "vehicle01");
}

TEST(AuthenticationTest, SubjectAlternativeNameSchemes) {
  const auto directory = MakeDirectory();
  const CertificateIdentity sans =
      Issued({{"CN", "anything"}},
             "DNS:other.example,DNS:dev.example.com,URI:urn:dev:7,IP:10.0.0.7,"
             "email:dev@example.com");
  for (const auto& [username, client] :
       std::vector<std::pair<std::string, std::string>>{
           {"dev.example.com", "dns-client"},
           {"DEV.example.COM", "dns-client"},
           {"urn:dev:7", "uri-client"},
           {"10.0.0.7", "ip-client"},
           {"dev@example.com", "email-client"}}) {
    ExpectAccepted(Authenticate(*directory, WithCertificate(sans), username),
                   client);
  }
  const CertificateIdentity none = Issued({{"CN", "dev.example.com"}});
  for (const std::string username :
       {"dev.example.com", "urn:dev:7", "10.0.0.7", "dev@example.com"}) {
    ExpectRefused(Authenticate(*directory, WithCertificate(none), username),
                  AuthenticationFailure::kCertificateFieldMismatch);
  }
}

TEST(AuthenticationTest, ThumbprintMatchAcceptsSelfSignedCertificates) {
  const auto directory = MakeDirectory();
  ExpectAccepted(
      Authenticate(*directory, WithCertificate(SelfSigned(30)), "thumb-client"),
      "thumb-client");
  ExpectRefused(
      Authenticate(*directory, WithCertificate(SelfSigned(31)), "thumb-client"),
      AuthenticationFailure::kThumbprintNotAllowed);
}

TEST(AuthenticationTest, UnknownAndDisabledClientsAreRefused) {
  const auto directory = MakeDirectory();
  const TransportIdentity identity = WithCertificate(Issued({{"CN", "ghost"}}));
  const AuthenticationResult unknown =
      Authenticate(*directory, identity, "ghost");
  ExpectRefused(unknown, AuthenticationFailure::kUnknownClient);
  EXPECT_EQ(unknown.authentication_name, "ghost");
  EXPECT_TRUE(unknown.client_name.empty());
  const AuthenticationResult disabled = Authenticate(
      *directory, WithCertificate(Issued({{"CN", "disabled-client"}})),
      "disabled-client");
  ExpectRefused(disabled, AuthenticationFailure::kClientDisabled);
  EXPECT_EQ(disabled.client_name, "disabled-client");
}

TEST(AuthenticationTest, CertificatesAreRequiredOutsideDevMode) {
  const auto directory = MakeDirectory();
  ExpectRefused(Authenticate(*directory, TransportIdentity(), "vehicle01"),
                AuthenticationFailure::kNoCertificate);
}

TEST(AuthenticationTest, DevModeAcceptsAUsernameAlone) {
  NamespaceConfig config = Fleet();
  config.allow_unauthenticated_username = true;
  const auto directory = MakeDirectory(config);
  const AuthenticationResult result =
      Authenticate(*directory, TransportIdentity(), "Vehicle01");
  ExpectAccepted(result, "vehicle01");
  EXPECT_EQ(result.authentication_name, "vehicle01");
  ExpectRefused(Authenticate(*directory, TransportIdentity(), std::nullopt),
                AuthenticationFailure::kNoAuthenticationName);
  ExpectRefused(Authenticate(*directory, TransportIdentity(), "ghost"),
                AuthenticationFailure::kUnknownClient);
  ExpectRefused(
      Authenticate(*directory, TransportIdentity(), "disabled-client"),
      AuthenticationFailure::kClientDisabled);
  // A certificate, when presented, is still checked.
  ExpectRefused(
      Authenticate(*directory, WithCertificate(Issued({{"CN", "vehicle02"}})),
                   "vehicle01"),
      AuthenticationFailure::kCertificateFieldMismatch);
}

TEST(AuthenticationTest, WithoutUsernameTheNameComesFromTheCertificate) {
  const TransportIdentity identity =
      WithCertificate(Issued({{"CN", "vehicle01"}}, "DNS:dev.example.com"));
  // No sources configured: a Username is required.
  ExpectRefused(Authenticate(*MakeDirectory(), identity, std::nullopt),
                AuthenticationFailure::kNoAuthenticationName);

  NamespaceConfig config = Fleet();
  config.alternative_authentication_name_sources = {
      AuthenticationNameSource::kClientCertificateDns,
      AuthenticationNameSource::kClientCertificateSubject};
  const auto directory = MakeDirectory(config);
  // The first source that yields a value wins: DNS.
  ExpectAccepted(Authenticate(*directory, identity, std::nullopt),
                 "dns-client");
  // An empty Username counts as none.
  ExpectAccepted(Authenticate(*directory, identity, ""), "dns-client");
  // No DNS name: the subject's common name.
  ExpectAccepted(
      Authenticate(*directory, WithCertificate(Issued({{"CN", "vehicle01"}})),
                   std::nullopt),
      "vehicle01");
  // Neither: no name.
  ExpectRefused(
      Authenticate(*directory, WithCertificate(Issued({{"O", "Contoso"}})),
                   std::nullopt),
      AuthenticationFailure::kNoAuthenticationName);
  // A Username, when given, wins over the certificate.
  ExpectAccepted(Authenticate(*directory,
                              WithCertificate(Issued({{"CN", "vehicle01"}},
                                                     "DNS:dev.example.com")),
                              "vehicle01"),
                 "vehicle01");
}

TEST(AuthenticationTest, FailureNamesAreStable) {
  EXPECT_EQ(AuthenticationFailureName(AuthenticationFailure::kNone), "none");
  EXPECT_EQ(AuthenticationFailureName(AuthenticationFailure::kClientDisabled),
            "client-disabled");
  EXPECT_EQ(AuthenticationFailureName(
                AuthenticationFailure::kCertificateNotFromRegisteredCa),
            "certificate-not-from-registered-ca");
}

}  // namespace
}  // namespace mqlab::broker
