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
ExpectedReaction Suback(ReasonCode code) {
  return {ProbeReaction::kSuback, code, false, std::nullopt};
}
ExpectedReaction Puback(ReasonCode code) {
  return {ProbeReaction::kPuback, code, false, std::nullopt};
}

std::vector<LimitRule> MakeRules() {
  constexpr std::string_view kSeed = "seed page, MQTT v5 limitations";
  constexpr std::string_view kSeedV3 =
      "seed page, MQTT v3.1.1 limitations; docs/broker.md";
  constexpr std::string_view kLimits = "docs/limits.md";
  constexpr std::string_view kIdentity =
      "eventgrid-facts.md, Identity; docs/broker.md, CONNECT";
  constexpr std::string_view kAuthorization =
      "eventgrid-facts.md, Authorization; docs/broker.md";
  return {
      {Kind::OVERSIZE_PACKET,
       kV5,
       {Disconnect(ReasonCode::kPacketTooLarge)},
       kLimits,
       "message size (whole packet)"},
      {Kind::OVERSIZE_PACKET,
       kV311,
       {Closed()},
       kLimits,
       "message size (whole packet)"},
      {Kind::TOO_MANY_SUBSCRIPTIONS,
       kV5,
       {Suback(ReasonCode::kQuotaExceeded)},
       kLimits,
       "subscriptions per session"},
      {Kind::TOO_MANY_SUBSCRIPTIONS,
       kV311,
       {Suback(ReasonCode::kUnspecifiedError)},
       kLimits,
       "subscriptions per session"},
      {Kind::TOO_MANY_FILTERS_IN_SUBSCRIBE,
       kV5,
       {Suback(ReasonCode::kQuotaExceeded)},
       kLimits,
       "topic filters in one SUBSCRIBE"},
      {Kind::TOO_MANY_FILTERS_IN_SUBSCRIBE,
       kV311,
       {Suback(ReasonCode::kUnspecifiedError)},
       kLimits,
       "topic filters in one SUBSCRIBE"},
      {Kind::TOPIC_ALIAS_ABUSE,
       kV5,
       {Disconnect(ReasonCode::kTopicAliasInvalid)},
       kLimits,
       "topic aliases (client to server)"},
      {Kind::QOS2_PUBLISH,
       kV5,
       {Disconnect(ReasonCode::kQosNotSupported)},
       "seed page (Maximum QoS 1); MQTT 5.0 3.2.2.3.4"},
      {Kind::QOS2_PUBLISH, kV311, {Closed()}, kSeedV3},
      {Kind::WILL_MESSAGE,
       kV5,
       {Connack(ReasonCode::kImplementationSpecificError)},
       kSeed},
      {Kind::WILL_MESSAGE, kV311, {Closed()}, kSeedV3},
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
       {Disconnect(ReasonCode::kMessageRateTooHigh)},
       kLimits,
       "publish rate (inbound)"},
      {Kind::PUBLISH_RATE,
       kV311,
       {Closed()},
       kLimits,
       "publish rate (inbound)"},
      {Kind::SUBSCRIBE_RATE,
       kV5,
       {Disconnect(ReasonCode::kQuotaExceeded)},
       kLimits,
       "SUBSCRIBE + UNSUBSCRIBE rate"},
      {Kind::SUBSCRIBE_RATE,
       kV311,
       {Closed()},
       kLimits,
       "SUBSCRIBE + UNSUBSCRIBE rate"},
      {Kind::KEEP_ALIVE_TOO_LONG,
       kV5,
       {{ProbeReaction::kConnack, ReasonCode::kSuccess, false, 1160}},
       kLimits,
       "keep alive"},
      {Kind::KEEP_ALIVE_TOO_LONG,
       kV311,
       {Connack(ReasonCode::kSuccess)},
       kLimits,
       "keep alive"},
      {Kind::TOPIC_TOO_LONG,
       kV5,
       {Puback(ReasonCode::kTopicNameInvalid)},
       kLimits,
       "topic name size"},
      {Kind::TOPIC_TOO_LONG, kV311, {Closed()}, kLimits, "topic name size"},
      {Kind::TOO_MANY_TOPIC_LEVELS,
       kV5,
       {Puback(ReasonCode::kTopicNameInvalid)},
       kLimits,
       "topic name levels"},
      {Kind::TOO_MANY_TOPIC_LEVELS,
       kV311,
       {Closed()},
       kLimits,
       "topic name levels"},
      {Kind::SHARED_SUBSCRIPTION,
       kV5,
       {Suback(ReasonCode::kSharedSubscriptionsNotSupported)},
       "seed page (Shared Subscriptions not supported); docs/broker.md, "
       "Subscribing"},
      {Kind::SHARED_SUBSCRIPTION,
       kV311,
       {Suback(ReasonCode::kUnspecifiedError)},
       "seed page (Shared Subscriptions not supported); docs/broker.md, "
       "Subscribing"},
      {Kind::EMPTY_CLIENT_ID,
       kV5,
       {Connack(ReasonCode::kClientIdentifierNotValid)},
       kIdentity},
      {Kind::EMPTY_CLIENT_ID,
       kV311,
       {Connack(ReasonCode::kClientIdentifierNotValid)},
       kIdentity},
      {Kind::UNAUTHORIZED_PUBLISH,
       kV5,
       {Puback(ReasonCode::kNotAuthorized)},
       kAuthorization},
      {Kind::UNAUTHORIZED_PUBLISH,
       kV311,
       {Closed()},
       "eventgrid-facts.md, Authorization; MQTT 3.1.1 [MQTT-3.3.5-2]; "
       "docs/broker.md, Publishing"},
      {Kind::UNAUTHORIZED_SUBSCRIBE,
       kV5,
       {Suback(ReasonCode::kNotAuthorized)},
       kAuthorization},
      {Kind::UNAUTHORIZED_SUBSCRIBE,
       kV311,
       {Suback(ReasonCode::kUnspecifiedError)},
       kAuthorization},
      {Kind::RECEIVE_MAXIMUM_EXCEEDED,
       kV5,
       {Disconnect(ReasonCode::kReceiveMaximumExceeded)},
       kLimits,
       "inbound QoS 1 in flight"},
      {Kind::RECEIVE_MAXIMUM_EXCEEDED,
       kV311,
       {Closed()},
       kLimits,
       "inbound QoS 1 in flight"},
      {Kind::USER_PROPERTIES_ON_CONNECT,
       kV5,
       {Connack(ReasonCode::kImplementationSpecificError)},
       "eventgrid-facts.md, Limits (no User Properties on CONNECT); "
       "docs/broker.md, CONNECT"},
      {Kind::SUBSCRIPTION_IDENTIFIER,
       kV5,
       {Disconnect(ReasonCode::kSubscriptionIdentifiersNotSupported)},
       "seed page (Subscription Identifiers not supported); docs/broker.md, "
       "Subscribing"},
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
