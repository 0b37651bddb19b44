#include "sim/named_faults.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/absl_string_view.h"
#include "base/check.h"
#include "sim/duration_text.h"

namespace mqlab::sim {
namespace {

std::string HostName(HostId host, const Fleet& fleet) {
  if (host == fleet.layout.broker_host) return std::string(kBrokerHostName);
  MQLAB_CHECK(host >= 1 && host - 1 < fleet.clients.size());
  return fleet.clients[host - 1].name;
}

std::optional<HostId> HostNamed(const std::string& name, const Fleet& fleet) {
  if (name == kBrokerHostName) return fleet.layout.broker_host;
  const std::optional<uint32_t> client = fleet.FindClient(name);
  if (!client.has_value()) return std::nullopt;
  return fleet.layout.client_hosts[*client];
}

// Resolves `names` with `lookup`; false when a name is unknown and the
// caller asked for errors (`error` says which).
template <typename T, typename Lookup>
bool ResolveNames(const std::vector<std::string>& names, Lookup lookup,
                  MissingNames missing, std::vector<T>* out,
                  std::string* error) {
  for (const std::string& name : names) {
    const std::optional<T> value = lookup(name);
    if (value.has_value()) {
      out->push_back(*value);
    } else if (missing == MissingNames::kError) {
      *error = name;
      return false;
    }
  }
  return true;
}

bool HasTargets(const Fault& fault) {
  switch (fault.kind) {
    case FaultKind::kBrokerRestart:
      return true;
    case FaultKind::kPartition:
      return !fault.hosts.empty() && !fault.other_hosts.empty();
    case FaultKind::kClientCrash:
    case FaultKind::kClientDelete:
    case FaultKind::kClientDisable:
      return !fault.clients.empty();
    default:
      return !fault.hosts.empty();
  }
}

}  // namespace

std::string DescribeNamedFault(const NamedFault& fault) {
  return DescribeFaultParts(
      fault.at, fault.kind, absl::StrJoin(fault.hosts, ","),
      absl::StrJoin(fault.other_hosts, ","), absl::StrJoin(fault.clients, ","),
      fault.duration, fault.amount);
}

NamedFault NameFault(const Fault& fault, const Fleet& fleet) {
  NamedFault named;
  named.at = fault.at;
  named.kind = fault.kind;
  for (HostId host : fault.hosts) named.hosts.push_back(HostName(host, fleet));
  for (HostId host : fault.other_hosts) {
    named.other_hosts.push_back(HostName(host, fleet));
  }
  for (uint32_t client : fault.clients) {
    MQLAB_CHECK(client < fleet.clients.size());
    named.clients.push_back(fleet.clients[client].name);
  }
  named.duration = fault.duration;
  named.amount = fault.amount;
  return named;
}

std::vector<NamedFault> NameFaults(const FaultPlan& plan, const Fleet& fleet) {
  std::vector<NamedFault> named;
  for (const Fault& fault : plan.faults) {
    named.push_back(NameFault(fault, fleet));
  }
  return named;
}

absl::StatusOr<FaultPlan> ResolveFaults(std::span<const NamedFault> faults,
                                        const Fleet& fleet,
                                        MissingNames missing) {
  const auto host = [&](const std::string& name) {
    return HostNamed(name, fleet);
  };
  const auto client = [&](const std::string& name) {
    return fleet.FindClient(name);
  };
  FaultPlan plan;
  for (size_t i = 0; i < faults.size(); ++i) {
    const NamedFault& named = faults[i];
    Fault fault;
    fault.at = named.at;
    fault.kind = named.kind;
    fault.duration = named.duration;
    fault.amount = named.amount;
    std::string unknown;
    const char* what = "host";
    bool known = ResolveNames<HostId>(named.hosts, host, missing, &fault.hosts,
                                      &unknown) &&
                 ResolveNames<HostId>(named.other_hosts, host, missing,
                                      &fault.other_hosts, &unknown);
    if (known) {
      what = "client";
      known = ResolveNames<uint32_t>(named.clients, client, missing,
                                     &fault.clients, &unknown);
    }
    if (!known) {
      return absl::InvalidArgumentError(absl::StrCat(
          "fault ", i, " (", DescribeNamedFault(named), "): the fleet has no ",
          what, " named \"", unknown, "\""));
    }
    if (!HasTargets(fault)) {
      if (missing == MissingNames::kDrop) continue;
      return absl::InvalidArgumentError(absl::StrCat(
          "fault ", i, " (", DescribeNamedFault(named), ") has no target"));
    }
    plan.faults.push_back(std::move(fault));
  }
  SortByTime(plan);
  return plan;
}

}  // namespace mqlab::sim
