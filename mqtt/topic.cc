#include "mqtt/topic.h"

#include <algorithm>
#include <cstdint>

namespace mqlab::mqtt {
namespace {

constexpr std::string_view kSharePrefix = "$share/";

}  // namespace

std::string_view TopicNameViolation(std::string_view name) {
  if (name.empty()) {
    return "[MQTT-4.7.3-1] a topic name must be at least one character long";
  }
  if (name.size() > kMaximumTopicSize) {
    return "[MQTT-4.7.3-3] a topic name must not be longer than 65,535 bytes";
  }
  // Topic names are checked on every PUBLISH: scan a word at a time for
  // '+', '#' or U+0000, and look byte by byte only to name the rule.
  if (internal::ScanWords(name, [](uint64_t word) {
        return internal::NulBits(word) | internal::WildcardBits(word);
      }) == 0) {
    return {};
  }
  for (const char c : name) {
    if (c == '+' || c == '#') {
      return "[MQTT-3.3.2-2] a topic name must not contain wildcard "
             "characters ('+', '#')";
    }
    if (c == '\0') {
      return "[MQTT-4.7.3-2] a topic name must not contain U+0000";
    }
  }
  return {};
}

std::string_view TopicFilterViolation(std::string_view filter) {
  if (filter.empty()) {
    return "[MQTT-4.7.3-1] a topic filter must be at least one character long";
  }
  if (filter.size() > kMaximumTopicSize) {
    return "[MQTT-4.7.3-3] a topic filter must not be longer than 65,535 "
           "bytes";
  }
  size_t level_start = 0;
  for (size_t i = 0; i < filter.size(); ++i) {
    const char c = filter[i];
    if (c == '/') {
      level_start = i + 1;
      continue;
    }
    const bool whole_level =
        i == level_start && (i + 1 == filter.size() || filter[i + 1] == '/');
    if (c == '#' && (!whole_level || i + 1 != filter.size())) {
      return "[MQTT-4.7.1-1] (3.1.1: [MQTT-4.7.1-2]) '#' must be a whole "
             "level and the last one of a topic filter";
    }
    if (c == '+' && !whole_level) {
      return "[MQTT-4.7.1-2] (3.1.1: [MQTT-4.7.1-3]) '+' must occupy a whole "
             "level of a topic filter";
    }
    if (c == '\0') {
      return "[MQTT-4.7.3-2] a topic filter must not contain U+0000";
    }
  }
  return {};
}

size_t TopicLevelCount(std::string_view topic) {
  return 1 + static_cast<size_t>(std::count(topic.begin(), topic.end(), '/'));
}

bool IsSharedSubscriptionFilter(std::string_view filter) {
  return filter.starts_with(kSharePrefix);
}

std::optional<SharedSubscription> ParseSharedSubscription(
    std::string_view filter) {
  if (!IsSharedSubscriptionFilter(filter) ||
      !SharedSubscriptionViolation(filter).empty()) {
    return std::nullopt;
  }
  const std::string_view rest = filter.substr(kSharePrefix.size());
  const size_t slash = rest.find('/');
  return SharedSubscription{rest.substr(0, slash), rest.substr(slash + 1)};
}

std::string_view SharedSubscriptionViolation(std::string_view filter) {
  if (!IsSharedSubscriptionFilter(filter)) return {};
  const std::string_view rest = filter.substr(kSharePrefix.size());
  const size_t slash = rest.find('/');
  const std::string_view share_name = rest.substr(0, slash);
  if (share_name.empty()) {
    return "[MQTT-4.8.2-1] a shared subscription needs a ShareName of at "
           "least one character";
  }
  if (share_name.find_first_of("+#") != std::string_view::npos) {
    return "[MQTT-4.8.2-2] a ShareName must not contain '/', '+' or '#'";
  }
  if (slash == std::string_view::npos || slash + 1 == rest.size()) {
    return "[MQTT-4.8.2-2] a ShareName must be followed by '/' and a topic "
           "filter";
  }
  return {};
}

bool TopicMatches(std::string_view filter, std::string_view name) {
  if (!name.empty() && name.front() == '$' && !filter.empty() &&
      (filter.front() == '+' || filter.front() == '#')) {
    return false;  // [MQTT-4.7.2-1]
  }
  size_t f = 0;
  size_t n = 0;
  while (true) {
    const size_t f_end = std::min(filter.find('/', f), filter.size());
    const std::string_view filter_level = filter.substr(f, f_end - f);
    if (filter_level == "#") return true;  // Matches the parent level too.
    const size_t n_end = std::min(name.find('/', n), name.size());
    const std::string_view name_level = name.substr(n, n_end - n);
    if (filter_level != "+" && filter_level != name_level) return false;
    const bool filter_done = f_end == filter.size();
    const bool name_done = n_end == name.size();
    if (filter_done || name_done) {
      if (filter_done && name_done) return true;
      // "a/#" matches "a": the filter's next level is a lone '#'.
      return name_done && filter.substr(f_end) == "/#";
    }
    f = f_end + 1;
    n = n_end + 1;
  }
}

}  // namespace mqlab::mqtt
