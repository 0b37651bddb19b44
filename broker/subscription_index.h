// The topic-matching structure the broker routes with: which subscribers
// (sessions, by small integer id) have a subscription whose filter matches a
// topic name.
//
// A trie over topic levels: each node has its literal children (in a small
// vector, or a hash map once there are more than a few), a '+' child, the
// subscriptions whose filter ends at the node and those whose filter
// continues with '#' there. Matching walks the topic's levels once,
// following the literal and '+' children, so its cost depends on the topic
// and the matches, not on the number of filters.
// Each subscriber is reported once per match, with the highest QoS of its
// matching subscriptions, in ascending subscriber order. Match reuses the
// index's scratch buffers and the caller's output vector: no allocation per
// match in steady state.
//
// Not thread-safe (Match uses scratch buffers); the broker is single-threaded.
// Shared subscriptions ("$share/...") are not supported by Event Grid; the
// broker refuses them before they reach the index, which would treat the
// filter as a plain one.
#ifndef MQLAB_BROKER_SUBSCRIPTION_INDEX_H_
#define MQLAB_BROKER_SUBSCRIPTION_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/inlined_vector.h"

namespace mqlab::broker {

// A subscriber: the broker numbers its sessions.
using SubscriberId = uint32_t;

// The options of one subscription that matter for routing (MQTT 5.0
// section 3.8.3.1); retain handling only matters when subscribing.
struct SubscriptionOptions {
  uint8_t maximum_qos = 0;  // 0, 1 or 2.
  bool no_local = false;    // Not to the session that published.
  bool retain_as_published = false;

  friend bool operator==(const SubscriptionOptions&,
                         const SubscriptionOptions&) = default;
};

// One subscriber a topic reaches.
struct SubscriberMatch {
  SubscriberId subscriber;
  // The highest maximum QoS among the subscriber's matching subscriptions.
  uint8_t maximum_qos;
  // Whether one of them asked for Retain As Published.
  bool retain_as_published;

  friend bool operator==(const SubscriberMatch&,
                         const SubscriberMatch&) = default;
};

class SubscriptionIndex {
 public:
  // The index holds at most `maximum_subscriptions` (subscriber, filter)
  // pairs; the broker sizes it from its session and subscription limits.
  explicit SubscriptionIndex(size_t maximum_subscriptions);
  ~SubscriptionIndex();
  SubscriptionIndex(const SubscriptionIndex&) = delete;
  SubscriptionIndex& operator=(const SubscriptionIndex&) = delete;

  enum class AddResult {
    kAdded,
    // The subscriber already had this filter; its options were replaced, as
    // a repeated SUBSCRIBE does [MQTT-3.8.4-3].
    kReplaced,
    // The index is full: nothing changed. The broker must have refused the
    // subscription by its own limits first, so this is its last guard.
    kFull,
  };

  // `filter` must be a valid topic filter (the decoder checked it).
  AddResult Add(SubscriberId subscriber, std::string_view filter,
                SubscriptionOptions options);
  // False when the subscriber had no subscription with this filter.
  bool Remove(SubscriberId subscriber, std::string_view filter);

  // Replaces `*out` with the subscribers whose subscriptions match the valid
  // topic name `topic`, in ascending subscriber order, each once. A
  // subscription with No Local does not match when its subscriber is
  // `publisher`. Wildcards at the first level do not match topic names
  // starting with '$' [MQTT-4.7.2-1].
  void Match(std::string_view topic, std::optional<SubscriberId> publisher,
             std::vector<SubscriberMatch>* out) const;

  // Subscriptions held: (subscriber, filter) pairs.
  size_t size() const { return size_; }
  size_t maximum_size() const { return maximum_subscriptions_; }
  // Trie nodes allocated (the root included): memory accounting and tests.
  size_t node_count() const { return node_count_; }

 private:
  struct Node;
  // A subscription stored at a node: 8 bytes.
  struct Entry {
    SubscriberId subscriber;
    uint8_t options;  // Packed SubscriptionOptions.
  };
  // One step of a walk down the trie.
  struct Step {
    Node* node;
    std::string_view level;  // The level that led to `node`.
  };

  static uint8_t Pack(SubscriptionOptions options);
  using Entries = absl::InlinedVector<Entry, 1>;

  // Walks to the node of `filter`'s last non-'#' level; creates missing
  // nodes when `create`. Fills `path_` (the root first). Returns the list the
  // filter's subscriptions live in, or null when a node is missing.
  Entries* Walk(std::string_view filter, bool create);
  // Deletes the empty nodes at the end of `path_`.
  void Prune();
  void Collect(const Entries& entries,
               std::optional<SubscriberId> publisher) const;

  std::unique_ptr<Node> root_;
  size_t maximum_subscriptions_;
  size_t size_ = 0;
  size_t node_count_ = 1;

  // Scratch space reused by every call.
  std::vector<Step> path_;
  mutable std::vector<const Node*> current_;
  mutable std::vector<const Node*> next_;
  mutable std::vector<Entry> candidates_;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_SUBSCRIPTION_INDEX_H_
