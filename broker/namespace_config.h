// An Event Grid namespace: its settings and limits and its child resources
// (clients, client groups, topic spaces, permission bindings, CA
// certificates), in the shape of Azure's resource reference. Plain data: the
// loader (namespace_loader.h) fills it from JSON, and a Directory
// (directory.h) validates it and serves it to the broker. docs/namespace.md
// documents every field and rule.
#ifndef MQLAB_BROKER_NAMESPACE_CONFIG_H_
#define MQLAB_BROKER_NAMESPACE_CONFIG_H_

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace mqlab::broker {

using Status = absl::Status;
template <typename T>
using StatusOr = absl::StatusOr<T>;

// Where the authentication name is read from when CONNECT has no Username.
enum class AuthenticationNameSource : uint8_t {
  kClientCertificateSubject,
  kClientCertificateDns,
  kClientCertificateUri,
  kClientCertificateIp,
  kClientCertificateEmail,
};

// Every limit of eventgrid-facts.md's table, with Event Grid's default. Each
// has one documented reaction (see docs/limits.md) and a test.
struct Limits {
  uint32_t maximum_packet_size = 512 * 1024;
  uint32_t maximum_topic_size = 256;
  uint32_t maximum_topic_levels = 8;
  uint16_t topic_alias_maximum = 10;
  uint16_t maximum_keep_alive_seconds = 1160;
  uint32_t maximum_filters_per_subscribe = 10;
  uint32_t maximum_subscriptions_per_session = 50;
  uint32_t subscribe_requests_per_second = 5;  // SUBSCRIBE and UNSUBSCRIBE.
  uint32_t publish_messages_per_second = 100;  // Inbound, per session.
  uint32_t publish_bytes_per_second = 1024 * 1024;
  uint16_t receive_maximum = 1000;  // Inbound QoS 1 in flight.
  uint32_t maximum_response_topic_size = 256;
  uint32_t maximum_content_type_size = 256;
  uint32_t maximum_correlation_data_size = 256;
  uint32_t maximum_user_properties_size = 32 * 1024;
  uint32_t session_expiry_seconds = 3600;
  uint32_t maximum_offline_messages = 100;
  uint32_t maximum_offline_bytes = 1024 * 1024;
  uint32_t maximum_client_sessions_per_authentication_name = 1;
  // Namespace-wide, per throughput unit.
  uint32_t throughput_units = 1;
  uint32_t maximum_sessions_per_unit = 10'000;
  uint32_t maximum_clients_per_unit = 10'000;
  uint32_t connects_per_second_per_unit = 200;
  uint32_t maximum_client_groups = 10;
  uint32_t maximum_topic_spaces = 10;
  uint32_t maximum_topic_templates_per_space = 10;
  uint32_t maximum_permission_bindings = 100;
  uint32_t maximum_ca_certificates = 10;
  uint32_t maximum_client_attributes_size = 4 * 1024;
  // Beyond Event Grid: bytes a write-blocked connection may hold queued.
  uint32_t maximum_outbound_bytes = 4 * 1024 * 1024;
  // mqlab extension: lift the per-session publish and subscribe rate limits
  // (benchmarks against brokers that have none). Off by default.
  bool rate_limits_lifted = false;
};

enum class ClientState : uint8_t { kEnabled, kDisabled };

enum class ValidationScheme : uint8_t {
  kSubjectMatchesAuthenticationName,
  kDnsMatchesAuthenticationName,
  kUriMatchesAuthenticationName,
  kIpMatchesAuthenticationName,
  kEmailMatchesAuthenticationName,
  kThumbprintMatch,
};

// A client attribute value: a string, an integer or an array of strings.
using AttributeValue =
    std::variant<std::string, int64_t, std::vector<std::string>>;

struct ClientResource {
  std::string name;
  // Defaults to `name` when empty (loader and Directory). Compared ignoring
  // ASCII case when authenticating; its case is kept for topic templates.
  std::string authentication_name;
  ClientState state = ClientState::kEnabled;
  std::string description;
  // Ordered by key so that iteration never depends on hashing.
  std::map<std::string, AttributeValue> attributes;
  ValidationScheme validation_scheme =
      ValidationScheme::kSubjectMatchesAuthenticationName;
  std::vector<std::string> allowed_thumbprints;  // ThumbprintMatch: up to 2.
};

struct ClientGroupResource {
  std::string name;
  std::string query;  // e.g. "attributes.floor <= 5 and attributes.x = 'y'".
  std::string description;
};

struct TopicSpaceResource {
  std::string name;
  std::vector<std::string> topic_templates;
  std::string description;
};

enum class Permission : uint8_t { kPublisher, kSubscriber };

struct PermissionBindingResource {
  std::string name;
  std::string client_group_name;
  std::string topic_space_name;
  Permission permission = Permission::kPublisher;
  std::string description;
};

struct CaCertificateResource {
  std::string name;
  std::string encoded_certificate;  // PEM.
  std::string description;
  // SHA-256 of the DER certificate, 64 uppercase hex digits. Computed by the
  // loader and the Directory; any value given is replaced.
  std::string thumbprint;
};

struct NamespaceConfig {
  std::string name = "mqlab";
  Limits limits;
  // Empty: CONNECT must carry a Username.
  std::vector<AuthenticationNameSource> alternative_authentication_name_sources;
  // mqlab extension: accept connections without a client certificate and
  // authenticate them by Username alone (local development, tests).
  bool allow_unauthenticated_username = false;
  std::vector<ClientResource> clients;
  std::vector<ClientGroupResource> client_groups;
  std::vector<TopicSpaceResource> topic_spaces;
  std::vector<PermissionBindingResource> permission_bindings;
  std::vector<CaCertificateResource> ca_certificates;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_NAMESPACE_CONFIG_H_
