#include "sim/faults.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/absl_string_view.h"
#include "sim/duration_text.h"

namespace mqlab::sim {

std::string_view FaultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kResetConnections:
      return "reset-connections";
    case FaultKind::kHalfOpen:
      return "half-open";
    case FaultKind::kPartition:
      return "partition";
    case FaultKind::kSlowReader:
      return "slow-reader";
    case FaultKind::kLatencySpike:
      return "latency-spike";
    case FaultKind::kBrokerRestart:
      return "broker-restart";
    case FaultKind::kClientCrash:
      return "client-crash";
    case FaultKind::kClientDelete:
      return "client-delete";
    case FaultKind::kClientDisable:
      return "client-disable";
  }
  return "unknown";
}

std::optional<FaultKind> FaultKindFromName(std::string_view name) {
  for (FaultKind kind : kAllFaultKinds) {
    if (FaultKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

bool IsClientFault(FaultKind kind) {
  return kind == FaultKind::kClientCrash || kind == FaultKind::kClientDelete ||
         kind == FaultKind::kClientDisable;
}

std::string DescribeFault(const Fault& fault) {
  return DescribeFaultParts(
      fault.at, fault.kind, absl::StrJoin(fault.hosts, ","),
      absl::StrJoin(fault.other_hosts, ","), absl::StrJoin(fault.clients, ","),
      fault.duration, fault.amount);
}

std::string DescribeFaultParts(Time at, FaultKind kind, std::string_view hosts,
                               std::string_view other_hosts,
                               std::string_view clients, Duration duration,
                               int64_t amount) {
  std::string text = absl::StrCat("t=", FormatDuration(at), " ");
  text.append(FaultKindName(kind));
  if (!hosts.empty()) absl::StrAppend(&text, " hosts=[", ToAbsl(hosts), "]");
  if (!other_hosts.empty()) {
    absl::StrAppend(&text, " other=[", ToAbsl(other_hosts), "]");
  }
  if (!clients.empty()) {
    absl::StrAppend(&text, " clients=[", ToAbsl(clients), "]");
  }
  if (kind == FaultKind::kSlowReader) {
    absl::StrAppend(&text, " at ", amount, " B/s");
  } else if (kind == FaultKind::kLatencySpike) {
    absl::StrAppend(&text, " +", FormatDuration(amount));
  }
  if (duration > 0) absl::StrAppend(&text, " for ", FormatDuration(duration));
  return text;
}

void SortByTime(FaultPlan& plan) {
  std::stable_sort(plan.faults.begin(), plan.faults.end(),
                   [](const Fault& a, const Fault& b) { return a.at < b.at; });
}

}  // namespace mqlab::sim
