#include "sim/scenario_loader.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/check.h"
#include "base/time.h"
#include "sim/duration_text.h"
#include "sim/name_pattern.h"

namespace mqlab::sim {
namespace {

using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::TextFormat;
using ::mqlab::scenario::AttributeValue;
using ::mqlab::scenario::Backoff;
using ::mqlab::scenario::Behaviour;
using ::mqlab::scenario::Broadcaster;
using ::mqlab::scenario::BrokerSettings;
using ::mqlab::scenario::Certificate;
using ::mqlab::scenario::Checkers;
using ::mqlab::scenario::ClientDeletion;
using ::mqlab::scenario::ClientFault;
using ::mqlab::scenario::ClientRegistration;
using ::mqlab::scenario::CommandRequester;
using ::mqlab::scenario::CommandResponder;
using ::mqlab::scenario::ConnectionSettings;
using ::mqlab::scenario::FAULT_KIND_UNSPECIFIED;
using ::mqlab::scenario::FaultEvent;
using ::mqlab::scenario::FaultPlan;
using ::mqlab::scenario::Latency;
using ::mqlab::scenario::LatencySpikeFault;
using ::mqlab::scenario::LimitProbe;
using ::mqlab::scenario::LogNormalLatency;
using ::mqlab::scenario::NamespaceSource;
using ::mqlab::scenario::NetworkProfile;
using ::mqlab::scenario::NetworkSettings;
using ::mqlab::scenario::OfflinePeriods;
using ::mqlab::scenario::PartitionFault;
using ::mqlab::scenario::Population;
using ::mqlab::scenario::ReconnectLoop;
using ::mqlab::scenario::RuleExplorer;
using ::mqlab::scenario::Scenario;
using ::mqlab::scenario::SessionTakeover;
using ::mqlab::scenario::SlowReaderFault;
using ::mqlab::scenario::Subscriber;
using ::mqlab::scenario::Swarm;
using ::mqlab::scenario::Targets;
using ::mqlab::scenario::Telemetry;
using ::mqlab::scenario::THUMBPRINT_EXPLICIT;
using ::mqlab::scenario::UniformLatency;

constexpr uint32_t kMaxPopulationCount = 1'000'000;
constexpr uint32_t kMaxSessionsPerClient = 100;
constexpr uint32_t kMaxPacketBytes = 512 * 1024;  // Event Grid's limit.
constexpr int kMaxFiltersPerSubscribe = 10;       // Event Grid's limit.

const PlaceholderSet kClientNames = {Placeholder::kIndex, Placeholder::kNumber,
                                     Placeholder::kPopulation};
const PlaceholderSet kClientDetails = kClientNames.With(Placeholder::kAuth);
const PlaceholderSet kSessionDetails =
    kClientDetails.With(Placeholder::kSession)
        .With(Placeholder::kSessionNumber);
const PlaceholderSet kCommandTopics =
    kSessionDetails.With(Placeholder::kTarget);

std::string Quoted(std::string_view text) {
  return absl::StrCat("\"", std::string(text), "\"");
}

class SyntaxErrors : public google::protobuf::io::ErrorCollector {
 public:
  SyntaxErrors(std::string_view source, std::vector<std::string>* errors)
      : source_(source), errors_(errors) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    errors_->push_back(
        absl::StrCat(source_, ":", line + 1, ":", column + 1, ": ", message));
  }

 private:
  std::string source_;
  std::vector<std::string>* errors_;
};

// A message of the file and where it is: the parse tree that records its
// fields' locations (null when it was not written) and where it starts.
struct Node {
  const Message* message;
  const TextFormat::ParseInfoTree* tree;
  TextFormat::ParseLocation location;
};

class Validator {
 public:
  Validator(std::string_view source, const TextFormat::ParseInfoTree* root,
            const Scenario& scenario)
      : source_(source),
        scenario_(scenario),
        root_{&scenario, root, TextFormat::ParseLocation(0, 0)} {}

  // Every error found, in the order of the file.
  std::vector<std::string> Run() {
    CheckScenario();
    std::stable_sort(
        errors_.begin(), errors_.end(), [](const Located& a, const Located& b) {
          return a.line < b.line || (a.line == b.line && a.column < b.column);
        });
    std::vector<std::string> texts;
    texts.reserve(errors_.size());
    for (Located& error : errors_) texts.push_back(std::move(error.text));
    return texts;
  }

 private:
  // --- Locations and errors ---

  const FieldDescriptor* Field(const Node& node, std::string_view name) const {
    const FieldDescriptor* field =
        node.message->GetDescriptor()->FindFieldByName(std::string(name));
    MQLAB_CHECK_MSG(field != nullptr, "validator names an unknown field");
    return field;
  }

  TextFormat::ParseLocation Where(const Node& node, std::string_view name,
                                  int index) const {
    const FieldDescriptor* field = Field(node, name);
    TextFormat::ParseLocation location;
    if (node.tree != nullptr) {
      if (!field->is_repeated()) {
        location = node.tree->GetLocation(field, -1);
      } else {
        // The parser records one location per value; an index out of range
        // (or -1, the field as a whole) points at the first value.
        const int size =
            node.message->GetReflection()->FieldSize(*node.message, field);
        if (size > 0) {
          location = node.tree->GetLocation(
              field, index >= 0 && index < size ? index : 0);
        }
      }
    }
    return location.line >= 0 ? location : node.location;
  }

