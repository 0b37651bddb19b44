// The runtime settings a validated scenario stands for: network options,
// link profiles, the broker's listen options, swarm options and the fault
// plan. Every default of scenario.proto is applied here, in one place.
// The scenario must have passed ParseScenario (a value it would refuse is a
// bug here, not an input error).
#ifndef MQLAB_SIM_SCENARIO_SETTINGS_H_
#define MQLAB_SIM_SCENARIO_SETTINGS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "sim/faults.h"
#include "sim/network.h"
#include "sim/scenario.pb.h"
#include "sim/swarm.h"

namespace mqlab::sim {

// How the harness laid the fleet out: client indexes run through the
// populations in scenario order; each client has its own host.
struct FleetLayout {
  struct Range {
    std::string population;
    uint32_t first_client = 0;
    uint32_t count = 0;
  };
  HostId broker_host = 0;
  std::vector<Range> populations;    // In scenario order.
  std::vector<HostId> client_hosts;  // By client index.
};

Duration RunLength(const scenario::Scenario& scenario);
NetworkOptions NetworkOptionsFor(const scenario::Scenario& scenario);
// The profile named `name`; the empty name is a link with no latency, no
// bandwidth limit and the default segmentation.
LinkProfile LinkProfileFor(const scenario::Scenario& scenario,
                           std::string_view name);
ListenOptions BrokerListenOptions(const scenario::Scenario& scenario);
SwarmOptions SwarmOptionsFor(const scenario::Swarm& swarm);

// The run's fault plan: the scenario's explicit events with their targets
// resolved (random_count drawn from the seed's "faults/explicit/<i>"
// stream), merged in time order with the swarm plan when swarm mode is on.
// `choice` (may be null) receives what the swarm drew.
FaultPlan FaultPlanFor(const scenario::Scenario& scenario,
                       const FleetLayout& layout, uint64_t seed,
                       SwarmChoice* choice);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_SCENARIO_SETTINGS_H_
