#include "broker/namespace_loader.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/absl_string_view.h"
#include "broker/directory.h"
#include "broker/namespace_validation.h"
#include "nlohmann/json.hpp"

namespace mqlab::broker {
namespace {

// The JSON path of field `key` of `path`: ".key" for a plain name, and
// ["key"] (a JSON string, ASCII-escaped) for any other, so that every path
// reads back unambiguously whatever the file's keys hold.
std::string Child(std::string_view path, std::string_view key) {
  const bool plain =
      !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9') || c == '_';
      });
  if (plain) return absl::StrCat(ToAbsl(path), ".", ToAbsl(key));
  const std::string quoted =
      nlohmann::json(std::string(key))
          .dump(-1, ' ', /*ensure_ascii=*/true,
                nlohmann::json::error_handler_t::replace);
  return absl::StrCat(ToAbsl(path), "[", quoted, "]");
}

// Keeps the fields in file order, so that the first error is the first in
// the file.
using Json = nlohmann::ordered_json;
using Names = std::span<const std::string_view>;

// Longest JSON value quoted back in an error message.
constexpr size_t kQuotedValueSize = 48;

// Builds the document from nlohmann's SAX events, refusing a field given
// twice in one object (nlohmann would keep the last silently) and nesting
// beyond kMaximumNamespaceJsonDepth.
class StrictJsonBuilder {
 public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  explicit StrictJsonBuilder(std::string_view text) : text_(text) {}

  Json& root() { return root_; }
  const std::string& error() const { return error_; }

  bool null() { return Put(Json(nullptr)) != nullptr; }
  bool boolean(bool value) { return Put(Json(value)) != nullptr; }
  bool number_integer(number_integer_t value) {
    return Put(Json(value)) != nullptr;
  }
  bool number_unsigned(number_unsigned_t value) {
    return Put(Json(value)) != nullptr;
  }
  bool number_float(number_float_t value, const string_t&) {
    return Put(Json(value)) != nullptr;
  }
  bool string(string_t& value) {
    return Put(Json(std::move(value))) != nullptr;
  }
  bool binary(binary_t&) { return false; }  // JSON text has no binary values.
  bool start_object(size_t) { return Open(Json::object()); }
  bool end_object() { return Close(); }
  bool start_array(size_t) { return Open(Json::array()); }
  bool end_array() { return Close(); }
  bool key(string_t& name) {
    const Container& object = stack_.back();
    if (object.value->contains(name)) {
      error_ =
          absl::StrCat(object.path, ": field \"", name, "\" appears twice");
      return false;
    }
    key_ = std::move(name);
    return true;
  }
  bool parse_error(size_t position, const std::string&,
                   const nlohmann::detail::exception& error) {
    // "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    std::string_view what = error.what();
    if (const size_t bracket = what.find("] "); bracket != what.npos) {
      what.remove_prefix(bracket + 2);
    }
    if (what.starts_with("parse error")) {
      error_ = std::string(what);
      return false;
    }
    // A number out of range comes without a place: give its line and column
    // (`position` is the bytes read), as the syntax errors do.
    const std::string_view read =
        text_.substr(0, std::min(position, text_.size()));
    const size_t line_start = read.rfind('\n');
    error_ = absl::StrCat(
        "parse error at line ", 1 + std::count(read.begin(), read.end(), '\n'),
        ", column ",
        line_start == read.npos ? read.size() : read.size() - line_start - 1,
        ": ", ToAbsl(what));
    return false;
  }

 private:
  struct Container {
    Json* value;
    std::string path;
  };

  // Adds `value` where the parser is: the root, the next array element or
  // the field whose key came last. Returns where it went.
  Json* Put(Json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Json& parent = *stack_.back().value;
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    Json& field = parent[key_];
    field = std::move(value);
    return &field;
  }

  bool Open(Json container) {
    if (stack_.size() == kMaximumNamespaceJsonDepth) {
      error_ = absl::StrCat(stack_.back().path, ": nested deeper than ",
                            kMaximumNamespaceJsonDepth, " levels");
      return false;
    }
    std::string path = "$";
    if (!stack_.empty()) {
      const Container& parent = stack_.back();
      path = parent.value->is_array()
                 ? absl::StrCat(parent.path, "[", parent.value->size(), "]")
                 : Child(parent.path, key_);
    }
    Json* placed = Put(std::move(container));
    stack_.push_back({placed, std::move(path)});
    return true;
  }

