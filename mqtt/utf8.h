// UTF-8 Encoded String rules of MQTT (5.0 section 1.5.4, 3.1.1 section 1.5.3).
#ifndef MQLAB_MQTT_UTF8_H_
#define MQLAB_MQTT_UTF8_H_

#include <string_view>

#include "mqtt/word_scan.h"

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

// True when `text` is ASCII without U+0000: the common case of topics and
// identifiers, which is valid UTF-8. The decoder asks this of every string.
inline bool IsPlainAscii(std::string_view text) {
  return ScanWords(text, NulOrNonAsciiBits) == 0;
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
