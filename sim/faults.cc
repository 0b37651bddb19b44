#include "sim/faults.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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
  std::string text = absl::StrCat("t=", FormatDuration(fault.at), " ");
  text.append(FaultKindName(fault.kind));
  if (!fault.hosts.empty()) {
    absl::StrAppend(&text, " hosts=[", absl::StrJoin(fault.hosts, ","), "]");
  }
  if (!fault.other_hosts.empty()) {
    absl::StrAppend(&text, " other=[", absl::StrJoin(fault.other_hosts, ","),
                    "]");
  }
  if (!fault.clients.empty()) {
    absl::StrAppend(&text, " clients=[", absl::StrJoin(fault.clients, ","),
                    "]");
  }
  switch (fault.kind) {
    case FaultKind::kSlowReader:
      absl::StrAppend(&text, " at ", fault.amount, " B/s");
      break;
    case FaultKind::kLatencySpike:
      absl::StrAppend(&text, " +", FormatDuration(fault.amount));
      break;
    default:
      break;
  }
  if (fault.duration > 0) {
    absl::StrAppend(&text, " for ", FormatDuration(fault.duration));
  }
  return text;
}

void SortByTime(FaultPlan& plan) {
  std::stable_sort(plan.faults.begin(), plan.faults.end(),
                   [](const Fault& a, const Fault& b) { return a.at < b.at; });
}

}  // namespace mqlab::sim
