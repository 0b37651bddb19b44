#include "server/websocket/testing/reference_model.h"

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "server/websocket/testing/client_frames.h"

namespace mqlab::server::websocket::testing {
namespace {

bool IsControl(uint8_t opcode) { return (opcode & 0x8) != 0; }

bool IsKnownOpcode(uint8_t opcode) {
  return opcode == kText || opcode == kBinary || opcode == kClose ||
         opcode == kPing || opcode == kPong;
}

// RFC 6455 section 7.4: the codes a close frame may carry.
bool IsValidCloseCode(uint16_t code) {
  return (code >= 1000 && code <= 1011 && code != 1004 && code != 1005 &&
          code != 1006) ||
         (code >= 3000 && code <= 4999);
}

}  // namespace

ExpectedFrames ExpectedFromClientStream(std::span<const uint8_t> stream,
                                        uint64_t max_message_size) {
  ExpectedFrames expected;
  const auto refuse = [&expected](uint16_t code) {
    expected.close_code = code;
    return expected;
  };
  bool in_message = false;  // A fragmented binary message is open.
  uint64_t message_size = 0;
  size_t at = 0;
  while (stream.size() - at >= 2) {
    const size_t available = stream.size() - at;
    const bool fin = stream[at] & 0x80;
    const uint8_t rsv = (stream[at] >> 4) & 7;
    const uint8_t opcode = stream[at] & 0xF;
    const bool masked = stream[at + 1] & 0x80;
    const uint8_t length_code = stream[at + 1] & 0x7F;
    if (IsControl(opcode) && (length_code > 125 || !fin)) return refuse(1002);
    size_t header = 2;
    uint64_t length = length_code;
    if (length_code >= 126) {
      const size_t length_bytes = length_code == 126 ? 2 : 8;
      if (available < 2 + length_bytes) break;
      length = 0;
      for (size_t i = 0; i < length_bytes; ++i) {
        length = length << 8 | stream[at + 2 + i];
      }
      header += length_bytes;
      if (length_code == 126 ? length < 126
                             : (length < 0x10000 || length >> 63 != 0)) {
        return refuse(1002);
      }
    }
    uint8_t key[4] = {0, 0, 0, 0};
    if (masked) {
      if (available < header + 4) break;
      std::copy_n(stream.begin() + at + header, 4, key);
      header += 4;
    }
    const uint64_t payload_available =
        std::min<uint64_t>(length, available - header);
    if (length > 0 && payload_available == 0) break;
    if (rsv != 0 || !masked) return refuse(1002);
    // Inside a fragmented message: a continuation or a known control frame.
    if (in_message ? !(opcode == kContinuation ||
                       (IsControl(opcode) && IsKnownOpcode(opcode)))
                   : !IsKnownOpcode(opcode)) {
      return refuse(1002);
    }
    if (length > max_message_size) return refuse(1009);
    if (opcode == kText) return refuse(1003);
    if (opcode == kBinary) message_size = 0;
    if (opcode == kBinary || opcode == kContinuation) {
      message_size += length;
      if (message_size > max_message_size) return refuse(1009);
    }
    std::vector<uint8_t> payload;
    for (uint64_t i = 0; i < payload_available; ++i) {
      payload.push_back(stream[at + header + i] ^ key[i % 4]);
    }
    if (opcode == kBinary || opcode == kContinuation) {
      expected.mqtt.insert(expected.mqtt.end(), payload.begin(), payload.end());
    }
    if (opcode == kClose && payload.size() > 2) {
      expected.close_has_reason = true;
    }
    if (payload_available < length) break;  // The stream ends in this frame.
    at += header + length;
    if (opcode == kClose) {
      if (payload.size() < 2) {
        expected.by_peer = true;
        return refuse(1005);
      }
      const uint16_t code = static_cast<uint16_t>(payload[0] << 8 | payload[1]);
      if (!IsValidCloseCode(code)) return refuse(1002);
      expected.by_peer = true;
      return refuse(code);
    }
    if (opcode == kPing) expected.pongs.push_back(std::move(payload));
    if (opcode == kBinary || opcode == kContinuation) in_message = !fin;
  }
  return expected;
}

}  // namespace mqlab::server::websocket::testing
