#include "client/subscription_table.h"

#include <algorithm>

namespace mqlab::client {

void SubscriptionTable::Upsert(std::string_view topic_filter,
                               const mqtt::SubscriptionOptions& options,
                               uint32_t subscription_identifier) {
  for (Entry& entry : entries_) {
    if (entry.topic_filter == topic_filter) {
      entry.options = options;
      entry.subscription_identifier = subscription_identifier;
      return;
    }
  }
  entries_.push_back({.topic_filter = std::string(topic_filter),
                      .options = options,
                      .subscription_identifier = subscription_identifier});
}

void SubscriptionTable::Erase(std::string_view topic_filter) {
  const auto it = std::find_if(
      entries_.begin(), entries_.end(),
      [&](const Entry& entry) { return entry.topic_filter == topic_filter; });
  if (it != entries_.end()) entries_.erase(it);
}

bool SubscriptionTable::Contains(std::string_view topic_filter) const {
  return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& entry) {
    return entry.topic_filter == topic_filter;
  });
}

}  // namespace mqlab::client
