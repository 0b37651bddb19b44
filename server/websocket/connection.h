// One MQTT-over-WebSockets connection as an I/O-free state machine: bytes
// from the peer in (after TLS), bytes for the peer and MQTT bytes for the
// broker core out. It reads the HTTP/1.1 upgrade (upgrade_request.h), then
// frames with wslay's event API over in-memory buffers (no sockets).
//
// The MQTT stream is passed through as bytes: a packet may span frames and a
// frame may hold several packets ([MQTT-6.0.0-2]); decoding is the core's.
// What the peer gets (RFC 6455):
//   ping                        -> pong with the same payload
//   close                       -> the same code echoed; then kClosed
//   text frame                  -> close 1003 ([MQTT-6.0.0-1]: binary only)
//   unmasked frame, reserved bits or opcode, a bad fragment sequence, a
//   control frame over 125 bytes or fragmented, a bad close code
//                               -> close 1002
//   a frame, or a fragmented message, over max_message_size -> close 1009
// After any of these refusals nothing more is read and the state is
// kClosed: the caller writes output() and then closes the transport.
//
// Time is the caller's: it bounds kAwaitingUpgrade (the time to a complete
// upgrade request) and kClosing (the wait for the peer's close), and closes
// the transport when a bound passes.
#ifndef MQLAB_SERVER_WEBSOCKET_CONNECTION_H_
#define MQLAB_SERVER_WEBSOCKET_CONNECTION_H_

#include <wslay/wslay.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "server/websocket/byte_queue.h"
#include "server/websocket/upgrade_request.h"

namespace mqlab::server::websocket {

// RFC 6455 section 7.4.1 status codes this layer sends.
inline constexpr uint16_t kCloseNormal = 1000;
inline constexpr uint16_t kCloseGoingAway = 1001;
inline constexpr uint16_t kCloseProtocolError = 1002;
inline constexpr uint16_t kCloseUnsupportedData = 1003;
// Recorded for a close frame without a status code; never on the wire.
inline constexpr uint16_t kCloseNoStatus = 1005;
inline constexpr uint16_t kCloseMessageTooBig = 1009;

struct WebSocketOptions {
  // The request path of the MQTT endpoint (the text must outlive the
  // connection; a literal or the server's configuration).
  std::string_view path = "/mqtt";
  // Bound of the upgrade request's line and header fields (431 beyond).
  size_t max_request_size = 8 * 1024;
  // Largest incoming frame payload, and largest fragmented message (its
  // frames together): Event Grid's 512 KiB Maximum Packet Size plus room for
  // a client that batches packets into one frame (1009 beyond).
  uint64_t max_message_size = 576 * 1024;
  // SendMqtt cuts longer writes into frames of at most this payload.
  size_t max_outgoing_frame_size = 64 * 1024;
};

enum class WebSocketState {
  kAwaitingUpgrade,  // Reading the HTTP upgrade request.
  kOpen,             // MQTT flows both ways.
  kClosing,          // The server sent close; waiting for the peer's.
  kClosed,           // Done: write output(), then close the transport.
};

// How the connection ended (kClosing, kClosed).
struct WebSocketClosure {
  // The status of the refused upgrade; 0 when the upgrade succeeded or the
  // connection was closed before the request was complete.
  int http_status = 0;
  // The code of the close frame sent (kCloseNoStatus: one without a code;
  // 0: none, the connection ended at the HTTP stage).
  uint16_t close_code = 0;
  // The peer's close frame began the closing handshake (its code echoed).
  bool by_peer = false;
  // What happened, naming what was expected, for the connection log.
  std::string reason;
};

class WebSocketConnection {
 public:
  explicit WebSocketConnection(const WebSocketOptions& options = {});
  ~WebSocketConnection();
  WebSocketConnection(const WebSocketConnection&) = delete;
  WebSocketConnection& operator=(const WebSocketConnection&) = delete;

