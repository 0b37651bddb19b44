// The seam between the run plumbing (sim/runner.h) and what runs on the
// simulated network: the broker adapter and the virtual clients
// (sim/virtual_fleet.h is the Workload `mqlab run` uses). The runner builds
// the world (scheduler, network with the broker's and every client's host,
// trace, fault plan, checkers) and hands it to a Workload, which
//  - listens on the broker's host and drives a broker::Broker,
//  - plays each client's behaviours through client::Client instances,
//  - records every observation (sim/observations.h) into world.observations,
//    and folds its own events into the trace,
//  - carries out the faults the network cannot do alone (FaultHooks: the
//    runner has already recorded a broker restart as an observation).
#ifndef MQLAB_SIM_WORKLOAD_H_
#define MQLAB_SIM_WORKLOAD_H_

#include <cstdint>
#include <functional>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "broker/namespace_config.h"
#include "sim/broker_tap.h"
#include "sim/fault_injector.h"
#include "sim/fleet.h"
#include "sim/network.h"
#include "sim/observations.h"
#include "sim/scenario.pb.h"
#include "sim/scheduler.h"
#include "sim/situation_counts.h"
#include "sim/trace.h"

namespace mqlab::sim {

// Everything a workload acts on; all pointers outlive the workload.
struct World {
  Scheduler* scheduler = nullptr;
  Network* network = nullptr;
  Trace* trace = nullptr;
  ObservationSink* observations = nullptr;
  const scenario::Scenario* scenario = nullptr;
  const Fleet* fleet = nullptr;
  // The namespace as loaded; the fleet's registrations are to be added.
  const broker::NamespaceConfig* namespace_config = nullptr;
  uint64_t seed = 0;
  // Shown the broker's inputs and outputs (the reference model's checker);
  // null: nobody watches.
  BrokerTap* broker_tap = nullptr;
  // Where behaviours count the situations they provoked; may be null.
  SituationCounts* situations = nullptr;
};

class Workload : public FaultHooks {
 public:
  // Starts the broker and schedules every client's first action. Called
  // once, at time 0, after the fault plan is scheduled.
  virtual absl::Status Start() = 0;
};

using WorkloadFactory =
    std::function<absl::StatusOr<std::unique_ptr<Workload>>(const World&)>;

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_WORKLOAD_H_
