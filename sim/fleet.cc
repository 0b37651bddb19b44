#include "sim/fleet.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "base/check.h"
#include "base/random.h"
#include "sim/name_pattern.h"

namespace mqlab::sim {
namespace {

using scenario::Population;

broker::ValidationScheme SchemeFor(scenario::ValidationScheme scheme) {
  switch (scheme) {
    case scenario::SUBJECT_MATCHES_AUTHENTICATION_NAME:
      return broker::ValidationScheme::kSubjectMatchesAuthenticationName;
    case scenario::DNS_MATCHES_AUTHENTICATION_NAME:
      return broker::ValidationScheme::kDnsMatchesAuthenticationName;
    case scenario::URI_MATCHES_AUTHENTICATION_NAME:
      return broker::ValidationScheme::kUriMatchesAuthenticationName;
    case scenario::IP_MATCHES_AUTHENTICATION_NAME:
      return broker::ValidationScheme::kIpMatchesAuthenticationName;
    case scenario::EMAIL_MATCHES_AUTHENTICATION_NAME:
      return broker::ValidationScheme::kEmailMatchesAuthenticationName;
    case scenario::THUMBPRINT_MATCH:
      return broker::ValidationScheme::kThumbprintMatch;
    default:
      break;
  }
  MQLAB_CHECK_MSG(false, "scenario not validated: unknown validation scheme");
  return broker::ValidationScheme::kSubjectMatchesAuthenticationName;
}

broker::ClientResource Registration(const Population& population,
                                    const PatternValues& values) {
  const scenario::ClientRegistration& registration = population.registration();
  broker::ClientResource client;
  client.name = std::string(values.auth);
  client.authentication_name = std::string(values.auth);
  client.state = registration.disabled() ? broker::ClientState::kDisabled
                                         : broker::ClientState::kEnabled;
  client.validation_scheme = SchemeFor(registration.validation_scheme());
  for (const auto& [key, value] : registration.attributes()) {
    switch (value.value_case()) {
      case scenario::AttributeValue::kText:
        client.attributes[key] = ExpandPattern(value.text(), values);
        break;
      case scenario::AttributeValue::kInteger:
        client.attributes[key] = value.integer();
        break;
      case scenario::AttributeValue::kTexts: {
        std::vector<std::string> texts;
        for (const std::string& text : value.texts().values()) {
          texts.push_back(ExpandPattern(text, values));
        }
        client.attributes[key] = std::move(texts);
        break;
      }
      case scenario::AttributeValue::VALUE_NOT_SET:
        MQLAB_CHECK_MSG(false, "scenario not validated: attribute value");
    }
  }
  return client;
}

}  // namespace

std::optional<uint32_t> Fleet::FindClient(std::string_view name) const {
  const auto it = by_name_.find(ToAbsl(name));
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<Fleet> BuildFleet(const scenario::Scenario& scenario,
                                 uint64_t seed) {
  Fleet fleet;
  uint64_t total_clients = 0;
  uint64_t total_sessions = 0;
  for (const Population& population : scenario.populations()) {
    const uint32_t sessions = population.has_sessions_per_client()
                                  ? population.sessions_per_client()
                                  : 1;
    total_clients += population.count();
    total_sessions += uint64_t{population.count()} * sessions;
  }
  if (total_clients > kMaxFleetClients || total_sessions > kMaxFleetSessions) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the fleet has ", total_clients, " clients and ", total_sessions,
        " sessions; at most ", kMaxFleetClients, " and ", kMaxFleetSessions));
  }
  fleet.layout.broker_host = 0;
  for (int p = 0; p < scenario.populations_size(); ++p) {
    const Population& population = scenario.populations(p);
    const uint32_t sessions = population.has_sessions_per_client()
                                  ? population.sessions_per_client()
                                  : 1;
    const std::string session_pattern =
        !population.session_name().empty() ? population.session_name()
        : sessions == 1                    ? "{auth}"
                                           : "{auth}-session{session}";
    const double mqtt5_fraction =
        population.has_mqtt5_fraction() ? population.mqtt5_fraction() : 1.0;
    Random versions = Random::Stream(
        seed, absl::StrCat("population/", population.name(), "/version"));
    fleet.layout.populations.push_back(
        {population.name(), static_cast<uint32_t>(fleet.clients.size()),
         population.count()});
    for (uint32_t i = 0; i < population.count(); ++i) {
      PatternValues values;
      values.index = i;
      values.population = population.name();
      const std::string auth =
          ExpandPattern(population.authentication_name(), values);
      values.auth = auth;
      FleetClient client;
      client.index = static_cast<uint32_t>(fleet.clients.size());
      client.population = static_cast<uint32_t>(p);
      client.index_in_population = i;
      client.name = absl::StrCat(population.name(), "/", auth);
      client.authentication_name = auth;
      client.version = versions.Chance(mqtt5_fraction) ? mqtt::Version::kV5
                                                       : mqtt::Version::kV311;
      client.first_session = static_cast<uint32_t>(fleet.sessions.size());
      client.session_count = sessions;
      for (uint32_t s = 0; s < sessions; ++s) {
        values.session = s;
        FleetSession session;
        session.index = static_cast<uint32_t>(fleet.sessions.size());
        session.client = client.index;
        session.index_in_client = s;
        session.client_id = ExpandPattern(session_pattern, values);
        fleet.sessions.push_back(std::move(session));
      }
      values.session = 0;
      if (population.registration().enabled()) {
        fleet.registrations.push_back(Registration(population, values));
      }
      if (!fleet.by_name_.emplace(client.name, client.index).second) {
        return absl::InvalidArgumentError(
            absl::StrCat("two clients are named ", client.name,
                         ": their authentication names must differ"));
      }
      // Host 0 is the broker's.
      fleet.layout.client_hosts.push_back(client.index + 1);
      fleet.clients.push_back(std::move(client));
    }
  }
  return fleet;
}

}  // namespace mqlab::sim
