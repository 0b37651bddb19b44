#include "sim/checkers/limit_reactions.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"

namespace mqlab::sim {
namespace {

using Kind = scenario::LimitProbe;
using mqtt::ReasonCode;
constexpr mqtt::Version kV5 = mqtt::Version::kV5;
constexpr mqtt::Version kV311 = mqtt::Version::kV311;

ExpectedReaction Disconnect(ReasonCode code) {
  return {ProbeReaction::kServerDisconnect, code, true, std::nullopt};
}
ExpectedReaction Closed() {
  return {ProbeReaction::kClosed, std::nullopt, true, std::nullopt};
}
ExpectedReaction Connack(ReasonCode code) {
  return {ProbeReaction::kConnack, code, !mqtt::IsSuccess(code), std::nullopt};
}
ExpectedReaction AnyConnackFailure() {
  return {ProbeReaction::kConnack, std::nullopt, true, std::nullopt};
}
ExpectedReaction Suback(ReasonCode code) {
  return {ProbeReaction::kSuback, code, false, std::nullopt};
}
ExpectedReaction Puback(ReasonCode code) {
  return {ProbeReaction::kPuback, code, false, std::nullopt};
}

std::vector<LimitRule> MakeRules() {
  constexpr std::string_view kSeed = "seed page, MQTT v5 limitations";
  constexpr std::string_view kSeedV3 = "seed page, MQTT v3.1.1 limitations";
  constexpr std::string_view kFacts = "eventgrid-facts.md, Limits";
  return {
      {Kind::OVERSIZE_PACKET,
       kV5,
       {Disconnect(ReasonCode::kPacketTooLarge)},
       "seed page (Maximum Packet Size 512 KiB); MQTT 5.0 3.2.2.3.6, 4.13"},
      {Kind::OVERSIZE_PACKET, kV311, {Closed()}, kFacts, true},
      {Kind::TOO_MANY_SUBSCRIPTIONS,
       kV5,
       {Suback(ReasonCode::kQuotaExceeded)},
       kFacts,
       true},
      {Kind::TOO_MANY_SUBSCRIPTIONS,
       kV311,
       {Suback(ReasonCode::kUnspecifiedError)},
       kFacts,
       true},
      {Kind::TOO_MANY_FILTERS_IN_SUBSCRIBE,
       kV5,
       {Suback(ReasonCode::kQuotaExceeded),
        Disconnect(ReasonCode::kQuotaExceeded)},
       kFacts,
       true},
      {Kind::TOO_MANY_FILTERS_IN_SUBSCRIBE,
       kV311,
       {Suback(ReasonCode::kUnspecifiedError), Closed()},
       kFacts,
       true},
      {Kind::TOPIC_ALIAS_ABUSE,
       kV5,
       {Disconnect(ReasonCode::kTopicAliasInvalid)},
       "seed page (Topic Alias Maximum 10); MQTT 5.0 3.3.2.3.4"},
      {Kind::QOS2_PUBLISH,
       kV5,
       {Disconnect(ReasonCode::kQosNotSupported)},
       "seed page (Maximum QoS 1); MQTT 5.0 3.2.2.3.4"},
      {Kind::QOS2_PUBLISH, kV311, {Closed()}, kSeedV3},
      {Kind::WILL_MESSAGE,
       kV5,
       {Connack(ReasonCode::kImplementationSpecificError)},
       kSeed},
      {Kind::WILL_MESSAGE, kV311, {AnyConnackFailure(), Closed()}, kSeedV3},
      {Kind::RETAIN_PUBLISH,
       kV5,
       {Disconnect(ReasonCode::kRetainNotSupported)},
       "seed page (Retain not supported); MQTT 5.0 3.2.2.3.5"},
      {Kind::RETAIN_PUBLISH, kV311, {Closed()}, kSeedV3},
      {Kind::AUTHENTICATION_METHOD,
       kV5,
       {Connack(ReasonCode::kBadAuthenticationMethod)},
       kSeed},
      {Kind::AUTHENTICATION_DATA,
       kV5,
       {Connack(ReasonCode::kNotAuthorized)},
       kSeed},
      {Kind::PUBLISH_RATE,
       kV5,
       {Puback(ReasonCode::kMessageRateTooHigh),
        Disconnect(ReasonCode::kMessageRateTooHigh)},
       kFacts,
       true},
      {Kind::PUBLISH_RATE, kV311, {Closed()}, kFacts, true},
      {Kind::SUBSCRIBE_RATE,
       kV5,
       {Suback(ReasonCode::kQuotaExceeded),
        Disconnect(ReasonCode::kMessageRateTooHigh)},
       kFacts,
       true},
      {Kind::SUBSCRIBE_RATE,
       kV311,
       {Suback(ReasonCode::kUnspecifiedError), Closed()},
       kFacts,
       true},
      {Kind::KEEP_ALIVE_TOO_LONG,
       kV5,
       {{ProbeReaction::kConnack, ReasonCode::kSuccess, false, 1160}},
       "seed page (Keep Alive Maximum 1160 s); MQTT 5.0 Server Keep Alive"},
      {Kind::KEEP_ALIVE_TOO_LONG,
       kV311,
       {Connack(ReasonCode::kSuccess)},
       kSeedV3},
      {Kind::TOPIC_TOO_LONG,
       kV5,
       {Puback(ReasonCode::kTopicNameInvalid),
        Disconnect(ReasonCode::kTopicNameInvalid)},
       kFacts,
       true},
      {Kind::TOPIC_TOO_LONG, kV311, {Closed()}, kFacts, true},
      {Kind::TOO_MANY_TOPIC_LEVELS,
       kV5,
       {Puback(ReasonCode::kTopicNameInvalid),
        Disconnect(ReasonCode::kTopicNameInvalid)},
       kFacts,
       true},
      {Kind::TOO_MANY_TOPIC_LEVELS, kV311, {Closed()}, kFacts, true},
      {Kind::SHARED_SUBSCRIPTION,
       kV5,
       {Suback(ReasonCode::kSharedSubscriptionsNotSupported),
        Disconnect(ReasonCode::kSharedSubscriptionsNotSupported)},
       "seed page (Shared Subscriptions not supported); MQTT 5.0 "
       "3.2.2.3.13"},
      {Kind::SHARED_SUBSCRIPTION,
       kV311,
       {Suback(ReasonCode::kUnspecifiedError)},
       kFacts,
       true},
      {Kind::EMPTY_CLIENT_ID,
       kV5,
       {Connack(ReasonCode::kClientIdentifierNotValid)},
       "eventgrid-facts.md, Identity (no assigned client identifiers)"},
      {Kind::EMPTY_CLIENT_ID,
       kV311,
       {Connack(ReasonCode::kClientIdentifierNotValid)},
       "eventgrid-facts.md, Identity; MQTT 3.1.1 [MQTT-3.1.3-9]"},
      {Kind::UNAUTHORIZED_PUBLISH,
       kV5,
       {Puback(ReasonCode::kNotAuthorized)},
       "eventgrid-facts.md, Authorization"},
      {Kind::UNAUTHORIZED_PUBLISH,
       kV311,
       {Puback(ReasonCode::kSuccess), Closed()},
       "MQTT 3.1.1 [MQTT-3.3.5-2]"},
      {Kind::UNAUTHORIZED_SUBSCRIBE,
       kV5,
       {Suback(ReasonCode::kNotAuthorized)},
       "eventgrid-facts.md, Authorization"},
      {Kind::UNAUTHORIZED_SUBSCRIBE,
       kV311,
       {Suback(ReasonCode::kUnspecifiedError)},
       "eventgrid-facts.md, Authorization; MQTT 3.1.1 3.9.3"},
      {Kind::RECEIVE_MAXIMUM_EXCEEDED,
       kV5,
       {Disconnect(ReasonCode::kReceiveMaximumExceeded)},
       "eventgrid-facts.md (Receive Maximum 1000); MQTT 5.0 3.3.4"},
      {Kind::RECEIVE_MAXIMUM_EXCEEDED, kV311, {Closed()}, kFacts, true},
      {Kind::USER_PROPERTIES_ON_CONNECT,
       kV5,
       {Connack(ReasonCode::kProtocolError),
        Connack(ReasonCode::kImplementationSpecificError)},
       kFacts,
       true},
      {Kind::SUBSCRIPTION_IDENTIFIER,
       kV5,
       {Disconnect(ReasonCode::kSubscriptionIdentifiersNotSupported),
        Suback(ReasonCode::kSubscriptionIdentifiersNotSupported)},
       "seed page (Subscription Identifiers not supported); MQTT 5.0 "
       "3.2.2.3.12"},
  };
}

std::string Code(ReasonCode code) {
  char text[8];
  std::snprintf(text, sizeof(text), "0x%02x", static_cast<unsigned>(code));
  return text;
}

}  // namespace

std::string DescribeReaction(const ExpectedReaction& reaction) {
  std::string text(ProbeReactionName(reaction.reaction));
  if (reaction.reaction != ProbeReaction::kClosed &&
      reaction.reaction != ProbeReaction::kNothing) {
    absl::StrAppend(&text, " ",
                    reaction.reason_code.has_value()
                        ? Code(*reaction.reason_code)
                        : std::string("failure"));
  }
  if (reaction.value.has_value()) {
    absl::StrAppend(&text, " with ", *reaction.value);
  }
  if (reaction.closes && reaction.reaction != ProbeReaction::kClosed) {
    text += " then close";
  }
  return text;
}

std::span<const LimitRule> LimitRules() {
  static const std::vector<LimitRule>* const rules =
      new std::vector<LimitRule>(MakeRules());
  return *rules;
}

const LimitRule* FindLimitRule(scenario::LimitProbe::Kind kind,
                               mqtt::Version version) {
  for (const LimitRule& rule : LimitRules()) {
    if (rule.kind == kind && rule.version == version) return &rule;
  }
  return nullptr;
}

bool ReactionMatches(const ExpectedReaction& expected,
                     const LimitProbeOutcome& outcome) {
  if (expected.reaction != outcome.reaction) return false;
  if (expected.reaction != ProbeReaction::kClosed &&
      expected.reaction != ProbeReaction::kNothing) {
    if (expected.reason_code.has_value()
            ? outcome.reason_code != *expected.reason_code
            : mqtt::IsSuccess(outcome.reason_code)) {
      return false;
    }
  }
  if (expected.closes != outcome.connection_closed) return false;
  return !expected.value.has_value() || outcome.value == expected.value;
}

}  // namespace mqlab::sim
