// The namespace the simulated broker serves: the scenario's namespace JSON
// plus the client resources its populations register (a registration
// replaces a client of the same name), with the allowedThumbprints of
// ThumbprintMatch registrations set to the thumbprints of the virtual
// certificates (sim/certificate_identity.h), validated as the broker's
// directory validates a namespace file.
#ifndef MQLAB_SIM_SERVED_NAMESPACE_H_
#define MQLAB_SIM_SERVED_NAMESPACE_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "broker/namespace_config.h"
#include "sim/fleet.h"
#include "sim/scenario.pb.h"

namespace mqlab::sim {

// INVALID_ARGUMENT, naming `source` (the namespace's name in messages), when
// the result is not a valid namespace (a registration breaks a rule, too
// many clients for the throughput units, ...), when a certificate names an
// issuer the namespace lacks, or when a client of the fleet is no client of
// the namespace (it could never connect: register its population or add it
// to the namespace JSON).
absl::StatusOr<broker::NamespaceConfig> ServedNamespace(
    const broker::NamespaceConfig& loaded, const scenario::Scenario& scenario,
    const Fleet& fleet, std::string_view source);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_SERVED_NAMESPACE_H_
