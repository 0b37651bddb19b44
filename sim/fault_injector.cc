#include "sim/fault_injector.h"

#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace mqlab::sim {
namespace {

absl::Status Malformed(size_t index, const Fault& fault,
                       absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(
      "fault ", index, " (", DescribeFault(fault), "): ", problem));
}

}  // namespace

FaultInjector::FaultInjector(Scheduler* scheduler, Network* network,
                             FaultHooks* hooks, Trace* trace)
    : scheduler_(scheduler), network_(network), hooks_(hooks), trace_(trace) {
  MQLAB_CHECK(scheduler_ != nullptr && network_ != nullptr);
}

absl::Status FaultInjector::Schedule(const FaultPlan& plan,
                                     uint32_t client_count) {
  if (scheduled_.size() + plan.faults.size() > kMaxFaults) {
    return absl::ResourceExhaustedError(
        absl::StrCat("fault plan: more than ", kMaxFaults, " faults"));
  }
  const Time now = scheduler_->now();
  for (size_t i = 0; i < plan.faults.size(); ++i) {
    const Fault& fault = plan.faults[i];
    if (fault.at < now) return Malformed(i, fault, "its time is in the past");
    if (i > 0 && fault.at < plan.faults[i - 1].at) {
      return Malformed(i, fault, "the plan is not in time order");
    }
    if (fault.duration < 0) return Malformed(i, fault, "negative duration");
    for (const std::vector<HostId>* hosts :
         {&fault.hosts, &fault.other_hosts}) {
      for (HostId host : *hosts) {
        if (host >= network_->host_count()) {
          return Malformed(i, fault, absl::StrCat("no host ", host));
        }
      }
    }
    for (uint32_t client : fault.clients) {
      if (client >= client_count) {
        return Malformed(i, fault, absl::StrCat("no client ", client));
      }
    }
    const bool needs_hooks =
        IsClientFault(fault.kind) || fault.kind == FaultKind::kBrokerRestart;
    if (needs_hooks && hooks_ == nullptr) {
      return Malformed(i, fault, "needs the harness, and there is none");
    }
    switch (fault.kind) {
      case FaultKind::kResetConnections:
      case FaultKind::kHalfOpen:
        if (fault.hosts.empty()) return Malformed(i, fault, "names no host");
        break;
      case FaultKind::kPartition:
        if (fault.hosts.empty() || fault.other_hosts.empty()) {
          return Malformed(i, fault, "a partition needs two sides");
        }
        if (fault.duration <= 0) {
          return Malformed(i, fault, "a partition needs a duration");
        }
        break;
      case FaultKind::kSlowReader:
        if (fault.hosts.empty() || fault.amount <= 0) {
          return Malformed(i, fault, "needs hosts and a rate > 0");
        }
        break;
      case FaultKind::kLatencySpike:
        if (fault.hosts.empty() || fault.amount <= 0) {
          return Malformed(i, fault, "needs hosts and an extra latency > 0");
        }
        break;
      case FaultKind::kBrokerRestart:
        break;
      case FaultKind::kClientCrash:
      case FaultKind::kClientDelete:
      case FaultKind::kClientDisable:
        if (fault.clients.empty()) {
          return Malformed(i, fault, "names no client");
        }
        break;
    }
  }
  for (const Fault& fault : plan.faults) {
    const size_t index = scheduled_.size();
    scheduled_.push_back(fault);
    scheduler_->At(fault.at, [this, index] { Fire(index); });
  }
  return absl::OkStatus();
}

void FaultInjector::Fire(size_t index) {
  // A copy: a hook may schedule more faults, which moves scheduled_.
  const Fault fault = scheduled_[index];
  switch (fault.kind) {
    case FaultKind::kResetConnections:
      for (HostId host : fault.hosts) network_->ResetHostConnections(host);
      break;
    case FaultKind::kHalfOpen:
      for (HostId host : fault.hosts) network_->HalfOpenHostConnections(host);
      break;
    case FaultKind::kPartition: {
      const absl::StatusOr<uint64_t> partition =
          network_->Partition(fault.hosts, fault.other_hosts, fault.duration);
      if (!partition.ok()) {
        skipped_.push_back(absl::StrCat(DescribeFault(fault), ": ",
                                        partition.status().message()));
        return;
      }
      break;
    }
    case FaultKind::kSlowReader:
      for (HostId host : fault.hosts) {
        network_->SlowReader(host, fault.amount, fault.duration);
      }
      break;
    case FaultKind::kLatencySpike:
      for (HostId host : fault.hosts) {
        network_->LatencySpike(host, fault.amount, fault.duration);
      }
      break;
    case FaultKind::kBrokerRestart:
      hooks_->RestartBroker(fault.duration);
      break;
    case FaultKind::kClientCrash:
      for (uint32_t client : fault.clients) {
        hooks_->CrashClient(client, fault.duration);
      }
      break;
    case FaultKind::kClientDelete:
      for (uint32_t client : fault.clients) {
        hooks_->DeleteClient(client, fault.duration);
      }
      break;
    case FaultKind::kClientDisable:
      for (uint32_t client : fault.clients) {
        hooks_->DisableClient(client, fault.duration);
      }
      break;
  }
  if (trace_ != nullptr) {
    trace_->AddText(scheduler_->now(), TraceKind::kFault,
                    static_cast<uint64_t>(fault.kind),
                    static_cast<uint64_t>(fault.duration),
                    static_cast<uint64_t>(fault.amount), DescribeFault(fault));
  }
  taken_.faults.push_back(fault);
}

}  // namespace mqlab::sim
