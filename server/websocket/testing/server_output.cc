#include "server/websocket/testing/server_output.h"

#include <cctype>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/websocket/testing/client_frames.h"

namespace mqlab::server::websocket::testing {
namespace {

// Reads the response head and body; returns the bytes after it.
std::span<const uint8_t> ReadResponse(std::span<const uint8_t> bytes,
                                      ServerOutput* output) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()),
                              bytes.size());
  const size_t end = text.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    output->error = "the HTTP response head does not end";
    return {};
  }
  std::string_view head = text.substr(0, end + 2);
  const size_t line_end = head.find("\r\n");
  const std::string_view status_line = head.substr(0, line_end);
  if (status_line.size() < 12 || status_line.substr(0, 9) != "HTTP/1.1 ") {
    output->error = "bad status line: " + std::string(status_line);
    return {};
  }
  output->http_status = std::stoi(std::string(status_line.substr(9, 3)));
  head.remove_prefix(line_end + 2);
  while (!head.empty()) {
    const size_t eol = head.find("\r\n");
    const std::string_view line = head.substr(0, eol);
    const size_t colon = line.find(": ");
    if (colon == std::string_view::npos) {
      output->error = "bad header line: " + std::string(line);
      return {};
    }
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(c));
    output->headers.emplace_back(name, std::string(line.substr(colon + 2)));
    head.remove_prefix(eol + 2);
  }
  size_t body_size = 0;
  if (const auto length = output->Header("content-length")) {
    body_size = std::stoul(*length);
  }
  if (text.size() - end - 4 < body_size) {
    output->error = "the HTTP body is shorter than its Content-Length";
    return {};
  }
  output->body = std::string(text.substr(end + 4, body_size));
  return bytes.subspan(end + 4 + body_size);
}

void ReadFrames(std::span<const uint8_t> bytes, ServerOutput* output) {
  size_t at = 0;
  while (at < bytes.size()) {
    const size_t start = at;
    if (bytes.size() - at < 2) break;
    ServerFrame frame;
    frame.fin = bytes[at] & 0x80;
    frame.rsv = (bytes[at] >> 4) & 7;
    frame.opcode = bytes[at] & 0xF;
    frame.masked = bytes[at + 1] & 0x80;
    uint64_t size = bytes[at + 1] & 0x7F;
    at += 2;
    const size_t length_bytes = size == 126 ? 2 : size == 127 ? 8 : 0;
    if (bytes.size() - at < length_bytes) {
      at = start;
      break;
    }
    if (length_bytes > 0) size = 0;
    for (size_t i = 0; i < length_bytes; ++i) size = size << 8 | bytes[at++];
    uint8_t key[4] = {0, 0, 0, 0};
    if (frame.masked) {
      if (bytes.size() - at < 4) {
        at = start;
        break;
      }
      for (uint8_t& k : key) k = bytes[at++];
    }
    if (bytes.size() - at < size) {
      at = start;
      break;
    }
    for (uint64_t i = 0; i < size; ++i) {
      frame.payload.push_back(bytes[at++] ^ key[i % 4]);
    }
    output->frames.push_back(std::move(frame));
  }
  if (at != bytes.size()) {
    output->error = "a frame is cut off at byte " + std::to_string(at) +
                    " of the frame stream";
  }
}

}  // namespace

std::optional<std::string> ServerOutput::Header(const std::string& name) const {
  for (const auto& [field, value] : headers) {
    if (field == name) return value;
  }
  return std::nullopt;
}

std::optional<uint16_t> ServerOutput::CloseCode() const {
  for (const ServerFrame& frame : frames) {
    if (frame.opcode != kClose) continue;
    if (frame.payload.size() < 2) return 1005;
    return static_cast<uint16_t>(frame.payload[0] << 8 | frame.payload[1]);
  }
  return std::nullopt;
}

std::vector<uint8_t> ServerOutput::BinaryPayload() const {
  std::vector<uint8_t> bytes;
  for (const ServerFrame& frame : frames) {
    if (frame.opcode == kBinary) {
      bytes.insert(bytes.end(), frame.payload.begin(), frame.payload.end());
    }
  }
  return bytes;
}

ServerOutput ReadServerOutput(std::span<const uint8_t> bytes) {
  ServerOutput output;
  if (bytes.empty()) return output;
  const std::span<const uint8_t> rest = ReadResponse(bytes, &output);
  if (output.error.empty()) ReadFrames(rest, &output);
  return output;
}

}  // namespace mqlab::server::websocket::testing
