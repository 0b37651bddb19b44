// A protocol layer between the transport and the broker core, I/O-free:
// bytes from the peer go in and come out as MQTT bytes for the broker (and
// maybe answers for the peer); the broker's MQTT bytes go in and come out in
// the peer's wire form. Filters stack on the transport in the order
//
//   socket ─ TLS (StreamTransport) ─ WebSocket (StreamFilter) ─ broker
//
// and the event loop calls them without knowing which they are. The
// WebSocket layer (server/websocket/) and the development listener's CONNECT
// filter (dev_connect_filter.h) are filters.
#ifndef MQLAB_SERVER_STREAM_FILTER_H_
#define MQLAB_SERVER_STREAM_FILTER_H_

#include <cstdint>
#include <span>
#include <string>

#include "server/byte_queue.h"

namespace mqlab::server {

class StreamFilter {
 public:
  enum class Verdict : uint8_t {
    kContinue,
    // The peer broke the protocol or asked to close: flush *to_peer (a
    // refusal, a close frame), then close. error() says why.
    kClose,
  };
  virtual ~StreamFilter() = default;
  // Bytes from the peer, in order. Appends what the broker receives to
  // *to_broker and what goes straight back to the peer (an HTTP answer, a
  // pong) to *to_peer.
  virtual Verdict FromPeer(std::span<const uint8_t> bytes, ByteQueue* to_broker,
                           ByteQueue* to_peer) = 0;
  // MQTT bytes the broker sends: appends their wire form to *to_peer, or
  // holds them until FlushToPeer (a layer that frames a batch at once).
  virtual void ToPeer(std::span<const uint8_t> bytes, ByteQueue* to_peer) = 0;
  // The event loop is about to write *to_peer: what ToPeer held goes there.
  virtual void FlushToPeer(ByteQueue* to_peer) = 0;
  // The broker closed the connection: the layer's goodbye (a close frame)
  // after what was flushed.
  virtual void CloseToPeer(ByteQueue* to_peer) = 0;
  // Whether the broker may be told of the connection (a WebSocket upgrade
  // accepted). Checked after each FromPeer; once true it stays true.
  virtual bool Open() const = 0;
  virtual std::string error() const = 0;
};

}  // namespace mqlab::server

#endif  // MQLAB_SERVER_STREAM_FILTER_H_
