// What a WebSocket client sends, built byte by byte for tests, fuzz seeds
// and the fuzz targets: the upgrade request and frames (masked or, to test
// the refusal, not). Written apart from wslay so that the tests do not check
// the library against itself.
#ifndef MQLAB_SERVER_WEBSOCKET_TESTING_CLIENT_FRAMES_H_
#define MQLAB_SERVER_WEBSOCKET_TESTING_CLIENT_FRAMES_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace mqlab::server::websocket::testing {

// RFC 6455 section 5.2 opcodes.
inline constexpr uint8_t kContinuation = 0x0;
inline constexpr uint8_t kText = 0x1;
inline constexpr uint8_t kBinary = 0x2;
inline constexpr uint8_t kClose = 0x8;
inline constexpr uint8_t kPing = 0x9;
inline constexpr uint8_t kPong = 0xA;

// The example key of RFC 6455 section 1.3 and its Sec-WebSocket-Accept.
inline constexpr char kExampleKey[] = "dGhlIHNhbXBsZSBub25jZQ==";
inline constexpr char kExampleAccept[] = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

// The fields of an upgrade request; an empty value leaves the header out.
struct UpgradeRequestFields {
  std::string method = "GET";
  std::string target = "/mqtt";
  std::string http_version = "HTTP/1.1";
  std::string host = "broker.example";
  std::string upgrade = "websocket";
  std::string connection = "Upgrade";
  std::string websocket_version = "13";
  std::string key = kExampleKey;
  std::string protocol = "mqtt";
  std::string extra_headers = "";  // Whole lines, each ending in "\r\n".
};

std::string UpgradeRequestText(const UpgradeRequestFields& fields = {});

struct ClientFrame {
  uint8_t opcode = kBinary;
  bool fin = true;
  uint8_t rsv = 0;  // RSV1..RSV3 as bits 2..0.
  bool masked = true;
  uint32_t mask_key = 0x37FA213D;
  // Encode the length in 8 bytes even when it fits in fewer (not minimal).
  bool long_length = false;
  std::vector<uint8_t> payload = {};
};

void AppendClientFrame(const ClientFrame& frame, std::vector<uint8_t>* out);
std::vector<uint8_t> ClientFrameBytes(const ClientFrame& frame);

// A close frame's payload: the code, big-endian, then the reason.
std::vector<uint8_t> ClosePayload(uint16_t code, std::string_view reason = "");

std::vector<uint8_t> Bytes(std::string_view text);

}  // namespace mqlab::server::websocket::testing

#endif  // MQLAB_SERVER_WEBSOCKET_TESTING_CLIENT_FRAMES_H_