  bool Close() {
    stack_.pop_back();
    return true;
  }

  Json root_;
  std::vector<Container> stack_;
  std::string key_;
  std::string_view text_;
  std::string error_;
};

std::string Describe(const Json& value) {
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  std::string text = value.dump();
  if (text.size() > kQuotedValueSize) {
    text = absl::StrCat(text.substr(0, kQuotedValueSize), "...");
  }
  return text;
}

std::string Element(std::string_view path, size_t index) {
  return absl::StrCat(ToAbsl(path), "[", index, "]");
}

template <typename Enum>
struct EnumName {
  std::string_view name;
  Enum value;
};

constexpr EnumName<ValidationScheme> kValidationSchemes[] = {
    {"SubjectMatchesAuthenticationName",
     ValidationScheme::kSubjectMatchesAuthenticationName},
    {"DnsMatchesAuthenticationName",
     ValidationScheme::kDnsMatchesAuthenticationName},
    {"UriMatchesAuthenticationName",
     ValidationScheme::kUriMatchesAuthenticationName},
    {"IpMatchesAuthenticationName",
     ValidationScheme::kIpMatchesAuthenticationName},
    {"EmailMatchesAuthenticationName",
     ValidationScheme::kEmailMatchesAuthenticationName},
    {"ThumbprintMatch", ValidationScheme::kThumbprintMatch},
};
constexpr EnumName<AuthenticationNameSource> kNameSources[] = {
    {"ClientCertificateSubject",
     AuthenticationNameSource::kClientCertificateSubject},
    {"ClientCertificateDns", AuthenticationNameSource::kClientCertificateDns},
    {"ClientCertificateUri", AuthenticationNameSource::kClientCertificateUri},
    {"ClientCertificateIp", AuthenticationNameSource::kClientCertificateIp},
    {"ClientCertificateEmail",
     AuthenticationNameSource::kClientCertificateEmail},
};
constexpr EnumName<ClientState> kClientStates[] = {
    {"Enabled", ClientState::kEnabled},
    {"Disabled", ClientState::kDisabled},
};
constexpr EnumName<Permission> kPermissions[] = {
    {"Publisher", Permission::kPublisher},
    {"Subscriber", Permission::kSubscriber},
};

// ARM fields a resource exported from Azure carries that say nothing mqlab
// uses; they are accepted and ignored.
constexpr std::string_view kResourceEnvelopeFields[] = {"id", "type",
                                                        "systemData"};
constexpr std::string_view kOutputOnlyProperties[] = {"provisioningState"};

