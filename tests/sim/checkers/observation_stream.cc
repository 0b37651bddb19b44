#include "tests/sim/checkers/observation_stream.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "absl/container/node_hash_set.h"
#include "broker/namespace_loader.h"
#include "sim/scenario_loader.h"

namespace mqlab::sim::testing {
namespace {

constexpr char kScenario[] = R"txt(
name: "checkers"
duration: "10m"
event_grid_namespace { json: '{"clientGroups": [{"name": "vehicles", "properties": {"query": "attributes.type = \'vehicle\'"}}], "topicSpaces": [{"name": "own", "properties": {"topicTemplates": ["t/${client.authenticationName}/#"]}}, {"name": "all", "properties": {"topicTemplates": ["t/#"]}}], "permissionBindings": [{"name": "pub", "properties": {"clientGroupName": "vehicles", "topicSpaceName": "own", "permission": "Publisher"}}, {"name": "sub", "properties": {"clientGroupName": "vehicles", "topicSpaceName": "all", "permission": "Subscriber"}}]}' }
populations { name: "pub" count: 1 authentication_name: "pub"
  registration { enabled: true attributes { key: "type" value { text: "vehicle" } } } }
populations { name: "subs" count: 2 authentication_name: "sub{number}"
  registration { enabled: true attributes { key: "type" value { text: "vehicle" } } } }
populations { name: "outsider" count: 1 authentication_name: "outsider"
  registration { enabled: true attributes { key: "type" value { text: "other" } } } }
populations { name: "old" count: 1 mqtt5_fraction: 0 authentication_name: "old"
  registration { enabled: true attributes { key: "type" value { text: "vehicle" } } } }
)txt";

// The names observations of the tests refer to, for the whole test binary.
std::string_view Keep(std::string_view name) {
  static auto* const kept = new absl::node_hash_set<std::string>();
  return *kept->emplace(name).first;
}

}  // namespace

CheckerWorld::CheckerWorld() {
  absl::StatusOr<scenario::Scenario> scenario =
      ParseScenario(kScenario, "checkers.textproto");
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  absl::StatusOr<Fleet> fleet = BuildFleet(*scenario, 1);
  EXPECT_TRUE(fleet.ok()) << fleet.status();
  fleet_ = std::make_unique<Fleet>(*std::move(fleet));
  absl::StatusOr<broker::NamespaceConfig> config = broker::LoadNamespace(
      scenario->event_grid_namespace().json(), "checkers namespace");
  EXPECT_TRUE(config.ok()) << config.status();
  authorization_ = std::make_unique<ReferenceAuthorization>(
      *std::move(config), fleet_->registrations);
  names_ = std::make_unique<ObservedNames>(fleet_.get());
  context_.fleet = fleet_.get();
  context_.authorization = authorization_.get();
  context_.names = names_.get();
  context_.quiet_start = 0;
  context_.settle = kMinute;
}

void Feed(Checker& checker, const std::vector<Observation>& stream, Time end) {
  for (const Observation& observation : stream) checker.Observe(observation);
  checker.Finish(end);
}

std::vector<std::string> Rules(const Checker& checker) {
  std::vector<std::string> rules;
  for (const Violation& violation : checker.violations()) {
    rules.push_back(violation.rule);
  }
  return rules;
}

Observation Connect(Time time, uint64_t connection, uint32_t client,
                    std::string_view client_id, bool clean_start,
                    bool persistent) {
  ConnectAttempt o;
  o.time = time;
  o.connection = connection;
  o.client = client;
  o.client_id = Keep(client_id);
  o.version = client == kOld ? mqtt::Version::kV311 : mqtt::Version::kV5;
  o.clean_start = clean_start;
  o.persistent = persistent;
  return o;
}

Observation Connack(Time time, uint64_t connection, bool session_present,
                    mqtt::ReasonCode code) {
  return ConnackReceived{time, connection, code, session_present};
}

Observation Ended(Time time, uint64_t connection, ConnectionEnd how) {
  return ConnectionEnded{time, connection, how, mqtt::ReasonCode::kSuccess};
}

Observation Publish(Time time, uint32_t client, std::string_view client_id,
                    MessageTag tag, std::string_view topic, mqtt::Qos qos,
                    std::optional<Duration> expiry) {
  return PublishSent{time,        client, Keep(client_id), tag,
                     Keep(topic), qos,    expiry};
}

Observation Puback(Time time, MessageTag tag, mqtt::ReasonCode code) {
  return PublishAcknowledged{time, tag, code};
}

Observation Abandoned(Time time, MessageTag tag) {
  return PublishAbandoned{time, tag};
}

Observation Received(Time time, uint64_t connection, uint32_t client,
                     std::string_view client_id, MessageTag tag,
                     std::string_view topic, mqtt::Qos qos, bool dup,
                     TagCheck check) {
  return MessageReceived{time,        connection, client, Keep(client_id),
                         Keep(topic), qos,        dup,    check,
                         tag};
}

Observation Suback(Time time, uint32_t client, std::string_view client_id,
                   std::string_view filter, mqtt::ReasonCode code,
                   bool no_local) {
  return SubscribeResult{
      time,     client, Keep(client_id), Keep(filter), mqtt::Qos::kAtLeastOnce,
      no_local, code};
}

Observation Unsubscribe(Time time, uint32_t client, std::string_view client_id,
                        std::string_view filter) {
  return UnsubscribeSent{time, client, Keep(client_id), Keep(filter)};
}

Observation BrokerEvent(Time time, broker::EventKind kind, uint64_t connection,
                        std::string_view client_id) {
  BrokerEventSeen o;
  o.time = time;
  o.kind = kind;
  o.connection = connection;
  o.client_id = Keep(client_id);
  return o;
}

Observation Restart(Time time, Duration downtime) {
  return BrokerRestarted{time, downtime};
}

Observation Intent(Time time, uint32_t client, std::string_view client_id,
                   bool wants_connected) {
  return ClientIntent{time, client, Keep(client_id), wants_connected};
}

Observation Probe(Time time, uint32_t client, std::string_view client_id,
                  scenario::LimitProbe::Kind kind, mqtt::Version version,
                  ProbeReaction reaction, mqtt::ReasonCode code, bool closed,
                  std::optional<int64_t> value) {
  return LimitProbeOutcome{time,     client, Keep(client_id), kind, version,
                           reaction, code,   closed,          value};
}

}  // namespace mqlab::sim::testing
