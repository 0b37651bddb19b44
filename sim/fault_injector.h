// Carries out a fault plan during a run. Network faults go to the Network;
// faults that need the harness (restart the broker, crash a client, admin
// actions) go to its FaultHooks. Every fault is folded into the trace when
// it fires, and the injector records what it actually did: the taken plan
// is what a replay file stores and what the shrinker removes faults from.
#ifndef MQLAB_SIM_FAULT_INJECTOR_H_
#define MQLAB_SIM_FAULT_INJECTOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "sim/faults.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "sim/trace.h"

namespace mqlab::sim {

// What the harness does for faults the network cannot do alone. Each call
// runs inside a scheduler event.
class FaultHooks {
 public:
  virtual ~FaultHooks() = default;
  // The broker process dies now (state lost: the harness destroys it and
  // calls Network::AbortHost and Listen(host, nullptr)); a fresh broker
  // starts after `downtime`.
  virtual void RestartBroker(Duration downtime) = 0;
  // The client's device dies without a word (Network::Abandon on its
  // sockets, its state dropped); it starts again after `restart_after`
  // (0: never).
  virtual void CrashClient(uint32_t client, Duration restart_after) = 0;
  // The admin API deletes the client's resource; it is registered again
  // after `restore_after` (0: never).
  virtual void DeleteClient(uint32_t client, Duration restore_after) = 0;
  // The admin API disables the client; enabled again after `restore_after`
  // (0: never).
  virtual void DisableClient(uint32_t client, Duration restore_after) = 0;
};

class FaultInjector {
 public:
  // At most this many faults in one plan.
  static constexpr size_t kMaxFaults = 100'000;

  // All pointers must outlive the injector; `trace` may be null. `hooks` may
  // be null only if no plan holds a client fault or a broker restart.
  FaultInjector(Scheduler* scheduler, Network* network, FaultHooks* hooks,
                Trace* trace);
  FaultInjector(const FaultInjector&) = delete;
  FaultInjector& operator=(const FaultInjector&) = delete;

  // Schedules every fault of `plan` (in time order, none before now).
  // INVALID_ARGUMENT when a fault is malformed (names no host, a host or
  // client that does not exist, a time in the past); RESOURCE_EXHAUSTED
  // beyond kMaxFaults. Nothing is scheduled on error.
  absl::Status Schedule(const FaultPlan& plan, uint32_t client_count);

  // The faults that fired and took effect, in order.
  const FaultPlan& taken() const { return taken_; }
  // Faults that fired but could not take effect (a partition beyond the
  // network's max_partitions), with why.
  const std::vector<std::string>& skipped() const { return skipped_; }

 private:
  void Fire(size_t index);

  Scheduler* scheduler_;
  Network* network_;
  FaultHooks* hooks_;
  Trace* trace_;
  std::vector<Fault> scheduled_;
  FaultPlan taken_;
  std::vector<std::string> skipped_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_FAULT_INJECTOR_H_
