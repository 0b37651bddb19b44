// Reference implementations for the namespace layer's property tests: MQTT
// topic matching transcribed level by level from the specification (section
// 4.7), and enumerations of every topic and filter over a small alphabet of
// levels. Deliberately naive: clarity over speed.
#ifndef MQLAB_TESTS_BROKER_TOPIC_ORACLE_H_
#define MQLAB_TESTS_BROKER_TOPIC_ORACLE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mqlab::broker::testing {

// "a//b" -> {"a", "", "b"}.
std::vector<std::string> SplitLevels(std::string_view text);

// Whether the valid `filter` matches the valid topic name `topic`.
bool OracleMatches(std::string_view filter, std::string_view topic);

// Every topic name of 1 to `max_levels` levels drawn from `levels`.
std::vector<std::string> AllTopics(const std::vector<std::string>& levels,
                                   size_t max_levels);

// Every valid filter of 1 to `max_levels` levels drawn from `levels` plus '+',
// with or without a final '#'.
std::vector<std::string> AllFilters(const std::vector<std::string>& levels,
                                    size_t max_levels);

}  // namespace mqlab::broker::testing

#endif  // MQLAB_TESTS_BROKER_TOPIC_ORACLE_H_
