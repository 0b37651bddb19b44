// Who is on the other end of a connection, as its transport established it.
#ifndef MQLAB_BROKER_IDENTITY_H_
#define MQLAB_BROKER_IDENTITY_H_

#include <cstdint>
#include <string>
#include <vector>

namespace mqlab::broker {

// Connections are numbered by the broker from 1 in the order they open.
using ConnectionId = uint64_t;

// The client certificate the TLS handshake verified, reduced to what Event
// Grid authenticates with. The server fills it from the X.509 certificate; the
// simulator hands it over directly.
struct CertificateIdentity {
  // Subject distinguished name, RFC 4514 string form ("CN=vehicle01,O=Contoso").
  std::string subject;
  // Subject Alternative Names by kind.
  std::vector<std::string> dns_names;
  std::vector<std::string> uris;
  std::vector<std::string> ip_addresses;
  std::vector<std::string> emails;
  // SHA-256 of the certificate's DER bytes, 64 uppercase hex digits.
  std::string thumbprint;
  // SHA-256 thumbprint of the CA certificate the chain was verified against,
  // empty when the certificate is self-signed or did not chain to a CA the
  // namespace registered.
  std::string issuer_thumbprint;
};

struct TransportIdentity {
  // False for a plain-TCP connection in a namespace that allows it (dev mode,
  // tests); such a client authenticates by Username alone.
  bool has_certificate = false;
  CertificateIdentity certificate;
  // Free text for logs: "10.0.0.7:50123", "sim host 12".
  std::string peer;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_IDENTITY_H_