  Node Child(const Node& parent, const Message& child, std::string_view name,
             int index = -1) const {
    const FieldDescriptor* field = Field(parent, name);
    const int at = field->is_repeated() ? index : -1;
    const TextFormat::ParseInfoTree* tree = nullptr;
    if (parent.tree != nullptr) {
      // Asking for a tree of a field that was not written is harmless: the
      // answer is null.
      tree = parent.tree->GetTreeForNested(field, at);
    }
    return Node{&child, tree, Where(parent, name, index)};
  }

  void Error(const Node& node, std::string_view name, std::string text,
             int index = -1) {
    const TextFormat::ParseLocation location = Where(node, name, index);
    errors_.push_back(
        {location.line, location.column,
         absl::StrCat(source_, ":", location.line + 1, ":", location.column + 1,
                      ": field ", Quoted(name), ": ", text)});
  }

  // --- Field checks ---

  // A duration field; empty means absent. Returns the value when valid.
  std::optional<Duration> CheckDuration(const Node& node, std::string_view name,
                                        const std::string& text, bool required,
                                        bool positive, int index = -1) {
    if (text.empty()) {
      if (required) {
        Error(node, name, "required: a duration like \"10s\"", index);
      }
      return std::nullopt;
    }
    const std::optional<Duration> value = ParseDuration(text);
    if (!value.has_value()) {
      Error(node, name,
            absl::StrCat("expected a duration like \"250ms\", \"10s\" or "
                         "\"5m\", got ",
                         Quoted(text)),
            index);
      return std::nullopt;
    }
    if (positive && *value == 0) {
      Error(node, name,
            absl::StrCat("expected a positive duration, got ", Quoted(text)),
            index);
      return std::nullopt;
    }
    return value;
  }

  void CheckPatternField(const Node& node, std::string_view name,
                         const std::string& pattern, PlaceholderSet allowed,
                         bool required, int index = -1) {
    if (pattern.empty()) {
      if (required) Error(node, name, "required: a name pattern", index);
      return;
    }
    if (std::optional<std::string> problem = CheckPattern(pattern, allowed)) {
      Error(node, name,
            absl::StrCat("bad pattern ", Quoted(pattern), ": ", *problem),
            index);
    }
  }

  void CheckPositive(const Node& node, std::string_view name, double value) {
    if (!(value > 0) || !std::isfinite(value)) {
      Error(node, name,
            absl::StrCat("expected a positive number, got ", value));
    }
  }

  void CheckFraction(const Node& node, std::string_view name, double value) {
    if (!(value >= 0 && value <= 1)) {
      Error(node, name,
            absl::StrCat("expected a number from 0 to 1, got ", value));
    }
  }

  void CheckQos(const Node& node, uint32_t qos) {
    if (qos > 1) {
      Error(node, "qos",
            absl::StrCat("expected 0 or 1 (Event Grid's maximum QoS is 1; "
                         "QoS 2 is a limit_probe), got ",
                         qos));
    }
  }

  void CheckPayload(const Node& node, std::string_view name, uint32_t bytes) {
    if (bytes > kMaxPacketBytes) {
      Error(node, name,
            absl::StrCat("expected at most ", kMaxPacketBytes,
                         " bytes (larger packets are a limit_probe, "
                         "OVERSIZE_PACKET), got ",
                         bytes));
    }
  }

  void CheckRange(const Node& node, std::string_view low_name,
                  std::optional<Duration> low, std::string_view high_name,
                  std::optional<Duration> high) {
    if (low.has_value() && high.has_value() && *low > *high) {
      Error(node, high_name,
            absl::StrCat("must not be shorter than ", std::string(low_name),
                         " (", FormatDuration(*low), ")"));
    }
  }

  bool KnownProfile(const std::string& name) const {
    for (const NetworkProfile& profile : scenario_.network_profiles()) {
      if (profile.name() == name) return true;
    }
    return false;
  }

  void CheckProfileReference(const Node& node, const std::string& name) {
    if (!name.empty() && !KnownProfile(name)) {
      Error(node, "network_profile",
            absl::StrCat("no network_profiles entry is named ", Quoted(name)));
    }
  }

  const Population* FindPopulation(const std::string& name) const {
    for (const Population& population : scenario_.populations()) {
      if (population.name() == name) return &population;
    }
    return nullptr;
  }

  // --- Messages ---

