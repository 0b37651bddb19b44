// The oracle of fuzz/namespace_config_fuzzer.cc: the namespace loader
// (broker/namespace_loader.h) never crashes, and every refusal says where:
// "<source>: <JSON path>: <what was expected>", the path in the loader's
// form ($, .field, [index]), or, for text that is not JSON,
// "<source>: parse error at line L, column C: ...". A file it accepts
// builds a Directory again (the loader's defaults keep it valid).
#ifndef MQLAB_FUZZ_NAMESPACE_CONFIG_ORACLE_H_
#define MQLAB_FUZZ_NAMESPACE_CONFIG_ORACLE_H_

#include <optional>
#include <string>
#include <string_view>

namespace mqlab::fuzz {

// The name the fuzzer gives its input.
inline constexpr std::string_view kFuzzNamespaceSource = "fuzz.json";

// Empty when `message` (a refusal of the file named `source`) names a JSON
// path or a syntax error's line and column; otherwise why not.
std::optional<std::string> CheckRefusalNamesPath(std::string_view message,
                                                 std::string_view source);

// Loads `json_text`; the first broken promise, or empty.
std::optional<std::string> CheckNamespaceLoad(std::string_view json_text);

}  // namespace mqlab::fuzz

#endif  // MQLAB_FUZZ_NAMESPACE_CONFIG_ORACLE_H_
