#include "sim/checkers/checker.h"

#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "sim/duration_text.h"

namespace mqlab::sim {
namespace {

// The handler of each observation kind.
struct Handler {
  Checker& checker;
  const ObservedIds& ids;

  void operator()(const ConnectAttempt& o) { checker.OnConnectAttempt(o, ids); }
  void operator()(const ConnackReceived& o) { checker.OnConnack(o); }
  void operator()(const ConnectionEnded& o) { checker.OnConnectionEnded(o); }
  void operator()(const PublishSent& o) { checker.OnPublishSent(o, ids); }
  void operator()(const PublishAcknowledged& o) {
    checker.OnPublishAcknowledged(o);
  }
  void operator()(const PublishAbandoned& o) { checker.OnPublishAbandoned(o); }
  void operator()(const MessageReceived& o) {
    checker.OnMessageReceived(o, ids);
  }
  void operator()(const SubscribeResult& o) {
    checker.OnSubscribeResult(o, ids);
  }
  void operator()(const UnsubscribeSent& o) {
    checker.OnUnsubscribeSent(o, ids);
  }
  void operator()(const BrokerEventSeen& o) { checker.OnBrokerEvent(o, ids); }
  void operator()(const BrokerRestarted& o) { checker.OnBrokerRestarted(o); }
  void operator()(const ClientDeleted& o) { checker.OnClientDeleted(o); }
  void operator()(const ClientIntent& o) { checker.OnClientIntent(o, ids); }
  void operator()(const LimitProbeOutcome& o) {
    checker.OnLimitProbeOutcome(o, ids);
  }
};

}  // namespace

void DispatchObservation(const Observation& observation, ObservedNames& names,
                         std::span<Checker* const> checkers) {
  std::visit(
      [&](const auto& o) {
        const ObservedIds ids = names.Number(o);
        if (!names.status().ok()) return;
        for (Checker* checker : checkers) {
          if (checker->wants_time()) checker->Advance(o.time);
          Handler{*checker, ids}(o);
        }
      },
      observation);
}

void Checker::Observe(const Observation& observation) {
  Checker* const self = this;
  DispatchObservation(observation, *context_.names, std::span(&self, 1));
}

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
    case CheckerKind::kReferenceModel:
      return "reference-model";
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
