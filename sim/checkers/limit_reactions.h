// What the broker must do when a limit probe crosses one of Event Grid's
// limits: a table, per probe kind and MQTT version, of the reaction
// accepted. Data, kept apart from the broker's code (the checkers must not
// share it), with one source of truth for each row:
//  - limits Event Grid documents with a number (message size, topic size
//    and levels, topic aliases, keep alive, filters per SUBSCRIBE,
//    subscriptions, rates, Receive Maximum) follow the row of
//    docs/limits.md the rule names (LimitRule::limits_doc_row);
//    tests/sim/checkers/limit_reactions_doc_test checks every such rule
//    against that row, so the two cannot drift;
//  - the seed page's refusals (QoS 2, retain, Will, authentication method
//    and data, shared subscriptions, Subscription Identifiers) and the
//    identity and authorization rules of eventgrid-facts.md follow those
//    documents (their 3.1.1 forms as docs/broker.md reads them).
#ifndef MQLAB_SIM_CHECKERS_LIMIT_REACTIONS_H_
#define MQLAB_SIM_CHECKERS_LIMIT_REACTIONS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mqtt/packet.h"
#include "mqtt/reason_code.h"
#include "sim/observations.h"
#include "sim/scenario.pb.h"

namespace mqlab::sim {

struct ExpectedReaction {
  ProbeReaction reaction = ProbeReaction::kNothing;
  // The reason code; nullopt accepts any failure code (>= 0x80).
  std::optional<mqtt::ReasonCode> reason_code;
  // The connection ends after the reaction.
  bool closes = false;
  // A value the reaction must carry (Server Keep Alive), when set.
  std::optional<int64_t> value;
};

// "DISCONNECT 0x9b then close", "CONNACK 0x00 with 1160".
std::string DescribeReaction(const ExpectedReaction& reaction);

struct LimitRule {
  scenario::LimitProbe::Kind kind = scenario::LimitProbe::KIND_UNSPECIFIED;
  mqtt::Version version = mqtt::Version::kV5;
  std::vector<ExpectedReaction> accepted;  // Any one of them.
  std::string_view source;                 // Where the rule comes from.
  // The docs/limits.md row (its "limit" cell) the rule follows; empty for
  // the seed's refusals and the identity and authorization rules.
  std::string_view limits_doc_row = {};
};

// Every rule, by kind then version. A probe kind without a rule for a
// version (a topic alias in 3.1.1) is not sent to clients of that version.
std::span<const LimitRule> LimitRules();
const LimitRule* FindLimitRule(scenario::LimitProbe::Kind kind,
                               mqtt::Version version);
bool ReactionMatches(const ExpectedReaction& expected,
                     const LimitProbeOutcome& outcome);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_LIMIT_REACTIONS_H_
