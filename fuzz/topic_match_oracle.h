// The oracle of fuzz/topic_match_fuzzer.cc: the broker's subscription index
// (broker/subscription_index.h) against a reference written apart from it, a
// list of (subscriber, filter, options) matched level by level with
// tests/broker/topic_oracle.h. The fuzzer's bytes become a sequence of
// subscribe, unsubscribe and match operations over a small alphabet of
// levels with '+', '#', empty levels and '$'-topics, so that filters and
// topics collide often.
#ifndef MQLAB_FUZZ_TOPIC_MATCH_ORACLE_H_
#define MQLAB_FUZZ_TOPIC_MATCH_ORACLE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker/subscription_index.h"

namespace mqlab::fuzz {

// The reference: every subscription in a map, matched one by one.
class ReferenceSubscriptions {
 public:
  explicit ReferenceSubscriptions(size_t maximum_subscriptions)
      : maximum_subscriptions_(maximum_subscriptions) {}

  broker::SubscriptionIndex::AddResult Add(broker::SubscriberId subscriber,
                                           std::string_view filter,
                                           broker::SubscriptionOptions options);
  bool Remove(broker::SubscriberId subscriber, std::string_view filter);
  // What SubscriptionIndex::Match must report, by its contract.
  std::vector<broker::SubscriberMatch> Match(
      std::string_view topic,
      std::optional<broker::SubscriberId> publisher) const;
  size_t size() const { return subscriptions_.size(); }

 private:
  size_t maximum_subscriptions_;
  std::map<std::pair<broker::SubscriberId, std::string>,
           broker::SubscriptionOptions>
      subscriptions_;
};

// Empty when `actual` (the index's answer) is `expected` (the reference's);
// otherwise what differs, naming `topic`.
std::optional<std::string> CompareMatches(
    std::string_view topic, std::span<const broker::SubscriberMatch> expected,
    std::span<const broker::SubscriberMatch> actual);

// Runs the operations `data` encodes against a fresh index and reference;
// the first disagreement, or empty.
std::optional<std::string> RunTopicMatchOperations(
    std::span<const uint8_t> data);

}  // namespace mqlab::fuzz

#endif  // MQLAB_FUZZ_TOPIC_MATCH_ORACLE_H_
