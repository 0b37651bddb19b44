#include "server/websocket/testing/client_frames.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mqlab::server::websocket::testing {
namespace {

void AppendHeader(std::string_view name, const std::string& value,
                  std::string* out) {
  if (value.empty()) return;
  out->append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

std::string UpgradeRequestText(const UpgradeRequestFields& fields) {
  std::string text =
      fields.method + " " + fields.target + " " + fields.http_version + "\r\n";
  AppendHeader("Host", fields.host, &text);
  AppendHeader("Upgrade", fields.upgrade, &text);
  AppendHeader("Connection", fields.connection, &text);
  AppendHeader("Sec-WebSocket-Version", fields.websocket_version, &text);
  AppendHeader("Sec-WebSocket-Key", fields.key, &text);
  AppendHeader("Sec-WebSocket-Protocol", fields.protocol, &text);
  text += fields.extra_headers;
  text += "\r\n";
  return text;
}

void AppendClientFrame(const ClientFrame& frame, std::vector<uint8_t>* out) {
  out->push_back(static_cast<uint8_t>(
      (frame.fin ? 0x80 : 0) | (frame.rsv & 7) << 4 | (frame.opcode & 0xF)));
  const uint8_t mask_bit = frame.masked ? 0x80 : 0;
  const uint64_t size = frame.payload.size();
  if (frame.long_length || size > 0xFFFF) {
    out->push_back(mask_bit | 127);
    for (int shift = 56; shift >= 0; shift -= 8) {
      out->push_back(static_cast<uint8_t>(size >> shift));
    }
  } else if (size > 125) {
    out->push_back(mask_bit | 126);
    out->push_back(static_cast<uint8_t>(size >> 8));
    out->push_back(static_cast<uint8_t>(size));
  } else {
    out->push_back(static_cast<uint8_t>(mask_bit | size));
  }
  const uint8_t key[4] = {static_cast<uint8_t>(frame.mask_key >> 24),
                          static_cast<uint8_t>(frame.mask_key >> 16),
                          static_cast<uint8_t>(frame.mask_key >> 8),
                          static_cast<uint8_t>(frame.mask_key)};
  if (frame.masked) out->insert(out->end(), key, key + 4);
  for (size_t i = 0; i < frame.payload.size(); ++i) {
    out->push_back(frame.masked ? frame.payload[i] ^ key[i % 4]
                                : frame.payload[i]);
  }
}

std::vector<uint8_t> ClientFrameBytes(const ClientFrame& frame) {
  std::vector<uint8_t> out;
  AppendClientFrame(frame, &out);
  return out;
}

std::vector<uint8_t> ClosePayload(uint16_t code, std::string_view reason) {
  std::vector<uint8_t> payload(2 + reason.size());
  payload[0] = static_cast<uint8_t>(code >> 8);
  payload[1] = static_cast<uint8_t>(code);
  std::copy(reason.begin(), reason.end(), payload.begin() + 2);
  return payload;
}

std::vector<uint8_t> Bytes(std::string_view text) {
  return std::vector<uint8_t>(text.begin(), text.end());
}

}  // namespace mqlab::server::websocket::testing
