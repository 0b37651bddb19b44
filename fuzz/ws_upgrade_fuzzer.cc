// Fuzz target: an HTTP upgrade request, and whatever follows it, split at
// points taken from the input, into the server's WebSocket layer
// (server/websocket/) with the MQTT decoder behind it. Input: byte 0 the
// split seed, the rest the stream (server/websocket/testing/fuzz_harness.h).
// The oracle (outcome_oracle.h) aborts on an outcome the layer may not
// produce: a refusal that is not one clean HTTP response with its status,
// a 101 without the handshake's headers, frames that break the protocol.
#include <cstddef>
#include <cstdint>
#include <span>

#include "server/websocket/testing/fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mqlab::server::websocket::testing::RunFuzzInput(
      std::span<const uint8_t>(data, size), {});
  return 0;
}
