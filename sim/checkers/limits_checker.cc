#include "sim/checkers/limits_checker.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "sim/checkers/limit_reactions.h"

namespace mqlab::sim {

void LimitsChecker::Observe(const Observation& observation) {
  const auto* outcome = std::get_if<LimitProbeOutcome>(&observation);
  if (outcome == nullptr) return;
  const std::string kind = scenario::LimitProbe::Kind_Name(outcome->kind);
  const std::string_view version =
      outcome->version == mqtt::Version::kV5 ? "MQTT 5" : "MQTT 3.1.1";
  const LimitRule* rule = FindLimitRule(outcome->kind, outcome->version);
  if (rule == nullptr) {
    CountNotJudged(absl::StrCat("no-rule-", kind));
    return;
  }
  for (const ExpectedReaction& accepted : rule->accepted) {
    if (ReactionMatches(accepted, *outcome)) return;
  }
  std::string expected;
  for (const ExpectedReaction& accepted : rule->accepted) {
    if (!expected.empty()) expected += " or ";
    expected += DescribeReaction(accepted);
  }
  ExpectedReaction got{outcome->reaction, outcome->reason_code,
                       outcome->connection_closed, outcome->value};
  Report({.rule = "wrong-reaction",
          .time = outcome->time,
          .sessions = {outcome->client_id},
          .messages = {},
          .detail = absl::StrCat("probe ", kind, " (", ToAbsl(version),
                                 ") by session ", outcome->client_id, " got ",
                                 DescribeReaction(got), "; expected ", expected,
                                 " (", ToAbsl(rule->source), ")")});
}

}  // namespace mqlab::sim