  void CheckScenario() {
    const Node& node = root_;
    if (scenario_.name().empty()) Error(node, "name", "required");
    run_length_ = CheckDuration(node, "duration", scenario_.duration(),
                                /*required=*/true, /*positive=*/true);
    if (!scenario_.has_event_grid_namespace()) {
      Error(node, "event_grid_namespace",
            "required: json or json_file, the namespace the broker serves");
    } else {
      CheckNamespace(Child(node, scenario_.event_grid_namespace(),
                           "event_grid_namespace"));
    }
    std::set<std::string> profile_names;
    for (int i = 0; i < scenario_.network_profiles_size(); ++i) {
      const NetworkProfile& profile = scenario_.network_profiles(i);
      const Node child = Child(node, profile, "network_profiles", i);
      if (!profile.name().empty() &&
          !profile_names.insert(profile.name()).second) {
        Error(child, "name",
              absl::StrCat("another network profile is named ",
                           Quoted(profile.name())));
      }
      CheckNetworkProfile(child, profile);
    }
    if (scenario_.has_broker()) {
      CheckBroker(Child(node, scenario_.broker(), "broker"));
    }
    if (scenario_.has_network()) {
      CheckNetwork(Child(node, scenario_.network(), "network"));
    }
    if (scenario_.populations().empty()) {
      Error(node, "populations", "required: at least one population");
    }
    std::set<std::string> population_names;
    for (int i = 0; i < scenario_.populations_size(); ++i) {
      const Population& population = scenario_.populations(i);
      const Node child = Child(node, population, "populations", i);
      if (!population.name().empty() &&
          !population_names.insert(population.name()).second) {
        Error(child, "name",
              absl::StrCat("another population is named ",
                           Quoted(population.name())));
      }
      CheckPopulation(child, population);
    }
    if (scenario_.has_faults()) {
      CheckFaults(Child(node, scenario_.faults(), "faults"));
    }
    if (scenario_.has_checkers()) {
      CheckCheckers(Child(node, scenario_.checkers(), "checkers"));
    }
  }

  void CheckNamespace(const Node& node) {
    const auto& source = static_cast<const NamespaceSource&>(*node.message);
    switch (source.source_case()) {
      case NamespaceSource::kJson:
        if (source.json().empty()) Error(node, "json", "must not be empty");
        break;
      case NamespaceSource::kJsonFile:
        if (source.json_file().empty()) {
          Error(node, "json_file", "must not be empty");
        }
        break;
      case NamespaceSource::SOURCE_NOT_SET:
        Error(node, "json", "required: json or json_file");
        break;
    }
  }

  void CheckBroker(const Node& node) {
    const auto& broker = static_cast<const BrokerSettings&>(*node.message);
    CheckProfileReference(node, broker.network_profile());
    if (broker.has_backlog() && broker.backlog() == 0) {
      Error(node, "backlog", "expected a positive number, got 0");
    }
  }

  void CheckNetwork(const Node& node) {
    const auto& network = static_cast<const NetworkSettings&>(*node.message);
    if (network.has_receive_window_bytes() &&
        network.receive_window_bytes() == 0) {
      Error(node, "receive_window_bytes", "expected a positive number, got 0");
    }
    const uint32_t high = network.has_write_blocked_high_water()
                              ? network.write_blocked_high_water()
                              : 256 * 1024;
    const uint32_t low = network.has_write_blocked_low_water()
                             ? network.write_blocked_low_water()
                             : 64 * 1024;
    const uint32_t limit = network.has_send_buffer_limit()
                               ? network.send_buffer_limit()
                               : 8 * 1024 * 1024;
    if (low >= high) {
      Error(node, "write_blocked_low_water",
            absl::StrCat("must be below write_blocked_high_water (", high,
                         "), got ", low));
    }
    if (high > limit) {
      Error(node, "write_blocked_high_water",
            absl::StrCat("must not exceed send_buffer_limit (", limit,
                         "), got ", high));
    }
    if (network.handshake_round_trips() > 10) {
      Error(node, "handshake_round_trips",
            absl::StrCat("expected at most 10, got ",
                         network.handshake_round_trips()));
    }
    CheckDuration(node, "connect_timeout", network.connect_timeout(), false,
                  true);
    CheckDuration(node, "retransmission_timeout",
                  network.retransmission_timeout(), false, true);
  }

  void CheckNetworkProfile(const Node& node, const NetworkProfile& profile) {
    if (profile.name().empty()) Error(node, "name", "required");
    if (profile.has_max_segment_bytes() &&
        (profile.max_segment_bytes() == 0 ||
         profile.max_segment_bytes() > 65535)) {
      Error(node, "max_segment_bytes",
            absl::StrCat("expected 1 to 65535, got ",
                         profile.max_segment_bytes()));
    }
    if (profile.has_split_chance()) {
      CheckFraction(node, "split_chance", profile.split_chance());
    }
    if (!profile.has_latency()) return;
    const Node latency = Child(node, profile.latency(), "latency");
    switch (profile.latency().model_case()) {
      case Latency::kFixed:
        CheckDuration(latency, "fixed", profile.latency().fixed(), true, false);
        break;
      case Latency::kUniform: {
        const UniformLatency& uniform = profile.latency().uniform();
        const Node child = Child(latency, uniform, "uniform");
        const auto low =
            CheckDuration(child, "min", uniform.min(), true, false);
        const auto high =
            CheckDuration(child, "max", uniform.max(), true, false);
        CheckRange(child, "min", low, "max", high);
        break;
      }
      case Latency::kLogNormal: {
        const LogNormalLatency& log_normal = profile.latency().log_normal();
        const Node child = Child(latency, log_normal, "log_normal");
        const auto floor =
            CheckDuration(child, "floor", log_normal.floor(), false, false);
        CheckDuration(child, "median", log_normal.median(), true, true);
        if (!(log_normal.sigma() > 0 && log_normal.sigma() <= 10)) {
          Error(child, "sigma",
                absl::StrCat("expected a number above 0 and at most 10, got ",
                             log_normal.sigma()));
        }
        const auto high =
            CheckDuration(child, "max", log_normal.max(), true, true);
        CheckRange(child, "floor", floor.value_or(0), "max", high);
        break;
      }
      case Latency::MODEL_NOT_SET:
        Error(latency, "fixed", "required: fixed, uniform or log_normal");
        break;
    }
  }

