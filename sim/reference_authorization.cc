#include "sim/reference_authorization.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <variant>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "base/absl_string_view.h"

namespace mqlab::sim {
namespace {

std::vector<std::string_view> Levels(std::string_view text) {
  std::vector<std::string_view> levels;
  size_t start = 0;
  while (true) {
    const size_t slash = text.find('/', start);
    if (slash == std::string_view::npos) {
      levels.push_back(text.substr(start));
      return levels;
    }
    levels.push_back(text.substr(start, slash - start));
    start = slash + 1;
  }
}

// --- Client group queries, evaluated straight from the text. ---

struct Token {
  enum class Kind { kEnd, kPunct, kOperator, kWord, kString, kInteger, kBad };
  Kind kind = Kind::kEnd;
  std::string text;  // Punctuation, operator, word or string contents.
  int64_t integer = 0;
};

class QueryEvaluator {
 public:
  QueryEvaluator(std::string_view query, const broker::ClientResource& client)
      : query_(query), client_(client) {
    Advance();
  }

  // The query's value, or false when it does not parse.
  bool Evaluate() {
    const bool value = OrExpression();
    return ok_ && token_.kind == Token::Kind::kEnd && value;
  }

 private:
  bool IsWord(std::string_view word) const {
    return token_.kind == Token::Kind::kWord &&
           absl::EqualsIgnoreCase(ToAbsl(token_.text), ToAbsl(word));
  }
  bool IsPunct(char c) const {
    return token_.kind == Token::Kind::kPunct && token_.text[0] == c;
  }
  void Expect(char c) {
    if (!IsPunct(c)) ok_ = false;
    Advance();
  }

  bool OrExpression() {
    bool value = AndExpression();
    while (ok_ && IsWord("or")) {
      Advance();
      const bool right = AndExpression();
      value = value || right;
    }
    return value;
  }

  bool AndExpression() {
    bool value = Term();
    while (ok_ && IsWord("and")) {
      Advance();
      const bool right = Term();
      value = value && right;
    }
    return value;
  }

  bool Term() {
    if (IsPunct('(')) {
      Advance();
      const bool value = OrExpression();
      Expect(')');
      return value;
    }
    return Comparison();
  }

  using Value = std::variant<std::string, int64_t>;

  std::optional<Value> Literal() {
    std::optional<Value> value;
    if (token_.kind == Token::Kind::kString) value = token_.text;
    if (token_.kind == Token::Kind::kInteger) value = token_.integer;
    if (!value.has_value()) ok_ = false;
    Advance();
    return value;
  }

  bool Comparison() {
    if (token_.kind != Token::Kind::kWord) {
      ok_ = false;
      return false;
    }
    const std::string operand = token_.text;
    const bool on_name = operand == "authenticationName";
    if (!on_name && !absl::StartsWith(operand, "attributes.")) ok_ = false;
    Advance();
    std::string op;
    std::vector<Value> values;
    if (IsWord("in")) {
      op = "in";
      Advance();
      Expect('[');
      while (ok_) {
        if (std::optional<Value> value = Literal()) values.push_back(*value);
        if (!IsPunct(',')) break;
        Advance();
      }
      Expect(']');
    } else if (token_.kind == Token::Kind::kOperator) {
      op = token_.text;
      Advance();
      if (std::optional<Value> value = Literal()) values.push_back(*value);
    } else {
      ok_ = false;
    }
    if (!ok_) return false;
    // The operand's value: the authentication name, or the attribute.
    const broker::AttributeValue* attribute = nullptr;
    broker::AttributeValue name_value;
    if (on_name) {
      name_value = client_.authentication_name;
      attribute = &name_value;
    } else {
      const auto it = client_.attributes.find(
          operand.substr(std::string("attributes.").size()));
      if (it == client_.attributes.end()) return false;  // Missing: false.
      attribute = &it->second;
    }
    const auto equal = [&](const Value& value) {
      if (const auto* text = std::get_if<std::string>(&value)) {
        if (on_name) {
          return absl::EqualsIgnoreCase(
              ToAbsl(std::get<std::string>(*attribute)), ToAbsl(*text));
        }
        if (const auto* own = std::get_if<std::string>(attribute)) {
          return *own == *text;
        }
        if (const auto* own =
                std::get_if<std::vector<std::string>>(attribute)) {
          return std::find(own->begin(), own->end(), *text) != own->end();
        }
        return false;
      }
      const auto* own = std::get_if<int64_t>(attribute);
      return own != nullptr && *own == std::get<int64_t>(value);
    };
    if (op == "in") {
      return std::any_of(values.begin(), values.end(), equal);
    }
    if (op == "=") return equal(values[0]);
    if (op == "!=" || op == "<>") return !equal(values[0]);
    const auto* own = std::get_if<int64_t>(attribute);
    const auto* literal = std::get_if<int64_t>(&values[0]);
    if (own == nullptr || literal == nullptr || on_name) return false;
    if (op == "<") return *own < *literal;
    if (op == ">") return *own > *literal;
    if (op == "<=") return *own <= *literal;
    if (op == ">=") return *own >= *literal;
    ok_ = false;
    return false;
  }

