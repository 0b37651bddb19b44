#include "broker/client_group_query.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "base/check.h"
#include "broker/resource_names.h"

namespace mqlab::broker {
namespace {

constexpr std::string_view kAuthenticationNameOperand = "authenticationName";
constexpr std::string_view kAttributePrefix = "attributes.";
// Longest token text quoted back in an error message.
constexpr size_t kQuotedTokenSize = 32;

enum class TokenKind : uint8_t {
  kEnd,
  kIdentifier,
  kString,
  kInteger,
  kOperator,
  kAnd,
  kOr,
  kIn,
  kLeftParenthesis,
  kRightParenthesis,
  kLeftBracket,
  kRightBracket,
  kComma,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  size_t offset = 0;
  std::string_view text;  // As written.
  std::string string_value;
  int64_t integer_value = 0;
};

Status ErrorAt(size_t offset, std::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat("column ", offset + 1, ": ", ToAbsl(message)));
}

std::string Describe(const Token& token) {
  if (token.kind == TokenKind::kEnd) return "end of query";
  if (token.text.size() > kQuotedTokenSize) {
    return absl::StrCat("'", ToAbsl(token.text.substr(0, kQuotedTokenSize)),
                        "...'");
  }
  return absl::StrCat("'", ToAbsl(token.text), "'");
}

bool IsIdentifierStart(char c) {
  return absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool IsIdentifierPart(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         c == '.';
}

// Splits the query text into tokens, one at a time.
class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  StatusOr<Token> Next() {
    while (position_ < text_.size() &&
           absl::ascii_isspace(static_cast<unsigned char>(text_[position_]))) {
      ++position_;
    }
    Token token;
    token.offset = position_;
    if (position_ == text_.size()) return token;
    const char c = text_[position_];
    const auto single = [&](TokenKind kind) {
      token.kind = kind;
      token.text = text_.substr(position_++, 1);
      return token;
    };
    switch (c) {
      case '(':
        return single(TokenKind::kLeftParenthesis);
      case ')':
        return single(TokenKind::kRightParenthesis);
      case '[':
        return single(TokenKind::kLeftBracket);
      case ']':
        return single(TokenKind::kRightBracket);
      case ',':
        return single(TokenKind::kComma);
      case '=':
      case '<':
      case '>':
      case '!':
        return Operator(token);
      case '\'':
      case '"':
        return String(token, c);
      default:
        break;
    }
    if (absl::ascii_isdigit(static_cast<unsigned char>(c)) ||
        (c == '-' && position_ + 1 < text_.size() &&
         absl::ascii_isdigit(
             static_cast<unsigned char>(text_[position_ + 1])))) {
      return Integer(token);
    }
    if (IsIdentifierStart(c)) return Identifier(token);
    return ErrorAt(position_,
                   absl::StrCat("unexpected character '",
                                ToAbsl(text_.substr(position_, 1)), "'"));
  }

 private:
  StatusOr<Token> Operator(Token& token) {
    const std::string_view rest = text_.substr(position_);
    size_t length = 1;
    if (rest.starts_with("<=") || rest.starts_with(">=") ||
        rest.starts_with("<>") || rest.starts_with("!=")) {
      length = 2;
    } else if (rest[0] == '!') {
      return ErrorAt(position_, "expected '!=', got '!'");
    }
    token.kind = TokenKind::kOperator;
    token.text = rest.substr(0, length);
    position_ += length;
    return token;
  }

  StatusOr<Token> String(Token& token, char quote) {
    size_t i = position_ + 1;
    while (true) {
      if (i >= text_.size()) {
        return ErrorAt(position_, "string has no closing quote");
      }
      if (text_[i] == quote) {
        // A doubled quote stands for one quote character.
        if (i + 1 < text_.size() && text_[i + 1] == quote) {
          token.string_value += quote;
          i += 2;
          continue;
        }
        break;
      }
      token.string_value += text_[i++];
    }
    token.kind = TokenKind::kString;
    token.text = text_.substr(position_, i + 1 - position_);
    position_ = i + 1;
    return token;
  }

  StatusOr<Token> Integer(Token& token) {
    size_t end = position_ + 1;
    while (end < text_.size() &&
           absl::ascii_isdigit(static_cast<unsigned char>(text_[end]))) {
      ++end;
    }
    token.text = text_.substr(position_, end - position_);
    if (end < text_.size() && IsIdentifierPart(text_[end])) {
      return ErrorAt(
          position_,
          absl::StrCat("expected an integer, got '", ToAbsl(token.text),
                       std::string(1, text_[end]), "...'"));
    }
    if (!absl::SimpleAtoi(ToAbsl(token.text), &token.integer_value)) {
      return ErrorAt(position_, absl::StrCat("integer ", ToAbsl(token.text),
                                             " is out of the 64-bit range"));
    }
    token.kind = TokenKind::kInteger;
    position_ = end;
    return token;
  }

  StatusOr<Token> Identifier(Token& token) {
    size_t end = position_ + 1;
    while (end < text_.size() && IsIdentifierPart(text_[end])) ++end;
    token.text = text_.substr(position_, end - position_);
    position_ = end;
    if (absl::EqualsIgnoreCase(ToAbsl(token.text), "and")) {
      token.kind = TokenKind::kAnd;
    } else if (absl::EqualsIgnoreCase(ToAbsl(token.text), "or")) {
      token.kind = TokenKind::kOr;
    } else if (absl::EqualsIgnoreCase(ToAbsl(token.text), "in")) {
      token.kind = TokenKind::kIn;
    } else {
      token.kind = TokenKind::kIdentifier;
    }
    return token;
  }

  std::string_view text_;
  size_t position_ = 0;
};

bool IsRelational(std::string_view op) {
  return op == "<" || op == ">" || op == "<=" || op == ">=";
}

}  // namespace