  void CheckPopulation(const Node& node, const Population& population) {
    if (population.name().empty()) Error(node, "name", "required");
    if (population.count() == 0 || population.count() > kMaxPopulationCount) {
      Error(node, "count",
            absl::StrCat("expected 1 to ", kMaxPopulationCount, ", got ",
                         population.count()));
    }
    if (population.has_mqtt5_fraction()) {
      CheckFraction(node, "mqtt5_fraction", population.mqtt5_fraction());
    }
    CheckPatternField(node, "authentication_name",
                      population.authentication_name(), kClientNames, true);
    if (population.count() > 1 && !population.authentication_name().empty() &&
        !PatternUses(population.authentication_name(), Placeholder::kIndex) &&
        !PatternUses(population.authentication_name(), Placeholder::kNumber)) {
      Error(node, "authentication_name",
            "every client of a population of more than one shares this "
            "name: use {index} or {number} (several sessions of one client "
            "are sessions_per_client)");
    }
    const uint32_t sessions = population.has_sessions_per_client()
                                  ? population.sessions_per_client()
                                  : 1;
    if (sessions == 0 || sessions > kMaxSessionsPerClient) {
      Error(node, "sessions_per_client",
            absl::StrCat("expected 1 to ", kMaxSessionsPerClient, ", got ",
                         sessions));
    }
    CheckPatternField(node, "session_name", population.session_name(),
                      kSessionDetails, false);
    if (sessions > 1 && !population.session_name().empty() &&
        !PatternUses(population.session_name(), Placeholder::kSession) &&
        !PatternUses(population.session_name(), Placeholder::kSessionNumber)) {
      Error(node, "session_name",
            "with several sessions per client the pattern must use "
            "{session} or {session_number}, or the sessions take each other "
            "over");
    }
    CheckProfileReference(node, population.network_profile());
    if (population.has_certificate()) {
      CheckCertificate(Child(node, population.certificate(), "certificate"),
                       population.certificate());
    }
    if (population.has_connection()) {
      CheckConnection(Child(node, population.connection(), "connection"),
                      population.connection());
    }
    if (population.has_registration()) {
      CheckRegistration(Child(node, population.registration(), "registration"),
                        population.registration());
    }
    for (int i = 0; i < population.behaviours_size(); ++i) {
      CheckBehaviour(Child(node, population.behaviours(i), "behaviours", i),
                     population.behaviours(i));
    }
  }

  void CheckCertificate(const Node& node, const Certificate& certificate) {
    if (certificate.none()) {
      if (!certificate.subject().empty() || certificate.dns_names_size() > 0 ||
          certificate.uris_size() > 0 || certificate.ip_addresses_size() > 0 ||
          certificate.emails_size() > 0 || !certificate.issuer().empty() ||
          !certificate.thumbprint().empty()) {
        Error(node, "none",
              "a client without a certificate has no subject, SANs, issuer "
              "or thumbprint");
      }
      return;
    }
    CheckPatternField(node, "subject", certificate.subject(), kClientDetails,
                      false);
    const std::pair<const char*,
                    const google::protobuf::RepeatedPtrField<std::string>*>
        sans[] = {{"dns_names", &certificate.dns_names()},
                  {"uris", &certificate.uris()},
                  {"ip_addresses", &certificate.ip_addresses()},
                  {"emails", &certificate.emails()}};
    for (const auto& [name, values] : sans) {
      for (int i = 0; i < values->size(); ++i) {
        CheckPatternField(node, name, values->Get(i), kClientDetails, true, i);
      }
    }
    const bool explicit_scheme =
        certificate.thumbprint_scheme() == THUMBPRINT_EXPLICIT;
    if (explicit_scheme) {
      CheckPatternField(node, "thumbprint", certificate.thumbprint(),
                        kClientDetails, true);
    } else if (!certificate.thumbprint().empty()) {
      Error(node, "thumbprint",
            "only used with thumbprint_scheme: THUMBPRINT_EXPLICIT");
    }
  }

