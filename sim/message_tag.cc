#include "sim/message_tag.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "base/little_endian.h"

namespace mqlab::sim {
namespace {

constexpr uint8_t kMagic[4] = {'M', 'Q', 'L', 'T'};

// The filler is a sequence of little-endian words: the word at `offset`
// (>= kMessageTagSize) is the message's seed with the position mixed in, so
// that a shifted, swapped or overwritten byte shows, and two messages'
// fillers differ. An exclusive or per eight bytes keeps writing and
// checking a payload cheap.
uint64_t FillerSeed(const MessageTag& tag) {
  uint64_t x = tag.key();
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDu;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53u;
  x ^= x >> 33;
  return x;
}

uint64_t FillerWord(uint64_t seed, size_t offset) {
  return seed ^ (uint64_t{offset} * 0x9E3779B97F4A7C15u);
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
  const uint64_t seed = FillerSeed(tag);
  size_t i = kMessageTagSize;
  for (; i + 8 <= payload.size(); i += 8) {
    StoreLittleEndian64(FillerWord(seed, i), payload.data() + i);
  }
  const uint64_t last = FillerWord(seed, i);
  for (size_t j = 0; i + j < payload.size(); ++j) {
    payload[i + j] = static_cast<uint8_t>(last >> (8 * j));
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
  const uint64_t seed = FillerSeed(result.tag);
  size_t i = kMessageTagSize;
  bool intact = true;
  for (; i + 8 <= payload.size(); i += 8) {
    intact &= LoadLittleEndian64(payload.data() + i) == FillerWord(seed, i);
  }
  const uint64_t last = FillerWord(seed, i);
  for (size_t j = 0; i + j < payload.size(); ++j) {
    intact &= payload[i + j] == static_cast<uint8_t>(last >> (8 * j));
  }
  if (!intact) result.check = TagCheck::kCorrupt;
  return result;
}

}  // namespace mqlab::sim