  void Advance() {
    token_ = Token();
    while (at_ < query_.size() && absl::ascii_isspace(query_[at_])) ++at_;
    if (at_ == query_.size()) return;
    const char c = query_[at_];
    if (c == '(' || c == ')' || c == '[' || c == ']' || c == ',') {
      token_ = {Token::Kind::kPunct, std::string(1, c)};
      ++at_;
      return;
    }
    for (std::string_view op : {"<=", ">=", "!=", "<>", "=", "<", ">"}) {
      if (query_.substr(at_, op.size()) == op) {
        token_ = {Token::Kind::kOperator, std::string(op)};
        at_ += op.size();
        return;
      }
    }
    if (c == '\'' || c == '"') {
      token_.kind = Token::Kind::kString;
      ++at_;
      while (true) {
        if (at_ >= query_.size()) {
          token_.kind = Token::Kind::kBad;
          ok_ = false;
          return;
        }
        if (query_[at_] == c) {
          if (at_ + 1 < query_.size() && query_[at_ + 1] == c) {
            token_.text.push_back(c);  // A doubled quote stands for itself.
            at_ += 2;
            continue;
          }
          ++at_;
          return;
        }
        token_.text.push_back(query_[at_++]);
      }
    }
    if (c == '-' || absl::ascii_isdigit(c)) {
      const size_t start = at_;
      ++at_;
      while (at_ < query_.size() && absl::ascii_isdigit(query_[at_])) ++at_;
      token_.kind = Token::Kind::kInteger;
      if (!absl::SimpleAtoi(ToAbsl(query_.substr(start, at_ - start)),
                            &token_.integer)) {
        ok_ = false;
      }
      return;
    }
    if (absl::ascii_isalpha(c) || c == '_') {
      const size_t start = at_;
      while (at_ < query_.size() &&
             (absl::ascii_isalnum(query_[at_]) || query_[at_] == '_' ||
              query_[at_] == '.')) {
        ++at_;
      }
      token_ = {Token::Kind::kWord,
                std::string(query_.substr(start, at_ - start))};
      return;
    }
    token_.kind = Token::Kind::kBad;
    ok_ = false;
  }

  std::string_view query_;
  const broker::ClientResource& client_;
  size_t at_ = 0;
  Token token_;
  bool ok_ = true;
};

// --- Topic templates, expanded by substitution. ---

std::optional<std::string> Expand(std::string_view text,
                                  const broker::ClientResource& client) {
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    const size_t open = text.find("${", at);
    if (open == std::string_view::npos) {
      out.append(text.substr(at));
      break;
    }
    out.append(text.substr(at, open - at));
    const size_t close = text.find('}', open);
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view variable = text.substr(open + 2, close - open - 2);
    std::string value;
    if (variable == "client.authenticationName") {
      value = client.authentication_name;
    } else if (absl::StartsWith(ToAbsl(variable), "client.attributes.")) {
      const auto it = client.attributes.find(std::string(
          variable.substr(std::string("client.attributes.").size())));
      if (it == client.attributes.end()) return std::nullopt;
      if (const auto* text_value = std::get_if<std::string>(&it->second)) {
        value = *text_value;
      } else if (const auto* integer = std::get_if<int64_t>(&it->second)) {
        value = std::to_string(*integer);
      } else {
        return std::nullopt;  // An array names no single level.
      }
    } else {
      return std::nullopt;
    }
    if (value.find_first_of(std::string_view("/+#\0", 4)) !=
        std::string::npos) {
      return std::nullopt;
    }
    out += value;
    at = close + 1;
  }
  return out;
}

}  // namespace

