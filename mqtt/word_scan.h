// Byte-class tests over a whole string, 8 bytes at a time, for the checks
// the decoder runs on every string it reads (UTF-8 validity, topic rules).
// Internal to the codec.
#ifndef MQLAB_MQTT_WORD_SCAN_H_
#define MQLAB_MQTT_WORD_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace mqlab::mqtt::internal {

inline constexpr uint64_t kLowBits = 0x0101010101010101ULL;
inline constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// Nonzero when a byte of `word` is zero or above 0x7F (exact as to whether
// any is, which is all that is asked).
constexpr uint64_t NulOrNonAsciiBits(uint64_t word) {
  return (word | ((word - kLowBits) & ~word)) & kHighBits;
}

// Nonzero when a byte of `word` is zero.
constexpr uint64_t NulBits(uint64_t word) {
  return (word - kLowBits) & ~word & kHighBits;
}

// Nonzero when a byte of `word` is '#' (0x23) or '+' (0x2B). They differ
// only in bit 3, and no other byte ORed with 0x08 gives 0x2B: one zero-byte
// test finds both.
constexpr uint64_t WildcardBits(uint64_t word) {
  return NulBits((word | (kLowBits * 0x08)) ^ (kLowBits * 0x2B));
}

// The OR of `bits(word)` over words that together hold every byte of `text`
// and nothing else but copies of its bytes and, for text shorter than 4
// bytes, 0x01 filler (which no test here flags). Loads overlap rather than
// loop over a tail, 16 bytes a round, and nothing branches on the bytes, so
// that the short strings of real packets cost a few instructions.
template <typename Bits>
inline uint64_t ScanWords(std::string_view text, Bits bits) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  const auto word_at = [p](size_t i) {
    uint64_t word;
    std::memcpy(&word, p + i, sizeof(word));
    return word;
  };
  if (n > 16) {
    uint64_t found = 0;
    for (size_t i = 0; i + 16 < n; i += 16) {
      found |= bits(word_at(i)) | bits(word_at(i + 8));
    }
    return found | bits(word_at(n - 16)) | bits(word_at(n - 8));
  }
  if (n >= 8) return bits(word_at(0)) | bits(word_at(n - 8));
  if (n >= 4) {
    uint32_t first, last;
    std::memcpy(&first, p, sizeof(first));
    std::memcpy(&last, p + n - 4, sizeof(last));
    return bits(first | (uint64_t{last} << 32));
  }
  if (n == 0) return 0;
  return bits((kLowBits << 24) | p[0] | (uint64_t{p[n / 2]} << 8) |
              (uint64_t{p[n - 1]} << 16));
}

}  // namespace mqlab::mqtt::internal

#endif  // MQLAB_MQTT_WORD_SCAN_H_