// Reads typed values out of the document, recording the first error with its
// path. After an error every read fails, so callers check ok() once.
class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  bool ok() const { return error_.empty(); }
  Status status() const { return absl::InvalidArgumentError(error_); }

  bool Fail(std::string_view path, std::string_view message) {
    if (ok()) {
      error_ = absl::StrCat(ToAbsl(source_), ": ", ToAbsl(path), ": ",
                            ToAbsl(message));
    }
    return false;
  }

  // `value` is an object whose fields are all `known` or `ignored`.
  bool Object(const Json& value, std::string_view path, Names known,
              Names ignored = {}) {
    if (!ok()) return false;
    if (!value.is_object()) {
      return Fail(path,
                  absl::StrCat("expected an object, got ", Describe(value)));
    }
    for (const auto& item : value.items()) {
      // Not a structured binding: clang 14 (the fuzz build) cannot capture
      // one in a lambda.
      const std::string& key = item.key();
      const auto is_key = [&](std::string_view name) { return name == key; };
      if (std::none_of(known.begin(), known.end(), is_key) &&
          std::none_of(ignored.begin(), ignored.end(), is_key)) {
        return Fail(
            path, absl::StrCat("unknown field \"", key, "\"; expected one of ",
                               absl::StrJoin(
                                   known, ", ",
                                   [](std::string* out, std::string_view name) {
                                     out->append(name);
                                   })));
      }
    }
    return true;
  }

  // The field `key` of the object `value`, or null when it is absent.
  static const Json* Field(const Json& value, std::string_view key) {
    const auto it = value.find(key);
    return it == value.end() ? nullptr : &*it;
  }

  // A field that must be present.
  const Json* Required(const Json& value, std::string_view path,
                       std::string_view key, std::string_view what) {
    const Json* field = Field(value, key);
    if (field == nullptr) {
      Fail(Child(path, key),
           absl::StrCat("expected ", ToAbsl(what), ", got nothing"));
    }
    return field;
  }

  bool String(const Json& value, std::string_view path, std::string* out) {
    if (!ok()) return false;
    if (!value.is_string()) {
      return Fail(path,
                  absl::StrCat("expected a string, got ", Describe(value)));
    }
    *out = value.get<std::string>();
    return true;
  }

  bool Bool(const Json& value, std::string_view path, bool* out) {
    if (!ok()) return false;
    if (!value.is_boolean()) {
      return Fail(
          path, absl::StrCat("expected true or false, got ", Describe(value)));
    }
    *out = value.get<bool>();
    return true;
  }

  bool Unsigned(const Json& value, std::string_view path, uint32_t minimum,
                uint32_t maximum, uint32_t* out) {
    if (!ok()) return false;
    if (!value.is_number_unsigned() || value.get<uint64_t>() < minimum ||
        value.get<uint64_t>() > maximum) {
      return Fail(path,
                  absl::StrCat("expected an integer from ", minimum, " to ",
                               maximum, ", got ", Describe(value)));
    }
    *out = static_cast<uint32_t>(value.get<uint64_t>());
    return true;
  }

  bool Array(const Json& value, std::string_view path, std::string_view of) {
    if (!ok()) return false;
    if (!value.is_array()) {
      return Fail(path, absl::StrCat("expected an array of ", ToAbsl(of),
                                     ", got ", Describe(value)));
    }
    return true;
  }

  bool StringArray(const Json& value, std::string_view path,
                   std::vector<std::string>* out) {
    if (!Array(value, path, "strings")) return false;
    out->clear();
    for (size_t i = 0; i < value.size(); ++i) {
      std::string text;
      if (!String(value[i], Element(path, i), &text)) return false;
      out->push_back(std::move(text));
    }
    return true;
  }

  template <typename Enum, size_t N>
  bool OneOf(const Json& value, std::string_view path,
             const EnumName<Enum> (&names)[N], Enum* out) {
    if (!ok()) return false;
    if (value.is_string()) {
      for (const EnumName<Enum>& name : names) {
        if (value.get<std::string>() == name.name) {
          *out = name.value;
          return true;
        }
      }
    }
    std::vector<std::string_view> spellings;
    for (const EnumName<Enum>& name : names) spellings.push_back(name.name);
    return Fail(path, absl::StrCat("expected one of ",
                                   absl::StrJoin(spellings, ", ",
                                                 [](std::string* text,
                                                    std::string_view spelling) {
                                                   text->append(spelling);
                                                 }),
                                   ", got ", Describe(value)));
  }

 private:
  std::string_view source_;
  std::string error_;
};

// The parts every resource has: {"name": ..., "properties": {...}}. Returns
// the properties (an empty object when absent) after checking their fields.
const Json* ReadResource(Reader& reader, const Json& value,
                         std::string_view path, std::string* name,
                         Names properties_known,
                         Names properties_ignored = kOutputOnlyProperties) {
  static const Json* const kNoProperties = new Json(Json::object());
  constexpr std::string_view kKnown[] = {"name", "properties"};
  if (!reader.Object(value, path, kKnown, kResourceEnvelopeFields)) {
    return nullptr;
  }
  const Json* name_value =
      reader.Required(value, path, "name", "the resource's name");
  if (name_value == nullptr ||
      !reader.String(*name_value, Child(path, "name"), name)) {
    return nullptr;
  }
  const Json* properties = Reader::Field(value, "properties");
  if (properties == nullptr) return kNoProperties;
  if (!reader.Object(*properties, Child(path, "properties"), properties_known,
                     properties_ignored)) {
    return nullptr;
  }
  return properties;
}

// Where a setting that Azure and mqlab can both express was set: once only.
class SettingOrigins {
 public:
  explicit SettingOrigins(Reader& reader) : reader_(reader) {}
  bool Set(std::string_view setting, std::string_view path) {
    const auto [it, inserted] =
        origins_.emplace(std::string(setting), std::string(path));
    if (inserted) return true;
    return reader_.Fail(
        path, absl::StrCat("expected this setting in one place only; ",
                           it->second, " sets it too"));
  }

 private:
  Reader& reader_;
  std::map<std::string, std::string> origins_;
};

