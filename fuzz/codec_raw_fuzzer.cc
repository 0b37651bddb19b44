// Fuzz target: raw bytes into the streaming decoder, in either version or
// with the version learned from a CONNECT, split at points taken from the
// input (format: mqtt/testing/codec_fuzz_input.h). Every packet the decoder
// accepts must encode, decode again and compare equal; a mismatch aborts.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/check.h"
#include "mqtt/decoder.h"
#include "mqtt/encoder.h"
#include "mqtt/testing/codec_fuzz_input.h"

namespace {

using mqlab::mqtt::Bytes;
using mqlab::mqtt::Connect;
using mqlab::mqtt::DecodeError;
using mqlab::mqtt::Decoder;
using mqlab::mqtt::Packet;
using mqlab::mqtt::Version;

void CheckRoundTrip(const Packet& packet, Version version) {
  // Reused across inputs so that the fuzz loop does not allocate.
  static std::vector<uint8_t> encoded;
  encoded.clear();
  MQLAB_CHECK_MSG(mqlab::mqtt::Encode(packet, version, &encoded),
                  "a decoded packet must encode");
  // Static like `encoded`: a Packet is 880 bytes, zeroed on construction.
  static Packet again;
  DecodeError error;
  MQLAB_CHECK_MSG(mqlab::mqtt::DecodePacket(encoded, version, &again, &error) ==
                      Decoder::Status::kPacket,
                  "an encoded packet must decode");
  MQLAB_CHECK_MSG(again == packet, "decode(encode(p)) must equal p");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const mqlab::mqtt::testing::CodecFuzzInput input =
      mqlab::mqtt::testing::ParseCodecFuzzInput(Bytes(data, size));
  mqlab::mqtt::DecoderOptions options{.version = input.version};
  if (input.small_maximum_packet_size) {
    options.maximum_packet_size = mqlab::mqtt::testing::kSmallMaximumPacketSize;
  }
  // Reused across inputs, like a server's per-connection decoder, so that
  // the loop allocates nothing once warm.
  static Decoder decoder;
  decoder.Reset(options);
  mqlab::mqtt::testing::StreamSplitter splitter(input.split_seed, input.stream);
  // Reused like the decoder (a Packet is 880 bytes, zeroed on construction);
  // it is read only after the decoder fills it.
  static Packet packet;
  DecodeError error;
  for (Bytes chunk = splitter.Next(); !chunk.empty(); chunk = splitter.Next()) {
    while (true) {
      const Decoder::Status status = decoder.Next(&chunk, &packet, &error);
      if (status == Decoder::Status::kError) return 0;
      if (status == Decoder::Status::kNeedMore) break;
      const Connect* connect = std::get_if<Connect>(&packet);
      CheckRoundTrip(
          packet, connect != nullptr ? connect->version : *decoder.version());
    }
  }
  return 0;
}
