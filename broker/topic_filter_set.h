// A fixed set of MQTT topic filters compiled into a small flat trie, for
// asking "does any filter of the set match this topic name?" in one pass over
// the topic. ClientPermissions uses it for CanPublish, which is on the
// broker's publish hot path: matching does not allocate.
//
// The set is immutable once built; the SubscriptionIndex is the dynamic,
// large-scale counterpart that also says *which* subscribers match.
#ifndef MQLAB_BROKER_TOPIC_FILTER_SET_H_
#define MQLAB_BROKER_TOPIC_FILTER_SET_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mqlab::broker {

class TopicFilterSet {
 public:
  // The empty set: matches nothing.
  TopicFilterSet() = default;
  // `filters` must be valid MQTT topic filters (wildcards only as whole
  // levels, '#' last); duplicates are harmless.
  explicit TopicFilterSet(std::span<const std::string> filters);

  // True when some filter of the set matches the valid topic name `topic`,
  // honouring [MQTT-4.7.2-1]: first-level wildcards do not match topic names
  // that start with '$'.
  bool Matches(std::string_view topic) const;

  bool empty() const { return nodes_.empty(); }

 private:
  // A level of some filter. Node 0 is the root (no label). The literal
  // children of a node are contiguous in `nodes_` and sorted by label.
  struct Node {
    uint32_t label_offset = 0;  // In labels_.
    uint32_t label_size = 0;
    uint32_t first_literal_child = 0;
    uint32_t literal_child_count = 0;
    int32_t plus_child = -1;
    bool ends_filter = false;  // Some filter ends at this level.
    bool hash_child = false;   // Some filter continues with '#' here.
  };

  std::string_view Label(const Node& node) const {
    return std::string_view(labels_).substr(node.label_offset, node.label_size);
  }
  // The literal child of `node` labelled `level`, or -1.
  int32_t FindLiteralChild(const Node& node, std::string_view level) const;
  // Whether the filters below `node` match `topic` from byte `position` (the
  // start of the next level; past the end when no level is left).
  bool MatchesFrom(uint32_t node, std::string_view topic, size_t position,
                   bool dollar_topic) const;

  std::vector<Node> nodes_;  // Empty for the empty set.
  std::string labels_;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_TOPIC_FILTER_SET_H_
