// The limits checker keeps its own table of reactions (the checkers share no
// code with the broker), and docs/limits.md is the one statement of what
// the broker does: every rule that names a row of docs/limits.md must
// accept exactly what that row's reaction cell for its MQTT version says.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "sim/checkers/limit_reactions.h"

namespace mqlab::sim {
namespace {

constexpr char kLimitsDoc[] = "docs/limits.md";

struct DocRow {
  std::string reaction_v5;
  std::string reaction_v311;
};

// The table rows of docs/limits.md by their first cell.
std::map<std::string, DocRow> ReadRows() {
  std::ifstream file(kLimitsDoc);
  EXPECT_TRUE(file.good()) << "cannot open " << kLimitsDoc;
  std::map<std::string, DocRow> rows;
  std::string line;
  while (std::getline(file, line)) {
    if (!absl::StartsWith(line, "| ")) continue;
    std::vector<std::string> cells = absl::StrSplit(line, '|');
    // "| a | b |" splits into "", " a ", " b ", "".
    if (cells.size() < 7) continue;
    for (std::string& cell : cells) absl::StripAsciiWhitespace(&cell);
    rows[cells[1]] = {cells[4], cells[5]};
  }
  return rows;
}

std::string Hex(mqtt::ReasonCode code) {
  char text[8];
  std::snprintf(text, sizeof(text), "0x%02X", static_cast<unsigned>(code));
  return text;
}

// The phrases of docs/limits.md's legend that state `reaction`; the cell
// must contain one of them.
std::vector<std::string> Phrases(const ExpectedReaction& reaction,
                                 mqtt::Version version) {
  const std::string code =
      reaction.reason_code.has_value() ? Hex(*reaction.reason_code) : "";
  switch (reaction.reaction) {
    case ProbeReaction::kServerDisconnect:
      return {"DISCONNECT " + code};
    case ProbeReaction::kConnack:
      if (reaction.reason_code.has_value() &&
          mqtt::IsSuccess(*reaction.reason_code)) {
        // Keep Alive above the maximum: accepted, the maximum enforced.
        return version == mqtt::Version::kV5
                   ? std::vector<std::string>{"Server Keep Alive " +
                                              std::to_string(
                                                  reaction.value.value_or(0))}
                   : std::vector<std::string>{"enforced silently"};
      }
      return {"CONNACK " + code};
    case ProbeReaction::kSuback:
      return {"SUBACK " + code};
    case ProbeReaction::kPuback:
      return {"PUBACK " + code};
    case ProbeReaction::kClosed:
      // The legend: a refused QoS 1 PUBLISH closes a 3.1.1 connection.
      return {"closed", "refused PUBLISH"};
    case ProbeReaction::kNothing:
      break;
  }
  return {};
}

TEST(LimitReactionsDocTest, RulesFollowTheirRowOfDocsLimits) {
  const std::map<std::string, DocRow> rows = ReadRows();
  ASSERT_FALSE(rows.empty());
  int checked = 0;
  for (const LimitRule& rule : LimitRules()) {
    if (rule.limits_doc_row.empty()) continue;
    const std::string name =
        scenario::LimitProbe::Kind_Name(rule.kind) +
        (rule.version == mqtt::Version::kV5 ? " (v5)" : " (3.1.1)");
    const auto row = rows.find(std::string(rule.limits_doc_row));
    ASSERT_NE(row, rows.end()) << name << ": docs/limits.md has no row \""
                               << rule.limits_doc_row << "\"";
    const std::string& cell = rule.version == mqtt::Version::kV5
                                  ? row->second.reaction_v5
                                  : row->second.reaction_v311;
    ASSERT_EQ(rule.accepted.size(), 1u)
        << name << ": a documented limit has one reaction";
    bool found = false;
    for (const std::string& phrase : Phrases(rule.accepted[0], rule.version)) {
      found |= absl::StrContains(absl::AsciiStrToLower(cell),
                                 absl::AsciiStrToLower(phrase));
    }
    EXPECT_TRUE(found) << name << ": the table expects "
                       << DescribeReaction(rule.accepted[0])
                       << ", but docs/limits.md row \"" << rule.limits_doc_row
                       << "\" says: " << cell;
    ++checked;
  }
  EXPECT_GE(checked, 19);
}

}  // namespace
}  // namespace mqlab::sim
