// Hex text: the readable form of raw bytes used by captures and by
// `mqlab decode --hex`. Pairs of hex digits, with any whitespace between
// them and `#` comments to the end of a line.
#ifndef MQLAB_TOOLS_HEX_TEXT_H_
#define MQLAB_TOOLS_HEX_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace mqlab::tools {

// The bytes `text` spells. Errors name `file_name`, the line and column, and
// what was expected.
absl::StatusOr<std::vector<uint8_t>> ParseHexText(std::string_view text,
                                                  std::string_view file_name);

// `bytes` as lines of up to 16 space-separated hex pairs, each line ending in
// '\n'.
std::string FormatHexLines(const uint8_t* bytes, size_t size);

}  // namespace mqlab::tools

#endif  // MQLAB_TOOLS_HEX_TEXT_H_
