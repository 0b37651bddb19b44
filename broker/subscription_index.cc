#include "broker/subscription_index.h"

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "base/absl_string_view.h"
#include "base/check.h"

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

// A node's literal children, by level. Most nodes have one or two (the
// "command" and "config" under a device's id): those live in a small vector,
// one allocation that a lookup scans in a cache line or two. Past kFew they
// move to a hash map, so a level with a million children (the device ids
// under "vehicles") costs one probe. Matching at a million filters is bound
// by cache misses; the vector saves one per sparse level. Children live in
// the containers (not behind pointers); adding one may move its siblings.
template <typename Node>
class LiteralChildren {
 public:
  Node* Find(std::string_view level) {
    if (many_ != nullptr) {
      const auto it = many_->find(ToAbsl(level));
      return it == many_->end() ? nullptr : &it->second;
    }
    for (auto& [name, child] : few_) {
      if (name == level) return &child;
    }
    return nullptr;
  }
  const Node* Find(std::string_view level) const {
    return const_cast<LiteralChildren*>(this)->Find(level);
  }

  Node& FindOrAdd(std::string_view level) {
    if (Node* child = Find(level)) return *child;
    if (many_ == nullptr && few_.size() < kFew) {
      return few_
          .emplace_back(std::piecewise_construct, std::forward_as_tuple(level),
                        std::forward_as_tuple())
          .second;
    }
    if (many_ == nullptr) {
      many_ = std::make_unique<absl::flat_hash_map<std::string, Node>>();
      for (auto& [name, child] : few_) {
        many_->try_emplace(std::move(name), std::move(child));
      }
      std::vector<std::pair<std::string, Node>>().swap(few_);
    }
    return many_->try_emplace(std::string(level)).first->second;
  }

  void Erase(std::string_view level) {
    if (many_ != nullptr) {
      many_->erase(ToAbsl(level));
      if (many_->empty()) many_.reset();
      return;
    }
    for (size_t i = 0; i < few_.size(); ++i) {
      if (few_[i].first != level) continue;
      // Order among children does not matter: Match sorts what it collects.
      if (i + 1 != few_.size()) few_[i] = std::move(few_.back());
      few_.pop_back();
      // An emptied vector keeps its buffer; give it back.
      if (few_.empty()) std::vector<std::pair<std::string, Node>>().swap(few_);
      return;
    }
  }

  bool empty() const { return many_ == nullptr && few_.empty(); }

 private:
  static constexpr size_t kFew = 8;
  std::vector<std::pair<std::string, Node>> few_;
  std::unique_ptr<absl::flat_hash_map<std::string, Node>> many_;
};

}  // namespace

struct SubscriptionIndex::Node {
  LiteralChildren<Node> literal_children;
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
      child = node->literal_children.Find(level);
      if (child == nullptr && create) {
        // Inserting may move this node's children, never the nodes on the
        // path (they live in their parents' containers).
        child = &node->literal_children.FindOrAdd(level);
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
      parent->literal_children.Erase(step.level);
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
      if (const Node* child = node->literal_children.Find(level)) {
        next_.push_back(child);
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
