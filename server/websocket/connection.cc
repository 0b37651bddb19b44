#include "server/websocket/connection.h"

#include <wslay/wslay.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>

#include "base/check.h"

namespace mqlab::server::websocket {
namespace {

WebSocketConnection* Self(void* user_data) {
  return static_cast<WebSocketConnection*>(user_data);
}

// What wslay's own close codes mean here (it does not say which rule broke).
std::string WslayCloseReason(uint16_t code, uint64_t max_message_size) {
  switch (code) {
    case kCloseProtocolError:
      return "WebSocket protocol error (RFC 6455 section 5): an unmasked "
             "client frame, reserved bits or opcode, a bad fragment "
             "sequence, a bad control frame or close code";
    case kCloseMessageTooBig:
      return "a frame's payload exceeds " + std::to_string(max_message_size) +
             " bytes";
    case 1007:
      return "a close reason that is not UTF-8";
  }
  return "WebSocket close " + std::to_string(code);
}

}  // namespace

void WebSocketConnection::EventContextDeleter::operator()(
    wslay_event_context* context) const {
  wslay_event_context_free(context);
}

void WebSocketConnection::FrameContextDeleter::operator()(
    wslay_frame_context* context) const {
  wslay_frame_context_free(context);
}

WebSocketConnection::WebSocketConnection(const WebSocketOptions& options)
    : options_(options), upgrade_(options_.path, options_.max_request_size) {
  MQLAB_CHECK(options_.max_outgoing_frame_size > 0);
}

WebSocketConnection::~WebSocketConnection() = default;

ssize_t WebSocketConnection::OnRecv(wslay_event_context_ptr context,
                                    uint8_t* buffer, size_t size, int,
                                    void* user_data) {
  WebSocketConnection* self = Self(user_data);
  if (self->input_.empty()) {
    wslay_event_set_error(context, WSLAY_ERR_WOULDBLOCK);
    return -1;
  }
  const size_t taken = std::min(size, self->input_.size());
  std::copy_n(self->input_.begin(), taken, buffer);
  self->input_ = self->input_.subspan(taken);
  return static_cast<ssize_t>(taken);
}

ssize_t WebSocketConnection::OnEventSend(wslay_event_context_ptr,
                                         const uint8_t* data, size_t size, int,
                                         void* user_data) {
  Self(user_data)->output_.Append(std::span<const uint8_t>(data, size));
  return static_cast<ssize_t>(size);
}

ssize_t WebSocketConnection::OnFrameSend(const uint8_t* data, size_t size, int,
                                         void* user_data) {
  Self(user_data)->output_.Append(std::span<const uint8_t>(data, size));
  return static_cast<ssize_t>(size);
}

void WebSocketConnection::OnFrameStart(
    wslay_event_context_ptr, const wslay_event_on_frame_recv_start_arg* arg,
    void* user_data) {
  WebSocketConnection* self = Self(user_data);
  self->reading_mqtt_ = false;
  switch (arg->opcode) {
    case WSLAY_TEXT_FRAME:
      return self->Fail(kCloseUnsupportedData,
                        "a text frame: MQTT travels in binary frames only "
                        "[MQTT-6.0.0-1]");
    case WSLAY_BINARY_FRAME:
      self->message_size_ = 0;
      [[fallthrough]];
    case WSLAY_CONTINUATION_FRAME:
      // wslay has checked this frame against the bound; with buffering off
      // it does not add up a fragmented message's frames.
      self->message_size_ += arg->payload_length;
      if (self->message_size_ > self->options_.max_message_size) {
        return self->Fail(kCloseMessageTooBig,
                          "a fragmented message exceeds " +
                              std::to_string(self->options_.max_message_size) +
                              " bytes");
      }
      // After the server's close, the peer's data is not for the core.
      self->reading_mqtt_ = self->state_ == WebSocketState::kOpen;
      return;
  }
}

void WebSocketConnection::OnFrameChunk(
    wslay_event_context_ptr, const wslay_event_on_frame_recv_chunk_arg* arg,
    void* user_data) {
  WebSocketConnection* self = Self(user_data);
  if (self->reading_mqtt_) {
    self->mqtt_input_.Append(
        std::span<const uint8_t>(arg->data, arg->data_length));
  }
}

void WebSocketConnection::Feed(std::span<const uint8_t> bytes) {
  if (state_ == WebSocketState::kAwaitingUpgrade) {
    switch (upgrade_.Feed(&bytes)) {
      case UpgradeRequest::Status::kNeedMore:
        return;
      case UpgradeRequest::Status::kRefused:
        output_.Append(std::span<const uint8_t>(
            reinterpret_cast<const uint8_t*>(upgrade_.response().data()),
            upgrade_.response().size()));
        closure_.http_status = upgrade_.status_code();
        closure_.reason = upgrade_.refusal();
        state_ = WebSocketState::kClosed;
        return;
      case UpgradeRequest::Status::kAccepted:
        Open();
        break;
    }
  }
  if (state_ == WebSocketState::kOpen || state_ == WebSocketState::kClosing) {
    ReadFrames(bytes);
  }
}

void WebSocketConnection::Open() {
  output_.Append(std::span<const uint8_t>(
      reinterpret_cast<const uint8_t*>(upgrade_.response().data()),
      upgrade_.response().size()));
  static const wslay_event_callbacks kEventCallbacks = {
      .recv_callback = &WebSocketConnection::OnRecv,
      .send_callback = &WebSocketConnection::OnEventSend,
      .genmask_callback = nullptr,  // A server does not mask.
      .on_frame_recv_start_callback = &WebSocketConnection::OnFrameStart,
      .on_frame_recv_chunk_callback = &WebSocketConnection::OnFrameChunk,
      .on_frame_recv_end_callback = nullptr,
      .on_msg_recv_callback = nullptr,
  };
  wslay_event_context_ptr events = nullptr;
  MQLAB_CHECK(
      wslay_event_context_server_init(&events, &kEventCallbacks, this) == 0);
  events_.reset(events);
  // Data frames go to mqtt_input_ as they arrive, not gathered per message.
  wslay_event_config_set_no_buffering(events, 1);
  wslay_event_config_set_max_recv_msg_length(events, options_.max_message_size);
  static const wslay_frame_callbacks kFrameCallbacks = {
      .send_callback = &WebSocketConnection::OnFrameSend,
      .recv_callback = nullptr,
      .genmask_callback = nullptr,
  };
  wslay_frame_context_ptr frame_out = nullptr;
  MQLAB_CHECK(wslay_frame_context_init(&frame_out, &kFrameCallbacks, this) ==
              0);
  frame_out_.reset(frame_out);
  state_ = WebSocketState::kOpen;
}

void WebSocketConnection::ReadFrames(std::span<const uint8_t> bytes) {
  if (stream_broken_) return;
  input_ = bytes;
  const int received = wslay_event_recv(events_.get());
  input_ = {};
  if (received == WSLAY_ERR_CALLBACK_FAILURE) {
    // wslay's frame layer found a broken header (a control frame over 125
    // bytes or fragmented, a non-minimal length): it queued a close without
    // a code. The peer gets 1002 instead, unless a close was sent already.
    stream_broken_ = true;
    if (!wslay_event_get_close_sent(events_.get())) {
      WriteCloseFrame(kCloseProtocolError);
      closure_ = {.close_code = kCloseProtocolError,
                  .reason =
                      "WebSocket protocol error (RFC 6455 section 5.2): "
                      "a bad frame header"};
    }
    state_ = WebSocketState::kClosed;
    return;
  }
  MQLAB_CHECK_MSG(received == 0, "wslay_event_recv failed (out of memory)");
  MQLAB_CHECK(wslay_event_send(events_.get()) == 0);
  UpdateState();
}

void WebSocketConnection::Fail(uint16_t code, std::string reason) {
  reading_mqtt_ = false;
  wslay_event_shutdown_read(events_.get());
  // Fails only when a close is already queued or sent; that one stands.
  if (wslay_event_queue_close(events_.get(), code, nullptr, 0) == 0) {
    closure_ = {.close_code = code, .reason = std::move(reason)};
  }
}

void WebSocketConnection::WriteCloseFrame(uint16_t code) {
  const uint8_t payload[2] = {static_cast<uint8_t>(code >> 8),
                              static_cast<uint8_t>(code)};
  wslay_frame_iocb frame = {};
  frame.fin = 1;
  frame.opcode = WSLAY_CONNECTION_CLOSE;
  frame.payload_length = sizeof(payload);
  frame.data = payload;
  frame.data_length = sizeof(payload);
  MQLAB_CHECK(wslay_frame_send(frame_out_.get(), &frame) ==
              static_cast<ssize_t>(sizeof(payload)));
}

void WebSocketConnection::UpdateState() {
  wslay_event_context_ptr events = events_.get();
  if (closure_.close_code == 0 && wslay_event_get_close_sent(events)) {
    const uint16_t code = wslay_event_get_status_code_sent(events);
    closure_.close_code = code;
    closure_.by_peer = wslay_event_get_close_received(events);
    closure_.reason =
        closure_.by_peer
            ? "the peer closed with " +
                  std::to_string(wslay_event_get_status_code_received(events))
            : WslayCloseReason(code, options_.max_message_size);
  }
  if (!wslay_event_get_read_enabled(events)) {
    state_ = WebSocketState::kClosed;
  } else if (wslay_event_get_close_sent(events)) {
    state_ = WebSocketState::kClosing;
  }
}

bool WebSocketConnection::SendMqtt(std::span<const uint8_t> mqtt) {
  if (state_ != WebSocketState::kOpen) return false;
  while (!mqtt.empty()) {
    const size_t size = std::min(mqtt.size(), options_.max_outgoing_frame_size);
    wslay_frame_iocb frame = {};
    frame.fin = 1;
    frame.opcode = WSLAY_BINARY_FRAME;
    frame.payload_length = size;
    frame.data = mqtt.data();
    frame.data_length = size;
    MQLAB_CHECK(wslay_frame_send(frame_out_.get(), &frame) ==
                static_cast<ssize_t>(size));
    mqtt = mqtt.subspan(size);
  }
  return true;
}

void WebSocketConnection::Close(uint16_t code) {
  if (state_ == WebSocketState::kAwaitingUpgrade) {
    closure_.reason = "closed before the upgrade request was complete";
    state_ = WebSocketState::kClosed;
    return;
  }
  if (state_ != WebSocketState::kOpen) return;
  MQLAB_CHECK_MSG(code >= 1000 && code <= 4999 && code != kCloseNoStatus,
                  "a close code a server may send (RFC 6455 section 7.4)");
  MQLAB_CHECK(wslay_event_queue_close(events_.get(), code, nullptr, 0) == 0);
  closure_ = {.close_code = code, .reason = "closed by the server"};
  MQLAB_CHECK(wslay_event_send(events_.get()) == 0);
  UpdateState();
}

}  // namespace mqlab::server::websocket
