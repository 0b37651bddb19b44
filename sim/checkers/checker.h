// What every checker is: a class fed the run's observations in order, which
// reports violations as it finds them (or at the end, for rules judged after
// the final quiet period) and counts the documented exceptions it applied.
// Each violation says when, which rule, which sessions and messages, and what
// happened, in enough detail to start debugging from the report alone.
//
// Observations reach a checker through one handler per kind, with the names
// they carry already numbered (sim/checkers/observed_names.h): the checker
// set looks at each observation's kind and names once, for all its checkers.
//
// Bounds: a checker keeps at most kMaxViolationsKept violations (the rest are
// counted), and its tracking state is bounded by the run's own bounds
// (messages, sessions); a checker whose state would pass its documented
// bound stops with RESOURCE_EXHAUSTED in status(), which stops the run.
#ifndef MQLAB_SIM_CHECKERS_CHECKER_H_
#define MQLAB_SIM_CHECKERS_CHECKER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "base/time.h"
#include "sim/broker_tap.h"
#include "sim/checkers/observed_names.h"
#include "sim/faults.h"
#include "sim/fleet.h"
#include "sim/message_tag.h"
#include "sim/observations.h"
#include "sim/reference_authorization.h"

namespace mqlab::sim {

// The numbers match scenario::Checkers::Checker.
enum class CheckerKind : uint8_t {
  kQos1AtLeastOnce = 1,
  kQos0AtMostOnce = 2,
  kAuthorizedDelivery = 3,
  kAuthorizedPublish = 4,
  kPublisherOrder = 5,
  kLimits = 6,
  kSingleConnectionPerSession = 7,
  kLiveness = 8,
  kReferenceModel = 9,
};

inline constexpr CheckerKind kAllCheckerKinds[] = {
    CheckerKind::kQos1AtLeastOnce,
    CheckerKind::kQos0AtMostOnce,
    CheckerKind::kAuthorizedDelivery,
    CheckerKind::kAuthorizedPublish,
    CheckerKind::kPublisherOrder,
    CheckerKind::kLimits,
    CheckerKind::kSingleConnectionPerSession,
    CheckerKind::kLiveness,
    CheckerKind::kReferenceModel,
};

// "qos1-at-least-once", "qos0-at-most-once", "authorized-delivery",
// "authorized-publish", "publisher-order", "limits",
// "single-connection-per-session", "liveness", "reference-model".
std::string_view CheckerName(CheckerKind kind);

struct Violation {
  CheckerKind checker = CheckerKind::kQos1AtLeastOnce;
  // The rule broken, a stable short name within the checker
  // ("message-lost", "duplicate", ...): replay and shrink compare it.
  std::string rule;
  Time time = 0;
  std::vector<std::string> sessions;  // ClientIds involved.
  std::vector<MessageTag> messages;   // Messages involved.
  std::string detail;                 // What happened, in words.

  // "t=12.5s qos1-at-least-once/message-lost: <detail>".
  std::string ToString() const;
  // Whether `other` is the same failure: same checker and rule.
  bool SameFailure(const Violation& other) const {
    return checker == other.checker && rule == other.rule;
  }
};

// What checkers know beyond the observations.
struct CheckerContext {
  const Fleet* fleet = nullptr;
  const ReferenceAuthorization* authorization = nullptr;
  // When the final quiet stretch starts: no fault fires or lasts after it.
  Time quiet_start = 0;
  // The run's fault plan (null: none), for rules a fault may excuse.
  const FaultPlan* faults = nullptr;
  // How long the system may take to recover and drain (the scenario's
  // checkers.liveness_within): the liveness bound, and the age a QoS 1
  // message must reach before an undelivered one counts as lost.
  Duration settle = kMinute;
  // The numbered names of the observations. CheckerSet points it at its
  // own table; whoever feeds a checker alone (Checker::Observe) provides
  // one. Checkers only read it.
  ObservedNames* names = nullptr;
};

class Checker {
 public:
  static constexpr size_t kMaxViolationsKept = 100;

  explicit Checker(CheckerKind kind, const CheckerContext& context)
      : kind_(kind), context_(context) {}
  virtual ~Checker() = default;
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;