void ReadLimits(Reader& reader, SettingOrigins& origins, const Json& value,
                std::string_view path, Limits* limits) {
  std::vector<std::string_view> known = {"rateLimitsLifted"};
  for (const LimitField& field : LimitFields()) {
    known.push_back(field.json_name);
  }
  if (!reader.Object(value, path, known)) return;
  for (const LimitField& field : LimitFields()) {
    const Json* setting = Reader::Field(value, field.json_name);
    if (setting == nullptr) continue;
    const std::string field_path = Child(path, field.json_name);
    uint32_t number = 0;
    if (!reader.Unsigned(*setting, field_path, field.minimum, field.maximum,
                         &number) ||
        !origins.Set(field.json_name, field_path)) {
      return;
    }
    std::visit(
        [&](auto member) {
          limits->*member =
              static_cast<std::remove_reference_t<decltype(limits->*member)>>(
                  number);
        },
        field.member);
  }
  if (const Json* lifted = Reader::Field(value, "rateLimitsLifted")) {
    reader.Bool(*lifted, Child(path, "rateLimitsLifted"),
                &limits->rate_limits_lifted);
  }
}

void ReadTopicSpacesConfiguration(Reader& reader, SettingOrigins& origins,
                                  const Json& value, std::string_view path,
                                  NamespaceConfig* config) {
  constexpr std::string_view kKnown[] = {
      "state", "maximumClientSessionsPerAuthenticationName",
      "maximumSessionExpiryInHours", "clientAuthentication"};
  // Output-only, or routing to namespace topics, which mqlab does not do.
  constexpr std::string_view kIgnored[] = {"hostname", "routeTopicResourceId",
                                           "routingEnrichments",
                                           "routingIdentityInfo"};
  if (!reader.Object(value, path, kKnown, kIgnored)) return;
  if (const Json* state = Reader::Field(value, "state")) {
    if (!state->is_string() || state->get<std::string>() != "Enabled") {
      reader.Fail(Child(path, "state"),
                  absl::StrCat("expected \"Enabled\" (mqlab serves MQTT only "
                               "when topic spaces are enabled), got ",
                               Describe(*state)));
      return;
    }
  }
  if (const Json* sessions =
          Reader::Field(value, "maximumClientSessionsPerAuthenticationName")) {
    const std::string field_path =
        Child(path, "maximumClientSessionsPerAuthenticationName");
    if (!reader.Unsigned(
            *sessions, field_path, 1, 100,
            &config->limits.maximum_client_sessions_per_authentication_name) ||
        !origins.Set("maximumClientSessionsPerAuthenticationName",
                     field_path)) {
      return;
    }
  }
  if (const Json* hours = Reader::Field(value, "maximumSessionExpiryInHours")) {
    const std::string field_path = Child(path, "maximumSessionExpiryInHours");
    uint32_t expiry_hours = 0;
    if (!reader.Unsigned(*hours, field_path, 1, 8, &expiry_hours) ||
        !origins.Set("sessionExpirySeconds", field_path)) {
      return;
    }
    config->limits.session_expiry_seconds = expiry_hours * 3600;
  }
  if (const Json* authentication =
          Reader::Field(value, "clientAuthentication")) {
    const std::string authentication_path = Child(path, "clientAuthentication");
    constexpr std::string_view kAuthenticationKnown[] = {
        "alternativeAuthenticationNameSources"};
    if (!reader.Object(*authentication, authentication_path,
                       kAuthenticationKnown)) {
      return;
    }
    const Json* sources =
        Reader::Field(*authentication, "alternativeAuthenticationNameSources");
    if (sources == nullptr) return;
    const std::string sources_path =
        Child(authentication_path, "alternativeAuthenticationNameSources");
    if (!reader.Array(*sources, sources_path, "name sources")) return;
    for (size_t i = 0; i < sources->size(); ++i) {
      AuthenticationNameSource source{};
      if (!reader.OneOf((*sources)[i], Element(sources_path, i), kNameSources,
                        &source)) {
        return;
      }
      config->alternative_authentication_name_sources.push_back(source);
    }
  }
}

