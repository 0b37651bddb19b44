#include "sim/certificate_identity.h"

#include <openssl/sha.h>

#include <cstdint>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"

namespace mqlab::sim {
namespace {

// The text a derived thumbprint hashes: the subject and every SAN with its
// kind, so that two certificates differing anywhere differ in thumbprint.
std::string CertificateText(const broker::CertificateIdentity& identity) {
  std::string text = absl::StrCat("subject=", identity.subject, "\n");
  const auto add = [&](std::string_view kind,
                       const std::vector<std::string>& names) {
    for (const std::string& name : names) {
      absl::StrAppend(&text, ToAbsl(kind), "=", name, "\n");
    }
  };
  add("dns", identity.dns_names);
  add("uri", identity.uris);
  add("ip", identity.ip_addresses);
  add("email", identity.emails);
  return text;
}

std::vector<std::string> Expand(
    const google::protobuf::RepeatedPtrField<std::string>& patterns,
    const PatternValues& values) {
  std::vector<std::string> expanded;
  expanded.reserve(patterns.size());
  for (const std::string& pattern : patterns) {
    expanded.push_back(ExpandPattern(pattern, values));
  }
  return expanded;
}

}  // namespace

std::string Sha256Hex(std::string_view text) {
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const uint8_t*>(text.data()), text.size(), digest);
  static constexpr char kHexDigits[] = "0123456789ABCDEF";
  std::string hex;
  hex.reserve(2 * SHA256_DIGEST_LENGTH);
  for (const uint8_t byte : digest) {
    hex += kHexDigits[byte >> 4];
    hex += kHexDigits[byte & 0xF];
  }
  return hex;
}

absl::StatusOr<broker::TransportIdentity> VirtualIdentity(
    const scenario::Certificate& certificate, const PatternValues& values,
    const broker::NamespaceConfig& config) {
  broker::TransportIdentity transport;
  transport.peer =
      absl::StrCat("sim ", ToAbsl(values.population), "/", ToAbsl(values.auth));
  if (certificate.none()) return transport;
  transport.has_certificate = true;
  broker::CertificateIdentity& identity = transport.certificate;
  identity.subject = ExpandPattern(
      certificate.subject().empty() ? "CN={auth}" : certificate.subject(),
      values);
  identity.dns_names = Expand(certificate.dns_names(), values);
  identity.uris = Expand(certificate.uris(), values);
  identity.ip_addresses = Expand(certificate.ip_addresses(), values);
  identity.emails = Expand(certificate.emails(), values);
  switch (certificate.thumbprint_scheme()) {
    case scenario::THUMBPRINT_EXPLICIT:
      identity.thumbprint = absl::AsciiStrToUpper(
          ExpandPattern(certificate.thumbprint(), values));
      break;
    case scenario::THUMBPRINT_UNREGISTERED:
      identity.thumbprint =
          Sha256Hex(absl::StrCat("unregistered\n", CertificateText(identity)));
      break;
    default:
      identity.thumbprint = Sha256Hex(CertificateText(identity));
      break;
  }
  if (!certificate.issuer().empty()) {
    for (const broker::CaCertificateResource& ca : config.ca_certificates) {
      if (ca.name == certificate.issuer()) {
        identity.issuer_thumbprint = ca.thumbprint;
        if (certificate.issuer_one_byte_off() &&
            !identity.issuer_thumbprint.empty()) {
          char& last = identity.issuer_thumbprint.back();
          last = last == '0' ? '1' : '0';
        }
        return transport;
      }
    }
    return absl::InvalidArgumentError(
        absl::StrCat("certificate.issuer \"", certificate.issuer(),
                     "\" names no caCertificates entry of the namespace"));
  }
  return transport;
}

}  // namespace mqlab::sim
