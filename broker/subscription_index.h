// The topic-matching structure the broker routes with: which subscribers
// (sessions, by small integer id) have a subscription whose filter matches a
// topic name.
//
// A trie over topic levels. Each node has literal children, a '+' child, the
// subscriptions whose filter ends at the node and those whose filter
// continues with '#' there. Matching walks the topic's levels once,
// following the literal and '+' children, so its cost depends on the topic
// and the matches, not on the number of filters.
//
// At a million filters matching is bound by memory latency, so the trie is
// laid out for few, overlapping cache misses: every node lives in one
// open-addressing table (trie_node_table.h) keyed by (parent, level) and
// placed by the hash of its path. Match hashes a topic's levels before it
// walks them, so where each node lives follows from the topic alone and the
// processor loads the nodes of several levels at once. A node (32 bytes)
// carries flags saying whether it has literal or '+' children, so the walk
// probes only where a child can be, and a node with one subscription holds
// it inline; several live in a list beside the table.
//
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
#include <optional>
#include <string_view>
#include <vector>

#include "broker/trie_node_table.h"

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
  // Trie nodes (the root included): memory accounting and tests.
  size_t node_count() const { return nodes_.size() + 1; }

 private:
  // A node's subscriptions of one kind when it has more than one: the
  // matches Match reports for them, sorted by subscriber, so that Match
  // copies them out whole; and which of those subscribers asked for No
  // Local (sorted, usually empty).
  struct EntryList {
    std::vector<SubscriberMatch> matches;
    std::vector<SubscriberId> no_local;
  };
  struct EntryLists {
    EntryList exact;  // Filters that end at the node.
    EntryList hash;   // Filters that continue with '#' there.
  };
  // A node on the walk of Add or Remove (the root not included).
  struct Step {
    uint64_t path_hash;
    uint32_t parent;
    uint32_t id;
    TrieLevel level;
  };
  // A node Match reached: its path hash, and the topic levels it matched.
  struct Visit {
    const TrieNode* node;
    uint64_t path_hash;
    size_t depth;
  };
  // A topic level and the path hash of the levels up to it.
  struct TopicLevel {
    TrieLevel level;
    uint64_t path_hash;
  };

  // A node holding one subscription keeps its options packed in a byte.
  static uint8_t Pack(SubscriptionOptions options);
  static SubscriberMatch Unpack(SubscriberId subscriber, uint8_t packed);
  // Gives `subscriber` the options `packed` in `list`: replaces them, or
  // adds the subscriber when `add`. False when there was nothing to replace.
  static bool SetInList(EntryList& list, SubscriberId subscriber,
                        uint8_t packed, bool add);
  // False when `list` did not hold `subscriber`.
  static bool RemoveFromList(EntryList& list, SubscriberId subscriber);

  // Walks to the node of `filter`'s last non-'#' level; creates missing
  // nodes when `create`. Fills `path_`. Returns null when a node is missing.
  // The node stays valid until the table changes.
  TrieNode* Walk(std::string_view filter, bool create);
  // The id of a new node, and its literal child count (zero).
  uint32_t NewNodeId();
  void FreeNodeId(uint32_t id);
  // Replaces the options of the node's subscription of `subscriber` of one
  // kind ('#' or not); false when it has none.
  bool ReplaceEntry(TrieNode& node, bool hash, SubscriberId subscriber,
                    uint8_t packed);
  // Adds a subscription the node does not hold.
  void InsertEntry(TrieNode& node, bool hash, SubscriberId subscriber,
                   uint8_t packed);
  // False when the node did not hold `subscriber`.
  bool RemoveEntry(TrieNode& node, bool hash, SubscriberId subscriber);
  // Deletes the empty nodes at the end of `path_`, `last` being its last.
  void Prune(TrieNode* last);
  // Appends the node's subscriptions of one kind (ending at the node, or
  // continuing with '#' there) to `out`, No Local applied; true when it
  // appended any.
  bool Collect(const TrieNode& node, bool hash,
               std::optional<SubscriberId> publisher,
               std::vector<SubscriberMatch>* out) const;
  // Collect's part for a list.
  static bool CollectList(const EntryList& list,
                          std::optional<SubscriberId> publisher,
                          std::vector<SubscriberMatch>* out);

  TrieNodeTable nodes_;
  // The root is not in the table (its id, 0, marks empty slots there).
  TrieNode root_;
  // Literal children per node id (ids are dense: freed ones are reused). A
  // free id's entry holds the next free id instead.
  std::vector<uint32_t> literal_children_;
  uint32_t first_free_id_;
  // The lists of the nodes that hold more than one subscription
  // (TrieNode::entry indexes them); a freed slot is reused, like a node id,
  // so these two keep their largest size.
  std::vector<EntryLists> lists_;
  std::vector<uint32_t> free_lists_;
  size_t maximum_subscriptions_;
  size_t size_ = 0;

  // Scratch space reused by every call.
  std::vector<Step> path_;
  mutable std::vector<TopicLevel> levels_;
  mutable std::vector<Visit> stack_;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_SUBSCRIPTION_INDEX_H_
