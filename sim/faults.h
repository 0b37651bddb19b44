// Faults as data: what the lab does to a run, when, and to whom. A fault plan
// is a list of concrete faults (times, hosts, clients, durations), whether
// written in a scenario, drawn by swarm mode (swarm.h) or recorded from a run
// (the FaultInjector's taken list, which replay files and the shrinker use).
#ifndef MQLAB_SIM_FAULTS_H_
#define MQLAB_SIM_FAULTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "sim/network.h"

namespace mqlab::sim {

// The numbers are part of trace hashes: add new kinds at the end.
enum class FaultKind : uint8_t {
  // The network resets every connection of the hosts (both ends told).
  kResetConnections = 1,
  // Every connection of the hosts turns into a black hole (nobody told).
  kHalfOpen = 2,
  // `hosts` and `other_hosts` cannot reach each other for `duration`.
  kPartition = 3,
  // The hosts read at `amount` bytes/s for `duration`.
  kSlowReader = 4,
  // The hosts' links add `amount` ns of latency for `duration`.
  kLatencySpike = 5,
  // The broker process dies (its state is lost) and a fresh one starts
  // after `duration`.
  kBrokerRestart = 6,
  // The clients' devices die without a word; they start again after
  // `duration` (0: never).
  kClientCrash = 7,
  // The admin API deletes the clients' resources; they are registered again
  // after `duration` (0: never).
  kClientDelete = 8,
  // The admin API disables the clients; enabled again after `duration`
  // (0: never).
  kClientDisable = 9,
};

inline constexpr FaultKind kAllFaultKinds[] = {
    FaultKind::kResetConnections, FaultKind::kHalfOpen,
    FaultKind::kPartition,        FaultKind::kSlowReader,
    FaultKind::kLatencySpike,     FaultKind::kBrokerRestart,
    FaultKind::kClientCrash,      FaultKind::kClientDelete,
    FaultKind::kClientDisable,
};

// "reset-connections", "half-open", "partition", "slow-reader",
// "latency-spike", "broker-restart", "client-crash", "client-delete",
// "client-disable".
std::string_view FaultKindName(FaultKind kind);
std::optional<FaultKind> FaultKindFromName(std::string_view name);
// True for the kinds that act on clients (through the harness's hooks)
// rather than on hosts.
bool IsClientFault(FaultKind kind);

struct Fault {
  Time at = 0;
  FaultKind kind = FaultKind::kResetConnections;
  // Network faults: the hosts; kPartition: one side.
  std::vector<HostId> hosts;
  // kPartition: the other side.
  std::vector<HostId> other_hosts;
  // Client faults: client indexes (the harness numbers its clients).
  std::vector<uint32_t> clients;
  // See FaultKind.
  Duration duration = 0;
  int64_t amount = 0;

  friend bool operator==(const Fault&, const Fault&) = default;
};

// "t=12s partition hosts=[3,4] other=[0] for 5s".
std::string DescribeFault(const Fault& fault);

// The text DescribeFault and DescribeNamedFault (named_faults.h) share: the
// hosts, other hosts and clients come joined with commas, empty when none.
std::string DescribeFaultParts(Time at, FaultKind kind, std::string_view hosts,
                               std::string_view other_hosts,
                               std::string_view clients, Duration duration,
                               int64_t amount);

struct FaultPlan {
  std::vector<Fault> faults;  // In time order.
  friend bool operator==(const FaultPlan&, const FaultPlan&) = default;
};

// Sorts by time, keeping the order of faults at the same time.
void SortByTime(FaultPlan& plan);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_FAULTS_H_
