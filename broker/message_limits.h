// Event Grid's per-message limits on topics and v5 properties (the topic
// size and level rows of eventgrid-facts.md's table and the v5 property
// rows), checked on what the decoder already found well-formed. Each answer
// names the limit crossed (static text, also the event's detail) and the
// reason code the broker reacts with (docs/limits.md).
#ifndef MQLAB_BROKER_MESSAGE_LIMITS_H_
#define MQLAB_BROKER_MESSAGE_LIMITS_H_

#include <cstddef>
#include <optional>
#include <string_view>

#include "broker/namespace_config.h"
#include "mqtt/packet.h"

namespace mqlab::broker {

struct LimitViolation {
  mqtt::ReasonCode reason_code;
  std::string_view detail;  // "maximum-topic-size", ...
};

// A PUBLISH topic longer than maximum_topic_size bytes or with more than
// maximum_topic_levels levels: 0x90 Topic Name invalid.
std::optional<LimitViolation> CheckTopicName(std::string_view topic,
                                             const Limits& limits);

// A SUBSCRIBE filter over the same limits: 0x8F Topic Filter invalid.
std::optional<LimitViolation> CheckTopicFilter(std::string_view filter,
                                               const Limits& limits);

// v5 PUBLISH properties: Response Topic, Content Type, Correlation Data
// longer than their limits, or User Properties whose wire size (identifier,
// length-prefixed key and value, each) exceeds maximum_user_properties_size:
// 0x83 Implementation specific error (PUBACK has no code for "too large").
std::optional<LimitViolation> CheckPublishProperties(
    const mqtt::Properties& properties, const Limits& limits);

// The wire size of User Properties, as the limit counts it.
size_t UserPropertiesSize(const mqtt::UserProperties& properties);

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_MESSAGE_LIMITS_H_
