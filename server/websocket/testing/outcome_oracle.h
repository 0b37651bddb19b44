// The oracle of the WebSocket fuzz targets (and of tests): given the bytes a
// connection was fed and everything it produced, says whether the outcome
// is one the layer may produce. Checked:
//   - the upgrade: no answer only while the request may still be arriving;
//     a refusal is one HTTP response (400, 404, 426 with the version to use,
//     431 only past the size bound), "Connection: close", nothing after it,
//     no MQTT handed on, and the connection closed; an acceptance is a 101
//     with the upgrade headers and the subprotocol;
//   - the frames after a 101: whole frames, unmasked, fin set, no reserved
//     bits, binary, pong or close only; the binary frames carry exactly what
//     was sent; at most one close, last; and what the reference model
//     (reference_model.h) expects: the MQTT bytes, the pongs, the close code
//     and who began the close. After the server's own close (the core ended
//     the connection), the MQTT bytes must be a prefix of the expected ones.
#ifndef MQLAB_SERVER_WEBSOCKET_TESTING_OUTCOME_ORACLE_H_
#define MQLAB_SERVER_WEBSOCKET_TESTING_OUTCOME_ORACLE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "server/websocket/connection.h"

namespace mqlab::server::websocket::testing {

struct ConnectionOutcome {
  const WebSocketOptions* options = nullptr;
  // Every byte fed, and how many of them the upgrade request took.
  std::span<const uint8_t> input;
  size_t request_size = 0;
  // Every byte the connection wrote, handed on as MQTT, and was asked to
  // send as MQTT.
  std::span<const uint8_t> output;
  std::span<const uint8_t> mqtt;
  std::span<const uint8_t> sent_mqtt;
  WebSocketState state = WebSocketState::kAwaitingUpgrade;
  const WebSocketClosure* closure = nullptr;
  // Close(kCloseNormal) was called while the connection was open.
  bool server_closed = false;
};

// Empty when the outcome is allowed; otherwise what is wrong.
std::string CheckConnectionOutcome(const ConnectionOutcome& outcome);

}  // namespace mqlab::server::websocket::testing

#endif  // MQLAB_SERVER_WEBSOCKET_TESTING_OUTCOME_ORACLE_H_