void ReadNamespace(Reader& reader, const Json& value, NamespaceConfig* config) {
  const std::string path = "$.namespace";
  constexpr std::string_view kKnown[] = {"name", "sku", "properties"};
  constexpr std::string_view kIgnored[] = {"id",   "type",     "location",
                                           "tags", "identity", "systemData"};
  if (!reader.Object(value, path, kKnown, kIgnored)) return;
  if (const Json* name = Reader::Field(value, "name")) {
    if (!reader.String(*name, Child(path, "name"), &config->name)) return;
  }
  SettingOrigins origins(reader);
  // The sku's capacity is the number of throughput units.
  if (const Json* sku = Reader::Field(value, "sku")) {
    const std::string sku_path = Child(path, "sku");
    constexpr std::string_view kSkuKnown[] = {"capacity"};
    constexpr std::string_view kSkuIgnored[] = {"name", "tier"};
    if (!reader.Object(*sku, sku_path, kSkuKnown, kSkuIgnored)) return;
    if (const Json* capacity = Reader::Field(*sku, "capacity")) {
      const std::string capacity_path = Child(sku_path, "capacity");
      if (!reader.Unsigned(*capacity, capacity_path, 1, 1'000,
                           &config->limits.throughput_units) ||
          !origins.Set("throughputUnits", capacity_path)) {
        return;
      }
    }
  }
  const Json* properties = Reader::Field(value, "properties");
  if (properties == nullptr) return;
  const std::string properties_path = Child(path, "properties");
  constexpr std::string_view kPropertiesKnown[] = {"topicSpacesConfiguration",
                                                   "mqlab"};
  // Azure settings that do not change what an MQTT client sees locally.
  constexpr std::string_view kPropertiesIgnored[] = {
      "provisioningState", "isZoneRedundant", "publicNetworkAccess",
      "minimumTlsVersionAllowed", "topicsConfiguration"};
  if (!reader.Object(*properties, properties_path, kPropertiesKnown,
                     kPropertiesIgnored)) {
    return;
  }
  if (const Json* topic_spaces =
          Reader::Field(*properties, "topicSpacesConfiguration")) {
    ReadTopicSpacesConfiguration(
        reader, origins, *topic_spaces,
        Child(properties_path, "topicSpacesConfiguration"), config);
  }
  const Json* mqlab = Reader::Field(*properties, "mqlab");
  if (mqlab == nullptr) return;
  const std::string mqlab_path = Child(properties_path, "mqlab");
  constexpr std::string_view kMqlabKnown[] = {"allowUnauthenticatedUsername",
                                              "limits"};
  if (!reader.Object(*mqlab, mqlab_path, kMqlabKnown)) return;
  if (const Json* allow =
          Reader::Field(*mqlab, "allowUnauthenticatedUsername")) {
    if (!reader.Bool(*allow, Child(mqlab_path, "allowUnauthenticatedUsername"),
                     &config->allow_unauthenticated_username)) {
      return;
    }
  }
  if (const Json* limits = Reader::Field(*mqlab, "limits")) {
    ReadLimits(reader, origins, *limits, Child(mqlab_path, "limits"),
               &config->limits);
  }
}

bool ReadAttributes(Reader& reader, const Json& value, std::string_view path,
                    std::map<std::string, AttributeValue>* attributes) {
  if (!reader.ok()) return false;
  if (!value.is_object()) {
    return reader.Fail(
        path, absl::StrCat("expected an object, got ", Describe(value)));
  }
  for (const auto& [key, attribute] : value.items()) {
    const std::string attribute_path = Child(path, key);
    if (attribute.is_string()) {
      (*attributes)[key] = attribute.get<std::string>();
    } else if (attribute.is_number_integer() &&
               !(attribute.is_number_unsigned() &&
                 attribute.get<uint64_t>() >
                     static_cast<uint64_t>(
                         std::numeric_limits<int64_t>::max()))) {
      (*attributes)[key] = attribute.get<int64_t>();
    } else if (attribute.is_array() &&
               std::all_of(
                   attribute.begin(), attribute.end(),
                   [](const Json& element) { return element.is_string(); })) {
      (*attributes)[key] = attribute.get<std::vector<std::string>>();
    } else {
      return reader.Fail(attribute_path,
                         absl::StrCat("expected a string, a 64-bit integer or "
                                      "an array of strings, got ",
                                      Describe(attribute)));
    }
  }
  return true;
}

