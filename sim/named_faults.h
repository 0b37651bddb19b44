// Fault plans by name: a fault's hosts and clients named after the fleet
// ("broker", "vehicles/vehicle0042") instead of numbered. Replay files store
// these, so that a plan means the same after the shrinker has removed
// clients (which renumbers everyone after them) and across changes to the
// order populations are laid out in.
#ifndef MQLAB_SIM_NAMED_FAULTS_H_
#define MQLAB_SIM_NAMED_FAULTS_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/time.h"
#include "sim/faults.h"
#include "sim/fleet.h"

namespace mqlab::sim {

struct NamedFault {
  Time at = 0;
  FaultKind kind = FaultKind::kResetConnections;
  std::vector<std::string> hosts;        // kBrokerHostName or client names.
  std::vector<std::string> other_hosts;  // kPartition's other side.
  std::vector<std::string> clients;      // Client names.
  Duration duration = 0;
  int64_t amount = 0;

  friend bool operator==(const NamedFault&, const NamedFault&) = default;
};

// "t=12s partition hosts=[broker] other=[cars/car01] for 5s".
std::string DescribeNamedFault(const NamedFault& fault);

NamedFault NameFault(const Fault& fault, const Fleet& fleet);
std::vector<NamedFault> NameFaults(const FaultPlan& plan, const Fleet& fleet);

enum class MissingNames {
  kError,  // A name the fleet lacks is an error (a replay file's plan).
  kDrop,   // It is left out, and a fault left with no target is dropped
           // (a plan after the shrinker removed clients).
};

// The plan in time order. INVALID_ARGUMENT naming the fault and the name
// when a name is unknown and `missing` is kError.
absl::StatusOr<FaultPlan> ResolveFaults(std::span<const NamedFault> faults,
                                        const Fleet& fleet,
                                        MissingNames missing);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_NAMED_FAULTS_H_
