// Swarm testing, after TigerBeetle's VOPR: instead of one fault mix for every
// run, each seed draws its own, which fault kinds are on and how often each
// fires, so that across many seeds some runs hammer one kind and others
// combine rare ones. Faults fire only in active periods; quiet periods in
// between, a warm-up at the start and a final quiet stretch let the system
// recover, and the checkers require that it does.
//
// Every draw comes from a named stream of the seed: "swarm/periods" for the
// timeline and "swarm/<kind>" for each kind, so turning a kind on or off
// (or adding a kind) leaves the other kinds' faults exactly as they were.
#ifndef MQLAB_SIM_SWARM_H_
#define MQLAB_SIM_SWARM_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/time.h"
#include "sim/faults.h"
#include "sim/network.h"

namespace mqlab::sim {

struct SwarmOptions {
  // Candidate kinds; empty means every kind.
  std::vector<FaultKind> kinds;
  // Chance that a candidate is on for a seed. At least one is always on.
  double kind_probability = 0.5;
  // A kind that is on fires as a Poisson process in the active periods; its
  // mean interval is drawn per seed, log-uniformly, from this range.
  Duration min_mean_interval = 5 * kSecond;
  Duration max_mean_interval = 2 * kMinute;
  // No fault fires in the first `warmup` nor in the last `final_quiet`, and
  // no fault's effect lasts into the final quiet stretch.
  Duration warmup = 10 * kSecond;
  Duration final_quiet = kMinute;
  // Active and quiet periods alternate (active first), lengths uniform.
  Duration min_active = 20 * kSecond;
  Duration max_active = 2 * kMinute;
  Duration min_quiet = 10 * kSecond;
  Duration max_quiet = kMinute;
  // At most this many faults in the plan (the earliest are kept).
  uint32_t max_faults = 1000;
  // How long a fault lasts (partition, slow reader, latency spike, broker
  // downtime, client restart or restore delay), uniform.
  Duration min_fault_duration = kSecond;
  Duration max_fault_duration = 30 * kSecond;
  // Host faults aim at the broker's host with this chance, else at one
  // client's host.
  double broker_target_chance = 0.1;
  // A partition cuts between 1 and this fraction of the clients (at least
  // one) from the broker.
  double partition_max_fraction = 0.25;
  // Slow reader rate (bytes/s) and latency spike, uniform.
  int64_t min_read_rate = 100;
  int64_t max_read_rate = 100'000;
  Duration min_latency_spike = 50 * kMillisecond;
  Duration max_latency_spike = 2 * kSecond;
};

// Who faults can hit.
struct SwarmTargets {
  HostId broker_host = 0;
  std::vector<HostId> client_hosts;  // By client index.
};

// What a seed chose, for the run's summary and its replay file.
struct SwarmChoice {
  struct KindRate {
    FaultKind kind;
    Duration mean_interval;
  };
  std::vector<KindRate> enabled;  // In kind order.
  std::vector<std::pair<Time, Time>> active_periods;
  // Faults drawn and then left out by max_faults (a lower bound: each kind
  // stops drawing at max_faults).
  uint64_t dropped_faults = 0;

  // "swarm: partition every ~12.5s, client-crash every ~1m; 3 active
  // periods".
  std::string Describe() const;
};

// The plan for [start, end). Deterministic in (seed, options, targets,
// start, end). `choice` may be null.
FaultPlan GenerateSwarmPlan(uint64_t seed, const SwarmOptions& options,
                            const SwarmTargets& targets, Time start, Time end,
                            SwarmChoice* choice);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_SWARM_H_
