// UTF-8 Encoded String rules of MQTT (5.0 section 1.5.4, 3.1.1 section 1.5.3).
#ifndef MQLAB_MQTT_UTF8_H_
#define MQLAB_MQTT_UTF8_H_

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

// Checks `text` against the MUST rules for MQTT strings. The SHOULD NOT rules
// (control characters, non-characters) are left to the application.
Utf8Error CheckUtf8(std::string_view text);

}  // namespace mqlab::mqtt

#endif  // MQLAB_MQTT_UTF8_H_
