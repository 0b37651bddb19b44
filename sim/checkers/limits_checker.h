// Limits: every limit probe got one of the reactions the table in
// limit_reactions.h accepts for its kind and the client's MQTT version
// ("wrong-reaction"). A probe with no rule for its version is counted as
// not judged; so is one whose connection a fault may have disturbed (a
// fault on the broker or on the prober's host or client, in effect at some
// moment from the probe's start to its outcome: "fault-during-probe").
#ifndef MQLAB_SIM_CHECKERS_LIMITS_CHECKER_H_
#define MQLAB_SIM_CHECKERS_LIMITS_CHECKER_H_

#include "sim/checkers/checker.h"

namespace mqlab::sim {

class LimitsChecker : public Checker {
 public:
  explicit LimitsChecker(const CheckerContext& context)
      : Checker(CheckerKind::kLimits, context) {}

  void OnLimitProbeOutcome(const LimitProbeOutcome& outcome,
                           const ObservedIds& ids) override;
  void Finish(Time) override {}

 private:
  bool Disturbed(const LimitProbeOutcome& outcome) const;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_LIMITS_CHECKER_H_