// Recursive descent over the grammar in the header, one token of lookahead.
class ClientGroupQuery::Parser {
 public:
  Parser(std::string_view text, ClientGroupQuery& query)
      : lexer_(text), query_(query) {}

  Status Run() {
    if (Status status = Advance(); !status.ok()) return status;
    StatusOr<uint32_t> root = ParseOr(0);
    if (!root.ok()) return root.status();
    if (token_.kind != TokenKind::kEnd) {
      return ErrorAt(token_.offset,
                     absl::StrCat("expected 'and', 'or' or end of query, got ",
                                  Describe(token_)));
    }
    query_.root_ = *root;
    return absl::OkStatus();
  }

 private:
  Status Advance() {
    StatusOr<Token> next = lexer_.Next();
    if (!next.ok()) return next.status();
    token_ = *std::move(next);
    return absl::OkStatus();
  }

  // Parses `item { separator item }` into one n-ary node (or the single item).
  template <typename ParseItem>
  StatusOr<uint32_t> ParseList(TokenKind separator, Node::Kind kind,
                               ParseItem parse_item) {
    std::vector<uint32_t> items;
    while (true) {
      StatusOr<uint32_t> item = parse_item();
      if (!item.ok()) return item.status();
      items.push_back(*item);
      if (token_.kind != separator) break;
      if (Status status = Advance(); !status.ok()) return status;
    }
    if (items.size() == 1) return items[0];
    const auto first = static_cast<uint32_t>(query_.child_indices_.size());
    query_.child_indices_.insert(query_.child_indices_.end(), items.begin(),
                                 items.end());
    query_.nodes_.push_back({kind, first, static_cast<uint32_t>(items.size())});
    return static_cast<uint32_t>(query_.nodes_.size() - 1);
  }

  StatusOr<uint32_t> ParseOr(size_t depth) {
    return ParseList(TokenKind::kOr, Node::Kind::kOr,
                     [&] { return ParseAnd(depth); });
  }

  StatusOr<uint32_t> ParseAnd(size_t depth) {
    return ParseList(TokenKind::kAnd, Node::Kind::kAnd,
                     [&] { return ParseTerm(depth); });
  }

  StatusOr<uint32_t> ParseTerm(size_t depth) {
    if (token_.kind != TokenKind::kLeftParenthesis) return ParseComparison();
    const size_t open = token_.offset;
    if (depth + 1 > kMaximumQueryNesting) {
      return ErrorAt(open, absl::StrCat("parentheses nest deeper than ",
                                        kMaximumQueryNesting, " levels"));
    }
    if (Status status = Advance(); !status.ok()) return status;
    StatusOr<uint32_t> inner = ParseOr(depth + 1);
    if (!inner.ok()) return inner.status();
    if (token_.kind != TokenKind::kRightParenthesis) {
      return ErrorAt(token_.offset,
                     absl::StrCat("expected ')' to close the '(' at column ",
                                  open + 1, ", got ", Describe(token_)));
    }
    if (Status status = Advance(); !status.ok()) return status;
    return inner;
  }

