// The TLS side of the MQTT-over-TLS and WebSocket-over-TLS listeners:
// BoringSSL configured as Event Grid's endpoints are (TLS 1.2 and 1.3 only, a
// client certificate required), the server's own certificate and key, and
// the namespace's CA certificates that client chains are verified against.
//
// The handshake accepts any client certificate that is within its validity
// period: whether a self-signed certificate is acceptable (ThumbprintMatch)
// or a chain must end at a registered CA depends on which client it is, which
// only the CONNECT tells. So the handshake records what it established
// (broker::CertificateIdentity, with the registered CA's thumbprint when the
// chain verified) and the broker core decides.
#ifndef MQLAB_SERVER_TLS_CONTEXT_H_
#define MQLAB_SERVER_TLS_CONTEXT_H_

#include <openssl/base.h>
#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <vector>

#include "broker/identity.h"
#include "broker/namespace_config.h"

namespace mqlab::server {

class TlsContext {
 public:
  // Loads the server's certificate chain and private key (PEM files).
  // Errors name the file and what was wrong with it (missing, unreadable,
  // not PEM, key not matching the certificate).
  static broker::StatusOr<std::unique_ptr<TlsContext>> Create(
      const std::string& certificate_file, const std::string& key_file);

  // Replaces the CA certificates client chains are verified against (the
  // namespace's, on start and on reload).
  broker::Status SetTrustedCas(
      const std::vector<broker::CaCertificateResource>& certificates);

  SSL_CTX* ssl_context() const { return context_.get(); }

  // What the client certificate of an established handshake proves. Fails
  // for a certificate outside its validity period.
  broker::StatusOr<broker::TransportIdentity> IdentityOf(
      const SSL* ssl, std::string peer) const;

 private:
  TlsContext() = default;
  bssl::UniquePtr<SSL_CTX> context_;
  bssl::UniquePtr<X509_STORE> trusted_cas_;
};

// The text of BoringSSL's most recent error (and clears the queue).
std::string TakeTlsError();

}  // namespace mqlab::server

#endif  // MQLAB_SERVER_TLS_CONTEXT_H_
