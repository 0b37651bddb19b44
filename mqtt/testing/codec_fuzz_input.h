// The input format of the codec_raw fuzz target, shared by the fuzzer and
// the generator of its seed corpus:
//
//   byte 0: bits 0-1: the decoder's version (0 or 3: unset, as a server's
//           decoder; 1: 3.1.1; 2: 5.0); bit 2: a small Maximum Packet Size
//           (kSmallMaximumPacketSize) instead of the protocol's maximum.
//   byte 1: the seed of the split points (0: the stream in one piece).
//   the rest: the byte stream.
#ifndef MQLAB_MQTT_TESTING_CODEC_FUZZ_INPUT_H_
#define MQLAB_MQTT_TESTING_CODEC_FUZZ_INPUT_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "base/random.h"
#include "mqtt/packet.h"

namespace mqlab::mqtt::testing {

inline constexpr uint32_t kSmallMaximumPacketSize = 128;

struct CodecFuzzInput {
  std::optional<Version> version;
  bool small_maximum_packet_size = false;
  uint8_t split_seed = 0;
  Bytes stream;
};

CodecFuzzInput ParseCodecFuzzInput(Bytes data);
std::vector<uint8_t> MakeCodecFuzzInput(const CodecFuzzInput& input);

// Cuts a stream into the chunks `split_seed` says: one chunk for seed 0;
// else pseudo-random sizes of 1 to 2 * seed bytes. Allocates nothing, so
// that the fuzz loop stays fast under ASan.
class StreamSplitter {
 public:
  StreamSplitter(uint8_t split_seed, Bytes stream);
  // The next chunk; empty when the stream is used up.
  Bytes Next();

 private:
  uint8_t split_seed_;
  Random random_;
  Bytes rest_;
};

}  // namespace mqlab::mqtt::testing

#endif  // MQLAB_MQTT_TESTING_CODEC_FUZZ_INPUT_H_