  StatusOr<uint32_t> ParseComparison() {
    Comparison comparison;
    if (token_.kind != TokenKind::kIdentifier) {
      return ErrorAt(token_.offset,
                     absl::StrCat("expected authenticationName or "
                                  "attributes.NAME, got ",
                                  Describe(token_)));
    }
    const std::string_view operand = token_.text;
    if (operand == kAuthenticationNameOperand) {
      comparison.on_authentication_name = true;
    } else if (operand.starts_with(kAttributePrefix) &&
               IsValidAttributeKey(operand.substr(kAttributePrefix.size()))) {
      comparison.attribute =
          std::string(operand.substr(kAttributePrefix.size()));
    } else {
      return ErrorAt(token_.offset,
                     absl::StrCat("expected authenticationName or "
                                  "attributes.NAME (NAME: letters, digits, "
                                  "'_'), got ",
                                  Describe(token_)));
    }
    const std::string operand_text(operand);
    if (Status status = Advance(); !status.ok()) return status;

    if (token_.kind == TokenKind::kIn) {
      comparison.op = Operator::kIn;
      if (Status status = ParseInList(comparison); !status.ok()) return status;
    } else if (token_.kind == TokenKind::kOperator) {
      const Token op = token_;
      comparison.op = OperatorOf(op.text);
      if (IsRelational(op.text) && comparison.on_authentication_name) {
        return ErrorAt(op.offset,
                       absl::StrCat("authenticationName is a string; '",
                                    ToAbsl(op.text), "' compares integers"));
      }
      if (Status status = Advance(); !status.ok()) return status;
      StatusOr<Value> value = ParseValue(op.text, comparison);
      if (!value.ok()) return value.status();
      comparison.values.push_back(*std::move(value));
    } else {
      return ErrorAt(token_.offset,
                     absl::StrCat("expected an operator (=, !=, <>, <, >, <=, "
                                  ">=, in) after '",
                                  operand_text, "', got ", Describe(token_)));
    }
    query_.comparisons_.push_back(std::move(comparison));
    query_.nodes_.push_back(
        {Node::Kind::kComparison,
         static_cast<uint32_t>(query_.comparisons_.size() - 1), 0});
    return static_cast<uint32_t>(query_.nodes_.size() - 1);
  }

  Status ParseInList(Comparison& comparison) {
    if (Status status = Advance(); !status.ok()) return status;
    if (token_.kind != TokenKind::kLeftBracket) {
      return ErrorAt(
          token_.offset,
          absl::StrCat("expected '[' after 'in', got ", Describe(token_)));
    }
    if (Status status = Advance(); !status.ok()) return status;
    while (true) {
      if (comparison.values.size() == kMaximumInValues) {
        return ErrorAt(token_.offset,
                       absl::StrCat("an 'in' list holds at most ",
                                    kMaximumInValues, " values"));
      }
      StatusOr<Value> value =
          ParseValue(comparison.values.empty() ? "[" : ",", comparison);
      if (!value.ok()) return value.status();
      comparison.values.push_back(*std::move(value));
      if (token_.kind == TokenKind::kRightBracket) break;
      if (token_.kind != TokenKind::kComma) {
        return ErrorAt(
            token_.offset,
            absl::StrCat("expected ',' or ']' in the 'in' list, got ",
                         Describe(token_)));
      }
      if (Status status = Advance(); !status.ok()) return status;
    }
    return Advance();
  }

  // A literal after `after` (an operator, '[' or ','), of the type the
  // comparison needs.
  StatusOr<Value> ParseValue(std::string_view after,
                             const Comparison& comparison) {
    const Token value = token_;
    if (value.kind != TokenKind::kString && value.kind != TokenKind::kInteger) {
      return ErrorAt(value.offset,
                     absl::StrCat("expected a value after '", ToAbsl(after),
                                  "', got ", Describe(value)));
    }
    if (IsRelational(after) && value.kind != TokenKind::kInteger) {
      return ErrorAt(value.offset,
                     absl::StrCat("'", ToAbsl(after),
                                  "' compares integers; expected an integer, "
                                  "got ",
                                  Describe(value)));
    }
    if (comparison.on_authentication_name && value.kind != TokenKind::kString) {
      return ErrorAt(value.offset,
                     absl::StrCat("authenticationName is a string; expected a "
                                  "string, got ",
                                  Describe(value)));
    }
    if (Status status = Advance(); !status.ok()) return status;
    if (value.kind == TokenKind::kInteger) return Value(value.integer_value);
    return Value(value.string_value);
  }

