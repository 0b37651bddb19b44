// The rules one namespace resource must follow on its own: name formats,
// sizes, counts within the resource, queries and templates that parse. The
// Directory applies them to every resource it accepts, whether from a
// namespace file (LoadNamespace) or an admin operation, and adds the rules
// between resources (unique names, references, namespace-wide counts).
#ifndef MQLAB_BROKER_NAMESPACE_VALIDATION_H_
#define MQLAB_BROKER_NAMESPACE_VALIDATION_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "broker/client_group_query.h"
#include "broker/namespace_config.h"
#include "broker/topic_template.h"

namespace mqlab::broker {

// A rule a resource breaks: the field, relative to the resource in Azure's
// JSON shape ("name", "properties.query", "properties.topicTemplates[2]";
// empty for the resource as a whole), and what was expected.
struct Violation {
  std::string field;
  std::string message;
};

// Beyond Event Grid, which documents no bound: the longest description.
inline constexpr size_t kMaximumDescriptionSize = 1024;

// One of mqlab's limit settings (namespace file:
// properties.mqlab.limits.<json_name>): the Limits member it sets and the
// values it accepts.
struct LimitField {
  std::string_view json_name;
  std::variant<uint32_t Limits::*, uint16_t Limits::*> member;
  uint32_t minimum;
  uint32_t maximum;
};
// Every numeric field of Limits, in declaration order.
std::span<const LimitField> LimitFields();

// The namespace's name, limits and authentication name sources. Fields are
// relative to the namespace resource
// ("properties.mqlab.limits.receiveMaximum").
std::optional<Violation> CheckNamespaceSettings(const NamespaceConfig& config);

// A client with its authentication name already defaulted.
std::optional<Violation> CheckClient(const ClientResource& client,
                                     const Limits& limits);

// A client group; on success `query` holds its parsed query.
std::optional<Violation> CheckClientGroup(
    const ClientGroupResource& group, std::optional<ClientGroupQuery>* query);

// A topic space; on success `templates` holds its parsed templates.
std::optional<Violation> CheckTopicSpace(const TopicSpaceResource& space,
                                         const Limits& limits,
                                         std::vector<TopicTemplate>* templates);

// A permission binding's own fields (its references are the Directory's).
std::optional<Violation> CheckPermissionBinding(
    const PermissionBindingResource& binding);

// A CA certificate; on success `thumbprint` holds its SHA-256 thumbprint.
std::optional<Violation> CheckCaCertificate(
    const CaCertificateResource& certificate, std::string* thumbprint);

// The size Event Grid's 4 KB attribute limit is measured on: the attributes
// as compact JSON ({"type":"vehicle","floor":3}).
size_t AttributesJsonSize(
    const std::map<std::string, AttributeValue>& attributes);

// Azure's spellings of the enumerations, for the loader and for messages.
std::string_view ValidationSchemeName(ValidationScheme scheme);
std::string_view AuthenticationNameSourceName(AuthenticationNameSource source);
std::string_view PermissionName(Permission permission);
std::string_view ClientStateName(ClientState state);

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_NAMESPACE_VALIDATION_H_
