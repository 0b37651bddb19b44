#include "broker/directory.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "base/absl_string_view.h"

namespace mqlab::broker {
namespace {

// Reports names that appear twice in one list of a namespace file.
template <typename Resource>
std::optional<std::pair<size_t, size_t>> FindDuplicateName(
    const std::vector<Resource>& resources) {
  std::map<std::string_view, size_t> first_index;
  for (size_t i = 0; i < resources.size(); ++i) {
    const auto [it, inserted] = first_index.emplace(resources[i].name, i);
    if (!inserted) return std::make_pair(it->second, i);
  }
  return std::nullopt;
}

}  // namespace

StatusOr<std::unique_ptr<Directory>> Directory::Create(
    const NamespaceConfig& config, std::string_view source_name) {
  std::unique_ptr<Directory> directory(new Directory());
  const std::string source =
      source_name.empty() ? "" : absl::StrCat(ToAbsl(source_name), ": ");
  const auto at = [&](std::string_view list, size_t index) {
    return Location{absl::StrCat(source, "$.", ToAbsl(list), "[", index, "]"),
                    true};
  };
  if (std::optional<Violation> violation = CheckNamespaceSettings(config)) {
    return Error(absl::StatusCode::kInvalidArgument,
                 Location{absl::StrCat(source, "$.namespace"), true},
                 *violation);
  }
  directory->name_ = config.name;
  directory->limits_ = config.limits;
  directory->alternative_authentication_name_sources_ =
      config.alternative_authentication_name_sources;
  directory->allow_unauthenticated_username_ =
      config.allow_unauthenticated_username;

  // A name given twice in one list is a mistake in the file, not an update.
  const auto check_unique = [&](const auto& resources, std::string_view list,
                                std::string_view kind) -> Status {
    if (auto duplicate = FindDuplicateName(resources)) {
      return Error(
          absl::StatusCode::kAlreadyExists, at(list, duplicate->second),
          {"name",
           absl::StrCat("expected a name no other ", ToAbsl(kind), " has; $.",
                        ToAbsl(list), "[", duplicate->first, "] is also \"",
                        resources[duplicate->first].name, "\"")});
    }
    return absl::OkStatus();
  };
  for (Status status :
       {check_unique(config.ca_certificates, "caCertificates",
                     "CA certificate"),
        check_unique(config.clients, "clients", "client"),
        check_unique(config.client_groups, "clientGroups", "client group"),
        check_unique(config.topic_spaces, "topicSpaces", "topic space"),
        check_unique(config.permission_bindings, "permissionBindings",
                     "permission binding")}) {
    if (!status.ok()) return status;
  }

  for (size_t i = 0; i < config.ca_certificates.size(); ++i) {
    if (Status status = directory->ApplyCaCertificate(config.ca_certificates[i],
                                                      at("caCertificates", i));
        !status.ok()) {
      return status;
    }
  }
  for (size_t i = 0; i < config.clients.size(); ++i) {
    if (Status status =
            directory->ApplyClient(config.clients[i], at("clients", i));
        !status.ok()) {
      return status;
    }
  }
  for (size_t i = 0; i < config.client_groups.size(); ++i) {
    if (Status status = directory->ApplyClientGroup(config.client_groups[i],
                                                    at("clientGroups", i));
        !status.ok()) {
      return status;
    }
  }
  for (size_t i = 0; i < config.topic_spaces.size(); ++i) {
    if (Status status = directory->ApplyTopicSpace(config.topic_spaces[i],
                                                   at("topicSpaces", i));
        !status.ok()) {
      return status;
    }
  }
  for (size_t i = 0; i < config.permission_bindings.size(); ++i) {
    if (Status status = directory->ApplyPermissionBinding(
            config.permission_bindings[i], at("permissionBindings", i));
        !status.ok()) {
      return status;
    }
  }
  const std::vector<PermissionGrant> grants = directory->Grants();
  for (auto& [name, entry] : directory->clients_) {
    entry.permissions = CompileClientPermissions(entry.resource, grants);
  }
  return directory;
}

Directory::Location Directory::AdminLocation(std::string_view kind,
                                             std::string_view name) {
  return Location{absl::StrCat(ToAbsl(kind), " \"", ToAbsl(name), "\""), false};
}

Status Directory::Error(absl::StatusCode code, const Location& location,
                        const Violation& violation) {
  std::string message;
  if (location.json_path) {
    message = absl::StrCat(location.prefix, violation.field.empty() ? "" : ".",
                           violation.field, ": ", violation.message);
  } else {
    message =
        absl::StrCat(location.prefix, ": ", violation.field,
                     violation.field.empty() ? "" : ": ", violation.message);
  }
  return Status(code, message);
}

std::string Directory::AuthenticationKey(std::string_view authentication_name) {
  return absl::AsciiStrToLower(ToAbsl(authentication_name));
}

size_t Directory::maximum_clients() const {
  return static_cast<size_t>(limits_.maximum_clients_per_unit) *
         limits_.throughput_units;
}

const ClientResource* Directory::FindClient(std::string_view name) const {
  const auto it = clients_.find(name);
  return it == clients_.end() ? nullptr : &it->second.resource;
}

const ClientResource* Directory::FindClientByAuthenticationName(
    std::string_view authentication_name) const {
  const auto owner = client_by_authentication_key_.find(
      AuthenticationKey(authentication_name));
  if (owner == client_by_authentication_key_.end()) return nullptr;
  return FindClient(owner->second);
}

const ClientGroupResource* Directory::FindClientGroup(
    std::string_view name) const {
  const auto it = groups_.find(name);
  return it == groups_.end() ? nullptr : &it->second.resource;
}

const TopicSpaceResource* Directory::FindTopicSpace(
    std::string_view name) const {
  const auto it = spaces_.find(name);
  return it == spaces_.end() ? nullptr : &it->second.resource;
}

const PermissionBindingResource* Directory::FindPermissionBinding(
    std::string_view name) const {
  const auto it = bindings_.find(name);
  return it == bindings_.end() ? nullptr : &it->second;
}

const CaCertificateResource* Directory::FindCaCertificate(
    std::string_view name) const {
  const auto it = ca_certificates_.find(name);
  return it == ca_certificates_.end() ? nullptr : &it->second;
}

bool Directory::IsRegisteredCaThumbprint(std::string_view thumbprint) const {
  return std::any_of(ca_certificates_.begin(), ca_certificates_.end(),
                     [&](const auto& entry) {
                       return absl::EqualsIgnoreCase(entry.second.thumbprint,
                                                     ToAbsl(thumbprint));
                     });
}

std::shared_ptr<const ClientPermissions> Directory::Permissions(
    std::string_view client_name) const {
  const auto it = clients_.find(client_name);
  return it == clients_.end() ? nullptr : it->second.permissions;
}

NamespaceConfig Directory::Snapshot() const {
  NamespaceConfig config;
  config.name = name_;
  config.limits = limits_;
  config.alternative_authentication_name_sources =
      alternative_authentication_name_sources_;
  config.allow_unauthenticated_username = allow_unauthenticated_username_;
  for (const auto& [name, entry] : clients_) {
    config.clients.push_back(entry.resource);
  }
  for (const auto& [name, entry] : groups_) {
    config.client_groups.push_back(entry.resource);
  }
  for (const auto& [name, entry] : spaces_) {
    config.topic_spaces.push_back(entry.resource);
  }
  for (const auto& [name, binding] : bindings_) {
    config.permission_bindings.push_back(binding);
  }
  for (const auto& [name, certificate] : ca_certificates_) {
    config.ca_certificates.push_back(certificate);
  }
  return config;
}

Status Directory::ApplyClient(ClientResource client, const Location& location) {
  // Event Grid defaults the authentication name to the resource name.
  if (client.authentication_name.empty()) {
    client.authentication_name = client.name;
  }
  if (std::optional<Violation> violation = CheckClient(client, limits_)) {
    return Error(absl::StatusCode::kInvalidArgument, location, *violation);
  }
  const auto existing = clients_.find(client.name);
  if (existing != clients_.end() &&
      existing->second.resource.authentication_name !=
          client.authentication_name) {
    return Error(absl::StatusCode::kInvalidArgument, location,
                 {"properties.authenticationName",
                  absl::StrCat("expected \"",
                               existing->second.resource.authentication_name,
                               "\": an authentication name cannot change once "
                               "set (delete the client and create it again)")});
  }
  if (existing == clients_.end() && clients_.size() >= maximum_clients()) {
    return Error(
        absl::StatusCode::kResourceExhausted, location,
        {"", absl::StrCat("the namespace holds at most ", maximum_clients(),
                          " clients (", limits_.maximum_clients_per_unit,
                          " per throughput unit; throughput units: ",
                          limits_.throughput_units, ")")});
  }
  const std::string key = AuthenticationKey(client.authentication_name);
  const auto owner = client_by_authentication_key_.find(key);
  if (owner != client_by_authentication_key_.end() &&
      owner->second != client.name) {
    return Error(
        absl::StatusCode::kAlreadyExists, location,
        {"properties.authenticationName",
         absl::StrCat("expected an authentication name no other client has "
                      "(ignoring case); client \"",
                      owner->second, "\" has \"",
                      FindClient(owner->second)->authentication_name, "\"")});
  }
  client_by_authentication_key_[key] = client.name;
  ClientEntry& entry = clients_[client.name];
  entry.resource = std::move(client);
  return absl::OkStatus();
}

Status Directory::ApplyClientGroup(ClientGroupResource group,
                                   const Location& location) {
  std::optional<ClientGroupQuery> query;
  if (std::optional<Violation> violation = CheckClientGroup(group, &query)) {
    return Error(absl::StatusCode::kInvalidArgument, location, *violation);
  }
  if (!groups_.contains(group.name) &&
      groups_.size() >= limits_.maximum_client_groups) {
    return Error(absl::StatusCode::kResourceExhausted, location,
                 {"", absl::StrCat("the namespace holds at most ",
                                   limits_.maximum_client_groups,
                                   " client groups besides $all")});
  }
  const std::string name = group.name;
  groups_.insert_or_assign(name,
                           GroupEntry{std::move(group), *std::move(query)});
  return absl::OkStatus();
}

Status Directory::ApplyTopicSpace(TopicSpaceResource space,
                                  const Location& location) {
  std::vector<TopicTemplate> templates;
  if (std::optional<Violation> violation =
          CheckTopicSpace(space, limits_, &templates)) {
    return Error(absl::StatusCode::kInvalidArgument, location, *violation);
  }
  if (!spaces_.contains(space.name) &&
      spaces_.size() >= limits_.maximum_topic_spaces) {
    return Error(
        absl::StatusCode::kResourceExhausted, location,
        {"", absl::StrCat("the namespace holds at most ",
                          limits_.maximum_topic_spaces, " topic spaces")});
  }
  const std::string name = space.name;
  spaces_.insert_or_assign(name,
                           SpaceEntry{std::move(space), std::move(templates)});
  return absl::OkStatus();
}

Status Directory::ApplyPermissionBinding(PermissionBindingResource binding,
                                         const Location& location) {
  if (std::optional<Violation> violation = CheckPermissionBinding(binding)) {
    return Error(absl::StatusCode::kInvalidArgument, location, *violation);
  }
  if (binding.client_group_name != kAllClientsGroupName &&
      !groups_.contains(binding.client_group_name)) {
    return Error(absl::StatusCode::kFailedPrecondition, location,
                 {"properties.clientGroupName",
                  absl::StrCat("expected the name of a client group (or "
                               "$all), got \"",
                               binding.client_group_name, "\"")});
  }
  if (!spaces_.contains(binding.topic_space_name)) {
    return Error(absl::StatusCode::kFailedPrecondition, location,
                 {"properties.topicSpaceName",
                  absl::StrCat("expected the name of a topic space, got \"",
                               binding.topic_space_name, "\"")});
  }
  if (!bindings_.contains(binding.name) &&
      bindings_.size() >= limits_.maximum_permission_bindings) {
    return Error(absl::StatusCode::kResourceExhausted, location,
                 {"", absl::StrCat("the namespace holds at most ",
                                   limits_.maximum_permission_bindings,
                                   " permission bindings")});
  }
  const std::string name = binding.name;
  bindings_.insert_or_assign(name, std::move(binding));
  return absl::OkStatus();
}

Status Directory::ApplyCaCertificate(CaCertificateResource certificate,
                                     const Location& location) {
  std::string thumbprint;
  if (std::optional<Violation> violation =
          CheckCaCertificate(certificate, &thumbprint)) {
    return Error(absl::StatusCode::kInvalidArgument, location, *violation);
  }
  if (!ca_certificates_.contains(certificate.name) &&
      ca_certificates_.size() >= limits_.maximum_ca_certificates) {
    return Error(absl::StatusCode::kResourceExhausted, location,
                 {"", absl::StrCat("the namespace holds at most ",
                                   limits_.maximum_ca_certificates,
                                   " CA certificates")});
  }
  certificate.thumbprint = std::move(thumbprint);
  const std::string name = certificate.name;
  ca_certificates_.insert_or_assign(name, std::move(certificate));
  return absl::OkStatus();
}

std::vector<PermissionGrant> Directory::Grants() const {
  std::vector<PermissionGrant> grants;
  grants.reserve(bindings_.size());
  for (const auto& [name, binding] : bindings_) {
    const ClientGroupQuery* group = nullptr;
    if (binding.client_group_name != kAllClientsGroupName) {
      const auto it = groups_.find(binding.client_group_name);
      MQLAB_CHECK(it != groups_.end());
      group = &it->second.query;
    }
    const auto space = spaces_.find(binding.topic_space_name);
    MQLAB_CHECK(space != spaces_.end());
    grants.push_back({binding.permission, group, space->second.templates});
  }
  return grants;
}

DirectoryChanges Directory::RecompileAll() {
  DirectoryChanges changes;
  const std::vector<PermissionGrant> grants = Grants();
  for (auto& [name, entry] : clients_) {
    std::shared_ptr<const ClientPermissions> permissions =
        CompileClientPermissions(entry.resource, grants);
    if (*permissions == *entry.permissions) continue;
    entry.permissions = std::move(permissions);
    if (entry.resource.state == ClientState::kEnabled) {
      changes.permissions_changed.push_back(
          {name, entry.resource.authentication_name});
    }
  }
  return changes;
}

bool Directory::IsBound(std::string_view group_or_space, bool is_group) const {
  return std::any_of(
      bindings_.begin(), bindings_.end(), [&](const auto& entry) {
        return (is_group ? entry.second.client_group_name
                         : entry.second.topic_space_name) == group_or_space;
      });
}

StatusOr<DirectoryChanges> Directory::UpsertClient(ClientResource client) {
  const std::string name = client.name;
  std::optional<ClientEntry> before;
  if (const auto it = clients_.find(name); it != clients_.end()) {
    before = it->second;
  }
  if (Status status =
          ApplyClient(std::move(client), AdminLocation("client", name));
      !status.ok()) {
    return status;
  }
  ClientEntry& entry = clients_.find(name)->second;
  entry.permissions = CompileClientPermissions(entry.resource, Grants());
  DirectoryChanges changes;
  if (!before.has_value() || before->resource.state != ClientState::kEnabled) {
    return changes;  // Nothing of it can be connected.
  }
  const ClientResource& now = entry.resource;
  const AffectedClient affected{name, now.authentication_name};
  if (now.state == ClientState::kDisabled) {
    changes.disabled.push_back(affected);
  } else if (now.validation_scheme != before->resource.validation_scheme ||
             now.allowed_thumbprints != before->resource.allowed_thumbprints) {
    changes.authentication_changed.push_back(affected);
  } else if (!(*entry.permissions == *before->permissions)) {
    changes.permissions_changed.push_back(affected);
  }
  return changes;
}

StatusOr<DirectoryChanges> Directory::DeleteClient(std::string_view name) {
  const auto it = clients_.find(name);
  if (it == clients_.end()) {
    return Error(absl::StatusCode::kNotFound, AdminLocation("client", name),
                 {"", "no such client"});
  }
  DirectoryChanges changes;
  changes.deleted.push_back(
      {it->first, it->second.resource.authentication_name});
  client_by_authentication_key_.erase(
      AuthenticationKey(it->second.resource.authentication_name));
  clients_.erase(it);
  return changes;
}

StatusOr<DirectoryChanges> Directory::UpsertClientGroup(
    ClientGroupResource group) {
  const std::string name = group.name;
  if (Status status = ApplyClientGroup(std::move(group),
                                       AdminLocation("client group", name));
      !status.ok()) {
    return status;
  }
  if (!IsBound(name, /*is_group=*/true)) return DirectoryChanges();
  return RecompileAll();
}

StatusOr<DirectoryChanges> Directory::DeleteClientGroup(std::string_view name) {
  const Location location = AdminLocation("client group", name);
  if (name == kAllClientsGroupName) {
    return Error(absl::StatusCode::kInvalidArgument, location,
                 {"",
                  "the client group $all always exists and cannot be "
                  "deleted"});
  }
  const auto it = groups_.find(name);
  if (it == groups_.end()) {
    return Error(absl::StatusCode::kNotFound, location,
                 {"", "no such client group"});
  }
  for (const auto& [binding_name, binding] : bindings_) {
    if (binding.client_group_name == name) {
      return Error(absl::StatusCode::kFailedPrecondition, location,
                   {"", absl::StrCat("permission binding \"", binding_name,
                                     "\" uses this client group; delete or "
                                     "change it first")});
    }
  }
  groups_.erase(it);
  return DirectoryChanges();
}

StatusOr<DirectoryChanges> Directory::UpsertTopicSpace(
    TopicSpaceResource space) {
  const std::string name = space.name;
  if (Status status =
          ApplyTopicSpace(std::move(space), AdminLocation("topic space", name));
      !status.ok()) {
    return status;
  }
  if (!IsBound(name, /*is_group=*/false)) return DirectoryChanges();
  return RecompileAll();
}

StatusOr<DirectoryChanges> Directory::DeleteTopicSpace(std::string_view name) {
  const Location location = AdminLocation("topic space", name);
  const auto it = spaces_.find(name);
  if (it == spaces_.end()) {
    return Error(absl::StatusCode::kNotFound, location,
                 {"", "no such topic space"});
  }
  for (const auto& [binding_name, binding] : bindings_) {
    if (binding.topic_space_name == name) {
      return Error(absl::StatusCode::kFailedPrecondition, location,
                   {"", absl::StrCat("permission binding \"", binding_name,
                                     "\" uses this topic space; delete or "
                                     "change it first")});
    }
  }
  spaces_.erase(it);
  return DirectoryChanges();
}

StatusOr<DirectoryChanges> Directory::UpsertPermissionBinding(
    PermissionBindingResource binding) {
  const std::string name = binding.name;
  if (Status status = ApplyPermissionBinding(
          std::move(binding), AdminLocation("permission binding", name));
      !status.ok()) {
    return status;
  }
  return RecompileAll();
}

StatusOr<DirectoryChanges> Directory::DeletePermissionBinding(
    std::string_view name) {
  const auto it = bindings_.find(name);
  if (it == bindings_.end()) {
    return Error(absl::StatusCode::kNotFound,
                 AdminLocation("permission binding", name),
                 {"", "no such permission binding"});
  }
  bindings_.erase(it);
  return RecompileAll();
}

StatusOr<DirectoryChanges> Directory::UpsertCaCertificate(
    CaCertificateResource certificate) {
  const std::string name = certificate.name;
  if (Status status = ApplyCaCertificate(std::move(certificate),
                                         AdminLocation("CA certificate", name));
      !status.ok()) {
    return status;
  }
  // Connected clients were authenticated at CONNECT and are not re-checked:
  // which CA a connection chained to is the TLS layer's knowledge.
  return DirectoryChanges();
}

StatusOr<DirectoryChanges> Directory::DeleteCaCertificate(
    std::string_view name) {
  const auto it = ca_certificates_.find(name);
  if (it == ca_certificates_.end()) {
    return Error(absl::StatusCode::kNotFound,
                 AdminLocation("CA certificate", name),
                 {"", "no such CA certificate"});
  }
  ca_certificates_.erase(it);
  return DirectoryChanges();
}

}  // namespace mqlab::broker
