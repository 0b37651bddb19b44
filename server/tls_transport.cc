#include "server/tls_transport.h"

#include <openssl/err.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

namespace mqlab::server {

TlsTransport::TlsTransport(const TlsContext* tls, int fd, std::string peer)
    : tls_(tls), ssl_(SSL_new(tls->ssl_context())), peer_(std::move(peer)) {
  SSL_set_fd(ssl_.get(), fd);
  SSL_set_accept_state(ssl_.get());
}

IoResult TlsTransport::Failure(int result) {
  switch (SSL_get_error(ssl_.get(), result)) {
    case SSL_ERROR_WANT_READ:
      return {IoStatus::kWantRead, 0};
    case SSL_ERROR_WANT_WRITE:
      return {IoStatus::kWantWrite, 0};
    case SSL_ERROR_ZERO_RETURN:
      return {IoStatus::kPeerClosed, 0};
    case SSL_ERROR_SYSCALL:
      if (ERR_peek_error() == 0) {
        if (result == 0 || errno == 0) return {IoStatus::kPeerClosed, 0};
        error_ = std::strerror(errno);
        return {IoStatus::kFailed, 0};
      }
      error_ = TakeTlsError();
      return {IoStatus::kFailed, 0};
    default:
      error_ = TakeTlsError();
      return {IoStatus::kFailed, 0};
  }
}

IoResult TlsTransport::Handshake() {
  ERR_clear_error();
  const int result = SSL_do_handshake(ssl_.get());
  if (result != 1) return Failure(result);
  broker::StatusOr<broker::TransportIdentity> identity =
      tls_->IdentityOf(ssl_.get(), peer_);
  if (!identity.ok()) {
    error_ = std::string(identity.status().message());
    return {IoStatus::kFailed, 0};
  }
  identity_ = *std::move(identity);
  return {};
}

IoResult TlsTransport::Read(std::span<uint8_t> into) {
  ERR_clear_error();
  errno = 0;
  const int result =
      SSL_read(ssl_.get(), into.data(),
               static_cast<int>(std::min<size_t>(into.size(), INT_MAX)));
  if (result > 0) return {IoStatus::kDone, static_cast<size_t>(result)};
  return Failure(result);
}

IoResult TlsTransport::Write(std::span<const uint8_t> bytes) {
  ERR_clear_error();
  errno = 0;
  const int result =
      SSL_write(ssl_.get(), bytes.data(),
                static_cast<int>(std::min<size_t>(bytes.size(), INT_MAX)));
  if (result > 0) return {IoStatus::kDone, static_cast<size_t>(result)};
  return Failure(result);
}

}  // namespace mqlab::server
