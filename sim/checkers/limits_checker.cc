#include "sim/checkers/limits_checker.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "sim/checkers/limit_reactions.h"

namespace mqlab::sim {

bool LimitsChecker::Disturbed(const LimitProbeOutcome& outcome) const {
  if (context().faults == nullptr) return false;
  const FleetLayout& layout = context().fleet->layout;
  const HostId prober = outcome.client < layout.client_hosts.size()
                            ? layout.client_hosts[outcome.client]
                            : layout.broker_host;
  for (const Fault& fault : context().faults->faults) {
    const Time until = fault.at + std::max<Duration>(fault.duration, 0);
    if (fault.at > outcome.ended || until < outcome.started) continue;
    const auto names = [](const std::vector<HostId>& hosts, HostId host) {
      return std::find(hosts.begin(), hosts.end(), host) != hosts.end();
    };
    if (fault.kind == FaultKind::kBrokerRestart ||
        names(fault.hosts, layout.broker_host) ||
        names(fault.other_hosts, layout.broker_host) ||
        names(fault.hosts, prober) || names(fault.other_hosts, prober) ||
        std::find(fault.clients.begin(), fault.clients.end(), outcome.client) !=
            fault.clients.end()) {
      return true;
    }
  }
  return false;
}

void LimitsChecker::OnLimitProbeOutcome(const LimitProbeOutcome& outcome,
                                        const ObservedIds& /*ids*/) {
  const std::string kind = scenario::LimitProbe::Kind_Name(outcome.kind);
  const std::string_view version =
      outcome.version == mqtt::Version::kV5 ? "MQTT 5" : "MQTT 3.1.1";
  const LimitRule* rule = FindLimitRule(outcome.kind, outcome.version);
  if (rule == nullptr) {
    CountNotJudged(absl::StrCat("no-rule-", kind));
    return;
  }
  if (Disturbed(outcome)) {
    CountNotJudged("fault-during-probe");
    return;
  }
  for (const ExpectedReaction& accepted : rule->accepted) {
    if (ReactionMatches(accepted, outcome)) return;
  }
  std::string expected;
  for (const ExpectedReaction& accepted : rule->accepted) {
    if (!expected.empty()) expected += " or ";
    expected += DescribeReaction(accepted);
  }
  ExpectedReaction got{outcome.reaction, outcome.reason_code,
                       outcome.connection_closed, outcome.value};
  Report({.rule = "wrong-reaction",
          .time = outcome.time,
          .sessions = {std::string(outcome.client_id)},
          .messages = {},
          .detail = absl::StrCat("probe ", kind, " (", ToAbsl(version),
                                 ") by session ", ToAbsl(outcome.client_id),
                                 " got ", DescribeReaction(got), "; expected ",
                                 expected, " (", ToAbsl(rule->source), ")")});
}

}  // namespace mqlab::sim
