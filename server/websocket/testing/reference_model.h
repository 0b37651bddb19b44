// A reference of what the WebSocket layer must make of a client's frame
// stream (after the upgrade), written apart from wslay: the MQTT bytes it
// hands on, the pongs it sends and the close it answers with. It reads the
// whole stream at once, so comparing it with a connection fed the same
// stream in pieces also checks that the split points change nothing.
//
// It follows RFC 6455 and MQTT chapter 6 as the layer applies them, in the
// order wslay checks a frame: a control frame over 125 bytes or fragmented
// (seen in its first two bytes), a length not in its shortest form, then,
// once the header and a first payload byte (or an empty payload) are in:
// reserved bits or no mask, an opcode that is reserved or out of sequence,
// a frame over the size bound (1002, 1002, 1009), then the layer's own text
// (1003) and fragmented-message bound (1009).
#ifndef MQLAB_SERVER_WEBSOCKET_TESTING_REFERENCE_MODEL_H_
#define MQLAB_SERVER_WEBSOCKET_TESTING_REFERENCE_MODEL_H_

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace mqlab::server::websocket::testing {

struct ExpectedFrames {
  std::vector<uint8_t> mqtt;
  std::vector<std::vector<uint8_t>> pongs;
  // The code of the close the server sends (1005: one without a code).
  std::optional<uint16_t> close_code;
  // The close echoes the peer's.
  bool by_peer = false;
  // The peer's close carries reason bytes. wslay checks a close reason's
  // UTF-8 per chunk of the frame, skipping the first two bytes of every
  // chunk, so whether it answers 1007 depends on how the frame arrived, not
  // on the reason: 1007 is accepted for any close with a reason.
  bool close_has_reason = false;
};

ExpectedFrames ExpectedFromClientStream(std::span<const uint8_t> stream,
                                        uint64_t max_message_size);

}  // namespace mqlab::server::websocket::testing

#endif  // MQLAB_SERVER_WEBSOCKET_TESTING_REFERENCE_MODEL_H_
