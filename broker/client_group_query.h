// Client group queries: the filter language that decides which clients belong
// to a client group, e.g.
//
//   attributes.sensors IN ['motion', 'humidity'] and attributes.floor <= 5
//   authenticationName IN ['client1', 'client2']
//   (attributes.type = "vehicle" or attributes.type <> 'drone') and
//   attributes.year >= 2020
//
// Grammar (keywords `and`, `or`, `in` in any case; `and` binds tighter than
// `or`; string literals in single or double quotes, the quote doubled inside
// stands for itself; integers are 64-bit, optionally negative):
//
//   query      := or_expr
//   or_expr    := and_expr { "or" and_expr }
//   and_expr   := term { "and" term }
//   term       := "(" or_expr ")" | comparison
//   comparison := operand op value | operand "in" "[" value { "," value } "]"
//   operand    := "authenticationName" | "attributes." NAME
//   op         := "=" | "!=" | "<>" | "<" | ">" | "<=" | ">="
//
// Semantics (docs/namespace.md has the table):
// - A comparison on an attribute the client lacks is false, whatever the
//   operator (`!=` included).
// - `=` compares a string attribute with a string (case-sensitive) or an
//   integer attribute with an integer; an array-of-strings attribute is equal
//   when any element is. Different types are never equal.
// - `!=` and `<>` are the negation of `=` for an attribute the client has.
// - `<`, `>`, `<=`, `>=` take an integer literal and hold only for integer
//   attributes.
// - `in` holds when `=` holds for one of the listed values.
// - `authenticationName` is a string compared case-insensitively (ASCII), as
//   Event Grid compares authentication names.
//
// A query is parsed once into a tree evaluated without allocation.
#ifndef MQLAB_BROKER_CLIENT_GROUP_QUERY_H_
#define MQLAB_BROKER_CLIENT_GROUP_QUERY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "broker/namespace_config.h"

namespace mqlab::broker {

// Bounds on a query (beyond Event Grid, which documents none): its text, the
// depth of nested parentheses and the values of one `in` list.
inline constexpr size_t kMaximumQuerySize = 2048;
inline constexpr size_t kMaximumQueryNesting = 16;
inline constexpr size_t kMaximumInValues = 100;

// The name of the client group that always exists and holds every client.
inline constexpr std::string_view kAllClientsGroupName = "$all";

class ClientGroupQuery {
 public:
  // Parses `text`. Errors (InvalidArgument) name the 1-based byte column:
  // "column 17: expected a value after '<=', got end of query".
  static StatusOr<ClientGroupQuery> Parse(std::string_view text);
  // The query of `$all`: every client matches.
  static ClientGroupQuery MatchAll();

  bool Matches(const ClientResource& client) const;

  // The query in canonical form: single-quoted strings, `!=` for `<>`,
  // lower-case keywords, one space around operators, parentheses only where
  // the tree needs them. Parse(ToCanonicalText()) gives the same tree
  // (SameTree), which fuzz/client_group_query_fuzzer.cc checks.
  std::string ToCanonicalText() const;
  // Whether both queries have the same expression tree: same comparisons
  // (operand, operator, values) under the same `and` / `or` nesting. The
  // text they were parsed from does not matter.
  bool SameTree(const ClientGroupQuery& other) const;

  const std::string& text() const { return text_; }

 private:
  enum class Operator : uint8_t {
    kEqual,
    kNotEqual,
    kLess,
    kGreater,
    kLessOrEqual,
    kGreaterOrEqual,
    kIn,
  };
  using Value = std::variant<std::string, int64_t>;
  struct Comparison {
    bool on_authentication_name = false;
    std::string attribute;  // When not on the authentication name.
    Operator op = Operator::kEqual;
    std::vector<Value> values;  // One, or the `in` list.
  };
  // A node of the expression tree: a comparison, or `and` / `or` over
  // children stored contiguously in child_indices_.
  struct Node {
    enum class Kind : uint8_t { kComparison, kAnd, kOr, kTrue };
    Kind kind;
    uint32_t first;  // Comparison index, or first entry in child_indices_.
    uint32_t count;  // Children (kAnd, kOr).
  };
  class Parser;

  // "=", "!=", ..., "in".
  static std::string_view OperatorText(Operator op);

  ClientGroupQuery() = default;
  bool Evaluate(uint32_t node, const ClientResource& client) const;
  // `node` in canonical form, appended to `out`; `parent` is the kind of
  // the node it is an operand of (kTrue at the root).
  void AppendCanonical(uint32_t node, Node::Kind parent,
                       std::string* out) const;
  bool SameSubtree(uint32_t node, const ClientGroupQuery& other,
                   uint32_t other_node) const;
  bool Compare(const Comparison& comparison,
               const ClientResource& client) const;

  std::string text_;
  std::vector<Comparison> comparisons_;
  std::vector<Node> nodes_;
  std::vector<uint32_t> child_indices_;
  uint32_t root_ = 0;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_CLIENT_GROUP_QUERY_H_