  CheckerKind kind() const { return kind_; }
  // Feeds one observation to this checker alone, numbering its names in
  // the context's table (a checker set numbers them once for all its
  // checkers: DispatchObservation). Observations arrive in time order.
  void Observe(const Observation& observation);

  // With each observation's time, before its handler, for checkers that
  // asked (WantTime): judges deadlines that have passed.
  virtual void Advance(Time /*now*/) {}
  bool wants_time() const { return wants_time_; }

  // One handler per observation kind; a checker overrides those it judges.
  virtual void OnConnectAttempt(const ConnectAttempt&, const ObservedIds&) {}
  virtual void OnConnack(const ConnackReceived&) {}
  virtual void OnConnectionEnded(const ConnectionEnded&) {}
  virtual void OnPublishSent(const PublishSent&, const ObservedIds&) {}
  virtual void OnPublishAcknowledged(const PublishAcknowledged&) {}
  virtual void OnPublishAbandoned(const PublishAbandoned&) {}
  virtual void OnMessageReceived(const MessageReceived&, const ObservedIds&) {}
  virtual void OnSubscribeResult(const SubscribeResult&, const ObservedIds&) {}
  virtual void OnUnsubscribeSent(const UnsubscribeSent&, const ObservedIds&) {}
  virtual void OnBrokerEvent(const BrokerEventSeen&, const ObservedIds&) {}
  virtual void OnBrokerRestarted(const BrokerRestarted&) {}
  virtual void OnClientDeleted(const ClientDeleted&) {}
  virtual void OnClientIntent(const ClientIntent&, const ObservedIds&) {}
  virtual void OnLimitProbeOutcome(const LimitProbeOutcome&,
                                   const ObservedIds&) {}
  // The run ended at `end` (after the final quiet period): judges what is
  // left. Called once, after the last Observe.
  virtual void Finish(Time end) = 0;
  // A checker that watches the broker itself (the reference model) returns
  // its tap, which the run hands to the broker's adapter.
  virtual BrokerTap* broker_tap() { return nullptr; }

  // The first kMaxViolationsKept violations, in the order found.
  const std::vector<Violation>& violations() const { return violations_; }
  uint64_t violation_count() const { return violation_count_; }
  // Documented exceptions applied (cause -> count), and messages or
  // sessions not judged (why -> count), for the run's summary.
  const std::map<std::string, uint64_t>& exceptions() const {
    return exceptions_;
  }
  const std::map<std::string, uint64_t>& not_judged() const {
    return not_judged_;
  }
  // How often each rule's situation arose (rule -> count), for checkers
  // that count them (the reference model).
  const std::map<std::string, uint64_t>& situations() const {
    return situations_;
  }
  // OK, or RESOURCE_EXHAUSTED when the checker passed a bound.
  const absl::Status& status() const { return status_; }

 protected:
  const CheckerContext& context() const { return context_; }
  const ObservedNames& names() const { return *context_.names; }
  void Report(Violation violation);
  void CountException(std::string_view cause, uint64_t count = 1) {
    exceptions_[std::string(cause)] += count;
  }
  void CountNotJudged(std::string_view why, uint64_t count = 1) {
    not_judged_[std::string(why)] += count;
  }
  std::map<std::string, uint64_t>& mutable_situations() { return situations_; }
  void Exhausted(std::string_view what, uint64_t bound);
  // Asks for Advance with every observation.
  void WantTime() { wants_time_ = true; }
  // The fleet client's authentication name ("" for an unknown index).
  std::string_view AuthenticationName(uint32_t client) const;

 private:
  CheckerKind kind_;
  CheckerContext context_;
  std::vector<Violation> violations_;
  uint64_t violation_count_ = 0;
  std::map<std::string, uint64_t> exceptions_;
  std::map<std::string, uint64_t> not_judged_;
  std::map<std::string, uint64_t> situations_;
  absl::Status status_;
  bool wants_time_ = false;
};

// Numbers the observation's names in `names` and hands it to the handler
// for its kind of each checker, in order. Once `names` has refused a name
// (the run is stopping on that bound), nothing more is handed over.
void DispatchObservation(const Observation& observation, ObservedNames& names,
                         std::span<Checker* const> checkers);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_CHECKER_H_
