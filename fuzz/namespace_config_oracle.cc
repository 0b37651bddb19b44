#include "fuzz/namespace_config_oracle.h"

#include <memory>

#include "broker/directory.h"
#include "broker/namespace_loader.h"

namespace mqlab::fuzz {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// How long the JSON path at the start of `text` is: "$", then ".name",
// "[digits]" or ["quoted name"] segments; 0 when `text` starts with none.
size_t JsonPathLength(std::string_view text) {
  if (!text.starts_with('$')) return 0;
  size_t i = 1;
  while (i < text.size()) {
    if (text[i] == '.') {
      const size_t start = ++i;
      while (i < text.size() && text[i] != '.' && text[i] != '[' &&
             text[i] != ':') {
        ++i;
      }
      if (i == start) return 0;  // An empty field name.
    } else if (text[i] == '[' && i + 1 < text.size() && text[i + 1] == '"') {
      i += 2;
      while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
      if (i + 1 >= text.size() || text[i + 1] != ']') return 0;
      i += 2;
    } else if (text[i] == '[') {
      const size_t start = ++i;
      while (i < text.size() && IsDigit(text[i])) ++i;
      if (i == start || i == text.size() || text[i] != ']') return 0;
      ++i;
    } else {
      break;
    }
  }
  return i;
}

// "line 3, column 17: ..." as nlohmann's parse errors put it.
bool IsSyntaxErrorLocation(std::string_view text) {
  constexpr std::string_view kPrefix = "parse error at line ";
  if (!text.starts_with(kPrefix)) return false;
  text.remove_prefix(kPrefix.size());
  size_t i = 0;
  while (i < text.size() && IsDigit(text[i])) ++i;
  if (i == 0) return false;
  text.remove_prefix(i);
  constexpr std::string_view kColumn = ", column ";
  if (!text.starts_with(kColumn)) return false;
  text.remove_prefix(kColumn.size());
  i = 0;
  while (i < text.size() && IsDigit(text[i])) ++i;
  return i > 0 && text.substr(i).starts_with(": ") && text.size() > i + 2;
}

}  // namespace

std::optional<std::string> CheckRefusalNamesPath(std::string_view message,
                                                 std::string_view source) {
  const std::string quoted = "refusal \"" + std::string(message) + "\"";
  if (!message.starts_with(source) ||
      !message.substr(source.size()).starts_with(": ")) {
    return quoted + " does not start with \"" + std::string(source) + ": \"";
  }
  const std::string_view rest = message.substr(source.size() + 2);
  if (IsSyntaxErrorLocation(rest)) return std::nullopt;
  if (rest.find(": ") == std::string_view::npos) {
    return quoted + " has no \"PATH: what was expected\" part";
  }
  const size_t path = JsonPathLength(rest);
  if (path == 0 || !rest.substr(path).starts_with(": ")) {
    return quoted +
           " names no JSON path ($, .field, [index], [\"field\"]) before \": "
           "\"";
  }
  if (path + 2 == rest.size()) {
    return quoted + " has no \"PATH: what was expected\" part";
  }
  return std::nullopt;
}

std::optional<std::string> CheckNamespaceLoad(std::string_view json_text) {
  broker::StatusOr<broker::NamespaceConfig> config =
      broker::LoadNamespace(json_text, kFuzzNamespaceSource);
  if (!config.ok()) {
    return CheckRefusalNamesPath(std::string(config.status().message()),
                                 kFuzzNamespaceSource);
  }
  const broker::StatusOr<std::unique_ptr<broker::Directory>> directory =
      broker::Directory::Create(*config, kFuzzNamespaceSource);
  if (!directory.ok()) {
    return "the loader accepted a file whose result builds no Directory: " +
           std::string(directory.status().message());
  }
  return std::nullopt;
}

}  // namespace mqlab::fuzz
