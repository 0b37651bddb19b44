#include "sim/message_tag.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "base/little_endian.h"

namespace mqlab::sim {
namespace {

constexpr uint8_t kMagic[4] = {'M', 'Q', 'L', 'T'};

// The filler word of the 8-byte block that starts at `offset` (>=
// kMessageTagSize) of the payload tagged `tag`, stored little-endian: a
// cheap mix of the two, so that a shifted, swapped or overwritten byte shows.
// Whole words keep writing and checking a payload to a few instructions per
// eight bytes.
uint64_t FillerWord(const MessageTag& tag, size_t offset) {
  uint64_t x = tag.key() ^ (uint64_t{offset} * 0x9E3779B97F4A7C15u);
  x ^= x >> 29;
  x *= 0xBF58476D1CE4E5B9u;
  x ^= x >> 32;
  return x;
}

// The first `count` (<= 8) bytes of `word`, little-endian, at `out`.
void PutFiller(uint64_t word, size_t count, uint8_t* out) {
  if (count == 8) {
    StoreLittleEndian64(word, out);
    return;
  }
  for (size_t i = 0; i < count; ++i) {
    out[i] = static_cast<uint8_t>(word >> (8 * i));
  }
}

uint64_t GetFiller(const uint8_t* in, size_t count) {
  if (count == 8) return LoadLittleEndian64(in);
  uint64_t word = 0;
  for (size_t i = 0; i < count; ++i) word |= uint64_t{in[i]} << (8 * i);
  return word;
}

}  // namespace

std::string MessageTagName(const MessageTag& tag) {
  return absl::StrCat("m", tag.publisher, ".", tag.sequence);
}

void WriteTaggedPayload(const MessageTag& tag, std::span<uint8_t> payload) {
  MQLAB_CHECK(payload.size() >= kMessageTagSize);
  for (size_t i = 0; i < 4; ++i) payload[i] = kMagic[i];
  for (size_t i = 0; i < 4; ++i) {
    payload[4 + i] = static_cast<uint8_t>(tag.publisher >> (8 * i));
  }
  for (size_t i = 0; i < 8; ++i) {
    payload[8 + i] = static_cast<uint8_t>(tag.sequence >> (8 * i));
  }
  for (size_t i = kMessageTagSize; i < payload.size(); i += 8) {
    PutFiller(FillerWord(tag, i), std::min<size_t>(8, payload.size() - i),
              payload.data() + i);
  }
}

ReadTag ReadMessageTag(std::span<const uint8_t> payload) {
  ReadTag result;
  if (payload.size() < kMessageTagSize) return result;
  for (size_t i = 0; i < 4; ++i) {
    if (payload[i] != kMagic[i]) return result;
  }
  for (size_t i = 0; i < 4; ++i) {
    result.tag.publisher |= uint32_t{payload[4 + i]} << (8 * i);
  }
  for (size_t i = 0; i < 8; ++i) {
    result.tag.sequence |= uint64_t{payload[8 + i]} << (8 * i);
  }
  result.check = TagCheck::kIntact;
  for (size_t i = kMessageTagSize; i < payload.size(); i += 8) {
    const size_t count = std::min<size_t>(8, payload.size() - i);
    const uint64_t mask =
        count == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * count)) - 1;
    if (GetFiller(payload.data() + i, count) !=
        (FillerWord(result.tag, i) & mask)) {
      result.check = TagCheck::kCorrupt;
      break;
    }
  }
  return result;
}

}  // namespace mqlab::sim
