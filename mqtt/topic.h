// Topic names and topic filters (MQTT 5.0 section 4.7, 3.1.1 section 4.7) and
// shared subscriptions (5.0 section 4.8.2).
//
// Rules cite the MQTT 5.0 statement; where 3.1.1 numbers the same rule
// differently, its id follows in parentheses.
#ifndef MQLAB_MQTT_TOPIC_H_
#define MQLAB_MQTT_TOPIC_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "mqtt/word_scan.h"

namespace mqlab::mqtt {

// Longest topic name or filter the wire can carry [MQTT-4.7.3-3].
inline constexpr size_t kMaximumTopicSize = 65'535;

// The rule a topic name or filter breaks, citing the normative statement, or
// an empty view when it is valid. UTF-8 validity is checked by the decoder,
// not here. TopicFilterViolation applies the rules of both versions; shared
// subscription syntax is MQTT 5.0 only and checked by
// SharedSubscriptionViolation.
std::string_view TopicNameViolation(std::string_view name);

namespace internal {

// True when `name` is a non-empty run of ASCII without U+0000, '+' or '#':
// then it is valid UTF-8 and a valid topic name, which is what nearly every
// PUBLISH carries. One pass over the name lets the decoder skip the separate
// UTF-8 and topic checks.
inline bool IsPlainTopicName(std::string_view name) {
  if (name.empty() || name.size() > kMaximumTopicSize) return false;
  return ScanWords(name, [](uint64_t word) {
           return NulOrNonAsciiBits(word) | WildcardBits(word);
         }) == 0;
}

}  // namespace internal
std::string_view TopicFilterViolation(std::string_view filter);

// Number of levels ("a/b/c" has 3, "" has 1, "a/" has 2).
size_t TopicLevelCount(std::string_view topic);

// "$share/{ShareName}/{filter}".
bool IsSharedSubscriptionFilter(std::string_view filter);

// The parts of a shared subscription filter.
struct SharedSubscription {
  std::string_view share_name;
  std::string_view topic_filter;
};

// The parts of `filter` when it starts with "$share/" and follows
// [MQTT-4.8.2-1] and [MQTT-4.8.2-2]; nullopt otherwise.
std::optional<SharedSubscription> ParseSharedSubscription(
    std::string_view filter);

// For a filter that starts with "$share/": the rule its share syntax breaks,
// or an empty view (also for filters that are not shared). The topic filter
// after the share name is checked by TopicFilterViolation.
std::string_view SharedSubscriptionViolation(std::string_view filter);

// True when the valid `filter` matches the valid topic `name`, with `+`, `#`
// and the rule that wildcards at the first level do not match names starting
// with '$' [MQTT-4.7.2-1]. A shared subscription's filter is matched without
// its "$share/{ShareName}/" prefix: strip it first.
bool TopicMatches(std::string_view filter, std::string_view name);

}  // namespace mqlab::mqtt

#endif  // MQLAB_MQTT_TOPIC_H_
