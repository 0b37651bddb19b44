// Reads what the server wrote, as a client would, written apart from wslay
// and libhttp-parser: the HTTP response to the upgrade, then frames.
#ifndef MQLAB_SERVER_WEBSOCKET_TESTING_SERVER_OUTPUT_H_
#define MQLAB_SERVER_WEBSOCKET_TESTING_SERVER_OUTPUT_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace mqlab::server::websocket::testing {

struct ServerFrame {
  bool fin = false;
  uint8_t rsv = 0;
  uint8_t opcode = 0;
  bool masked = false;
  std::vector<uint8_t> payload;  // Unmasked.
};

struct ServerOutput {
  int http_status = 0;  // 0: no response (nothing written yet).
  // Header fields in order, names lower-cased, values as sent.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::vector<ServerFrame> frames;
  // Non-empty when the bytes are not a response followed by whole frames:
  // says what and where.
  std::string error;

  // The value of header `name` (lower case), if present.
  std::optional<std::string> Header(const std::string& name) const;
  // The status code of the close frame among `frames`: 1005 for one without
  // a code; nullopt when there is none.
  std::optional<uint16_t> CloseCode() const;
  // The MQTT bytes of the binary frames.
  std::vector<uint8_t> BinaryPayload() const;
};

ServerOutput ReadServerOutput(std::span<const uint8_t> bytes);

}  // namespace mqlab::server::websocket::testing

#endif  // MQLAB_SERVER_WEBSOCKET_TESTING_SERVER_OUTPUT_H_
