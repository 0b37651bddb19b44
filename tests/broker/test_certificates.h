// Deterministic X.509 certificates for tests, made with BoringSSL at test
// time: Ed25519 keys derived from a one-byte seed, fixed serial numbers and
// validity, so the same arguments always give the same DER bytes (and so the
// same thumbprint).
#ifndef MQLAB_TESTS_BROKER_TEST_CERTIFICATES_H_
#define MQLAB_TESTS_BROKER_TEST_CERTIFICATES_H_

#include <openssl/base.h>
#include <openssl/x509.h>

#include <cstdint>
#include <string>
#include <vector>

namespace mqlab::broker::testing {

struct CertificateSpec {
  // Subject attributes in order, e.g. {{"CN", "vehicle01"}, {"O", "Contoso"}}.
  std::vector<std::pair<std::string, std::string>> subject;
  // subjectAltName in OpenSSL's configuration syntax, e.g.
  // "DNS:a.example,IP:10.0.0.1,URI:urn:x,email:a@example.com"; empty: none.
  std::string subject_alt_names;
  uint8_t key_seed = 1;
  int64_t serial = 1;
};

// A self-signed certificate (a CA, or a client using ThumbprintMatch).
bssl::UniquePtr<X509> MakeSelfSigned(const CertificateSpec& spec);
// A certificate issued by `issuer`, signed with the key of seed
// `issuer_key_seed`.
bssl::UniquePtr<X509> MakeIssued(const CertificateSpec& spec,
                                 const X509& issuer, uint8_t issuer_key_seed);

std::string ToPem(const X509& certificate);

}  // namespace mqlab::broker::testing

#endif  // MQLAB_TESTS_BROKER_TEST_CERTIFICATES_H_