  void CheckConnection(const Node& node, const ConnectionSettings& connection) {
    if (connection.has_keep_alive_seconds() &&
        connection.keep_alive_seconds() > 65535) {
      Error(node, "keep_alive_seconds",
            absl::StrCat("expected 0 to 65535 (MQTT's two bytes), got ",
                         connection.keep_alive_seconds()));
    }
    if (connection.has_receive_maximum() &&
        (connection.receive_maximum() == 0 ||
         connection.receive_maximum() > 65535)) {
      Error(node, "receive_maximum",
            absl::StrCat("expected 1 to 65535, got ",
                         connection.receive_maximum()));
    }
    CheckDuration(node, "connect_after", connection.connect_after(), false,
                  false);
    CheckDuration(node, "connect_spread", connection.connect_spread(), false,
                  false);
    CheckDuration(node, "connack_timeout", connection.connack_timeout(), false,
                  true);
    if (connection.has_reconnect()) {
      const Backoff& backoff = connection.reconnect();
      const Node child = Child(node, backoff, "reconnect");
      const auto initial =
          CheckDuration(child, "initial", backoff.initial(), false, true);
      const auto most = CheckDuration(child, "max", backoff.max(), false, true);
      CheckRange(child, "initial", initial, "max", most);
      if (backoff.has_multiplier() &&
          !(backoff.multiplier() >= 1 && backoff.multiplier() <= 100)) {
        Error(child, "multiplier",
              absl::StrCat("expected 1 to 100, got ", backoff.multiplier()));
      }
      if (backoff.has_jitter()) {
        CheckFraction(child, "jitter", backoff.jitter());
      }
    }
  }

  void CheckRegistration(const Node& node,
                         const ClientRegistration& registration) {
    // Map entries in key order, so errors come in a stable order.
    std::map<std::string, const AttributeValue*> attributes;
    for (const auto& [key, value] : registration.attributes()) {
      attributes.emplace(key, &value);
    }
    for (const auto& [key, value] : attributes) {
      bool word = !key.empty();
      for (char c : key) {
        word = word && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_');
      }
      if (!word) {
        Error(node, "attributes",
              absl::StrCat("attribute name ", Quoted(key),
                           ": expected letters, digits and '_' (Event Grid's "
                           "rule)"));
      }
      switch (value->value_case()) {
        case AttributeValue::kText:
          CheckPatternField(node, "attributes", value->text(), kClientDetails,
                            false);
          break;
        case AttributeValue::kTexts:
          for (const std::string& text : value->texts().values()) {
            CheckPatternField(node, "attributes", text, kClientDetails, false);
          }
          break;
        case AttributeValue::kInteger:
          break;
        case AttributeValue::VALUE_NOT_SET:
          Error(node, "attributes",
                absl::StrCat("attribute ", Quoted(key),
                             ": required: text, integer or texts"));
          break;
      }
    }
  }

