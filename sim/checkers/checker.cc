#include "sim/checkers/checker.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "sim/duration_text.h"

namespace mqlab::sim {

std::string_view CheckerName(CheckerKind kind) {
  switch (kind) {
    case CheckerKind::kQos1AtLeastOnce:
      return "qos1-at-least-once";
    case CheckerKind::kQos0AtMostOnce:
      return "qos0-at-most-once";
    case CheckerKind::kAuthorizedDelivery:
      return "authorized-delivery";
    case CheckerKind::kAuthorizedPublish:
      return "authorized-publish";
    case CheckerKind::kPublisherOrder:
      return "publisher-order";
    case CheckerKind::kLimits:
      return "limits";
    case CheckerKind::kSingleConnectionPerSession:
      return "single-connection-per-session";
    case CheckerKind::kLiveness:
      return "liveness";
  }
  return "unknown";
}

std::string Violation::ToString() const {
  return absl::StrCat("t=", FormatDuration(time), " ",
                      ToAbsl(CheckerName(checker)), "/", rule, ": ", detail);
}

void Checker::Report(Violation violation) {
  ++violation_count_;
  if (violations_.size() >= kMaxViolationsKept) return;
  violation.checker = kind_;
  violations_.push_back(std::move(violation));
}

void Checker::Exhausted(std::string_view what, uint64_t bound) {
  if (!status_.ok()) return;
  status_ = absl::ResourceExhaustedError(absl::StrCat(
      ToAbsl(CheckerName(kind_)), " checker: more than ", bound, " ",
      ToAbsl(what), " tracked; shorten the run or lower its rates"));
}

std::string_view Checker::AuthenticationName(uint32_t client) const {
  if (context_.fleet == nullptr || client >= context_.fleet->clients.size()) {
    return {};
  }
  return context_.fleet->clients[client].authentication_name;
}

}  // namespace mqlab::sim
