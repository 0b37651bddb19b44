// Fuzz target: the namespace JSON loader. The input is the file's text; the
// loader must not crash, and every refusal must name a JSON path or the
// syntax error's line and column (fuzz/namespace_config_oracle.h).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/check.h"
#include "fuzz/namespace_config_oracle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::optional<std::string> failure = mqlab::fuzz::CheckNamespaceLoad(
      std::string_view(reinterpret_cast<const char*>(data), size));
  MQLAB_CHECK_MSG(!failure.has_value(), failure.value_or("").c_str());
  return 0;
}
