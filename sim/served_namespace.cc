#include "sim/served_namespace.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "broker/directory.h"
#include "sim/certificate_identity.h"

namespace mqlab::sim {

absl::StatusOr<broker::NamespaceConfig> ServedNamespace(
    const broker::NamespaceConfig& loaded, const scenario::Scenario& scenario,
    const Fleet& fleet, std::string_view source) {
  broker::NamespaceConfig served = loaded;
  absl::flat_hash_map<std::string, size_t> by_name;  // Lookups only.
  for (size_t i = 0; i < served.clients.size(); ++i) {
    by_name.emplace(served.clients[i].name, i);
  }
  // Registrations come in client order, one per client of a registering
  // population.
  size_t registration = 0;
  for (const FleetClient& client : fleet.clients) {
    const scenario::Population& population =
        scenario.populations(static_cast<int>(client.population));
    if (!population.registration().enabled()) continue;
    broker::ClientResource resource = fleet.registrations[registration++];
    if (resource.validation_scheme ==
        broker::ValidationScheme::kThumbprintMatch) {
      PatternValues values;
      values.index = client.index_in_population;
      values.population = population.name();
      values.auth = client.authentication_name;
      absl::StatusOr<broker::TransportIdentity> identity =
          VirtualIdentity(population.certificate(), values, served);
      if (!identity.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("population ", population.name(), ": ",
                         identity.status().message()));
      }
      if (identity->has_certificate) {
        resource.allowed_thumbprints = {identity->certificate.thumbprint};
      }
    }
    const auto [it, fresh] =
        by_name.emplace(resource.name, served.clients.size());
    if (fresh) {
      served.clients.push_back(std::move(resource));
    } else {
      served.clients[it->second] = std::move(resource);
    }
  }
  if (absl::StatusOr<std::unique_ptr<broker::Directory>> directory =
          broker::Directory::Create(served, source);
      !directory.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the namespace with the fleet's registrations: ",
                     directory.status().message()));
  }
  absl::flat_hash_set<std::string> authentication_names;
  for (const broker::ClientResource& client : served.clients) {
    authentication_names.insert(absl::AsciiStrToLower(
        client.authentication_name.empty() ? client.name
                                           : client.authentication_name));
  }
  for (const FleetClient& client : fleet.clients) {
    if (!authentication_names.contains(
            absl::AsciiStrToLower(client.authentication_name))) {
      const std::string& population =
          scenario.populations(static_cast<int>(client.population)).name();
      return absl::InvalidArgumentError(absl::StrCat(
          "population ", population, ": client ", client.authentication_name,
          " is no client of ", ToAbsl(source),
          ", so it could never connect: register the population "
          "(registration { enabled: true }) or add the client to the "
          "namespace JSON"));
    }
  }
  return served;
}

}  // namespace mqlab::sim
