// The live namespace: its settings and resources, indexed for the broker
// (clients by name and by authentication name, case-insensitively), with
// queries and templates compiled and every client's permissions compiled.
//
// Resources change through the admin operations (Upsert*/Delete*), which
// validate exactly as a namespace file is validated (the loader builds a
// Directory to check one) and report which clients the change affects, so
// that the broker can end their connections or re-check their subscriptions.
//
// Errors are absl::Status values whose message names the resource, the field
// and what was expected:
//   client "vehicle01": properties.authenticationName: expected ...
// (Create names fields by JSON path instead: "$.clients[2].name: ...").
// Codes: InvalidArgument (a field breaks a rule), NotFound (no such resource
// to delete), AlreadyExists (a name or authentication name is taken),
// FailedPrecondition (a reference is missing or a resource is still
// referenced), ResourceExhausted (a namespace count limit is reached).
//
// Deterministic: everything that reaches an output is kept in sorted
// containers; hash maps serve lookups only.
#ifndef MQLAB_BROKER_DIRECTORY_H_
#define MQLAB_BROKER_DIRECTORY_H_

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "broker/authorization.h"
#include "broker/client_group_query.h"
#include "broker/namespace_config.h"
#include "broker/namespace_validation.h"
#include "broker/topic_template.h"

namespace mqlab::broker {

// A client an admin operation affects.
struct AffectedClient {
  std::string name;
  std::string authentication_name;
  friend bool operator==(const AffectedClient&,
                         const AffectedClient&) = default;
};

// What an admin operation changed for clients that may be connected. Each
// list is sorted by client name; a client appears in at most one list.
struct DirectoryChanges {
  // Client resources that no longer exist. End their connections; their
  // sessions keep their names blocked until they expire.
  std::vector<AffectedClient> deleted;
  // Clients that were enabled and are now disabled. End their connections.
  std::vector<AffectedClient> disabled;
  // Enabled clients whose authentication settings changed (validation
  // scheme or allowed thumbprints). End their connections: they must
  // authenticate again (Event Grid: "client configuration changed").
  std::vector<AffectedClient> authentication_changed;
  // Enabled clients whose compiled permissions are now different. Use
  // Permissions() from now on and re-check their subscriptions.
  std::vector<AffectedClient> permissions_changed;

  bool empty() const {
    return deleted.empty() && disabled.empty() &&
           authentication_changed.empty() && permissions_changed.empty();
  }
};

class Directory {
 public:
  // Builds the namespace `config` describes, validating every setting and
  // resource (in the file's order: CA certificates, clients, client groups,
  // topic spaces, permission bindings). Error messages name fields by JSON
  // path, prefixed with `source_name` when it is not empty:
  //   namespace.json: $.clients[2].properties.state: expected ...
  static StatusOr<std::unique_ptr<Directory>> Create(
      const NamespaceConfig& config, std::string_view source_name = {});

  Directory(const Directory&) = delete;
  Directory& operator=(const Directory&) = delete;

  // Settings.
  const std::string& name() const { return name_; }
  const Limits& limits() const { return limits_; }
  const std::vector<AuthenticationNameSource>&
  alternative_authentication_name_sources() const {
    return alternative_authentication_name_sources_;
  }
  bool allow_unauthenticated_username() const {
    return allow_unauthenticated_username_;
  }

  // Lookups. Pointers stay valid until the next admin operation.
  const ClientResource* FindClient(std::string_view name) const;
  // Authentication names compare ignoring ASCII case, as Event Grid does.
  const ClientResource* FindClientByAuthenticationName(
      std::string_view authentication_name) const;
  const ClientGroupResource* FindClientGroup(std::string_view name) const;
  const TopicSpaceResource* FindTopicSpace(std::string_view name) const;
  const PermissionBindingResource* FindPermissionBinding(
      std::string_view name) const;
  const CaCertificateResource* FindCaCertificate(std::string_view name) const;
  // Whether a registered CA certificate has this SHA-256 thumbprint (hex,
  // any case).
  bool IsRegisteredCaThumbprint(std::string_view thumbprint) const;

