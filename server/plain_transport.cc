#include "server/plain_transport.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mqlab::server {

IoResult SocketResult(long result, IoStatus would_block, std::string* error) {
  if (result > 0) return {IoStatus::kDone, static_cast<size_t>(result)};
  if (result == 0) return {IoStatus::kPeerClosed, 0};
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
    return {would_block, 0};
  }
  *error = std::strerror(errno);
  return {IoStatus::kFailed, 0};
}

IoResult PlainTransport::Read(std::span<uint8_t> into) {
  return SocketResult(::read(fd_, into.data(), into.size()),
                      IoStatus::kWantRead, &error_);
}

IoResult PlainTransport::Write(std::span<const uint8_t> bytes) {
  // MSG_NOSIGNAL: a peer gone away is an error, not a SIGPIPE.
  const long written = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  if (written == 0) return {IoStatus::kWantWrite, 0};
  return SocketResult(written, IoStatus::kWantWrite, &error_);
}

broker::TransportIdentity PlainTransport::Identity() const {
  broker::TransportIdentity identity;
  identity.has_certificate = false;
  identity.peer = peer_;
  return identity;
}

}  // namespace mqlab::server