  void CheckBehaviour(const Node& node, const Behaviour& behaviour) {
    const auto start = CheckDuration(node, "start_after",
                                     behaviour.start_after(), false, false);
    const auto stop =
        CheckDuration(node, "stop_after", behaviour.stop_after(), false, true);
    CheckRange(node, "start_after", start, "stop_after", stop);
    switch (behaviour.kind_case()) {
      case Behaviour::kTelemetry: {
        const Telemetry& telemetry = behaviour.telemetry();
        const Node child = Child(node, telemetry, "telemetry");
        CheckPatternField(child, "topic", telemetry.topic(), kSessionDetails,
                          true);
        CheckQos(child, telemetry.qos());
        CheckPositive(child, "rate_per_second", telemetry.rate_per_second());
        CheckPayload(
            child, "payload_bytes",
            telemetry.payload_bytes() + telemetry.payload_jitter_bytes());
        if (telemetry.payload_jitter_bytes() > telemetry.payload_bytes() &&
            telemetry.has_payload_bytes()) {
          Error(child, "payload_jitter_bytes", "must not exceed payload_bytes");
        }
        CheckDuration(child, "message_expiry", telemetry.message_expiry(),
                      false, true);
        std::map<std::string, std::string> properties(
            telemetry.user_properties().begin(),
            telemetry.user_properties().end());
        for (const auto& [key, value] : properties) {
          if (key.empty()) {
            Error(child, "user_properties", "a property name is empty");
          }
          CheckPatternField(child, "user_properties", value, kSessionDetails,
                            false);
        }
        break;
      }
      case Behaviour::kSubscriber: {
        const Subscriber& subscriber = behaviour.subscriber();
        const Node child = Child(node, subscriber, "subscriber");
        if (subscriber.filters().empty()) {
          Error(child, "filters", "required: at least one topic filter");
        }
        if (subscriber.filters_size() > kMaxFiltersPerSubscribe) {
          Error(child, "filters",
                absl::StrCat("expected at most ", kMaxFiltersPerSubscribe,
                             " (Event Grid's limit; more is a limit_probe, "
                             "TOO_MANY_FILTERS_IN_SUBSCRIBE), got ",
                             subscriber.filters_size()));
        }
        for (int i = 0; i < subscriber.filters_size(); ++i) {
          CheckPatternField(child, "filters", subscriber.filters(i),
                            kSessionDetails, true, i);
        }
        CheckQos(child, subscriber.qos());
        break;
      }
      case Behaviour::kCommandRequester: {
        const CommandRequester& requester = behaviour.command_requester();
        const Node child = Child(node, requester, "command_requester");
        CheckPatternField(child, "request_topic", requester.request_topic(),
                          kCommandTopics, true);
        CheckPatternField(child, "response_topic", requester.response_topic(),
                          kCommandTopics, true);
        if (requester.target_population().empty()) {
          Error(child, "target_population",
                "required: the population whose clients answer");
        } else if (FindPopulation(requester.target_population()) == nullptr) {
          Error(child, "target_population",
                absl::StrCat("no population is named ",
                             Quoted(requester.target_population())));
        }
        CheckPositive(child, "rate_per_second", requester.rate_per_second());
        CheckQos(child, requester.qos());
        CheckDuration(child, "timeout", requester.timeout(), false, true);
        CheckPayload(child, "payload_bytes", requester.payload_bytes());
        break;
      }
      case Behaviour::kCommandResponder: {
        const CommandResponder& responder = behaviour.command_responder();
        const Node child = Child(node, responder, "command_responder");
        CheckPatternField(child, "request_filter", responder.request_filter(),
                          kSessionDetails, true);
        CheckQos(child, responder.qos());
        CheckDuration(child, "processing_time", responder.processing_time(),
                      false, false);
        break;
      }
      case Behaviour::kBroadcaster: {
        const Broadcaster& broadcaster = behaviour.broadcaster();
        const Node child = Child(node, broadcaster, "broadcaster");
        CheckPatternField(child, "topic", broadcaster.topic(), kSessionDetails,
                          true);
        CheckPositive(child, "rate_per_second", broadcaster.rate_per_second());
        CheckQos(child, broadcaster.qos());
        CheckDuration(child, "message_expiry", broadcaster.message_expiry(),
                      false, true);
        CheckPayload(child, "payload_bytes", broadcaster.payload_bytes());
        break;
      }
      case Behaviour::kReconnectLoop: {
        const ReconnectLoop& loop = behaviour.reconnect_loop();
        const Node child = Child(node, loop, "reconnect_loop");
        CheckDuration(child, "interval", loop.interval(), true, true);
        break;
      }
      case Behaviour::kSessionTakeover: {
        const SessionTakeover& takeover = behaviour.session_takeover();
        const Node child = Child(node, takeover, "session_takeover");
        CheckPatternField(child, "target_session", takeover.target_session(),
                          kClientDetails, true);
        CheckDuration(child, "interval", takeover.interval(), true, true);
        break;
      }
      case Behaviour::kLimitProbe: {
        const LimitProbe& probe = behaviour.limit_probe();
        const Node child = Child(node, probe, "limit_probe");
        if (probe.kinds().empty()) {
          Error(child, "kinds", "required: at least one limit to probe");
        }
        for (int i = 0; i < probe.kinds_size(); ++i) {
          if (probe.kinds(i) == LimitProbe::KIND_UNSPECIFIED) {
            Error(child, "kinds", "KIND_UNSPECIFIED is not a limit", i);
          }
        }
        CheckDuration(child, "interval", probe.interval(), true, true);
        CheckPatternField(child, "topic", probe.topic(), kSessionDetails,
                          false);
        break;
      }
      case Behaviour::kRuleExplorer: {
        const RuleExplorer& explorer = behaviour.rule_explorer();
        const Node child = Child(node, explorer, "rule_explorer");
        if (explorer.situations().empty()) {
          Error(child, "situations", "required: at least one situation");
        }
        for (int i = 0; i < explorer.situations_size(); ++i) {
          if (explorer.situations(i) == RuleExplorer::SITUATION_UNSPECIFIED) {
            Error(child, "situations",
                  "SITUATION_UNSPECIFIED is not a situation", i);
          }
        }
        CheckDuration(child, "interval", explorer.interval(), true, true);
        CheckPatternField(child, "topic", explorer.topic(), kSessionDetails,
                          false);
        break;
      }
      case Behaviour::kClientDeletion: {
        const ClientDeletion& deletion = behaviour.client_deletion();
        const Node child = Child(node, deletion, "client_deletion");
        if (deletion.action() == ClientDeletion::ACTION_UNSPECIFIED) {
          Error(child, "action", "required: DELETE or DISABLE");
        }
        CheckDuration(child, "after", deletion.after(), true, false);
        CheckDuration(child, "restore_after", deletion.restore_after(), false,
                      true);
        break;
      }
      case Behaviour::kOfflinePeriods: {
        const OfflinePeriods& offline = behaviour.offline_periods();
        const Node child = Child(node, offline, "offline_periods");
        CheckDuration(child, "every", offline.every(), true, true);
        CheckDuration(child, "offline_for", offline.offline_for(), true, true);
        break;
      }
      case Behaviour::KIND_NOT_SET:
        Error(node, "telemetry",
              "a behaviour needs one of telemetry, subscriber, "
              "command_requester, command_responder, broadcaster, "
              "reconnect_loop, session_takeover, limit_probe, "
              "client_deletion, offline_periods, rule_explorer");
        break;
    }
  }

