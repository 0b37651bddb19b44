// Fuzz target: a client's frame stream after a valid upgrade request, split
// at points taken from the input, into the server's WebSocket layer
// (server/websocket/) with the MQTT decoder behind it. Input: byte 0 the
// split seed, the rest the frames (server/websocket/testing/fuzz_harness.h).
// The oracle (outcome_oracle.h) compares the outcome with a reference model
// of the stream: the MQTT bytes handed on, the pongs, and every refusal a
// close frame with the right code (1002, 1003, 1009, or the peer's echoed).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "server/websocket/testing/client_frames.h"
#include "server/websocket/testing/fuzz_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string request =
      mqlab::server::websocket::testing::UpgradeRequestText();
  mqlab::server::websocket::testing::RunFuzzInput(
      std::span<const uint8_t>(data, size),
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(request.data()),
                               request.size()));
  return 0;
}
