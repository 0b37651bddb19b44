#include "server/namespace_reload.h"

#include <functional>
#include <map>
#include <string_view>
#include <tuple>

namespace mqlab::server {
namespace {

using broker::CaCertificateResource;
using broker::ClientGroupResource;
using broker::ClientResource;
using broker::PermissionBindingResource;
using broker::TopicSpaceResource;

auto Fields(const ClientResource& r) {
  return std::tie(r.name, r.authentication_name, r.state, r.description,
                  r.attributes, r.validation_scheme, r.allowed_thumbprints);
}
auto Fields(const ClientGroupResource& r) {
  return std::tie(r.name, r.query, r.description);
}
auto Fields(const TopicSpaceResource& r) {
  return std::tie(r.name, r.topic_templates, r.description);
}
auto Fields(const PermissionBindingResource& r) {
  return std::tie(r.name, r.client_group_name, r.topic_space_name, r.permission,
                  r.description);
}
auto Fields(const CaCertificateResource& r) {
  return std::tie(r.name, r.encoded_certificate, r.description);
}

// One kind of resource: what to upsert and what to delete.
template <typename Resource>
struct Difference {
  std::vector<const Resource*> upserts;
  std::vector<std::string> deletes;
};

template <typename Resource>
Difference<Resource> Compare(const std::vector<Resource>& live,
                             const std::vector<Resource>& desired) {
  std::map<std::string_view, const Resource*> live_by_name;
  for (const Resource& resource : live) live_by_name[resource.name] = &resource;
  Difference<Resource> difference;
  std::map<std::string_view, bool> wanted;
  for (const Resource& resource : desired) {
    wanted[resource.name] = true;
    const auto it = live_by_name.find(resource.name);
    if (it == live_by_name.end() || Fields(*it->second) != Fields(resource)) {
      difference.upserts.push_back(&resource);
    }
  }
  for (const Resource& resource : live) {
    if (!wanted.contains(resource.name)) {
      difference.deletes.push_back(resource.name);
    }
  }
  return difference;
}

void Record(ReloadResult& result, const broker::Status& status,
            std::string_view operation, std::string_view name, int* counter) {
  if (status.ok()) {
    ++*counter;
  } else {
    result.errors.push_back(std::string(operation) + " " + std::string(name) +
                            ": " + std::string(status.message()));
  }
}

}  // namespace

ReloadResult ReloadNamespace(broker::Broker& broker,
                             const broker::NamespaceConfig& desired, Time now) {
  const broker::NamespaceConfig live = broker.directory().Snapshot();
  ReloadResult result;
  if (live.name != desired.name ||
      live.allow_unauthenticated_username !=
          desired.allow_unauthenticated_username ||
      live.alternative_authentication_name_sources !=
          desired.alternative_authentication_name_sources) {
    result.errors.push_back(
        "namespace settings changed: they apply at the next start");
  }
  const auto cas = Compare(live.ca_certificates, desired.ca_certificates);
  const auto clients = Compare(live.clients, desired.clients);
  const auto groups = Compare(live.client_groups, desired.client_groups);
  const auto spaces = Compare(live.topic_spaces, desired.topic_spaces);
  const auto bindings =
      Compare(live.permission_bindings, desired.permission_bindings);

  for (const auto* r : cas.upserts) {
    Record(result, broker.UpsertCaCertificate(*r, now), "UpsertCaCertificate",
           r->name, &result.upserted);
  }
  for (const auto* r : clients.upserts) {
    Record(result, broker.UpsertClient(*r, now), "UpsertClient", r->name,
           &result.upserted);
  }
  for (const auto* r : groups.upserts) {
    Record(result, broker.UpsertClientGroup(*r, now), "UpsertClientGroup",
           r->name, &result.upserted);
  }
  for (const auto* r : spaces.upserts) {
    Record(result, broker.UpsertTopicSpace(*r, now), "UpsertTopicSpace",
           r->name, &result.upserted);
  }
  for (const auto* r : bindings.upserts) {
    Record(result, broker.UpsertPermissionBinding(*r, now),
           "UpsertPermissionBinding", r->name, &result.upserted);
  }
  for (const std::string& name : bindings.deletes) {
    Record(result, broker.DeletePermissionBinding(name, now),
           "DeletePermissionBinding", name, &result.deleted);
  }
  for (const std::string& name : spaces.deletes) {
    Record(result, broker.DeleteTopicSpace(name, now), "DeleteTopicSpace", name,
           &result.deleted);
  }
  for (const std::string& name : groups.deletes) {
    Record(result, broker.DeleteClientGroup(name, now), "DeleteClientGroup",
           name, &result.deleted);
  }
  for (const std::string& name : clients.deletes) {
    Record(result, broker.DeleteClient(name, now), "DeleteClient", name,
           &result.deleted);
  }
  for (const std::string& name : cas.deletes) {
    Record(result, broker.DeleteCaCertificate(name, now), "DeleteCaCertificate",
           name, &result.deleted);
  }
  return result;
}

}  // namespace mqlab::server
