// The secure-WebSockets listener's layer between TLS and the broker core:
// server/websocket/'s WebSocketConnection (HTTP/1.1 upgrade on /mqtt with
// subprotocol mqtt or mqttv3.1, binary frames, ping/pong, close codes, the
// frame-size limit) as a StreamFilter. The broker is told of the connection
// once the upgrade is accepted; the broker's packets of one loop turn are
// framed together when the loop flushes.
#ifndef MQLAB_SERVER_WEBSOCKET_FILTER_H_
#define MQLAB_SERVER_WEBSOCKET_FILTER_H_

#include <vector>

#include "server/stream_filter.h"
#include "server/websocket/connection.h"

namespace mqlab::server {

class WebSocketFilter final : public StreamFilter {
 public:
  explicit WebSocketFilter(const websocket::WebSocketOptions& options = {})
      : connection_(options) {}
  Verdict FromPeer(std::span<const uint8_t> bytes, ByteQueue* to_broker,
                   ByteQueue* to_peer) override;
  void ToPeer(std::span<const uint8_t> bytes, ByteQueue*) override {
    pending_mqtt_.insert(pending_mqtt_.end(), bytes.begin(), bytes.end());
  }
  void FlushToPeer(ByteQueue* to_peer) override;
  void CloseToPeer(ByteQueue* to_peer) override;
  bool Open() const override { return !connection_.subprotocol().empty(); }
  std::string error() const override { return connection_.closure().reason; }

 private:
  // Moves the connection's output to *to_peer.
  void TakeOutput(ByteQueue* to_peer);

  websocket::WebSocketConnection connection_;
  // The broker's bytes since the last flush (capacity kept).
  std::vector<uint8_t> pending_mqtt_;
};

}  // namespace mqlab::server

#endif  // MQLAB_SERVER_WEBSOCKET_FILTER_H_
