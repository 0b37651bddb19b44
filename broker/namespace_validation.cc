#include "broker/namespace_validation.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "broker/certificate.h"
#include "broker/resource_names.h"
#include "nlohmann/json.hpp"

namespace mqlab::broker {
namespace {

constexpr uint32_t kUint32Max = std::numeric_limits<uint32_t>::max();
constexpr uint32_t kUint16Max = std::numeric_limits<uint16_t>::max();
// MQTT's largest packet: a Remaining Length of 268,435,455 bytes.
constexpr uint32_t kMqttMaximumPacketSize = 268'435'455;
constexpr size_t kThumbprintSize = 64;
constexpr size_t kMaximumAllowedThumbprints = 2;

// Bounds beyond Event Grid keep every allocation the core sizes from a limit
// sane; Event Grid's own ranges are used where it documents one.
constexpr LimitField kLimitFields[] = {
    {"maximumPacketSize", &Limits::maximum_packet_size, 1,
     kMqttMaximumPacketSize},
    {"maximumTopicSize", &Limits::maximum_topic_size, 1, kUint16Max},
    {"maximumTopicLevels", &Limits::maximum_topic_levels, 1, 1024},
    {"topicAliasMaximum", &Limits::topic_alias_maximum, 0, kUint16Max},
    {"maximumKeepAliveSeconds", &Limits::maximum_keep_alive_seconds, 1,
     kUint16Max},
    {"maximumFiltersPerSubscribe", &Limits::maximum_filters_per_subscribe, 1,
     10'000},
    {"maximumSubscriptionsPerSession",
     &Limits::maximum_subscriptions_per_session, 1, 100'000},
    {"subscribeRequestsPerSecond", &Limits::subscribe_requests_per_second, 1,
     kUint32Max},
    {"publishMessagesPerSecond", &Limits::publish_messages_per_second, 1,
     kUint32Max},
    {"publishBytesPerSecond", &Limits::publish_bytes_per_second, 1, kUint32Max},
    {"receiveMaximum", &Limits::receive_maximum, 1, kUint16Max},
    {"maximumResponseTopicSize", &Limits::maximum_response_topic_size, 1,
     kUint16Max},
    {"maximumContentTypeSize", &Limits::maximum_content_type_size, 1,
     kUint16Max},
    {"maximumCorrelationDataSize", &Limits::maximum_correlation_data_size, 1,
     kUint16Max},
    {"maximumUserPropertiesSize", &Limits::maximum_user_properties_size, 0,
     kMqttMaximumPacketSize},
    {"sessionExpirySeconds", &Limits::session_expiry_seconds, 1,
     kUint32Max - 1},
    {"maximumOfflineMessages", &Limits::maximum_offline_messages, 1,
     10'000'000},
    {"maximumOfflineBytes", &Limits::maximum_offline_bytes, 1, kUint32Max},
    {"maximumClientSessionsPerAuthenticationName",
     &Limits::maximum_client_sessions_per_authentication_name, 1, 100},
    {"throughputUnits", &Limits::throughput_units, 1, 1'000},
    {"maximumSessionsPerUnit", &Limits::maximum_sessions_per_unit, 1,
     10'000'000},
    {"maximumClientsPerUnit", &Limits::maximum_clients_per_unit, 1, 10'000'000},
    {"connectsPerSecondPerUnit", &Limits::connects_per_second_per_unit, 1,
     10'000'000},
    {"maximumClientGroups", &Limits::maximum_client_groups, 1, 1'000},
    {"maximumTopicSpaces", &Limits::maximum_topic_spaces, 1, 1'000},
    {"maximumTopicTemplatesPerSpace",
     &Limits::maximum_topic_templates_per_space, 1, 1'000},
    {"maximumPermissionBindings", &Limits::maximum_permission_bindings, 1,
     100'000},
    {"maximumCaCertificates", &Limits::maximum_ca_certificates, 1, 1'000},
    {"maximumClientAttributesSize", &Limits::maximum_client_attributes_size, 2,
     1 << 20},
    {"maximumOutboundBytes", &Limits::maximum_outbound_bytes, 1, kUint32Max},
};

uint32_t LimitValue(const Limits& limits, const LimitField& field) {
  return std::visit(
      [&](auto member) { return static_cast<uint32_t>(limits.*member); },
      field.member);
}

Violation Expected(std::string field, std::string message) {
  return Violation{std::move(field), std::move(message)};
}

// Dumps replace invalid UTF-8 rather than throw: admin operations may hand
// over any bytes.
std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Quoted(std::string_view text) {
  return Dump(nlohmann::json(std::string(text)));
}

std::optional<Violation> CheckDescription(const std::string& description) {
  if (description.size() <= kMaximumDescriptionSize) return std::nullopt;
  return Expected("properties.description",
                  absl::StrCat("expected at most ", kMaximumDescriptionSize,
                               " bytes, got ", description.size()));
}

std::optional<Violation> CheckResourceName(std::string_view name) {
  if (IsValidResourceName(name)) return std::nullopt;
  return Expected(
      "name", absl::StrCat("expected ", kMinimumResourceNameSize, " to ",
                           kMaximumResourceNameSize,
                           " characters of A-Z a-z 0-9 -, got ", Quoted(name)));
}

bool IsThumbprint(std::string_view text) {
  return text.size() == kThumbprintSize &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return absl::ascii_isxdigit(static_cast<unsigned char>(c));
         });
}

nlohmann::json AttributeJson(const AttributeValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) {
    return *text;
  }
  if (const auto* number = std::get_if<int64_t>(&value)) {
    return *number;
  }
  return std::get<std::vector<std::string>>(value);
}

}  // namespace

std::span<const LimitField> LimitFields() { return kLimitFields; }

std::optional<Violation> CheckNamespaceSettings(const NamespaceConfig& config) {
  if (std::optional<Violation> violation = CheckResourceName(config.name)) {
    return violation;
  }
  for (const LimitField& field : kLimitFields) {
    const uint32_t value = LimitValue(config.limits, field);
    if (value < field.minimum || value > field.maximum) {
      return Expected(
          absl::StrCat("properties.mqlab.limits.", ToAbsl(field.json_name)),
          absl::StrCat("expected an integer from ", field.minimum, " to ",
                       field.maximum, ", got ", value));
    }
  }
  const std::vector<AuthenticationNameSource>& sources =
      config.alternative_authentication_name_sources;
  for (size_t i = 0; i < sources.size(); ++i) {
    if (std::find(sources.begin(), sources.begin() + i, sources[i]) !=
        sources.begin() + i) {
      return Expected(
          absl::StrCat("properties.topicSpacesConfiguration."
                       "clientAuthentication.alternativeAuthenticationName"
                       "Sources[",
                       i, "]"),
          absl::StrCat("expected each source once, got ",
                       ToAbsl(AuthenticationNameSourceName(sources[i])),
                       " again"));
    }
  }
  return std::nullopt;
}

size_t AttributesJsonSize(
    const std::map<std::string, AttributeValue>& attributes) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [key, value] : attributes)
    object[key] = AttributeJson(value);
  return Dump(object).size();
}

std::optional<Violation> CheckClient(const ClientResource& client,
                                     const Limits& limits) {
  if (!IsValidClientName(client.name)) {
    return Expected("name",
                    absl::StrCat("expected 1 to ", kMaximumClientNameSize,
                                 " characters of A-Z a-z 0-9 - : . _, got ",
                                 Quoted(client.name)));
  }
  if (!IsValidAuthenticationName(client.authentication_name)) {
    return Expected(
        "properties.authenticationName",
        absl::StrCat("expected 1 to ", kMaximumAuthenticationNameSize,
                     " characters of UTF-8 without NUL, got ",
                     Quoted(client.authentication_name)));
  }
  if (std::optional<Violation> violation =
          CheckDescription(client.description)) {
    return violation;
  }
  for (const auto& [key, value] : client.attributes) {
    if (!IsValidAttributeKey(key)) {
      return Expected(
          "properties.attributes",
          absl::StrCat("expected attribute names of 1 to ",
                       kMaximumAttributeKeySize,
                       " characters of A-Z a-z 0-9 _, got ", Quoted(key)));
    }
  }
  if (const size_t size = AttributesJsonSize(client.attributes);
      size > limits.maximum_client_attributes_size) {
    return Expected(
        "properties.attributes",
        absl::StrCat("expected at most ", limits.maximum_client_attributes_size,
                     " bytes of attributes (as compact JSON), got ", size));
  }
  const std::vector<std::string>& thumbprints = client.allowed_thumbprints;
  const std::string thumbprints_field =
      "properties.clientCertificateAuthentication.allowedThumbprints";
  if (client.validation_scheme != ValidationScheme::kThumbprintMatch) {
    if (!thumbprints.empty()) {
      return Expected(
          thumbprints_field,
          absl::StrCat("expected no thumbprints: only "
                       "ThumbprintMatch uses them, and the "
                       "validation scheme is ",
                       ToAbsl(ValidationSchemeName(client.validation_scheme))));
    }
    return std::nullopt;
  }
  if (thumbprints.empty() || thumbprints.size() > kMaximumAllowedThumbprints) {
    return Expected(thumbprints_field,
                    absl::StrCat("expected 1 to ", kMaximumAllowedThumbprints,
                                 " thumbprints for ThumbprintMatch, got ",
                                 thumbprints.size()));
  }
  for (size_t i = 0; i < thumbprints.size(); ++i) {
    if (!IsThumbprint(thumbprints[i])) {
      return Expected(absl::StrCat(thumbprints_field, "[", i, "]"),
                      absl::StrCat("expected a SHA-256 thumbprint (64 hex "
                                   "digits), got ",
                                   Quoted(thumbprints[i])));
    }
  }
  return std::nullopt;
}

std::optional<Violation> CheckClientGroup(
    const ClientGroupResource& group, std::optional<ClientGroupQuery>* query) {
  if (group.name == kAllClientsGroupName) {
    return Expected("name",
                    "the client group $all always exists, holds every client "
                    "and cannot be defined or changed");
  }
  if (std::optional<Violation> violation = CheckResourceName(group.name)) {
    return violation;
  }
  if (std::optional<Violation> violation =
          CheckDescription(group.description)) {
    return violation;
  }
  StatusOr<ClientGroupQuery> parsed = ClientGroupQuery::Parse(group.query);
  if (!parsed.ok()) {
    return Expected("properties.query", std::string(parsed.status().message()));
  }
  *query = *std::move(parsed);
  return std::nullopt;
}

std::optional<Violation> CheckTopicSpace(
    const TopicSpaceResource& space, const Limits& limits,
    std::vector<TopicTemplate>* templates) {
  if (std::optional<Violation> violation = CheckResourceName(space.name)) {
    return violation;
  }
  if (std::optional<Violation> violation =
          CheckDescription(space.description)) {
    return violation;
  }
  const size_t count = space.topic_templates.size();
  if (count == 0 || count > limits.maximum_topic_templates_per_space) {
    return Expected(
        "properties.topicTemplates",
        absl::StrCat("expected 1 to ", limits.maximum_topic_templates_per_space,
                     " topic templates, got ", count));
  }
  templates->clear();
  for (size_t i = 0; i < count; ++i) {
    const std::string field =
        absl::StrCat("properties.topicTemplates[", i, "]");
    StatusOr<TopicTemplate> parsed =
        TopicTemplate::Parse(space.topic_templates[i]);
    if (!parsed.ok()) {
      return Expected(field, std::string(parsed.status().message()));
    }
    if (parsed->level_count() > limits.maximum_topic_levels) {
      return Expected(
          field, absl::StrCat("expected at most ", limits.maximum_topic_levels,
                              " levels, got ", parsed->level_count()));
    }
    templates->push_back(*std::move(parsed));
  }
  return std::nullopt;
}

std::optional<Violation> CheckPermissionBinding(
    const PermissionBindingResource& binding) {
  if (std::optional<Violation> violation = CheckResourceName(binding.name)) {
    return violation;
  }
  return CheckDescription(binding.description);
}

std::optional<Violation> CheckCaCertificate(
    const CaCertificateResource& certificate, std::string* thumbprint) {
  if (std::optional<Violation> violation =
          CheckResourceName(certificate.name)) {
    return violation;
  }
  if (std::optional<Violation> violation =
          CheckDescription(certificate.description)) {
    return violation;
  }
  StatusOr<std::string> computed =
      PemCertificateThumbprint(certificate.encoded_certificate);
  if (!computed.ok()) {
    return Expected("properties.encodedCertificate",
                    std::string(computed.status().message()));
  }
  *thumbprint = *std::move(computed);
  return std::nullopt;
}

std::string_view ValidationSchemeName(ValidationScheme scheme) {
  switch (scheme) {
    case ValidationScheme::kSubjectMatchesAuthenticationName:
      return "SubjectMatchesAuthenticationName";
    case ValidationScheme::kDnsMatchesAuthenticationName:
      return "DnsMatchesAuthenticationName";
    case ValidationScheme::kUriMatchesAuthenticationName:
      return "UriMatchesAuthenticationName";
    case ValidationScheme::kIpMatchesAuthenticationName:
      return "IpMatchesAuthenticationName";
    case ValidationScheme::kEmailMatchesAuthenticationName:
      return "EmailMatchesAuthenticationName";
    case ValidationScheme::kThumbprintMatch:
      return "ThumbprintMatch";
  }
  return "";
}

std::string_view AuthenticationNameSourceName(AuthenticationNameSource source) {
  switch (source) {
    case AuthenticationNameSource::kClientCertificateSubject:
      return "ClientCertificateSubject";
    case AuthenticationNameSource::kClientCertificateDns:
      return "ClientCertificateDns";
    case AuthenticationNameSource::kClientCertificateUri:
      return "ClientCertificateUri";
    case AuthenticationNameSource::kClientCertificateIp:
      return "ClientCertificateIp";
    case AuthenticationNameSource::kClientCertificateEmail:
      return "ClientCertificateEmail";
  }
  return "";
}

std::string_view PermissionName(Permission permission) {
  return permission == Permission::kPublisher ? "Publisher" : "Subscriber";
}

std::string_view ClientStateName(ClientState state) {
  return state == ClientState::kEnabled ? "Enabled" : "Disabled";
}

}  // namespace mqlab::broker