  static Operator OperatorOf(std::string_view text) {
    if (text == "=") return Operator::kEqual;
    if (text == "!=" || text == "<>") return Operator::kNotEqual;
    if (text == "<") return Operator::kLess;
    if (text == ">") return Operator::kGreater;
    if (text == "<=") return Operator::kLessOrEqual;
    MQLAB_CHECK(text == ">=");
    return Operator::kGreaterOrEqual;
  }

  Lexer lexer_;
  ClientGroupQuery& query_;
  Token token_;
};

StatusOr<ClientGroupQuery> ClientGroupQuery::Parse(std::string_view text) {
  if (text.size() > kMaximumQuerySize) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected at most ", kMaximumQuerySize,
                     " bytes of query, got ", text.size()));
  }
  ClientGroupQuery query;
  query.text_ = std::string(text);
  if (Status status = Parser(query.text_, query).Run(); !status.ok()) {
    return status;
  }
  return query;
}

ClientGroupQuery ClientGroupQuery::MatchAll() {
  ClientGroupQuery query;
  query.nodes_.push_back({Node::Kind::kTrue, 0, 0});
  return query;
}

bool ClientGroupQuery::Matches(const ClientResource& client) const {
  return Evaluate(root_, client);
}

bool ClientGroupQuery::Evaluate(uint32_t index,
                                const ClientResource& client) const {
  const Node& node = nodes_[index];
  switch (node.kind) {
    case Node::Kind::kTrue:
      return true;
    case Node::Kind::kComparison:
      return Compare(comparisons_[node.first], client);
    case Node::Kind::kAnd:
      for (uint32_t i = 0; i < node.count; ++i) {
        if (!Evaluate(child_indices_[node.first + i], client)) return false;
      }
      return true;
    case Node::Kind::kOr:
      for (uint32_t i = 0; i < node.count; ++i) {
        if (Evaluate(child_indices_[node.first + i], client)) return true;
      }
      return false;
  }
  return false;
}

std::string ClientGroupQuery::ToCanonicalText() const {
  std::string text;
  AppendCanonical(root_, Node::Kind::kTrue, &text);
  return text;
}

std::string_view ClientGroupQuery::OperatorText(Operator op) {
  switch (op) {
    case Operator::kEqual:
      return "=";
    case Operator::kNotEqual:
      return "!=";
    case Operator::kLess:
      return "<";
    case Operator::kGreater:
      return ">";
    case Operator::kLessOrEqual:
      return "<=";
    case Operator::kGreaterOrEqual:
      return ">=";
    case Operator::kIn:
      return "in";
  }
  return "?";
}

namespace {

void AppendValue(const std::variant<std::string, int64_t>& value,
                 std::string* out) {
  if (const auto* number = std::get_if<int64_t>(&value)) {
    absl::StrAppend(out, *number);
    return;
  }
  out->push_back('\'');
  for (const char c : std::get<std::string>(value)) {
    if (c == '\'') out->push_back('\'');  // Doubled: stands for itself.
    out->push_back(c);
  }
  out->push_back('\'');
}

}  // namespace

