// TLS over a non-blocking TCP socket (BoringSSL on the socket itself, so a
// flush of the write buffer becomes one TLS record where it fits). After the
// handshake, the client certificate's identity is what TlsContext::IdentityOf
// established.
#ifndef MQLAB_SERVER_TLS_TRANSPORT_H_
#define MQLAB_SERVER_TLS_TRANSPORT_H_

#include <openssl/ssl.h>

#include <string>

#include "server/stream_transport.h"
#include "server/tls_context.h"

namespace mqlab::server {

class TlsTransport final : public StreamTransport {
 public:
  // `fd` is a connected non-blocking socket the event loop owns; `tls` must
  // outlive the transport.
  TlsTransport(const TlsContext* tls, int fd, std::string peer);
  IoResult Handshake() override;
  IoResult Read(std::span<uint8_t> into) override;
  IoResult Write(std::span<const uint8_t> bytes) override;
  bool HasBufferedInput() const override { return SSL_pending(ssl_.get()) > 0; }
  broker::TransportIdentity Identity() const override { return identity_; }
  std::string error() const override { return error_; }

 private:
  // The result of an SSL_* call that returned `result` <= 0.
  IoResult Failure(int result);

  const TlsContext* tls_;
  bssl::UniquePtr<SSL> ssl_;
  std::string peer_;
  broker::TransportIdentity identity_;
  std::string error_;
};

}  // namespace mqlab::server

#endif  // MQLAB_SERVER_TLS_TRANSPORT_H_
