#include "mqtt/utf8.h"

#include <cstdint>
#include <cstring>

namespace mqlab::mqtt {
namespace {

bool IsContinuation(uint8_t byte) { return (byte & 0xC0) == 0x80; }

}  // namespace

namespace internal {

Utf8Error CheckUtf8Slow(std::string_view text) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const uint8_t* const end = p + text.size();
  while (p < end) {
    if (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, sizeof(word));
      if (NulOrNonAsciiBits(word) == 0) {
        p += 8;
        continue;
      }
    }
    const uint8_t lead = *p;
    if (lead < 0x80) {
      if (lead == 0) return Utf8Error::kNullCharacter;
      ++p;
      continue;
    }
    // RFC 3629 section 4: the second byte's range depends on the lead byte,
    // which excludes overlong forms, surrogates and code points > U+10FFFF.
    int continuation_count;
    uint8_t second_low = 0x80;
    uint8_t second_high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      continuation_count = 1;
    } else if (lead == 0xE0) {
      continuation_count = 2;
      second_low = 0xA0;
    } else if (lead == 0xED) {
      continuation_count = 2;
      second_high = 0x9F;  // 0xA0..0xBF would encode U+D800..U+DFFF.
    } else if (lead >= 0xE1 && lead <= 0xEF) {
      continuation_count = 2;
    } else if (lead == 0xF0) {
      continuation_count = 3;
      second_low = 0x90;
    } else if (lead >= 0xF1 && lead <= 0xF3) {
      continuation_count = 3;
    } else if (lead == 0xF4) {
      continuation_count = 3;
      second_high = 0x8F;
    } else {
      return Utf8Error::kIllFormed;
    }
    if (end - p <= continuation_count) return Utf8Error::kIllFormed;
    if (p[1] < second_low || p[1] > second_high) return Utf8Error::kIllFormed;
    for (int i = 2; i <= continuation_count; ++i) {
      if (!IsContinuation(p[i])) return Utf8Error::kIllFormed;
    }
    p += continuation_count + 1;
  }
  return Utf8Error::kNone;
}

}  // namespace internal
}  // namespace mqlab::mqtt
