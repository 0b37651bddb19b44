#include "broker/topic_template.h"

#include <string>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "broker/resource_names.h"

namespace mqlab::broker {
namespace {

constexpr std::string_view kAuthenticationNameVariable =
    "client.authenticationName";
constexpr std::string_view kAttributePrefix = "client.attributes.";

Status ErrorAt(size_t offset, std::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat("column ", offset + 1, ": ", ToAbsl(message)));
}

// A value may stand in for (part of) one level only as plain text.
bool IsSubstitutable(std::string_view value) {
  return value.find_first_of(std::string_view("/+#\0", 4)) ==
         std::string_view::npos;
}

}  // namespace

StatusOr<TopicTemplate> TopicTemplate::Parse(std::string_view text) {
  if (text.empty()) {
    return absl::InvalidArgumentError(
        "expected a topic template, got an empty string");
  }
  if (text.size() > kMaximumTopicTemplateSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected at most ", kMaximumTopicTemplateSize,
                     " bytes, got ", text.size()));
  }
  TopicTemplate parsed;
  parsed.text_ = std::string(text);
  parsed.level_count_ = 1;
  std::string literal;
  const auto flush_literal = [&] {
    if (!literal.empty()) {
      parsed.segments_.push_back({Segment::Kind::kLiteral, std::move(literal)});
      literal.clear();
    }
  };
  size_t level_start = 0;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '/') {
      ++parsed.level_count_;
      literal += c;
      level_start = ++i;
      continue;
    }
    if (c == '+' || c == '#') {
      const size_t level_end = text.find('/', i);
      const bool whole_level =
          i == level_start && (i + 1 == text.size() || text[i + 1] == '/');
      if (!whole_level) {
        return ErrorAt(
            i, absl::StrCat("'", std::string(1, c), "' must be a whole level"));
      }
      if (c == '#' && level_end != std::string_view::npos) {
        return ErrorAt(i, "'#' must be the last level");
      }
      literal += c;
      ++i;
      continue;
    }
    if (c == '\0') return ErrorAt(i, "NUL is not allowed in a topic filter");
    if (c != '$' || i + 1 >= text.size() || text[i + 1] != '{') {
      literal += c;
      ++i;
      continue;
    }
    // A variable: "${...}" within the current level.
    const size_t close = text.find('}', i + 2);
    const size_t next_slash = text.find('/', i);
    if (close == std::string_view::npos ||
        (next_slash != std::string_view::npos && next_slash < close)) {
      return ErrorAt(i, "'${' has no closing '}' in the same level");
    }
    const std::string_view name = text.substr(i + 2, close - i - 2);
    if (name == kAuthenticationNameVariable) {
      flush_literal();
      parsed.segments_.push_back({Segment::Kind::kAuthenticationName, ""});
    } else if (name.starts_with(kAttributePrefix) &&
               IsValidAttributeKey(name.substr(kAttributePrefix.size()))) {
      flush_literal();
      parsed.segments_.push_back(
          {Segment::Kind::kAttribute,
           std::string(name.substr(kAttributePrefix.size()))});
    } else {
      return ErrorAt(
          i, absl::StrCat("unknown variable '${", ToAbsl(name),
                          "}'; expected ${client.authenticationName} or "
                          "${client.attributes.NAME} (NAME: letters, digits, "
                          "'_')"));
    }
    parsed.has_variables_ = true;
    i = close + 1;
  }
  flush_literal();
  return parsed;
}

std::optional<std::string> TopicTemplate::Expand(
    const ClientResource& client) const {
  std::string filter;
  for (const Segment& segment : segments_) {
    switch (segment.kind) {
      case Segment::Kind::kLiteral:
        filter += segment.text;
        break;
      case Segment::Kind::kAuthenticationName:
        // The authentication name as configured, case preserved.
        if (!IsSubstitutable(client.authentication_name)) return std::nullopt;
        filter += client.authentication_name;
        break;
      case Segment::Kind::kAttribute: {
        const auto it = client.attributes.find(segment.text);
        if (it == client.attributes.end()) return std::nullopt;
        if (const auto* text = std::get_if<std::string>(&it->second)) {
          if (!IsSubstitutable(*text)) return std::nullopt;
          filter += *text;
        } else if (const auto* number = std::get_if<int64_t>(&it->second)) {
          absl::StrAppend(&filter, *number);
        } else {
          return std::nullopt;  // An array names no single level.
        }
        break;
      }
    }
  }
  return filter;
}

}  // namespace mqlab::broker
