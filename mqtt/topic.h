// Topic names and topic filters (MQTT 5.0 section 4.7, 3.1.1 section 4.7).
#ifndef MQLAB_MQTT_TOPIC_H_
#define MQLAB_MQTT_TOPIC_H_

#include <cstddef>
#include <string_view>

namespace mqlab::mqtt {

// The rule a topic name or filter breaks, citing the normative statement, or
// an empty view when it is valid. UTF-8 validity is checked by the decoder,
// not here.
std::string_view TopicNameViolation(std::string_view name);
std::string_view TopicFilterViolation(std::string_view filter);

// Number of levels ("a/b/c" has 3, "" has 1, "a/" has 2).
size_t TopicLevelCount(std::string_view topic);

// "$share/{ShareName}/{filter}".
bool IsSharedSubscriptionFilter(std::string_view filter);

// True when the valid `filter` matches the valid topic `name`, with `+`, `#`
// and the rule that wildcards at the first level do not match names starting
// with '$' [MQTT-4.7.2-1].
bool TopicMatches(std::string_view filter, std::string_view name);

}  // namespace mqlab::mqtt

#endif  // MQLAB_MQTT_TOPIC_H_
