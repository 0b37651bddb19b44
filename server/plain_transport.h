// Plain TCP: the development listener's transport. The peer has no
// certificate; the broker authenticates it by Username (dev mode only).
#ifndef MQLAB_SERVER_PLAIN_TRANSPORT_H_
#define MQLAB_SERVER_PLAIN_TRANSPORT_H_

#include <string>

#include "server/stream_transport.h"

namespace mqlab::server {

class PlainTransport final : public StreamTransport {
 public:
  // `fd` is a connected non-blocking socket; the event loop owns it.
  PlainTransport(int fd, std::string peer) : fd_(fd), peer_(std::move(peer)) {}
  IoResult Handshake() override { return {}; }
  IoResult Read(std::span<uint8_t> into) override;
  IoResult Write(std::span<const uint8_t> bytes) override;
  bool HasBufferedInput() const override { return false; }
  broker::TransportIdentity Identity() const override;
  std::string error() const override { return error_; }

 private:
  int fd_;
  std::string peer_;
  std::string error_;
};

// A read(2)/write(2) result as an IoResult; errno is read when `result` < 0.
IoResult SocketResult(long result, IoStatus would_block, std::string* error);

}  // namespace mqlab::server

#endif  // MQLAB_SERVER_PLAIN_TRANSPORT_H_
