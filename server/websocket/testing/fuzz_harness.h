// The body of the ws_upgrade and ws_frames fuzz targets: one connection fed
// a byte stream in pieces, with the MQTT decoder behind it as the core would
// have it, judged by outcome_oracle.h. The "core" echoes every MQTT byte
// back through SendMqtt and ends the connection (Close 1000) on the first
// bytes the decoder refuses.
#ifndef MQLAB_SERVER_WEBSOCKET_TESTING_FUZZ_HARNESS_H_
#define MQLAB_SERVER_WEBSOCKET_TESTING_FUZZ_HARNESS_H_

#include <cstdint>
#include <span>
#include <string>

#include "server/websocket/connection.h"

namespace mqlab::server::websocket::testing {

// Small bounds, so that the fuzzer reaches the refusals with short inputs.
inline constexpr WebSocketOptions kFuzzOptions = {
    .path = "/mqtt",
    .max_request_size = 1024,
    .max_message_size = 512,
    .max_outgoing_frame_size = 100,
};

// Feeds `stream` cut where `split_seed` says (mqtt/testing's
// StreamSplitter) and returns the oracle's verdict (empty: allowed).
std::string RunConnection(uint8_t split_seed, std::span<const uint8_t> stream);

// The fuzz targets' input: byte 0 the split seed, the rest the stream, which
// follows `stream_prefix` (ws_frames: a valid upgrade request). Aborts with
// the oracle's verdict when it objects.
void RunFuzzInput(std::span<const uint8_t> input,
                  std::span<const uint8_t> stream_prefix);

}  // namespace mqlab::server::websocket::testing

#endif  // MQLAB_SERVER_WEBSOCKET_TESTING_FUZZ_HARNESS_H_
