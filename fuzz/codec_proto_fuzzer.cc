// Fuzz target: a stream of grammar packets (fuzz/mqtt_session.proto,
// CodecStream), valid or deliberately wrong, serialized by
// fuzz/session_wire.h apart from the encoder, cut at the input's split
// points and fed to the streaming decoder. Each packet's outcome (a packet,
// a refusal and its reason code, or a wait for more bytes) must be the one
// fuzz/codec_expectation.h derives from the specification; a mismatch
// aborts with both.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "fuzz/codec_expectation.h"
#include "fuzz/mqtt_session.pb.h"
#include "fuzz/session_wire.h"
#include "mqtt/decoder.h"
#include "src/libfuzzer/libfuzzer_macro.h"

namespace {

using mqlab::fuzz::CodecStream;
using mqlab::fuzz::EncodedPacket;
using mqlab::fuzz::Expectation;

// Stops the stream's packets at this many (bigger inputs add little).
constexpr int kMaximumPackets = 64;

[[noreturn]] void Mismatch(int index, const std::string& what) {
  std::fprintf(stderr, "codec_proto: packet %d: %s\n", index, what.c_str());
  std::abort();
}

}  // namespace

DEFINE_BINARY_PROTO_FUZZER(const CodecStream& stream) {
  mqlab::fuzz::PacketContext context;
  context.version = stream.version();
  context.client_name = "client-0";
  context.other_name = "client-1";
  const uint32_t maximum_packet_size =
      stream.has_maximum_packet_size()
          ? std::clamp<uint32_t>(stream.maximum_packet_size(), 2,
                                 mqlab::mqtt::kProtocolMaximumPacketSize)
          : mqlab::mqtt::kProtocolMaximumPacketSize;
  std::vector<uint8_t> bytes;
  std::vector<Expectation> expected;
  for (const mqlab::fuzz::Packet& packet : stream.packet()) {
    if (static_cast<int>(expected.size()) == kMaximumPackets) break;
    const EncodedPacket encoded = mqlab::fuzz::EncodePacket(packet, context);
    bytes.insert(bytes.end(), encoded.bytes.begin(), encoded.bytes.end());
    expected.push_back(mqlab::fuzz::ExpectDecode(packet, context, encoded,
                                                 maximum_packet_size));
    if (encoded.incomplete) break;  // Nothing after it can be read.
  }
  std::vector<size_t> cuts = {0, bytes.size()};
  for (const uint32_t split : stream.split()) {
    if (!bytes.empty()) cuts.push_back(split % bytes.size());
  }
  std::sort(cuts.begin(), cuts.end());

  static mqlab::mqtt::Decoder decoder;
  decoder.Reset({.maximum_packet_size = maximum_packet_size,
                 .version = context.version == 5
                                ? mqlab::mqtt::Version::kV5
                                : mqlab::mqtt::Version::kV311});
  static mqlab::mqtt::Packet packet;
  mqlab::mqtt::DecodeError error;
  size_t next = 0;  // The packet the decoder works on.
  for (size_t c = 1; c < cuts.size(); ++c) {
    mqlab::mqtt::Bytes chunk(bytes.data() + cuts[c - 1], cuts[c] - cuts[c - 1]);
    while (!chunk.empty()) {
      const auto status = decoder.Next(&chunk, &packet, &error);
      if (status == mqlab::mqtt::Decoder::Status::kNeedMore) break;
      if (next >= expected.size()) Mismatch(next, "a packet nobody sent");
      const std::string what =
          mqlab::fuzz::CompareDecode(expected[next], status, error);
      if (!what.empty()) Mismatch(static_cast<int>(next), what);
      if (status == mqlab::mqtt::Decoder::Status::kError) return;
      ++next;
    }
  }
  // The stream ended: a packet still open must be one announced longer
  // than it is (or one the oracle does not judge).
  if (next < expected.size()) {
    const std::string what = mqlab::fuzz::CompareDecode(
        expected[next], mqlab::mqtt::Decoder::Status::kNeedMore, error);
    if (!what.empty()) Mismatch(static_cast<int>(next), what);
  }
}
