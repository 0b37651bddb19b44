#include "tools/hex_text.h"

namespace mqlab::tools {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "FILE:LINE:COLUMN: ".
std::string Where(std::string_view file_name, size_t line, size_t column) {
  return std::string(file_name) + ":" + std::to_string(line) + ":" +
         std::to_string(column) + ": ";
}

}  // namespace

absl::StatusOr<std::vector<uint8_t>> ParseHexText(std::string_view text,
                                                  std::string_view file_name) {
  std::vector<uint8_t> bytes;
  size_t line = 1;
  size_t column = 0;
  int high = -1;  // The first digit of a pair, or -1.
  size_t high_line = 0;
  size_t high_column = 0;
  bool in_comment = false;
  for (const char c : text) {
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
      in_comment = false;
      continue;
    }
    if (in_comment) continue;
    if (c == '#') {
      in_comment = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    const int digit = HexDigit(c);
    if (digit < 0) {
      return absl::InvalidArgumentError(
          Where(file_name, line, column) +
          "expected a hex digit, whitespace or a '#' comment, found '" + c +
          "'");
    }
    if (high < 0) {
      high = digit;
      high_line = line;
      high_column = column;
    } else {
      bytes.push_back(static_cast<uint8_t>(high << 4 | digit));
      high = -1;
    }
  }
  if (high >= 0) {
    return absl::InvalidArgumentError(
        Where(file_name, high_line, high_column) +
        "a hex digit without its pair (a byte is two digits)");
  }
  return bytes;
}

std::string FormatHexLines(const uint8_t* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (size_t i = 0; i < size; ++i) {
    text += kDigits[bytes[i] >> 4];
    text += kDigits[bytes[i] & 0x0F];
    text += (i % 16 == 15 || i + 1 == size) ? '\n' : ' ';
  }
  return text;
}

}  // namespace mqlab::tools
