#include "broker/message_limits.h"

#include "mqtt/topic.h"

namespace mqlab::broker {
namespace {

std::optional<LimitViolation> CheckTopic(std::string_view topic,
                                         const Limits& limits,
                                         mqtt::ReasonCode reason_code) {
  if (topic.size() > limits.maximum_topic_size) {
    return LimitViolation{reason_code, "maximum-topic-size"};
  }
  // A cheap bound first: a topic cannot have more levels than bytes + 1.
  if (topic.size() >= limits.maximum_topic_levels &&
      mqtt::TopicLevelCount(topic) > limits.maximum_topic_levels) {
    return LimitViolation{reason_code, "maximum-topic-levels"};
  }
  return std::nullopt;
}

}  // namespace

std::optional<LimitViolation> CheckTopicName(std::string_view topic,
                                             const Limits& limits) {
  return CheckTopic(topic, limits, mqtt::ReasonCode::kTopicNameInvalid);
}

std::optional<LimitViolation> CheckTopicFilter(std::string_view filter,
                                               const Limits& limits) {
  return CheckTopic(filter, limits, mqtt::ReasonCode::kTopicFilterInvalid);
}

size_t UserPropertiesSize(const mqtt::UserProperties& properties) {
  size_t size = 0;
  for (const mqtt::UserProperty& property : properties) {
    size += 5 + property.key.size() + property.value.size();
  }
  return size;
}

std::optional<LimitViolation> CheckPublishProperties(
    const mqtt::Properties& properties, const Limits& limits) {
  constexpr mqtt::ReasonCode kCode =
      mqtt::ReasonCode::kImplementationSpecificError;
  if (properties.response_topic.has_value() &&
      properties.response_topic->size() > limits.maximum_response_topic_size) {
    return LimitViolation{kCode, "maximum-response-topic-size"};
  }
  if (properties.content_type.has_value() &&
      properties.content_type->size() > limits.maximum_content_type_size) {
    return LimitViolation{kCode, "maximum-content-type-size"};
  }
  if (properties.correlation_data.has_value() &&
      properties.correlation_data->size() >
          limits.maximum_correlation_data_size) {
    return LimitViolation{kCode, "maximum-correlation-data-size"};
  }
  if (!properties.user_properties.empty() &&
      UserPropertiesSize(properties.user_properties) >
          limits.maximum_user_properties_size) {
    return LimitViolation{kCode, "maximum-user-properties-size"};
  }
  return std::nullopt;
}

}  // namespace mqlab::broker
