// The checkers a run uses: every kind the scenario does not disable, fed
// every observation in order, with one summary at the end. The set numbers
// each observation's names once (sim/checkers/observed_names.h) and hands it
// to each checker's handler for its kind.
#ifndef MQLAB_SIM_CHECKERS_CHECKER_SET_H_
#define MQLAB_SIM_CHECKERS_CHECKER_SET_H_

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "sim/checkers/checker.h"
#include "sim/checkers/observed_names.h"
#include "sim/observations.h"
#include "sim/scenario.pb.h"

namespace mqlab::sim {

std::unique_ptr<Checker> MakeChecker(CheckerKind kind,
                                     const CheckerContext& context);

// The kinds the scenario's `checkers` section leaves on, in kind order.
std::vector<CheckerKind> EnabledCheckers(const scenario::Checkers& config);
// checkers.liveness_within, default 60 s.
Duration SettleWindow(const scenario::Checkers& config);

class CheckerSet : public ObservationSink {
 public:
  struct Summary {
    CheckerKind kind;
    uint64_t violations = 0;
    std::map<std::string, uint64_t> exceptions;
    std::map<std::string, uint64_t> not_judged;
    std::map<std::string, uint64_t> situations;
  };

  // `context.names` is ignored: the set numbers names in its own table.
  CheckerSet(std::span<const CheckerKind> kinds, const CheckerContext& context);

  void Observe(const Observation& observation) override;
  // Judges what is left at the end of the run (once).
  void Finish(Time end);

  // Violations kept by every checker, in time order (ties: checker order).
  std::vector<Violation> Violations() const;
  uint64_t violation_count() const;
  std::vector<Summary> Summaries() const;
  // The tap of the checker that watches the broker (the reference model),
  // or null when it is off.
  BrokerTap* broker_tap();
  // The first error (a passed bound of the names or of a checker), or OK.
  absl::Status status() const;

 private:
  ObservedNames names_;
  std::vector<std::unique_ptr<Checker>> checkers_;
  std::vector<Checker*> dispatch_;  // checkers_, for DispatchObservation.
  bool finished_ = false;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_CHECKER_SET_H_
