#include "server/websocket_filter.h"

namespace mqlab::server {

void WebSocketFilter::TakeOutput(ByteQueue* to_peer) {
  to_peer->Append(connection_.output());
  connection_.ConsumeOutput(connection_.output().size());
}

StreamFilter::Verdict WebSocketFilter::FromPeer(std::span<const uint8_t> bytes,
                                                ByteQueue* to_broker,
                                                ByteQueue* to_peer) {
  connection_.Feed(bytes);
  to_broker->Append(connection_.mqtt_input());
  connection_.ConsumeMqttInput(connection_.mqtt_input().size());
  TakeOutput(to_peer);
  return connection_.state() == websocket::WebSocketState::kClosed
             ? Verdict::kClose
             : Verdict::kContinue;
}

void WebSocketFilter::FlushToPeer(ByteQueue* to_peer) {
  if (!pending_mqtt_.empty()) {
    // False once closing: the peer no longer reads MQTT.
    connection_.SendMqtt(pending_mqtt_);
    pending_mqtt_.clear();
  }
  TakeOutput(to_peer);
}

void WebSocketFilter::CloseToPeer(ByteQueue* to_peer) {
  FlushToPeer(to_peer);
  connection_.Close(websocket::kCloseNormal);
  TakeOutput(to_peer);
}

}  // namespace mqlab::server