  void CheckFaults(const Node& node) {
    const auto& plan = static_cast<const FaultPlan&>(*node.message);
    for (int i = 0; i < plan.events_size(); ++i) {
      CheckFaultEvent(Child(node, plan.events(i), "events", i), plan.events(i));
    }
    if (plan.has_swarm()) CheckSwarm(Child(node, plan.swarm(), "swarm"));
  }

  // `hosts`: the targets are hosts (the broker allowed); otherwise clients.
  void CheckTargets(const Node& parent, std::string_view name,
                    const Targets& targets, bool hosts) {
    const Node node = Child(parent, targets, name);
    if (node.tree == nullptr && !targets.broker() &&
        targets.population().empty()) {
      Error(parent, name, "required: broker or a population");
      return;
    }
    if (targets.broker()) {
      if (!hosts) {
        Error(node, "broker",
              "this fault acts on clients; the broker is not one");
      } else if (!targets.population().empty()) {
        Error(node, "population",
              "name the broker or a population, not both (use two faults)");
      }
      return;
    }
    if (targets.population().empty()) {
      Error(node, "population", "required: broker or a population");
      return;
    }
    const Population* population = FindPopulation(targets.population());
    if (population == nullptr) {
      Error(node, "population",
            absl::StrCat("no population is named ",
                         Quoted(targets.population())));
      return;
    }
    for (int i = 0; i < targets.indexes_size(); ++i) {
      if (targets.indexes(i) >= population->count()) {
        Error(node, "indexes",
              absl::StrCat("population ", Quoted(population->name()), " has ",
                           population->count(),
                           " clients (indexes from 0), "
                           "got ",
                           targets.indexes(i)),
              i);
      }
    }
    if (targets.random_count() > population->count()) {
      Error(node, "random_count",
            absl::StrCat("population ", Quoted(population->name()), " has ",
                         population->count(), " clients, got ",
                         targets.random_count()));
    }
    if (targets.random_count() > 0 && targets.indexes_size() > 0) {
      Error(node, "random_count", "use indexes or random_count, not both");
    }
  }

  void CheckFaultEvent(const Node& node, const FaultEvent& event) {
    const auto at = CheckDuration(node, "at", event.at(), true, false);
    if (at.has_value() && run_length_.has_value() && *at >= *run_length_) {
      Error(node, "at",
            absl::StrCat("the run ends at ", FormatDuration(*run_length_),
                         ", got ", Quoted(event.at())));
    }
    switch (event.kind_case()) {
      case FaultEvent::kResetConnections:
        CheckTargets(
            Child(node, event.reset_connections(), "reset_connections"),
            "targets", event.reset_connections().targets(), true);
        break;
      case FaultEvent::kHalfOpen:
        CheckTargets(Child(node, event.half_open(), "half_open"), "targets",
                     event.half_open().targets(), true);
        break;
      case FaultEvent::kPartition: {
        const PartitionFault& partition = event.partition();
        const Node child = Child(node, partition, "partition");
        CheckTargets(child, "side_a", partition.side_a(), true);
        CheckTargets(child, "side_b", partition.side_b(), true);
        CheckDuration(child, "duration", partition.duration(), true, true);
        break;
      }
      case FaultEvent::kSlowReader: {
        const SlowReaderFault& slow = event.slow_reader();
        const Node child = Child(node, slow, "slow_reader");
        CheckTargets(child, "targets", slow.targets(), true);
        if (slow.bytes_per_second() == 0) {
          Error(child, "bytes_per_second", "expected a positive number, got 0");
        }
        CheckDuration(child, "duration", slow.duration(), true, true);
        break;
      }
      case FaultEvent::kLatencySpike: {
        const LatencySpikeFault& spike = event.latency_spike();
        const Node child = Child(node, spike, "latency_spike");
        CheckTargets(child, "targets", spike.targets(), true);
        CheckDuration(child, "extra", spike.extra(), true, true);
        CheckDuration(child, "duration", spike.duration(), true, true);
        break;
      }
      case FaultEvent::kBrokerRestart: {
        const Node child =
            Child(node, event.broker_restart(), "broker_restart");
        CheckDuration(child, "downtime", event.broker_restart().downtime(),
                      false, false);
        break;
      }
      case FaultEvent::kClientCrash:
      case FaultEvent::kClientDelete:
      case FaultEvent::kClientDisable: {
        const std::string_view name =
            event.kind_case() == FaultEvent::kClientCrash    ? "client_crash"
            : event.kind_case() == FaultEvent::kClientDelete ? "client_delete"
                                                             : "client_disable";
        const ClientFault& fault =
            event.kind_case() == FaultEvent::kClientCrash ? event.client_crash()
            : event.kind_case() == FaultEvent::kClientDelete
                ? event.client_delete()
                : event.client_disable();
        const Node child = Child(node, fault, name);
        CheckTargets(child, "targets", fault.targets(), false);
        CheckDuration(child, "restore_after", fault.restore_after(), false,
                      true);
        break;
      }
      case FaultEvent::KIND_NOT_SET:
        Error(node, "reset_connections",
              "a fault needs one of reset_connections, half_open, partition, "
              "slow_reader, latency_spike, broker_restart, client_crash, "
              "client_delete, client_disable");
        break;
    }
  }