void ReadClient(Reader& reader, const Json& value, std::string_view path,
                ClientResource* client) {
  constexpr std::string_view kKnown[] = {"authenticationName", "state",
                                         "description", "attributes",
                                         "clientCertificateAuthentication"};
  const Json* properties =
      ReadResource(reader, value, path, &client->name, kKnown);
  if (properties == nullptr) return;
  const std::string properties_path = Child(path, "properties");
  if (const Json* name = Reader::Field(*properties, "authenticationName")) {
    if (!reader.String(*name, Child(properties_path, "authenticationName"),
                       &client->authentication_name)) {
      return;
    }
  }
  if (const Json* state = Reader::Field(*properties, "state")) {
    if (!reader.OneOf(*state, Child(properties_path, "state"), kClientStates,
                      &client->state)) {
      return;
    }
  }
  if (const Json* description = Reader::Field(*properties, "description")) {
    if (!reader.String(*description, Child(properties_path, "description"),
                       &client->description)) {
      return;
    }
  }
  if (const Json* attributes = Reader::Field(*properties, "attributes")) {
    if (!ReadAttributes(reader, *attributes,
                        Child(properties_path, "attributes"),
                        &client->attributes)) {
      return;
    }
  }
  const Json* certificate =
      Reader::Field(*properties, "clientCertificateAuthentication");
  if (certificate == nullptr) return;
  const std::string certificate_path =
      Child(properties_path, "clientCertificateAuthentication");
  constexpr std::string_view kCertificateKnown[] = {"validationScheme",
                                                    "allowedThumbprints"};
  if (!reader.Object(*certificate, certificate_path, kCertificateKnown)) {
    return;
  }
  if (const Json* scheme = Reader::Field(*certificate, "validationScheme")) {
    if (!reader.OneOf(*scheme, Child(certificate_path, "validationScheme"),
                      kValidationSchemes, &client->validation_scheme)) {
      return;
    }
  }
  if (const Json* thumbprints =
          Reader::Field(*certificate, "allowedThumbprints")) {
    reader.StringArray(*thumbprints,
                       Child(certificate_path, "allowedThumbprints"),
                       &client->allowed_thumbprints);
  }
}

void ReadClientGroup(Reader& reader, const Json& value, std::string_view path,
                     ClientGroupResource* group) {
  constexpr std::string_view kKnown[] = {"query", "description"};
  const Json* properties =
      ReadResource(reader, value, path, &group->name, kKnown);
  if (properties == nullptr) return;
  const std::string properties_path = Child(path, "properties");
  const Json* query = reader.Required(*properties, properties_path, "query",
                                      "the group's query");
  if (query == nullptr ||
      !reader.String(*query, Child(properties_path, "query"), &group->query)) {
    return;
  }
  if (const Json* description = Reader::Field(*properties, "description")) {
    reader.String(*description, Child(properties_path, "description"),
                  &group->description);
  }
}

void ReadTopicSpace(Reader& reader, const Json& value, std::string_view path,
                    TopicSpaceResource* space) {
  constexpr std::string_view kKnown[] = {"topicTemplates", "description"};
  const Json* properties =
      ReadResource(reader, value, path, &space->name, kKnown);
  if (properties == nullptr) return;
  const std::string properties_path = Child(path, "properties");
  const Json* templates =
      reader.Required(*properties, properties_path, "topicTemplates",
                      "an array of topic templates");
  if (templates == nullptr ||
      !reader.StringArray(*templates, Child(properties_path, "topicTemplates"),
                          &space->topic_templates)) {
    return;
  }
  if (const Json* description = Reader::Field(*properties, "description")) {
    reader.String(*description, Child(properties_path, "description"),
                  &space->description);
  }
}

void ReadPermissionBinding(Reader& reader, const Json& value,
                           std::string_view path,
                           PermissionBindingResource* binding) {
  constexpr std::string_view kKnown[] = {"clientGroupName", "topicSpaceName",
                                         "permission", "description"};
  const Json* properties =
      ReadResource(reader, value, path, &binding->name, kKnown);
  if (properties == nullptr) return;
  const std::string properties_path = Child(path, "properties");
  const Json* group =
      reader.Required(*properties, properties_path, "clientGroupName",
                      "the name of a client group");
  if (group == nullptr ||
      !reader.String(*group, Child(properties_path, "clientGroupName"),
                     &binding->client_group_name)) {
    return;
  }
  const Json* space =
      reader.Required(*properties, properties_path, "topicSpaceName",
                      "the name of a topic space");
  if (space == nullptr ||
      !reader.String(*space, Child(properties_path, "topicSpaceName"),
                     &binding->topic_space_name)) {
    return;
  }
  const Json* permission = reader.Required(
      *properties, properties_path, "permission", "Publisher or Subscriber");
  if (permission == nullptr ||
      !reader.OneOf(*permission, Child(properties_path, "permission"),
                    kPermissions, &binding->permission)) {
    return;
  }
  if (const Json* description = Reader::Field(*properties, "description")) {
    reader.String(*description, Child(properties_path, "description"),
                  &binding->description);
  }
}

