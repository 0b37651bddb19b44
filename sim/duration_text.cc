#include "sim/duration_text.h"

#include <cstdint>
#include <limits>

#include "absl/strings/str_cat.h"

namespace mqlab::sim {
namespace {

struct Unit {
  std::string_view suffix;
  Duration nanoseconds;
};

// Longest suffixes first so that "ms" is not read as "m" + "s".
constexpr Unit kUnits[] = {
    {"ns", kNanosecond}, {"us", kMicrosecond}, {"ms", kMillisecond},
    {"s", kSecond},      {"m", kMinute},       {"h", kHour},
};

std::optional<Duration> UnitOf(std::string_view suffix) {
  for (const Unit& unit : kUnits) {
    if (unit.suffix == suffix) return unit.nanoseconds;
  }
  return std::nullopt;
}

// `whole` + `fraction` / 10^digits, in units of `scale` nanoseconds.
std::string Decimal(Duration value, Duration scale, std::string_view suffix) {
  std::string text = absl::StrCat(value / scale);
  Duration rest = value % scale;
  if (rest != 0) {
    text += '.';
    while (rest != 0) {
      rest *= 10;
      text += static_cast<char>('0' + rest / scale);
      rest %= scale;
    }
  }
  text.append(suffix);
  return text;
}

}  // namespace

std::optional<Duration> ParseDuration(std::string_view text) {
  if (text == "0") return 0;
  size_t digits_end = 0;
  while (digits_end < text.size() &&
         ((text[digits_end] >= '0' && text[digits_end] <= '9') ||
          text[digits_end] == '.')) {
    ++digits_end;
  }
  const std::string_view number = text.substr(0, digits_end);
  const std::optional<Duration> scale = UnitOf(text.substr(digits_end));
  if (number.empty() || !scale.has_value()) return std::nullopt;

  constexpr Duration kMax = std::numeric_limits<Duration>::max();
  Duration whole = 0;
  size_t i = 0;
  for (; i < number.size() && number[i] != '.'; ++i) {
    const int digit = number[i] - '0';
    if (whole > (kMax - digit) / 10) return std::nullopt;
    whole = whole * 10 + digit;
  }
  if (i == 0) return std::nullopt;  // ".5s": a digit must come first.
  if (whole > kMax / *scale) return std::nullopt;
  Duration total = whole * *scale;
  if (i < number.size()) {
    ++i;                                          // The point.
    if (i == number.size()) return std::nullopt;  // "1.s"
    Duration place = *scale;
    for (; i < number.size(); ++i) {
      if (number[i] == '.') return std::nullopt;
      const int digit = number[i] - '0';
      if (place % 10 != 0) {
        // Below a nanosecond: only zeros may follow.
        if (digit != 0) return std::nullopt;
        continue;
      }
      place /= 10;
      if (total > kMax - digit * place) return std::nullopt;
      total += digit * place;
    }
  }
  return total;
}

std::string FormatDuration(Duration duration) {
  if (duration == 0) return "0s";
  if (duration < 0) {
    // -(min) overflows; it is not a duration anyone writes.
    if (duration == std::numeric_limits<Duration>::min()) {
      return absl::StrCat(duration, "ns");
    }
    return absl::StrCat("-", FormatDuration(-duration));
  }
  if (duration < kMicrosecond) return absl::StrCat(duration, "ns");
  if (duration < kMillisecond) return Decimal(duration, kMicrosecond, "us");
  if (duration < kSecond) return Decimal(duration, kMillisecond, "ms");
  return Decimal(duration, kSecond, "s");
}

}  // namespace mqlab::sim