  // The compiled permissions of the named client, or null when there is no
  // such client. A disabled client's permissions grant nothing. The pointer
  // stays valid (and unchanged) for as long as the caller holds it.
  std::shared_ptr<const ClientPermissions> Permissions(
      std::string_view client_name) const;

  size_t client_count() const { return clients_.size(); }
  // The most clients the namespace may hold (per unit × throughput units).
  size_t maximum_clients() const;

  // The namespace as plain data, resources sorted by name.
  NamespaceConfig Snapshot() const;

  // Admin operations. Upsert creates or replaces the resource with that name.
  StatusOr<DirectoryChanges> UpsertClient(ClientResource client);
  StatusOr<DirectoryChanges> DeleteClient(std::string_view name);
  StatusOr<DirectoryChanges> UpsertClientGroup(ClientGroupResource group);
  StatusOr<DirectoryChanges> DeleteClientGroup(std::string_view name);
  StatusOr<DirectoryChanges> UpsertTopicSpace(TopicSpaceResource space);
  StatusOr<DirectoryChanges> DeleteTopicSpace(std::string_view name);
  StatusOr<DirectoryChanges> UpsertPermissionBinding(
      PermissionBindingResource binding);
  StatusOr<DirectoryChanges> DeletePermissionBinding(std::string_view name);
  StatusOr<DirectoryChanges> UpsertCaCertificate(
      CaCertificateResource certificate);
  StatusOr<DirectoryChanges> DeleteCaCertificate(std::string_view name);

 private:
  struct ClientEntry {
    ClientResource resource;
    std::shared_ptr<const ClientPermissions> permissions;
  };
  struct GroupEntry {
    ClientGroupResource resource;
    ClientGroupQuery query;
  };
  struct SpaceEntry {
    TopicSpaceResource resource;
    std::vector<TopicTemplate> templates;
  };
  // Where a resource came from, for error messages: a JSON path into a
  // namespace file, or a resource named by an admin operation.
  struct Location {
    std::string prefix;  // "namespace.json: $.clients[2]", "client \"x\"".
    bool json_path = false;
  };
  template <typename T>
  using ByName = std::map<std::string, T, std::less<>>;

  Directory() = default;

  static Location AdminLocation(std::string_view kind, std::string_view name);
  static Status Error(absl::StatusCode code, const Location& location,
                      const Violation& violation);

  // Validate a resource against the namespace and store it; permissions are
  // not recompiled (the callers decide when).
  Status ApplyClient(ClientResource client, const Location& location);
  Status ApplyClientGroup(ClientGroupResource group, const Location& location);
  Status ApplyTopicSpace(TopicSpaceResource space, const Location& location);
  Status ApplyPermissionBinding(PermissionBindingResource binding,
                                const Location& location);
  Status ApplyCaCertificate(CaCertificateResource certificate,
                            const Location& location);

  // The bindings as compiler input, in binding-name order.
  std::vector<PermissionGrant> Grants() const;
  std::shared_ptr<const ClientPermissions> Compile(
      const ClientResource& client) const;
  // Recompiles every client and reports the enabled ones whose permissions
  // changed.
  DirectoryChanges RecompileAll();
  bool IsBound(std::string_view group_or_space, bool is_group) const;
  static std::string AuthenticationKey(std::string_view authentication_name);

  std::string name_;
  Limits limits_;
  std::vector<AuthenticationNameSource>
      alternative_authentication_name_sources_;
  bool allow_unauthenticated_username_ = false;

  ByName<ClientEntry> clients_;
  // ASCII-lowercased authentication name -> client name. Lookups only.
  absl::flat_hash_map<std::string, std::string> client_by_authentication_key_;
  ByName<GroupEntry> groups_;
  ByName<SpaceEntry> spaces_;
  ByName<PermissionBindingResource> bindings_;
  ByName<CaCertificateResource> ca_certificates_;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_DIRECTORY_H_
