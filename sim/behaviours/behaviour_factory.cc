#include "sim/behaviours/behaviour_factory.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "sim/behaviours/client_deletion.h"
#include "sim/behaviours/command_requester.h"
#include "sim/behaviours/command_responder.h"
#include "sim/behaviours/limit_prober.h"
#include "sim/behaviours/periodic_publisher.h"
#include "sim/behaviours/rule_explorer.h"
#include "sim/behaviours/session_churn.h"
#include "sim/behaviours/session_thief.h"
#include "sim/behaviours/subscriber.h"
#include "sim/duration_text.h"
#include "sim/name_pattern.h"
#include "sim/virtual_fleet.h"

namespace mqlab::sim {
namespace {

// A duration the loader validated; empty text means `fallback`.
Duration DurationOr(const std::string& text, Duration fallback) {
  if (text.empty()) return fallback;
  return ParseDuration(text).value_or(fallback);
}

}  // namespace

absl::Status AttachBehaviours(VirtualSession& session) {
  const scenario::Population& population = session.population();
  const FleetClient& client = session.fleet_client();
  const bool first_session = session.fleet_session().index_in_client == 0;
  bool probes = false;
  for (const scenario::Behaviour& spec : population.behaviours()) {
    probes |= spec.has_limit_probe() || spec.has_rule_explorer();
  }
  if (probes && population.behaviours_size() > 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "population ", population.name(),
        ": a limit_probe or rule_explorer behaviour is a population's only "
        "behaviour (its clients connect only to probe)"));
  }
  for (int i = 0; i < population.behaviours_size(); ++i) {
    const scenario::Behaviour& spec = population.behaviours(i);
    const auto context = [&](absl::string_view problem) {
      return absl::InvalidArgumentError(
          absl::StrCat("population ", population.name(), ", behaviours[", i,
                       "]: ", problem));
    };
    Random random = Random::Stream(
        session.fleet().world().seed,
        absl::StrCat("behaviour/", client.name, "/",
                     session.fleet_session().index_in_client, "/", i));
    std::unique_ptr<Behaviour> behaviour;
    switch (spec.kind_case()) {
      case scenario::Behaviour::kTelemetry:
        behaviour = std::make_unique<PeriodicPublisher>(
            &session, TelemetryPublication(spec.telemetry(), session), random);
        break;
      case scenario::Behaviour::kBroadcaster:
        behaviour = std::make_unique<PeriodicPublisher>(
            &session, BroadcastPublication(spec.broadcaster(), session),
            random);
        break;
      case scenario::Behaviour::kSubscriber:
        behaviour = std::make_unique<Subscriber>(&session, spec.subscriber());
        break;
      case scenario::Behaviour::kCommandRequester: {
        absl::StatusOr<std::unique_ptr<CommandRequester>> requester =
            CommandRequester::Make(&session, spec.command_requester(), random);
        if (!requester.ok()) return context(requester.status().message());
        behaviour = *std::move(requester);
        break;
      }
      case scenario::Behaviour::kCommandResponder:
        behaviour = std::make_unique<CommandResponder>(
            &session, spec.command_responder());
        break;
      case scenario::Behaviour::kReconnectLoop:
        behaviour = std::make_unique<ReconnectLoop>(
            &session, DurationOr(spec.reconnect_loop().interval(), kMinute),
            spec.reconnect_loop().overlap(), random);
        break;
      case scenario::Behaviour::kOfflinePeriods:
        behaviour = std::make_unique<OfflinePeriods>(
            &session, DurationOr(spec.offline_periods().every(), kMinute),
            DurationOr(spec.offline_periods().offline_for(), kMinute));
        break;
      case scenario::Behaviour::kSessionTakeover: {
        if (!first_session) continue;
        const std::string target = ExpandPattern(
            spec.session_takeover().target_session(), session.pattern_values());
        if (session.fleet().FindSession(target) == nullptr) {
          return context(absl::StrCat("session_takeover.target_session \"",
                                      target,
                                      "\" names no session of the fleet"));
        }
        behaviour = std::make_unique<SessionThief>(
            &session, target,
            DurationOr(spec.session_takeover().interval(), kMinute));
        break;
      }
      case scenario::Behaviour::kClientDeletion:
        if (!first_session) continue;
        behaviour = std::make_unique<ClientDeletion>(
            &session, spec.client_deletion().action(),
            DurationOr(spec.client_deletion().after(), kMinute),
            DurationOr(spec.client_deletion().restore_after(), 0));
        break;
      case scenario::Behaviour::kLimitProbe:
        session.set_probing();
        behaviour = std::make_unique<LimitProber>(&session, spec.limit_probe());
        break;
      case scenario::Behaviour::kRuleExplorer:
        session.set_probing();
        behaviour = std::make_unique<RuleExplorer>(
            &session, spec.rule_explorer(), random);
        break;
      case scenario::Behaviour::KIND_NOT_SET:
        return context("no behaviour kind");
    }
    std::optional<Duration> stop_after;
    if (!spec.stop_after().empty())
      stop_after = DurationOr(spec.stop_after(), 0);
    session.AddBehaviour(std::move(behaviour),
                         DurationOr(spec.start_after(), 0), stop_after);
  }
  return absl::OkStatus();
}

}  // namespace mqlab::sim
