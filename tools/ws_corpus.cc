#include "tools/ws_corpus.h"

#include <cstdint>
#include <string>
#include <vector>

#include "server/websocket/testing/client_frames.h"

namespace mqlab::tools {
namespace {

using server::websocket::testing::AppendClientFrame;
using server::websocket::testing::Bytes;
using server::websocket::testing::ClientFrame;
using server::websocket::testing::ClosePayload;
using server::websocket::testing::kBinary;
using server::websocket::testing::kClose;
using server::websocket::testing::kContinuation;
using server::websocket::testing::kPing;
using server::websocket::testing::kText;
using server::websocket::testing::UpgradeRequestFields;
using server::websocket::testing::UpgradeRequestText;

// An MQTT 5 CONNECT (ClientId "a", keep-alive 60) and a PINGREQ.
const std::vector<uint8_t> kConnect = {0x10, 0x0E, 0x00, 0x04, 'M',  'Q',
                                       'T',  'T',  0x05, 0x02, 0x00, 0x3C,
                                       0x00, 0x00, 0x01, 'a'};
const std::vector<uint8_t> kPingreq = {0xC0, 0x00};

// Split seeds: 0 (whole) and 3 (pieces of 1 to 6 bytes).
constexpr uint8_t kSplitSeeds[] = {0, 3};

CorpusFile Input(std::string name, uint8_t split_seed,
                 const std::vector<uint8_t>& stream) {
  std::vector<uint8_t> bytes = {split_seed};
  bytes.insert(bytes.end(), stream.begin(), stream.end());
  return {name + "-split" + std::to_string(split_seed) + ".bin",
          std::move(bytes)};
}

std::vector<uint8_t> Frames(const std::vector<ClientFrame>& frames) {
  std::vector<uint8_t> bytes;
  for (const ClientFrame& frame : frames) AppendClientFrame(frame, &bytes);
  return bytes;
}

std::vector<uint8_t> Concat(std::vector<uint8_t> a,
                            const std::vector<uint8_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

std::vector<CorpusFile> MakeWsUpgradeCorpus() {
  const std::vector<std::pair<std::string, UpgradeRequestFields>> requests = {
      {"rfc6455-example", {}},
      {"mqttv31", {.protocol = "mqttv3.1"}},
      {"no-subprotocol", {.protocol = ""}},
      {"wrong-path", {.target = "/ws"}},
      {"version-8", {.websocket_version = "8"}},
      {"no-upgrade", {.upgrade = ""}},
      {"no-connection-upgrade", {.connection = "close"}},
      {"bad-key", {.key = "c2hvcnQ="}},
      {"post", {.method = "POST"}},
      {"http10", {.http_version = "HTTP/1.0"}},
      {"body", {.extra_headers = "Transfer-Encoding: chunked\r\n"}},
      {"oversized",
       {.extra_headers = "X-Pad: " + std::string(1100, 'p') + "\r\n"}},
  };
  std::vector<CorpusFile> files;
  for (const auto& [name, fields] : requests) {
    for (uint8_t seed : kSplitSeeds) {
      files.push_back(Input(name, seed, Bytes(UpgradeRequestText(fields))));
    }
  }
  // The client's first frame right behind its request.
  files.push_back(Input(
      "with-connect", 0,
      Concat(Bytes(UpgradeRequestText()), Frames({{.payload = kConnect}}))));
  return files;
}

std::vector<CorpusFile> MakeWsFramesCorpus() {
  const std::vector<uint8_t> connect_pingreq = Concat(kConnect, kPingreq);
  const std::vector<std::pair<std::string, std::vector<uint8_t>>> streams = {
      {"connect", Frames({{.payload = kConnect}})},
      {"connect-pingreq-one-frame", Frames({{.payload = connect_pingreq}})},
      {"connect-across-frames",
       Frames(
           {{.fin = false, .payload = {kConnect.begin(), kConnect.begin() + 5}},
            {.opcode = kContinuation,
             .payload = {kConnect.begin() + 5, kConnect.end()}},
            {.payload = kPingreq}})},
      {"ping-in-fragmented",
       Frames(
           {{.fin = false, .payload = {kConnect.begin(), kConnect.begin() + 5}},
            {.opcode = kPing, .payload = Bytes("p")},
            {.opcode = kContinuation,
             .payload = {kConnect.begin() + 5, kConnect.end()}}})},
      {"ping-close",
       Frames({{.payload = kConnect},
               {.opcode = kPing, .payload = Bytes("hi")},
               {.opcode = kClose, .payload = ClosePayload(1000, "bye")}})},
      {"close-empty", Frames({{.opcode = kClose}})},
      {"close-bad-code",
       Frames({{.opcode = kClose, .payload = ClosePayload(999)}})},
      {"close-bad-utf8",
       Frames({{.opcode = kClose, .payload = ClosePayload(1000, "\xC3\x28")}})},
      {"text", Frames({{.opcode = kText, .payload = Bytes("{}")}})},
      {"unmasked", Frames({{.masked = false, .payload = kConnect}})},
      {"reserved-bits", Frames({{.rsv = 4, .payload = kConnect}})},
      {"reserved-opcode", Frames({{.opcode = 0x3, .payload = kConnect}})},
      {"continuation-alone",
       Frames({{.opcode = kContinuation, .payload = kConnect}})},
      {"control-126",
       Frames({{.opcode = kPing, .payload = std::vector<uint8_t>(126)}})},
      {"long-length", Frames({{.long_length = true, .payload = kConnect}})},
      {"oversized-frame", Frames({{.payload = std::vector<uint8_t>(513)}})},
      {"oversized-message",
       Frames(
           {{.fin = false, .payload = std::vector<uint8_t>(300)},
            {.opcode = kContinuation, .payload = std::vector<uint8_t>(300)}})},
      {"binary-16bit-length",
       Frames({{.opcode = kBinary, .payload = std::vector<uint8_t>(200)}})},
  };
  std::vector<CorpusFile> files;
  for (const auto& [name, stream] : streams) {
    for (uint8_t seed : kSplitSeeds) files.push_back(Input(name, seed, stream));
  }
  return files;
}

}  // namespace mqlab::tools
