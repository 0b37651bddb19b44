// Reloading the namespace file into a running broker (SIGHUP): the resources
// that differ between the live namespace and the file become the admin API
// calls that make them equal, so that the core applies them as Azure's
// resource operations (a deleted or disabled client's connections end, its
// sessions follow the seed's rules). Namespace-wide settings and limits are
// fixed at start; a changed one is reported, not applied.
#ifndef MQLAB_SERVER_NAMESPACE_RELOAD_H_
#define MQLAB_SERVER_NAMESPACE_RELOAD_H_

#include <string>
#include <vector>

#include "base/time.h"
#include "broker/broker.h"
#include "broker/namespace_config.h"

namespace mqlab::server {

struct ReloadResult {
  int upserted = 0;
  int deleted = 0;
  // The admin calls the core refused ("UpsertClient vehicle01: ...") and the
  // settings that differ but cannot change while running.
  std::vector<std::string> errors;
};

// Upserts what is new or changed (CA certificates, clients, client groups,
// topic spaces, permission bindings, in that order, so that references
// resolve), then deletes what `desired` no longer has (in the reverse order).
ReloadResult ReloadNamespace(broker::Broker& broker,
                             const broker::NamespaceConfig& desired, Time now);

}  // namespace mqlab::server

#endif  // MQLAB_SERVER_NAMESPACE_RELOAD_H_
