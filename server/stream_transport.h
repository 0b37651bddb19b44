// The byte stream a connection runs on, owned by the event loop: a plain TCP
// socket (plain_transport.h) or TLS over one (tls_transport.h). Everything is
// non-blocking; a call that cannot progress says which way the socket must
// become ready.
#ifndef MQLAB_SERVER_STREAM_TRANSPORT_H_
#define MQLAB_SERVER_STREAM_TRANSPORT_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "broker/identity.h"

namespace mqlab::server {

enum class IoStatus : uint8_t {
  kDone,        // Progress: `bytes` moved (for Handshake: established).
  kWantRead,    // Retry when the socket is readable.
  kWantWrite,   // Retry when the socket is writable.
  kPeerClosed,  // Orderly end of stream.
  kFailed,      // Reset, protocol error, refused handshake: see error().
};

struct IoResult {
  IoStatus status = IoStatus::kDone;
  size_t bytes = 0;
};

class StreamTransport {
 public:
  virtual ~StreamTransport() = default;
  // Advances the handshake (plain TCP has none: kDone at once).
  virtual IoResult Handshake() = 0;
  virtual IoResult Read(std::span<uint8_t> into) = 0;
  virtual IoResult Write(std::span<const uint8_t> bytes) = 0;
  // Input already taken off the socket but not yet returned by Read (TLS
  // records decrypted ahead): the socket will not signal it again.
  virtual bool HasBufferedInput() const = 0;
  // After an established handshake: who the peer proved to be.
  virtual broker::TransportIdentity Identity() const = 0;
  // Why the last call failed, for the log.
  virtual std::string error() const = 0;
};

}  // namespace mqlab::server

#endif  // MQLAB_SERVER_STREAM_TRANSPORT_H_
