#include "mqtt/testing/codec_fuzz_input.h"

#include <algorithm>

namespace mqlab::mqtt::testing {

CodecFuzzInput ParseCodecFuzzInput(Bytes data) {
  CodecFuzzInput input;
  if (data.size() < 2) return input;
  switch (data[0] & 0x03) {
    case 1:
      input.version = Version::kV311;
      break;
    case 2:
      input.version = Version::kV5;
      break;
    default:
      break;
  }
  input.small_maximum_packet_size = (data[0] & 0x04) != 0;
  input.split_seed = data[1];
  input.stream = data.subspan(2);
  return input;
}

std::vector<uint8_t> MakeCodecFuzzInput(const CodecFuzzInput& input) {
  uint8_t mode = 0;
  if (input.version == Version::kV311) mode = 1;
  if (input.version == Version::kV5) mode = 2;
  if (input.small_maximum_packet_size) mode |= 0x04;
  // Sized once and filled in place: GCC 12 at -O2 misreads an insert after
  // a two-byte initializer list as out of bounds (-Warray-bounds).
  std::vector<uint8_t> data(2 + input.stream.size());
  data[0] = mode;
  data[1] = input.split_seed;
  std::copy(input.stream.begin(), input.stream.end(), data.begin() + 2);
  return data;
}

StreamSplitter::StreamSplitter(uint8_t split_seed, Bytes stream)
    : split_seed_(split_seed), random_(split_seed), rest_(stream) {}

Bytes StreamSplitter::Next() {
  const size_t size =
      split_seed_ == 0
          ? rest_.size()
          : std::min<size_t>(rest_.size(),
                             1 + random_.Below(2 * uint64_t{split_seed_}));
  const Bytes chunk = rest_.first(size);
  rest_ = rest_.subspan(size);
  return chunk;
}

}  // namespace mqlab::mqtt::testing
