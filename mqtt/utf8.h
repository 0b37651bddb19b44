// UTF-8 Encoded String rules of MQTT (5.0 section 1.5.4, 3.1.1 section 1.5.3).
#ifndef MQLAB_MQTT_UTF8_H_
#define MQLAB_MQTT_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace mqlab::mqtt {

enum class Utf8Error {
  kNone,
  // Not well-formed UTF-8 (RFC 3629), including encoded surrogates
  // U+D800..U+DFFF and overlong forms: 5.0 [MQTT-1.5.4-1], 3.1.1
  // [MQTT-1.5.3-1].
  kIllFormed,
  // An encoding of U+0000: 5.0 [MQTT-1.5.4-2], 3.1.1 [MQTT-1.5.3-2].
  kNullCharacter,
};

namespace internal {

// The full check, for text that is not plain ASCII.
Utf8Error CheckUtf8Slow(std::string_view text);

// True when none of the 8 bytes of `word` is zero or above 0x7F.
inline bool IsPlainAsciiWord(uint64_t word) {
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  constexpr uint64_t kLowBits = 0x0101010101010101ULL;
  return ((word | ((word - kLowBits) & ~word)) & kHighBits) == 0;
}

// True when `text` is ASCII without U+0000: the common case of topics and
// identifiers, which is valid UTF-8. Checked a word at a time, the tail with
// one overlapping load, because the decoder does this for every string.
inline bool IsPlainAscii(std::string_view text) {
  const char* p = text.data();
  const size_t n = text.size();
  if (n < 8) {
    for (size_t i = 0; i < n; ++i) {
      const auto c = static_cast<uint8_t>(p[i]);
      if (c == 0 || c > 0x7F) return false;
    }
    return true;
  }
  uint64_t word;
  for (size_t i = 0; i + 8 <= n; i += 8) {
    std::memcpy(&word, p + i, sizeof(word));
    if (!IsPlainAsciiWord(word)) return false;
  }
  std::memcpy(&word, p + n - 8, sizeof(word));
  return IsPlainAsciiWord(word);
}

}  // namespace internal

// Checks `text` against the MUST rules for MQTT strings. The SHOULD NOT rules
// (control characters, non-characters) are left to the application.
inline Utf8Error CheckUtf8(std::string_view text) {
  return internal::IsPlainAscii(text) ? Utf8Error::kNone
                                      : internal::CheckUtf8Slow(text);
}

}  // namespace mqlab::mqtt

#endif  // MQLAB_MQTT_UTF8_H_
