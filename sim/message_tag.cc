#include "sim/message_tag.h"

#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace mqlab::sim {
namespace {

constexpr uint8_t kMagic[4] = {'M', 'Q', 'L', 'T'};

// Filler byte `index` (>= kMessageTagSize) of the payload tagged `tag`: a
// cheap mix of the two, so that a shifted, swapped or overwritten byte shows.
uint8_t FillerByte(const MessageTag& tag, size_t index) {
  uint64_t x = tag.key() ^ (uint64_t{index} * 0x9E3779B97F4A7C15u);
  x ^= x >> 29;
  x *= 0xBF58476D1CE4E5B9u;
  return static_cast<uint8_t>(x >> 56);
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
  for (size_t i = kMessageTagSize; i < payload.size(); ++i) {
    payload[i] = FillerByte(tag, i);
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
  for (size_t i = kMessageTagSize; i < payload.size(); ++i) {
    if (payload[i] != FillerByte(result.tag, i)) {
      result.check = TagCheck::kCorrupt;
      break;
    }
  }
  return result;
}

}  // namespace mqlab::sim
