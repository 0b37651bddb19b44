#include "sim/checkers/checker_set.h"

#include <algorithm>

#include "base/check.h"
#include "sim/checkers/authorized_delivery_checker.h"
#include "sim/checkers/authorized_publish_checker.h"
#include "sim/checkers/limits_checker.h"
#include "sim/checkers/liveness_checker.h"
#include "sim/checkers/publisher_order_checker.h"
#include "sim/checkers/qos0_at_most_once_checker.h"
#include "sim/checkers/qos1_at_least_once_checker.h"
#include "sim/checkers/reference_model_checker.h"
#include "sim/checkers/single_connection_checker.h"
#include "sim/duration_text.h"

namespace mqlab::sim {

std::unique_ptr<Checker> MakeChecker(CheckerKind kind,
                                     const CheckerContext& context) {
  switch (kind) {
    case CheckerKind::kQos1AtLeastOnce:
      return std::make_unique<Qos1AtLeastOnceChecker>(context);
    case CheckerKind::kQos0AtMostOnce:
      return std::make_unique<Qos0AtMostOnceChecker>(context);
    case CheckerKind::kAuthorizedDelivery:
      return std::make_unique<AuthorizedDeliveryChecker>(context);
    case CheckerKind::kAuthorizedPublish:
      return std::make_unique<AuthorizedPublishChecker>(context);
    case CheckerKind::kPublisherOrder:
      return std::make_unique<PublisherOrderChecker>(context);
    case CheckerKind::kLimits:
      return std::make_unique<LimitsChecker>(context);
    case CheckerKind::kSingleConnectionPerSession:
      return std::make_unique<SingleConnectionChecker>(context);
    case CheckerKind::kLiveness:
      return std::make_unique<LivenessChecker>(context);
    case CheckerKind::kReferenceModel:
      return std::make_unique<ReferenceModelChecker>(context);
  }
  MQLAB_CHECK_MSG(false, "unknown checker kind");
  return nullptr;
}

std::vector<CheckerKind> EnabledCheckers(const scenario::Checkers& config) {
  std::vector<CheckerKind> kinds;
  for (CheckerKind kind : kAllCheckerKinds) {
    const bool disabled =
        std::find(config.disable().begin(), config.disable().end(),
                  static_cast<int>(kind)) != config.disable().end();
    if (!disabled) kinds.push_back(kind);
  }
  return kinds;
}

Duration SettleWindow(const scenario::Checkers& config) {
  if (config.liveness_within().empty()) return kMinute;
  const std::optional<Duration> within =
      ParseDuration(config.liveness_within());
  MQLAB_CHECK_MSG(within.has_value(),
                  "scenario not validated: liveness_within");
  return *within;
}

CheckerSet::CheckerSet(std::span<const CheckerKind> kinds,
                       const CheckerContext& context)
    : names_(context.fleet) {
  CheckerContext numbered = context;
  numbered.names = &names_;
  for (CheckerKind kind : kinds) {
    checkers_.push_back(MakeChecker(kind, numbered));
    dispatch_.push_back(checkers_.back().get());
  }
}

void CheckerSet::Observe(const Observation& observation) {
  MQLAB_CHECK(!finished_);
  DispatchObservation(observation, names_, dispatch_);
}

void CheckerSet::Finish(Time end) {
  MQLAB_CHECK(!finished_);
  finished_ = true;
  for (const auto& checker : checkers_) checker->Finish(end);
}

std::vector<Violation> CheckerSet::Violations() const {
  std::vector<Violation> all;
  for (const auto& checker : checkers_) {
    all.insert(all.end(), checker->violations().begin(),
               checker->violations().end());
  }
  std::stable_sort(
      all.begin(), all.end(),
      [](const Violation& a, const Violation& b) { return a.time < b.time; });
  return all;
}

uint64_t CheckerSet::violation_count() const {
  uint64_t count = 0;
  for (const auto& checker : checkers_) count += checker->violation_count();
  return count;
}

std::vector<CheckerSet::Summary> CheckerSet::Summaries() const {
  std::vector<Summary> summaries;
  for (const auto& checker : checkers_) {
    summaries.push_back({checker->kind(), checker->violation_count(),
                         checker->exceptions(), checker->not_judged(),
                         checker->situations()});
  }
  return summaries;
}

BrokerTap* CheckerSet::broker_tap() {
  for (const auto& checker : checkers_) {
    if (BrokerTap* tap = checker->broker_tap()) return tap;
  }
  return nullptr;
}

absl::Status CheckerSet::status() const {
  if (!names_.status().ok()) return names_.status();
  for (const auto& checker : checkers_) {
    if (!checker->status().ok()) return checker->status();
  }
  return absl::OkStatus();
}

}  // namespace mqlab::sim
