#include "broker/distinguished_name.h"

#include <cstddef>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "base/absl_string_view.h"

namespace mqlab::broker {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  const char lower = absl::ascii_tolower(static_cast<unsigned char>(c));
  if (lower >= 'a' && lower <= 'f') return lower - 'a' + 10;
  return -1;
}

bool IsCommonNameType(std::string_view type) {
  return absl::EqualsIgnoreCase(ToAbsl(type), "CN") || type == "2.5.4.3";
}

}  // namespace

std::optional<std::string> CommonNameOf(std::string_view subject) {
  size_t i = 0;
  while (i < subject.size()) {
    // attributeType "=" attributeValue
    const size_t equals = subject.find('=', i);
    if (equals == std::string_view::npos) return std::nullopt;
    const std::string_view type = FromAbsl(
        absl::StripAsciiWhitespace(ToAbsl(subject.substr(i, equals - i))));
    i = equals + 1;
    std::string value;
    const bool hex_form = i < subject.size() && subject[i] == '#';
    while (i < subject.size() && subject[i] != ',' && subject[i] != '+') {
      if (subject[i] != '\\') {
        value += subject[i++];
        continue;
      }
      // An escape: "\" followed by a special character or two hex digits.
      if (i + 1 >= subject.size()) return std::nullopt;
      const int high = HexValue(subject[i + 1]);
      const int low = i + 2 < subject.size() ? HexValue(subject[i + 2]) : -1;
      if (high >= 0 && low >= 0) {
        value += static_cast<char>(high * 16 + low);
        i += 3;
      } else {
        value += subject[i + 1];
        i += 2;
      }
    }
    if (IsCommonNameType(type)) {
      if (hex_form) return std::nullopt;
      return value;
    }
    if (i < subject.size()) ++i;  // The ',' or '+' separator.
  }
  return std::nullopt;
}

}  // namespace mqlab::broker
