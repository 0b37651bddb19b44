#include "broker/subscription_index.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "base/check.h"
#include "base/absl_string_view.h"

namespace mqlab::broker {
namespace {

constexpr uint8_t kQosMask = 0x03;
constexpr uint8_t kNoLocalBit = 0x04;
constexpr uint8_t kRetainAsPublishedBit = 0x08;

// The level of `text` starting at byte `start` (up to '/' or the end).
std::string_view LevelAt(std::string_view text, size_t start) {
  const size_t end = text.find('/', start);
  return text.substr(
      start, (end == std::string_view::npos ? text.size() : end) - start);
}

}  // namespace

struct SubscriptionIndex::Node {
  // Literal children live in the map's slots (not behind pointers), and the
  // map's header in the node, so a lookup touches one slot per level. An
  // empty map allocates nothing.
  using Children = absl::flat_hash_map<std::string, Node>;
  Children literal_children;
  std::unique_ptr<Node> plus_child;
  // Sorted by subscriber, one entry per subscriber. Most filters have a
  // single subscriber, stored inline.
  Entries exact;  // Filters that end at this node.
  Entries hash;   // Filters that continue with '#' here.

  bool IsEmpty() const {
    return literal_children.empty() && plus_child == nullptr && exact.empty() &&
           hash.empty();
  }
};

SubscriptionIndex::SubscriptionIndex(size_t maximum_subscriptions)
    : root_(std::make_unique<Node>()),
      maximum_subscriptions_(maximum_subscriptions) {}

SubscriptionIndex::~SubscriptionIndex() = default;

uint8_t SubscriptionIndex::Pack(SubscriptionOptions options) {
  MQLAB_CHECK(options.maximum_qos <= 2);
  return static_cast<uint8_t>(
      options.maximum_qos | (options.no_local ? kNoLocalBit : 0) |
      (options.retain_as_published ? kRetainAsPublishedBit : 0));
}

SubscriptionIndex::Entries* SubscriptionIndex::Walk(std::string_view filter,
                                                    bool create) {
  MQLAB_CHECK(!filter.empty());
  path_.clear();
  path_.push_back({root_.get(), {}});
  Node* node = root_.get();
  for (size_t start = 0; start <= filter.size();) {
    const std::string_view level = LevelAt(filter, start);
    start += level.size() + 1;
    if (level == "#") {
      MQLAB_CHECK_MSG(start > filter.size(), "'#' must be the last level");
      return &node->hash;
    }
    Node* child = nullptr;
    if (level == "+") {
      if (node->plus_child == nullptr && create) {
        node->plus_child = std::make_unique<Node>();
        ++node_count_;
      }
      child = node->plus_child.get();
    } else {
      const auto it = node->literal_children.find(ToAbsl(level));
      if (it != node->literal_children.end()) child = &it->second;
      if (child == nullptr && create) {
        // Inserting may move this node's children, never the nodes on the
        // path (they live in their parents' maps).
        child = &node->literal_children.try_emplace(std::string(level))
                     .first->second;
        ++node_count_;
      }
    }
    if (child == nullptr) return nullptr;
    path_.push_back({child, level});
    node = child;
  }
  return &node->exact;
}

void SubscriptionIndex::Prune() {
  // path_[0] is the root, which stays.
  while (path_.size() > 1 && path_.back().node->IsEmpty()) {
    const Step step = path_.back();
    path_.pop_back();
    Node* parent = path_.back().node;
    if (parent->plus_child.get() == step.node) {
      parent->plus_child.reset();
    } else {
      parent->literal_children.erase(ToAbsl(step.level));
      // An emptied map keeps its slots; give them back.
      if (parent->literal_children.empty()) {
        Node::Children().swap(parent->literal_children);
      }
    }
    --node_count_;
  }
}

SubscriptionIndex::AddResult SubscriptionIndex::Add(
    SubscriberId subscriber, std::string_view filter,
    SubscriptionOptions options) {
  const uint8_t packed = Pack(options);
  Entries& entries = *Walk(filter, /*create=*/true);
  const auto it = std::lower_bound(entries.begin(), entries.end(), subscriber,
                                   [](const Entry& entry, SubscriberId id) {
                                     return entry.subscriber < id;
                                   });
  if (it != entries.end() && it->subscriber == subscriber) {
    it->options = packed;
    return AddResult::kReplaced;
  }
  if (size_ >= maximum_subscriptions_) {
    Prune();  // Drop the nodes the walk may have created.
    return AddResult::kFull;
  }
  entries.insert(it, Entry{subscriber, packed});
  ++size_;
  return AddResult::kAdded;
}

bool SubscriptionIndex::Remove(SubscriberId subscriber,
                               std::string_view filter) {
  Entries* entries = Walk(filter, /*create=*/false);
  if (entries == nullptr) return false;
  const auto it = std::lower_bound(entries->begin(), entries->end(), subscriber,
                                   [](const Entry& entry, SubscriberId id) {
                                     return entry.subscriber < id;
                                   });
  if (it == entries->end() || it->subscriber != subscriber) return false;
  entries->erase(it);
  if (entries->empty()) entries->shrink_to_fit();
  --size_;
  Prune();
  return true;
}

void SubscriptionIndex::Collect(const Entries& entries,
                                std::optional<SubscriberId> publisher) const {
  for (const Entry& entry : entries) {
    if ((entry.options & kNoLocalBit) != 0 && publisher == entry.subscriber) {
      continue;
    }
    candidates_.push_back(entry);
  }
}

void SubscriptionIndex::Match(std::string_view topic,
                              std::optional<SubscriberId> publisher,
                              std::vector<SubscriberMatch>* out) const {
  out->clear();
  candidates_.clear();
  current_.clear();
  current_.push_back(root_.get());
  const bool dollar_topic = topic.starts_with('$');
  for (size_t start = 0;;) {
    // Wildcards in the first level do not match '$' topics.
    const bool wildcards = !(dollar_topic && start == 0);
    const std::string_view level = LevelAt(topic, start);
    start += level.size() + 1;
    next_.clear();
    for (const Node* node : current_) {
      if (wildcards) Collect(node->hash, publisher);  // '#' below this level.
      if (const auto it = node->literal_children.find(ToAbsl(level));
          it != node->literal_children.end()) {
        next_.push_back(&it->second);
      }
      if (wildcards && node->plus_child != nullptr) {
        next_.push_back(node->plus_child.get());
      }
    }
    current_.swap(next_);
    if (current_.empty()) break;
    if (start > topic.size()) {
      for (const Node* node : current_) {
        Collect(node->exact, publisher);
        Collect(node->hash, publisher);  // '#' also matches its parent level.
      }
      break;
    }
  }
  // One match per subscriber: the highest QoS, Retain As Published if any.
  // Each node's entries are sorted, so candidates from a single node (most
  // topics) need no sort.
  const auto by_subscriber = [](const Entry& a, const Entry& b) {
    return a.subscriber < b.subscriber;
  };
  if (!std::is_sorted(candidates_.begin(), candidates_.end(), by_subscriber)) {
    std::sort(candidates_.begin(), candidates_.end(), by_subscriber);
  }
  for (const Entry& entry : candidates_) {
    const auto qos = static_cast<uint8_t>(entry.options & kQosMask);
    const bool retain_as_published =
        (entry.options & kRetainAsPublishedBit) != 0;
    if (!out->empty() && out->back().subscriber == entry.subscriber) {
      out->back().maximum_qos = std::max(out->back().maximum_qos, qos);
      out->back().retain_as_published |= retain_as_published;
    } else {
      out->push_back({entry.subscriber, qos, retain_as_published});
    }
  }
}

}  // namespace mqlab::broker
