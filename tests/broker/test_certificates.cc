#include "tests/broker/test_certificates.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstring>

#include "base/check.h"

namespace mqlab::broker::testing {
namespace {

// 2023-11-14 and 2033-05-18: fixed so that certificates never vary.
constexpr int64_t kNotBefore = 1'700'000'000;
constexpr int64_t kNotAfter = 2'000'000'000;

bssl::UniquePtr<EVP_PKEY> KeyFromSeed(uint8_t seed_byte) {
  uint8_t seed[32];
  std::memset(seed, seed_byte, sizeof(seed));
  bssl::UniquePtr<EVP_PKEY> key(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, seed, sizeof(seed)));
  MQLAB_CHECK(key != nullptr);
  return key;
}

bssl::UniquePtr<X509> MakeUnsigned(const CertificateSpec& spec) {
  bssl::UniquePtr<X509> certificate(X509_new());
  MQLAB_CHECK(X509_set_version(certificate.get(), X509_VERSION_3));
  MQLAB_CHECK(
      ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), spec.serial));
  MQLAB_CHECK(ASN1_TIME_set(X509_getm_notBefore(certificate.get()),
                            kNotBefore) != nullptr);
  MQLAB_CHECK(ASN1_TIME_set(X509_getm_notAfter(certificate.get()), kNotAfter) !=
              nullptr);
  X509_NAME* subject = X509_get_subject_name(certificate.get());
  for (const auto& [type, value] : spec.subject) {
    MQLAB_CHECK(X509_NAME_add_entry_by_txt(
        subject, type.c_str(), MBSTRING_UTF8,
        reinterpret_cast<const uint8_t*>(value.data()),
        static_cast<int>(value.size()), -1, 0));
  }
  bssl::UniquePtr<EVP_PKEY> key = KeyFromSeed(spec.key_seed);
  MQLAB_CHECK(X509_set_pubkey(certificate.get(), key.get()));
  if (!spec.subject_alt_names.empty()) {
    bssl::UniquePtr<X509_EXTENSION> names(
        X509V3_EXT_nconf_nid(nullptr, nullptr, NID_subject_alt_name,
                             spec.subject_alt_names.c_str()));
    MQLAB_CHECK(names != nullptr);
    MQLAB_CHECK(X509_add_ext(certificate.get(), names.get(), -1));
  }
  return certificate;
}

}  // namespace

bssl::UniquePtr<X509> MakeSelfSigned(const CertificateSpec& spec) {
  bssl::UniquePtr<X509> certificate = MakeUnsigned(spec);
  MQLAB_CHECK(X509_set_issuer_name(certificate.get(),
                                   X509_get_subject_name(certificate.get())));
  MQLAB_CHECK(
      X509_sign(certificate.get(), KeyFromSeed(spec.key_seed).get(), nullptr));
  return certificate;
}

bssl::UniquePtr<X509> MakeIssued(const CertificateSpec& spec,
                                 const X509& issuer, uint8_t issuer_key_seed) {
  bssl::UniquePtr<X509> certificate = MakeUnsigned(spec);
  MQLAB_CHECK(
      X509_set_issuer_name(certificate.get(), X509_get_subject_name(&issuer)));
  MQLAB_CHECK(X509_sign(certificate.get(), KeyFromSeed(issuer_key_seed).get(),
                        nullptr));
  return certificate;
}

std::string ToPem(const X509& certificate) {
  bssl::UniquePtr<BIO> out(BIO_new(BIO_s_mem()));
  MQLAB_CHECK(PEM_write_bio_X509(out.get(), const_cast<X509*>(&certificate)));
  const uint8_t* contents = nullptr;
  size_t length = 0;
  MQLAB_CHECK(BIO_mem_contents(out.get(), &contents, &length));
  return std::string(reinterpret_cast<const char*>(contents), length);
}

}  // namespace mqlab::broker::testing
