#include "broker/resource_names.h"

#include <cstdint>

#include "absl/strings/ascii.h"

namespace mqlab::broker {
namespace {

template <typename AllowedCharacter>
bool AllCharacters(std::string_view text, AllowedCharacter allowed) {
  for (char c : text) {
    if (!allowed(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// The number of code points in `text`, or -1 when it is not well-formed UTF-8
// (overlong forms, surrogates and values above U+10FFFF are ill-formed) or
// contains U+0000, which MQTT strings may not carry [MQTT-1.5.4-2].
int64_t CodePointCount(std::string_view text) {
  int64_t count = 0;
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
    const uint8_t lead = byte(i);
    size_t length;
    uint32_t code_point;
    if (lead < 0x80) {
      length = 1;
      code_point = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code_point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code_point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      return -1;
    }
    if (i + length > text.size()) return -1;
    for (size_t k = 1; k < length; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return -1;
      code_point = (code_point << 6) | (byte(i + k) & 0x3F);
    }
    static constexpr uint32_t kSmallestForLength[] = {0, 0, 0x80, 0x800,
                                                      0x10000};
    if (code_point < kSmallestForLength[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF) || code_point == 0) {
      return -1;
    }
    i += length;
    ++count;
  }
  return count;
}

}  // namespace

bool IsValidClientName(std::string_view name) {
  return !name.empty() && name.size() <= kMaximumClientNameSize &&
         AllCharacters(name, [](unsigned char c) {
           return absl::ascii_isalnum(c) || c == '-' || c == ':' || c == '.' ||
                  c == '_';
         });
}

bool IsValidResourceName(std::string_view name) {
  return name.size() >= kMinimumResourceNameSize &&
         name.size() <= kMaximumResourceNameSize &&
         AllCharacters(name, [](unsigned char c) {
           return absl::ascii_isalnum(c) || c == '-';
         });
}

bool IsValidAttributeKey(std::string_view key) {
  return !key.empty() && key.size() <= kMaximumAttributeKeySize &&
         AllCharacters(key, [](unsigned char c) {
           return absl::ascii_isalnum(c) || c == '_';
         });
}

bool IsValidAuthenticationName(std::string_view name) {
  const int64_t code_points = CodePointCount(name);
  return code_points >= 1 &&
         code_points <= static_cast<int64_t>(kMaximumAuthenticationNameSize);
}

}  // namespace mqlab::broker
