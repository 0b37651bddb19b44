#include "sim/name_pattern.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace mqlab::sim {
namespace {

constexpr size_t kMaxWidth = 20;

struct Token {
  bool literal;
  std::string_view text;  // Literal text, or the placeholder's name.
  Placeholder placeholder = Placeholder::kIndex;
  size_t width = 0;  // Zero-padded width; 0: as is.
};

std::optional<Placeholder> PlaceholderNamed(std::string_view name) {
  if (name == "index") return Placeholder::kIndex;
  if (name == "number") return Placeholder::kNumber;
  if (name == "population") return Placeholder::kPopulation;
  if (name == "auth") return Placeholder::kAuth;
  if (name == "session") return Placeholder::kSession;
  if (name == "session_number") return Placeholder::kSessionNumber;
  if (name == "target") return Placeholder::kTarget;
  return std::nullopt;
}

bool IsNumeric(Placeholder placeholder) {
  return placeholder == Placeholder::kIndex ||
         placeholder == Placeholder::kNumber ||
         placeholder == Placeholder::kSession ||
         placeholder == Placeholder::kSessionNumber;
}

// Splits a pattern into tokens; on a syntax error returns what is wrong.
std::optional<std::string> Tokenize(std::string_view pattern,
                                    std::vector<Token>* tokens) {
  size_t i = 0;
  while (i < pattern.size()) {
    const char c = pattern[i];
    if (c == '}') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '}') {
        tokens->push_back({true, pattern.substr(i, 1)});
        i += 2;
        continue;
      }
      return absl::StrCat("a lone '}' at offset ", i, " (write '}}')");
    }
    if (c != '{') {
      size_t end = i;
      while (end < pattern.size() && pattern[end] != '{' &&
             pattern[end] != '}') {
        ++end;
      }
      tokens->push_back({true, pattern.substr(i, end - i)});
      i = end;
      continue;
    }
    if (i + 1 < pattern.size() && pattern[i + 1] == '{') {
      tokens->push_back({true, pattern.substr(i, 1)});
      i += 2;
      continue;
    }
    const size_t close = pattern.find('}', i);
    if (close == std::string_view::npos) {
      return absl::StrCat("a '{' at offset ", i, " is never closed");
    }
    const std::string_view inside = pattern.substr(i + 1, close - i - 1);
    const size_t colon = inside.find(':');
    const std::string_view name = inside.substr(0, colon);
    const std::optional<Placeholder> placeholder = PlaceholderNamed(name);
    if (!placeholder.has_value()) {
      return absl::StrCat("unknown placeholder {", std::string(inside),
                          "} (known: {index}, {number}, {population}, "
                          "{auth}, {session}, {session_number}, {target})");
    }
    Token token{false, name, *placeholder};
    if (colon != std::string_view::npos) {
      const std::string_view spec = inside.substr(colon + 1);
      bool digits = spec.size() >= 2 && spec[0] == '0';
      for (char d : spec) digits = digits && d >= '0' && d <= '9';
      if (!digits || !IsNumeric(*placeholder)) {
        return absl::StrCat("{", std::string(inside),
                            "}: only {index}, {number}, {session} and "
                            "{session_number} take a width, written as :0N "
                            "(e.g. {index:03})");
      }
      for (char d : spec.substr(1)) token.width = token.width * 10 + (d - '0');
      if (token.width == 0 || token.width > kMaxWidth) {
        return absl::StrCat("{", std::string(inside), "}: width 1 to ",
                            kMaxWidth);
      }
    }
    tokens->push_back(token);
    i = close + 1;
  }
  return std::nullopt;
}

std::string Padded(uint64_t value, size_t width) {
  std::string digits = absl::StrCat(value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

}  // namespace

std::optional<std::string> CheckPattern(std::string_view pattern,
                                        PlaceholderSet allowed) {
  std::vector<Token> tokens;
  if (std::optional<std::string> error = Tokenize(pattern, &tokens)) {
    return error;
  }
  for (const Token& token : tokens) {
    if (!token.literal && !allowed.contains(token.placeholder)) {
      return absl::StrCat("{", std::string(token.text),
                          "} is not allowed here");
    }
  }
  return std::nullopt;
}

bool PatternUses(std::string_view pattern, Placeholder placeholder) {
  std::vector<Token> tokens;
  if (Tokenize(pattern, &tokens).has_value()) return false;
  for (const Token& token : tokens) {
    if (!token.literal && token.placeholder == placeholder) return true;
  }
  return false;
}

std::string ExpandPattern(std::string_view pattern,
                          const PatternValues& values) {
  std::vector<Token> tokens;
  MQLAB_CHECK_MSG(!Tokenize(pattern, &tokens).has_value(),
                  "ExpandPattern() needs a checked pattern");
  std::string out;
  for (const Token& token : tokens) {
    if (token.literal) {
      out.append(token.text);
      continue;
    }
    switch (token.placeholder) {
      case Placeholder::kIndex:
        out += Padded(values.index, token.width);
        break;
      case Placeholder::kNumber:
        out += Padded(values.index + 1, token.width);
        break;
      case Placeholder::kSession:
        out += Padded(values.session, token.width);
        break;
      case Placeholder::kSessionNumber:
        out += Padded(values.session + 1, token.width);
        break;
      case Placeholder::kPopulation:
        out.append(values.population);
        break;
      case Placeholder::kAuth:
        out.append(values.auth);
        break;
      case Placeholder::kTarget:
        out.append(values.target);
        break;
    }
  }
  return out;
}

}  // namespace mqlab::sim
