// X.509 certificates, reduced to what Event Grid authenticates with: the
// SHA-256 thumbprint of a registered CA certificate (computed when the
// namespace is loaded) and the CertificateIdentity of a client certificate
// (filled by the TLS server after its handshake). Parsing only: no I/O, no
// clock (validity periods are the TLS layer's business).
#ifndef MQLAB_BROKER_CERTIFICATE_H_
#define MQLAB_BROKER_CERTIFICATE_H_

#include <openssl/base.h>
#include <openssl/x509.h>

#include <string>
#include <string_view>

#include "broker/identity.h"
#include "broker/namespace_config.h"

namespace mqlab::broker {

// Parses the PEM text of one certificate ("-----BEGIN CERTIFICATE-----").
// Errors (InvalidArgument) say what was expected: no certificate, more than
// one, or one that does not decode.
StatusOr<bssl::UniquePtr<X509>> ParsePemCertificate(std::string_view pem);

// SHA-256 of the certificate's DER encoding, 64 uppercase hex digits.
std::string CertificateThumbprint(const X509& certificate);

// ParsePemCertificate, then CertificateThumbprint.
StatusOr<std::string> PemCertificateThumbprint(std::string_view pem);

// The identity a client presenting `certificate` has: its subject in RFC 4514
// form (UTF-8 unescaped), its Subject Alternative Names by kind (IP addresses
// in the text form of inet_ntop: "10.0.0.1", "2001:db8::1") and its
// thumbprint. `issuer_thumbprint` is the thumbprint of the registered CA
// certificate the TLS layer verified the chain against, or empty.
CertificateIdentity IdentityOfCertificate(const X509& certificate,
                                          std::string issuer_thumbprint);

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_CERTIFICATE_H_