void ReadCaCertificate(Reader& reader, const Json& value, std::string_view path,
                       CaCertificateResource* certificate) {
  constexpr std::string_view kKnown[] = {"encodedCertificate", "description"};
  // What Azure reports about a certificate it holds.
  constexpr std::string_view kIgnored[] = {"provisioningState",
                                           "issueTimeInUtc", "expiryTimeInUtc"};
  const Json* properties =
      ReadResource(reader, value, path, &certificate->name, kKnown, kIgnored);
  if (properties == nullptr) return;
  const std::string properties_path = Child(path, "properties");
  const Json* encoded = reader.Required(
      *properties, properties_path, "encodedCertificate", "a PEM certificate");
  if (encoded == nullptr ||
      !reader.String(*encoded, Child(properties_path, "encodedCertificate"),
                     &certificate->encoded_certificate)) {
    return;
  }
  if (const Json* description = Reader::Field(*properties, "description")) {
    reader.String(*description, Child(properties_path, "description"),
                  &certificate->description);
  }
}

// Reads the array `key` of the document with `read_one` for each element.
template <typename Resource, typename ReadOne>
void ReadList(Reader& reader, const Json& root, std::string_view key,
              std::string_view what, ReadOne read_one,
              std::vector<Resource>* resources) {
  const Json* list = Reader::Field(root, key);
  if (list == nullptr) return;
  const std::string path = Child("$", key);
  if (!reader.Array(*list, path, what)) return;
  for (size_t i = 0; i < list->size() && reader.ok(); ++i) {
    Resource resource;
    read_one(reader, (*list)[i], Element(path, i), &resource);
    resources->push_back(std::move(resource));
  }
}

}  // namespace

StatusOr<NamespaceConfig> LoadNamespace(std::string_view json_text,
                                        std::string_view source_name) {
  if (json_text.size() > kMaximumNamespaceFileSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(source_name), ": expected at most ", kMaximumNamespaceFileSize,
        " bytes, got ", json_text.size()));
  }
  StrictJsonBuilder builder(json_text);
  if (!Json::sax_parse(json_text, &builder)) {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(source_name), ": ", builder.error()));
  }
  const Json& root = builder.root();
  Reader reader(source_name);
  NamespaceConfig config;
  constexpr std::string_view kKnown[] = {"namespace",   "caCertificates",
                                         "clients",     "clientGroups",
                                         "topicSpaces", "permissionBindings"};
  if (reader.Object(root, "$", kKnown)) {
    if (const Json* space = Reader::Field(root, "namespace")) {
      ReadNamespace(reader, *space, &config);
    }
    ReadList(reader, root, "caCertificates", "CA certificates",
             ReadCaCertificate, &config.ca_certificates);
    ReadList(reader, root, "clients", "clients", ReadClient, &config.clients);
    ReadList(reader, root, "clientGroups", "client groups", ReadClientGroup,
             &config.client_groups);
    ReadList(reader, root, "topicSpaces", "topic spaces", ReadTopicSpace,
             &config.topic_spaces);
    ReadList(reader, root, "permissionBindings", "permission bindings",
             ReadPermissionBinding, &config.permission_bindings);
  }
  if (!reader.ok()) return reader.status();

  // The rules between resources, and every per-resource rule, are the
  // Directory's: building one validates the file exactly as admin
  // operations are validated.
  StatusOr<std::unique_ptr<Directory>> directory =
      Directory::Create(config, source_name);
  if (!directory.ok()) return directory.status();
  for (ClientResource& client : config.clients) {
    if (client.authentication_name.empty()) {
      client.authentication_name = client.name;
    }
  }
  for (CaCertificateResource& certificate : config.ca_certificates) {
    certificate.thumbprint =
        (*directory)->FindCaCertificate(certificate.name)->thumbprint;
  }
  return config;
}

}  // namespace mqlab::broker