  void CheckSwarm(const Node& node) {
    const auto& swarm = static_cast<const Swarm&>(*node.message);
    for (int i = 0; i < swarm.kinds_size(); ++i) {
      if (swarm.kinds(i) == FAULT_KIND_UNSPECIFIED) {
        Error(node, "kinds", "FAULT_KIND_UNSPECIFIED is not a fault kind", i);
      }
    }
    if (swarm.has_kind_probability()) {
      CheckFraction(node, "kind_probability", swarm.kind_probability());
    }
    if (swarm.has_broker_target_chance()) {
      CheckFraction(node, "broker_target_chance", swarm.broker_target_chance());
    }
    if (swarm.has_partition_max_fraction()) {
      CheckFraction(node, "partition_max_fraction",
                    swarm.partition_max_fraction());
    }
    const auto check_pair = [&](std::string_view low_name,
                                const std::string& low_text,
                                std::string_view high_name,
                                const std::string& high_text, bool positive) {
      const auto low = CheckDuration(node, low_name, low_text, false, positive);
      const auto high =
          CheckDuration(node, high_name, high_text, false, positive);
      CheckRange(node, low_name, low, high_name, high);
    };
    check_pair("min_mean_interval", swarm.min_mean_interval(),
               "max_mean_interval", swarm.max_mean_interval(), true);
    check_pair("min_active", swarm.min_active(), "max_active",
               swarm.max_active(), true);
    check_pair("min_quiet", swarm.min_quiet(), "max_quiet", swarm.max_quiet(),
               false);
    check_pair("min_fault_duration", swarm.min_fault_duration(),
               "max_fault_duration", swarm.max_fault_duration(), true);
    check_pair("min_latency_spike", swarm.min_latency_spike(),
               "max_latency_spike", swarm.max_latency_spike(), true);
    CheckDuration(node, "warmup", swarm.warmup(), false, false);
    CheckDuration(node, "final_quiet", swarm.final_quiet(), false, false);
    if (swarm.has_max_faults() && swarm.max_faults() == 0) {
      Error(node, "max_faults", "expected a positive number, got 0");
    }
    if (swarm.has_min_read_rate() && swarm.min_read_rate() == 0) {
      Error(node, "min_read_rate", "expected a positive number, got 0");
    }
    if (swarm.has_min_read_rate() && swarm.has_max_read_rate() &&
        swarm.min_read_rate() > swarm.max_read_rate()) {
      Error(node, "max_read_rate",
            absl::StrCat("must not be below min_read_rate (",
                         swarm.min_read_rate(), ")"));
    }
  }

  void CheckCheckers(const Node& node) {
    const auto& checkers = static_cast<const Checkers&>(*node.message);
    for (int i = 0; i < checkers.disable_size(); ++i) {
      if (checkers.disable(i) == Checkers::CHECKER_UNSPECIFIED) {
        Error(node, "disable", "CHECKER_UNSPECIFIED is not a checker", i);
      }
    }
    CheckDuration(node, "liveness_within", checkers.liveness_within(), false,
                  true);
  }

  std::string source_;
  const Scenario& scenario_;
  Node root_;
  std::optional<Duration> run_length_;
  struct Located {
    int line;
    int column;
    std::string text;
  };
  std::vector<Located> errors_;
};

absl::Status Refusal(std::vector<std::string> errors) {
  if (errors.size() > kMaxScenarioErrors) {
    const size_t more = errors.size() - kMaxScenarioErrors;
    errors.resize(kMaxScenarioErrors);
    errors.push_back(absl::StrCat("... and ", more, " more errors"));
  }
  return absl::InvalidArgumentError(absl::StrJoin(errors, "\n"));
}

}  // namespace

absl::StatusOr<Scenario> ParseScenario(std::string_view text,
                                       std::string_view source_name) {
  if (text.size() > kMaxScenarioBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(source_name), ": ", text.size(),
                     " bytes; a scenario is at most ", kMaxScenarioBytes));
  }
  std::vector<std::string> errors;
  SyntaxErrors collector(source_name, &errors);
  TextFormat::ParseInfoTree tree;
  TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  parser.WriteLocationsTo(&tree);
  Scenario scenario;
  const std::string copy(text);  // The parser wants a std::string.
  if (!parser.ParseFromString(copy, &scenario)) {
    if (errors.empty()) {
      errors.push_back(absl::StrCat(std::string(source_name),
                                    ": not a text-format Scenario"));
    }
    return Refusal(std::move(errors));
  }
  errors = Validator(source_name, &tree, scenario).Run();
  if (!errors.empty()) return Refusal(std::move(errors));
  return scenario;
}

std::string ResolveScenarioPath(std::string_view scenario_source,
                                std::string_view path) {
  if (path.empty() || path.front() == '/') return std::string(path);
  const size_t slash = scenario_source.rfind('/');
  if (slash == std::string_view::npos) return std::string(path);
  return absl::StrCat(std::string(scenario_source.substr(0, slash + 1)),
                      std::string(path));
}

}  // namespace mqlab::sim
