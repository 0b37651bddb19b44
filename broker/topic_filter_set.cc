#include "broker/topic_filter_set.h"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <utility>

#include "absl/strings/str_split.h"
#include "base/check.h"
#include "base/absl_string_view.h"

namespace mqlab::broker {
namespace {

// Above this many literal children a node is searched by bisection.
constexpr uint32_t kLinearSearchChildren = 8;

// The pointer-linked trie the flat one is built from.
struct BuildNode {
  std::map<std::string, std::unique_ptr<BuildNode>, std::less<>> literal;
  std::unique_ptr<BuildNode> plus;
  bool ends_filter = false;
  bool hash_child = false;
};

void Insert(BuildNode& root, std::string_view filter) {
  BuildNode* node = &root;
  for (absl::string_view piece : absl::StrSplit(ToAbsl(filter), '/')) {
    const std::string_view level = FromAbsl(piece);
    if (level == "#") {
      node->hash_child = true;
      return;
    }
    std::unique_ptr<BuildNode>* child;
    if (level == "+") {
      child = &node->plus;
    } else {
      auto it = node->literal.find(level);
      if (it == node->literal.end()) {
        it = node->literal.emplace(std::string(level), nullptr).first;
      }
      child = &it->second;
    }
    if (*child == nullptr) *child = std::make_unique<BuildNode>();
    node = child->get();
  }
  node->ends_filter = true;
}

}  // namespace

TopicFilterSet::TopicFilterSet(std::span<const std::string> filters) {
  if (filters.empty()) return;
  BuildNode root;
  for (const std::string& filter : filters) {
    MQLAB_CHECK(!filter.empty());
    Insert(root, filter);
  }
  // Flatten breadth first so that each node's literal children are adjacent.
  nodes_.emplace_back();
  std::vector<std::pair<const BuildNode*, uint32_t>> queue = {{&root, 0}};
  for (size_t head = 0; head < queue.size(); ++head) {
    const auto [built, index] = queue[head];
    const uint32_t first_child = static_cast<uint32_t>(nodes_.size());
    for (const auto& [label, child] : built->literal) {
      Node node;
      node.label_offset = static_cast<uint32_t>(labels_.size());
      node.label_size = static_cast<uint32_t>(label.size());
      labels_ += label;
      nodes_.push_back(node);
      queue.emplace_back(child.get(), static_cast<uint32_t>(nodes_.size() - 1));
    }
    Node& node = nodes_[index];
    node.first_literal_child = first_child;
    node.literal_child_count = static_cast<uint32_t>(built->literal.size());
    node.ends_filter = built->ends_filter;
    node.hash_child = built->hash_child;
    if (built->plus != nullptr) {
      node.plus_child = static_cast<int32_t>(nodes_.size());
      nodes_.emplace_back();
      queue.emplace_back(built->plus.get(),
                         static_cast<uint32_t>(nodes_.size() - 1));
    }
  }
}

int32_t TopicFilterSet::FindLiteralChild(const Node& node,
                                         std::string_view level) const {
  const uint32_t begin = node.first_literal_child;
  const uint32_t end = begin + node.literal_child_count;
  if (node.literal_child_count <= kLinearSearchChildren) {
    for (uint32_t child = begin; child < end; ++child) {
      if (Label(nodes_[child]) == level) return static_cast<int32_t>(child);
    }
    return -1;
  }
  uint32_t low = begin;
  uint32_t high = end;
  while (low < high) {
    const uint32_t middle = low + (high - low) / 2;
    if (Label(nodes_[middle]) < level) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low < end && Label(nodes_[low]) == level ? static_cast<int32_t>(low)
                                                  : -1;
}

bool TopicFilterSet::MatchesFrom(uint32_t index, std::string_view topic,
                                 size_t position, bool dollar_topic) const {
  const Node& node = nodes_[index];
  // Wildcards at the first level (the root's children) skip '$' topics.
  const bool wildcards_allowed = !(index == 0 && dollar_topic);
  // '#' matches this level's parent and everything below it.
  if (node.hash_child && wildcards_allowed) return true;
  if (position > topic.size()) return node.ends_filter;
  size_t end = topic.find('/', position);
  if (end == std::string_view::npos) end = topic.size();
  const std::string_view level = topic.substr(position, end - position);
  const int32_t literal = FindLiteralChild(node, level);
  if (literal >= 0 && MatchesFrom(static_cast<uint32_t>(literal), topic,
                                  end + 1, dollar_topic)) {
    return true;
  }
  return node.plus_child >= 0 && wildcards_allowed &&
         MatchesFrom(static_cast<uint32_t>(node.plus_child), topic, end + 1,
                     dollar_topic);
}

bool TopicFilterSet::Matches(std::string_view topic) const {
  if (empty()) return false;
  return MatchesFrom(0, topic, 0, topic.starts_with('$'));
}

}  // namespace mqlab::broker
