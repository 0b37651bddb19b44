#include "broker/certificate.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/broker/test_certificates.h"

namespace mqlab::broker {
namespace {

using testing::CertificateSpec;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::MakeIssued;
using testing::MakeSelfSigned;
using testing::ToPem;

bssl::UniquePtr<X509> SampleCa() {
  return MakeSelfSigned(
      {.subject = {{"CN", "MqttAppSamplesCA Intermediate"}, {"O", "Contoso"}},
       .subject_alt_names = "",
       .key_seed = 7,
       .serial = 100});
}

TEST(CertificateTest, ThumbprintIsTheSha256OfTheDer) {
  const bssl::UniquePtr<X509> ca = SampleCa();
  // Computed independently: `openssl x509 -noout -fingerprint -sha256` on
  // ToPem(*SampleCa()), colons removed.
  EXPECT_EQ(CertificateThumbprint(*ca),
            "605E4030674ACC3F4D25A8469F3CD828ECAA3A3C814D7C468B2E66F10C3A3126");
}

TEST(CertificateTest, PemThumbprintMatchesTheCertificateThumbprint) {
  const bssl::UniquePtr<X509> ca = SampleCa();
  StatusOr<std::string> thumbprint = PemCertificateThumbprint(ToPem(*ca));
  ASSERT_TRUE(thumbprint.ok()) << thumbprint.status();
  EXPECT_EQ(*thumbprint, CertificateThumbprint(*ca));
  EXPECT_EQ(thumbprint->size(), 64u);
  EXPECT_EQ(thumbprint->find_first_not_of("0123456789ABCDEF"),
            std::string::npos);
  const bssl::UniquePtr<X509> other =
      MakeSelfSigned({.subject = {{"CN", "other"}},
                      .subject_alt_names = "",
                      .key_seed = 8,
                      .serial = 101});
  EXPECT_NE(CertificateThumbprint(*other), *thumbprint);
}

TEST(CertificateTest, RefusesWhatIsNotOnePemCertificate) {
  const std::string pem = ToPem(*SampleCa());
  struct Bad {
    std::string text;
    std::string error;
  };
  const Bad cases[] = {
      {"",
       "expected a PEM certificate (\"-----BEGIN CERTIFICATE-----\"), got "
       "none"},
      {"MIIBkTCB+wIJAKHHIG...", "got none"},
      {"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
       "expected a PEM certificate, got one that does not decode"},
      {pem + pem, "expected one PEM certificate, got several"},
  };
  for (const Bad& bad : cases) {
    StatusOr<std::string> thumbprint = PemCertificateThumbprint(bad.text);
    ASSERT_FALSE(thumbprint.ok()) << bad.text;
    EXPECT_EQ(thumbprint.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(thumbprint.status().message()),
                HasSubstr(bad.error));
  }
}

TEST(CertificateTest, IdentityHasSubjectSansAndThumbprints) {
  const bssl::UniquePtr<X509> ca = SampleCa();
  const bssl::UniquePtr<X509> client = MakeIssued(
      {.subject = {{"CN", "vehicle01"}, {"O", "Contoso, Ltd"}, {"C", "NL"}},
       .subject_alt_names = "DNS:vehicle01.example,DNS:v1.example,"
                            "URI:urn:vehicles:01,IP:10.0.0.7,"
                            "IP:2001:db8::1,email:vehicle01@example.com",
       .key_seed = 9,
       .serial = 5},
      *ca, 7);
  const CertificateIdentity identity =
      IdentityOfCertificate(*client, CertificateThumbprint(*ca));
  // RFC 4514 order: most specific RDN first.
  EXPECT_EQ(identity.subject, "C=NL,O=Contoso\\, Ltd,CN=vehicle01");
  EXPECT_THAT(identity.dns_names,
              ElementsAre("vehicle01.example", "v1.example"));
  EXPECT_THAT(identity.uris, ElementsAre("urn:vehicles:01"));
  EXPECT_THAT(identity.ip_addresses, ElementsAre("10.0.0.7", "2001:db8::1"));
  EXPECT_THAT(identity.emails, ElementsAre("vehicle01@example.com"));
  EXPECT_EQ(identity.thumbprint, CertificateThumbprint(*client));
  EXPECT_EQ(identity.issuer_thumbprint, CertificateThumbprint(*ca));
}

TEST(CertificateTest, Utf8SubjectsStayReadable) {
  const bssl::UniquePtr<X509> client =
      MakeSelfSigned({.subject = {{"CN", "capteur-é"}},
                      .subject_alt_names = "",
                      .key_seed = 3,
                      .serial = 9});
  const CertificateIdentity identity = IdentityOfCertificate(*client, "");
  EXPECT_EQ(identity.subject, "CN=capteur-é");
  EXPECT_THAT(identity.dns_names, IsEmpty());
  EXPECT_TRUE(identity.issuer_thumbprint.empty());
}

}  // namespace
}  // namespace mqlab::broker