bool ReferenceMatches(std::string_view filter, std::string_view topic) {
  const std::vector<std::string_view> f = Levels(filter);
  const std::vector<std::string_view> t = Levels(topic);
  if (!topic.empty() && topic[0] == '$' && (f[0] == "+" || f[0] == "#")) {
    return false;
  }
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] == "#") return true;
    if (i >= t.size()) return false;
    if (f[i] != "+" && f[i] != t[i]) return false;
  }
  return f.size() == t.size();
}

bool ReferenceCovers(std::string_view grant, std::string_view filter) {
  const std::vector<std::string_view> g = Levels(grant);
  const std::vector<std::string_view> f = Levels(filter);
  // A grant whose first level is a wildcard matches no '$' topic, so it
  // covers a filter only if that filter matches none either.
  const bool filter_reaches_dollar = !f[0].empty() && f[0][0] == '$';
  if (filter_reaches_dollar && (g[0] == "+" || g[0] == "#")) return false;
  for (size_t i = 0; i < g.size(); ++i) {
    if (g[i] == "#") return true;     // Everything from here down.
    if (i >= f.size()) return false;  // The filter matches shorter topics.
    if (f[i] == "#") return false;    // ... or deeper ones.
    if (g[i] == "+") continue;        // Any one level: literal or '+'.
    if (f[i] != g[i]) return false;   // A literal covers only itself.
  }
  return f.size() == g.size();
}

bool ReferenceQueryMatches(std::string_view query,
                           const broker::ClientResource& client) {
  return QueryEvaluator(query, client).Evaluate();
}

ReferenceAuthorization::ReferenceAuthorization(
    broker::NamespaceConfig config,
    std::span<const broker::ClientResource> registrations)
    : config_(std::move(config)) {
  config_.clients.insert(config_.clients.end(), registrations.begin(),
                         registrations.end());
  for (size_t i = 0; i < config_.clients.size(); ++i) {
    const broker::ClientResource& client = config_.clients[i];
    const std::string& name = client.authentication_name.empty()
                                  ? client.name
                                  : client.authentication_name;
    // The first client carrying a name is the one that counts.
    client_by_name_.try_emplace(absl::AsciiStrToLower(name), i);
  }
}

const ReferenceAuthorization::Grants& ReferenceAuthorization::GrantsFor(
    std::string_view authentication_name) const {
  std::string key = absl::AsciiStrToLower(ToAbsl(authentication_name));
  const auto it = grants_.find(key);
  if (it != grants_.end()) return it->second;
  Grants grants;
  const auto client = client_by_name_.find(key);
  if (client != client_by_name_.end()) {
    grants = Compute(config_.clients[client->second]);
  }
  return grants_.emplace(std::move(key), std::move(grants)).first->second;
}

ReferenceAuthorization::Grants ReferenceAuthorization::Compute(
    const broker::ClientResource& resource) const {
  Grants grants;
  if (resource.state == broker::ClientState::kDisabled) return grants;
  broker::ClientResource client = resource;
  if (client.authentication_name.empty())
    client.authentication_name = client.name;
  for (const broker::PermissionBindingResource& binding :
       config_.permission_bindings) {
    bool member = binding.client_group_name == "$all";
    for (const broker::ClientGroupResource& group : config_.client_groups) {
      if (group.name == binding.client_group_name) {
        member = ReferenceQueryMatches(group.query, client);
      }
    }
    if (!member) continue;
    for (const broker::TopicSpaceResource& space : config_.topic_spaces) {
      if (space.name != binding.topic_space_name) continue;
      for (const std::string& text : space.topic_templates) {
        std::optional<std::string> filter = Expand(text, client);
        if (!filter.has_value()) continue;
        (binding.permission == broker::Permission::kPublisher
             ? grants.publish
             : grants.subscribe)
            .push_back(*std::move(filter));
      }
    }
  }
  return grants;
}

bool ReferenceAuthorization::MayPublish(std::string_view authentication_name,
                                        std::string_view topic) const {
  for (const std::string& grant : GrantsFor(authentication_name).publish) {
    if (ReferenceMatches(grant, topic)) return true;
  }
  return false;
}

bool ReferenceAuthorization::MaySubscribe(std::string_view authentication_name,
                                          std::string_view filter) const {
  for (const std::string& grant : GrantsFor(authentication_name).subscribe) {
    if (ReferenceCovers(grant, filter)) return true;
  }
  return false;
}

}  // namespace mqlab::sim
