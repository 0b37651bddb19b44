#include "broker/certificate.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/bytestring.h>
#include <openssl/err.h>
#include <openssl/mem.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace mqlab::broker {
namespace {

// The reason BoringSSL's error queue holds, which it then forgets.
std::string TakeSslError() {
  const uint32_t code = ERR_get_error();
  ERR_clear_error();
  const char* reason = ERR_reason_error_string(code);
  return reason != nullptr ? reason : "unknown error";
}

std::string AsciiString(const ASN1_STRING* text) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                     static_cast<size_t>(ASN1_STRING_length(text)));
}

std::string IpAddressText(const ASN1_OCTET_STRING* address) {
  const int length = ASN1_STRING_length(address);
  const unsigned char* bytes = ASN1_STRING_get0_data(address);
  char text[INET6_ADDRSTRLEN] = {};
  if (length == 4) {
    inet_ntop(AF_INET, bytes, text, sizeof(text));
  } else if (length == 16) {
    inet_ntop(AF_INET6, bytes, text, sizeof(text));
  } else {
    return "";  // Not an address (a name constraint's address and mask).
  }
  return text;
}

std::string SubjectText(const X509& certificate) {
  bssl::UniquePtr<BIO> out(BIO_new(BIO_s_mem()));
  MQLAB_CHECK(out != nullptr);
  // RFC 2253 (whose successor is RFC 4514) without escaping UTF-8 bytes.
  const unsigned long flags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
  X509_NAME_print_ex(out.get(), X509_get_subject_name(&certificate), 0, flags);
  const uint8_t* contents = nullptr;
  size_t length = 0;
  MQLAB_CHECK(BIO_mem_contents(out.get(), &contents, &length) == 1);
  return std::string(reinterpret_cast<const char*>(contents), length);
}

}  // namespace

StatusOr<bssl::UniquePtr<X509>> ParsePemCertificate(std::string_view pem) {
  bssl::UniquePtr<BIO> in(BIO_new_mem_buf(pem.data(), pem.size()));
  MQLAB_CHECK(in != nullptr);
  bssl::UniquePtr<X509> certificate(
      PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr));
  if (certificate == nullptr) {
    const uint32_t code = ERR_peek_last_error();
    if (ERR_GET_LIB(code) == ERR_LIB_PEM &&
        ERR_GET_REASON(code) == PEM_R_NO_START_LINE) {
      ERR_clear_error();
      return absl::InvalidArgumentError(
          "expected a PEM certificate (\"-----BEGIN CERTIFICATE-----\"), got "
          "none");
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "expected a PEM certificate, got one that does not decode: ",
        TakeSslError()));
  }
  bssl::UniquePtr<X509> another(
      PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (another != nullptr) {
    return absl::InvalidArgumentError(
        "expected one PEM certificate, got several");
  }
  return certificate;
}

std::string CertificateThumbprint(const X509& certificate) {
  uint8_t* der = nullptr;
  // This BoringSSL's i2d_X509 takes a non-const pointer; it does not write.
  const int length = i2d_X509(const_cast<X509*>(&certificate), &der);
  MQLAB_CHECK(length > 0);
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(der, static_cast<size_t>(length), digest);
  OPENSSL_free(der);
  static constexpr char kHexDigits[] = "0123456789ABCDEF";
  std::string thumbprint;
  thumbprint.reserve(2 * SHA256_DIGEST_LENGTH);
  for (uint8_t byte : digest) {
    thumbprint += kHexDigits[byte >> 4];
    thumbprint += kHexDigits[byte & 0xF];
  }
  return thumbprint;
}

StatusOr<std::string> PemCertificateThumbprint(std::string_view pem) {
  StatusOr<bssl::UniquePtr<X509>> certificate = ParsePemCertificate(pem);
  if (!certificate.ok()) return certificate.status();
  return CertificateThumbprint(**certificate);
}

CertificateIdentity IdentityOfCertificate(const X509& certificate,
                                          std::string issuer_thumbprint) {
  CertificateIdentity identity;
  identity.subject = SubjectText(certificate);
  identity.thumbprint = CertificateThumbprint(certificate);
  identity.issuer_thumbprint = std::move(issuer_thumbprint);
  bssl::UniquePtr<GENERAL_NAMES> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(&certificate, NID_subject_alt_name, nullptr, nullptr)));
  ERR_clear_error();
  if (names == nullptr) return identity;
  for (size_t i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    switch (name->type) {
      case GEN_DNS:
        identity.dns_names.push_back(AsciiString(name->d.dNSName));
        break;
      case GEN_URI:
        identity.uris.push_back(AsciiString(name->d.uniformResourceIdentifier));
        break;
      case GEN_EMAIL:
        identity.emails.push_back(AsciiString(name->d.rfc822Name));
        break;
      case GEN_IPADD:
        if (std::string text = IpAddressText(name->d.iPAddress);
            !text.empty()) {
          identity.ip_addresses.push_back(std::move(text));
        }
        break;
      default:
        break;  // Other name forms carry no authentication name.
    }
  }
  return identity;
}

}  // namespace mqlab::broker