void ClientGroupQuery::AppendCanonical(uint32_t index, Node::Kind parent,
                                       std::string* out) const {
  const Node& node = nodes_[index];
  switch (node.kind) {
    case Node::Kind::kTrue:
      return;  // MatchAll has no text.
    case Node::Kind::kComparison: {
      const Comparison& comparison = comparisons_[node.first];
      if (comparison.on_authentication_name) {
        out->append(kAuthenticationNameOperand);
      } else {
        absl::StrAppend(out, ToAbsl(kAttributePrefix), comparison.attribute);
      }
      absl::StrAppend(out, " ", ToAbsl(OperatorText(comparison.op)), " ");
      if (comparison.op != Operator::kIn) {
        AppendValue(comparison.values[0], out);
        return;
      }
      out->push_back('[');
      for (size_t i = 0; i < comparison.values.size(); ++i) {
        if (i > 0) out->append(", ");
        AppendValue(comparison.values[i], out);
      }
      out->push_back(']');
      return;
    }
    case Node::Kind::kAnd:
    case Node::Kind::kOr:
      break;
  }
  // Parentheses keep the tree: an `and` or `or` under an `and`, and an `or`
  // under an `or`, came from parentheses (`and` binds tighter than `or`).
  const bool parenthesize =
      parent == Node::Kind::kAnd ||
      (parent == Node::Kind::kOr && node.kind == Node::Kind::kOr);
  if (parenthesize) out->push_back('(');
  const std::string_view separator =
      node.kind == Node::Kind::kAnd ? " and " : " or ";
  for (uint32_t i = 0; i < node.count; ++i) {
    if (i > 0) out->append(separator);
    AppendCanonical(child_indices_[node.first + i], node.kind, out);
  }
  if (parenthesize) out->push_back(')');
}

bool ClientGroupQuery::SameTree(const ClientGroupQuery& other) const {
  return SameSubtree(root_, other, other.root_);
}

bool ClientGroupQuery::SameSubtree(uint32_t index,
                                   const ClientGroupQuery& other,
                                   uint32_t other_index) const {
  const Node& node = nodes_[index];
  const Node& other_node = other.nodes_[other_index];
  if (node.kind != other_node.kind) return false;
  switch (node.kind) {
    case Node::Kind::kTrue:
      return true;
    case Node::Kind::kComparison: {
      const Comparison& a = comparisons_[node.first];
      const Comparison& b = other.comparisons_[other_node.first];
      return a.on_authentication_name == b.on_authentication_name &&
             a.attribute == b.attribute && a.op == b.op && a.values == b.values;
    }
    case Node::Kind::kAnd:
    case Node::Kind::kOr:
      break;
  }
  if (node.count != other_node.count) return false;
  for (uint32_t i = 0; i < node.count; ++i) {
    if (!SameSubtree(child_indices_[node.first + i], other,
                     other.child_indices_[other_node.first + i])) {
      return false;
    }
  }
  return true;
}

namespace {

bool AttributeEquals(const AttributeValue& attribute,
                     const std::variant<std::string, int64_t>& value) {
  if (const auto* text = std::get_if<std::string>(&value)) {
    if (const auto* attribute_text = std::get_if<std::string>(&attribute)) {
      return *attribute_text == *text;
    }
    if (const auto* list = std::get_if<std::vector<std::string>>(&attribute)) {
      return std::find(list->begin(), list->end(), *text) != list->end();
    }
    return false;
  }
  const auto* number = std::get_if<int64_t>(&attribute);
  return number != nullptr && *number == std::get<int64_t>(value);
}

}  // namespace

bool ClientGroupQuery::Compare(const Comparison& comparison,
                               const ClientResource& client) const {
  if (comparison.on_authentication_name) {
    const bool equal = std::any_of(
        comparison.values.begin(), comparison.values.end(),
        [&](const Value& value) {
          return absl::EqualsIgnoreCase(std::get<std::string>(value),
                                        client.authentication_name);
        });
    return comparison.op == Operator::kNotEqual ? !equal : equal;
  }
  const auto it = client.attributes.find(comparison.attribute);
  if (it == client.attributes.end()) return false;
  const AttributeValue& attribute = it->second;
  switch (comparison.op) {
    case Operator::kEqual:
    case Operator::kIn:
      return std::any_of(comparison.values.begin(), comparison.values.end(),
                         [&](const Value& value) {
                           return AttributeEquals(attribute, value);
                         });
    case Operator::kNotEqual:
      return !AttributeEquals(attribute, comparison.values[0]);
    case Operator::kLess:
    case Operator::kGreater:
    case Operator::kLessOrEqual:
    case Operator::kGreaterOrEqual:
      break;
  }
  const auto* number = std::get_if<int64_t>(&attribute);
  if (number == nullptr) return false;
  const int64_t limit = std::get<int64_t>(comparison.values[0]);
  switch (comparison.op) {
    case Operator::kLess:
      return *number < limit;
    case Operator::kGreater:
      return *number > limit;
    case Operator::kLessOrEqual:
      return *number <= limit;
    default:
      return *number >= limit;
  }
}

}  // namespace mqlab::broker