  // Reads bytes from the peer, split anywhere. Bytes that arrive once
  // nothing more is read (kClosed, or after a refusal) are dropped.
  void Feed(std::span<const uint8_t> bytes);

  // Bytes for the peer, in order, until consumed.
  std::span<const uint8_t> output() const { return output_.bytes(); }
  void ConsumeOutput(size_t size) { output_.Consume(size); }

  // MQTT bytes from the peer's binary frames, in order, until consumed.
  std::span<const uint8_t> mqtt_input() const { return mqtt_input_.bytes(); }
  void ConsumeMqttInput(size_t size) { mqtt_input_.Consume(size); }

  // Appends `mqtt` to output() as binary frames (one per
  // max_outgoing_frame_size bytes). Pass a whole batch of packets in one call
  // so that they share frames. Only while kOpen: returns false otherwise and
  // frames nothing. output() grows until consumed; the caller bounds it.
  bool SendMqtt(std::span<const uint8_t> mqtt);

  // Starts the closing handshake with `code` (kCloseNormal, kCloseGoingAway
  // on shutdown, ...): kOpen becomes kClosing. Before the upgrade the
  // connection just ends (kClosed, nothing to send). No effect later.
  void Close(uint16_t code);

  WebSocketState state() const { return state_; }
  const WebSocketClosure& closure() const { return closure_; }
  // Bytes of the stream the upgrade request took.
  size_t upgrade_request_size() const { return upgrade_.request_size(); }
  // "mqtt" or "mqttv3.1" once open.
  std::string_view subprotocol() const { return upgrade_.subprotocol(); }

 private:
  struct EventContextDeleter {
    void operator()(wslay_event_context* context) const;
  };
  struct FrameContextDeleter {
    void operator()(wslay_frame_context* context) const;
  };

  static ssize_t OnRecv(wslay_event_context_ptr context, uint8_t* buffer,
                        size_t size, int flags, void* user_data);
  static ssize_t OnEventSend(wslay_event_context_ptr context,
                             const uint8_t* data, size_t size, int flags,
                             void* user_data);
  static ssize_t OnFrameSend(const uint8_t* data, size_t size, int flags,
                             void* user_data);
  static void OnFrameStart(wslay_event_context_ptr context,
                           const wslay_event_on_frame_recv_start_arg* arg,
                           void* user_data);
  static void OnFrameChunk(wslay_event_context_ptr context,
                           const wslay_event_on_frame_recv_chunk_arg* arg,
                           void* user_data);

  void Open();
  void ReadFrames(std::span<const uint8_t> bytes);
  // Refuses what the peer sent: close `code`, read no more.
  void Fail(uint16_t code, std::string reason);
  // Writes a close frame through frame_out_ (when wslay's event layer gave
  // up on the stream without a code).
  void WriteCloseFrame(uint16_t code);
  // Records a close that wslay started (a protocol error it found, or the
  // peer's close) and derives the state from wslay's.
  void UpdateState();

  WebSocketOptions options_;
  UpgradeRequest upgrade_;
  WebSocketState state_ = WebSocketState::kAwaitingUpgrade;
  WebSocketClosure closure_;
  std::unique_ptr<wslay_event_context, EventContextDeleter> events_;
  // Writes the outgoing binary frames without wslay's per-message copy.
  std::unique_ptr<wslay_frame_context, FrameContextDeleter> frame_out_;
  // The bytes being fed, read by OnRecv.
  std::span<const uint8_t> input_;
  // The frame being read carries MQTT bytes (binary or its continuation).
  bool reading_mqtt_ = false;
  uint64_t message_size_ = 0;
  // The stream broke at wslay's frame layer: nothing more is read.
  bool stream_broken_ = false;
  ByteQueue output_;
  ByteQueue mqtt_input_;
};

}  // namespace mqlab::server::websocket

#endif  // MQLAB_SERVER_WEBSOCKET_CONNECTION_H_
