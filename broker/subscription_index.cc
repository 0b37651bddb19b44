#include "broker/subscription_index.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include "base/check.h"
#include "broker/trie_node_table.h"

namespace mqlab::broker {
namespace {

constexpr uint8_t kQosMask = 0x03;
constexpr uint8_t kNoLocalBit = 0x04;
constexpr uint8_t kRetainAsPublishedBit = 0x08;

// TrieNode::flags.
constexpr uint8_t kHasLiteralChildren = 0x01;
constexpr uint8_t kHasPlusChild = 0x02;
// Where the node's subscriptions are: none; one, inline (TrieNode::entry is
// the subscriber, TrieNode::options its options), ending at the node or
// continuing with '#'; or in lists (TrieNode::entry indexes lists_).
constexpr uint8_t kEntriesMask = 0x0C;
constexpr uint8_t kNoEntries = 0x00;
constexpr uint8_t kOneExact = 0x04;
constexpr uint8_t kOneHash = 0x08;
constexpr uint8_t kEntryLists = 0x0C;

constexpr uint32_t kNoFreeId = UINT32_MAX;
constexpr uint64_t kRootPathHash = 0;
constexpr TrieLevel kPlusLevel("+");

// Where the level of `text` starting at byte `start` ends: at the next '/' or
// the end. Eight bytes at a time: a word has a '/' where word ^ "////////"
// has a zero byte, and the lowest such byte is found exactly. A last
// partial word is the text's last eight bytes shifted down (zeros come in,
// and are no '/'). Inline: Match splits every topic.
inline size_t LevelEnd(std::string_view text, size_t start) {
  static_assert(std::endian::native == std::endian::little);
  constexpr uint64_t kOnes = 0x0101010101010101;
  constexpr uint64_t kHighs = 0x8080808080808080;
  if (text.size() < sizeof(uint64_t)) {
    size_t end = start;
    while (end < text.size() && text[end] != '/') ++end;
    return end;
  }
  for (size_t end = start; end < text.size(); end += sizeof(uint64_t)) {
    const size_t remaining = text.size() - end;
    uint64_t word;
    if (remaining >= sizeof(word)) {
      std::memcpy(&word, text.data() + end, sizeof(word));
    } else {
      std::memcpy(&word, text.data() + text.size() - sizeof(word),
                  sizeof(word));
      word >>= 8 * (sizeof(word) - remaining);
    }
    const uint64_t slashes = word ^ (kOnes * '/');
    const uint64_t found = (slashes - kOnes) & ~slashes & kHighs;
    if (found != 0) {
      return end + static_cast<size_t>(std::countr_zero(found)) / 8;
    }
  }
  return text.size();
}

// The level of `text` starting at byte `start`.
std::string_view LevelAt(std::string_view text, size_t start) {
  return text.substr(start, LevelEnd(text, start) - start);
}

uint8_t OneEntry(bool hash) { return hash ? kOneHash : kOneExact; }

// The first of matches sorted by subscriber whose subscriber is not below
// `subscriber`.
template <typename Iterator>
Iterator LowerBound(Iterator first, Iterator last, SubscriberId subscriber) {
  return std::lower_bound(first, last, subscriber,
                          [](const SubscriberMatch& match, SubscriberId id) {
                            return match.subscriber < id;
                          });
}

// A valid filter has '#' only as its whole last level.
bool EndsWithHash(std::string_view filter) { return filter.ends_with('#'); }

bool IsEmpty(const TrieNode& node) {
  return (node.flags & (kHasLiteralChildren | kHasPlusChild | kEntriesMask)) ==
         0;
}

}  // namespace

SubscriptionIndex::SubscriptionIndex(size_t maximum_subscriptions)
    : literal_children_(1, 0),  // The root's.
      first_free_id_(kNoFreeId),
      maximum_subscriptions_(maximum_subscriptions) {}

SubscriptionIndex::~SubscriptionIndex() = default;

uint8_t SubscriptionIndex::Pack(SubscriptionOptions options) {
  MQLAB_CHECK(options.maximum_qos <= 2);
  return static_cast<uint8_t>(
      options.maximum_qos | (options.no_local ? kNoLocalBit : 0) |
      (options.retain_as_published ? kRetainAsPublishedBit : 0));
}

SubscriberMatch SubscriptionIndex::Unpack(SubscriberId subscriber,
                                          uint8_t packed) {
  return {subscriber, static_cast<uint8_t>(packed & kQosMask),
          (packed & kRetainAsPublishedBit) != 0};
}

bool SubscriptionIndex::SetInList(EntryList& list, SubscriberId subscriber,
                                  uint8_t packed, bool add) {
  const auto match =
      LowerBound(list.matches.begin(), list.matches.end(), subscriber);
  const bool found =
      match != list.matches.end() && match->subscriber == subscriber;
  if (found) {
    *match = Unpack(subscriber, packed);
  } else if (add) {
    list.matches.insert(match, Unpack(subscriber, packed));
  } else {
    return false;
  }
  const auto no_local =
      std::lower_bound(list.no_local.begin(), list.no_local.end(), subscriber);
  const bool was_no_local =
      no_local != list.no_local.end() && *no_local == subscriber;
  if ((packed & kNoLocalBit) != 0 && !was_no_local) {
    list.no_local.insert(no_local, subscriber);
  } else if ((packed & kNoLocalBit) == 0 && was_no_local) {
    list.no_local.erase(no_local);
  }
  return found;
}

bool SubscriptionIndex::RemoveFromList(EntryList& list,
                                       SubscriberId subscriber) {
  // Clearing No Local first leaves the list consistent either way.
  if (!SetInList(list, subscriber, 0, /*add=*/false)) return false;
  list.matches.erase(
      LowerBound(list.matches.begin(), list.matches.end(), subscriber));
  return true;
}

uint32_t SubscriptionIndex::NewNodeId() {
  if (first_free_id_ != kNoFreeId) {
    const uint32_t id = first_free_id_;
    first_free_id_ = literal_children_[id];
    literal_children_[id] = 0;
    return id;
  }
  MQLAB_CHECK(literal_children_.size() < kNoFreeId);
  literal_children_.push_back(0);
  return static_cast<uint32_t>(literal_children_.size() - 1);
}

void SubscriptionIndex::FreeNodeId(uint32_t id) {
  literal_children_[id] = first_free_id_;
  first_free_id_ = id;
}

TrieNode* SubscriptionIndex::Walk(std::string_view filter, bool create) {
  MQLAB_CHECK(!filter.empty());
  path_.clear();
  TrieNode* node = &root_;
  uint64_t path_hash = kRootPathHash;
  for (size_t start = 0; start <= filter.size();) {
    const std::string_view level = LevelAt(filter, start);
    start += level.size() + 1;
    if (level == "#") {
      MQLAB_CHECK_MSG(start > filter.size(), "'#' must be the last level");
      break;
    }
    const uint32_t parent = node->id;
    const TrieLevel trie_level(level);
    path_hash = trie_level.PathHash(path_hash);
    size_t position = nodes_.Find(path_hash, parent, trie_level);
    if (position == TrieNodeTable::kNotFound) {
      if (!create) return nullptr;
      // The parent learns of its child first: inserting moves nodes.
      if (level == "+") {
        node->flags |= kHasPlusChild;
      } else if (literal_children_[parent]++ == 0) {
        node->flags |= kHasLiteralChildren;
      }
      position = nodes_.Insert(path_hash, parent, NewNodeId(), trie_level);
    }
    node = &nodes_.at(position);
    path_.push_back({path_hash, parent, node->id, trie_level});
  }
  return node;
}

bool SubscriptionIndex::ReplaceEntry(TrieNode& node, bool hash,
                                     SubscriberId subscriber, uint8_t packed) {
  const uint8_t entries = node.flags & kEntriesMask;
  if (entries != kEntryLists) {
    if (entries != OneEntry(hash) || node.entry != subscriber) return false;
    node.options = packed;
    return true;
  }
  EntryLists& lists = lists_[node.entry];
  return SetInList(hash ? lists.hash : lists.exact, subscriber, packed,
                   /*add=*/false);
}

void SubscriptionIndex::InsertEntry(TrieNode& node, bool hash,
                                    SubscriberId subscriber, uint8_t packed) {
  const uint8_t entries = node.flags & kEntriesMask;
  if (entries == kNoEntries) {
    node.flags |= OneEntry(hash);
    node.entry = subscriber;
    node.options = packed;
    return;
  }
  if (entries != kEntryLists) {
    // A second subscription: both move to lists.
    uint32_t list;
    if (free_lists_.empty()) {
      MQLAB_CHECK(lists_.size() < UINT32_MAX);
      list = static_cast<uint32_t>(lists_.size());
      lists_.emplace_back();
    } else {
      list = free_lists_.back();
      free_lists_.pop_back();
    }
    SetInList(entries == kOneHash ? lists_[list].hash : lists_[list].exact,
              node.entry, node.options, /*add=*/true);
    node.flags =
        static_cast<uint8_t>((node.flags & ~kEntriesMask) | kEntryLists);
    node.entry = list;
    node.options = 0;
  }
  EntryLists& lists = lists_[node.entry];
  SetInList(hash ? lists.hash : lists.exact, subscriber, packed,
            /*add=*/true);
}

bool SubscriptionIndex::RemoveEntry(TrieNode& node, bool hash,
                                    SubscriberId subscriber) {
  const uint8_t entries = node.flags & kEntriesMask;
  if (entries != kEntryLists) {
    if (entries != OneEntry(hash) || node.entry != subscriber) return false;
    node.flags &= ~kEntriesMask;
    node.entry = 0;
    node.options = 0;
    return true;
  }
  EntryLists& lists = lists_[node.entry];
  if (!RemoveFromList(hash ? lists.hash : lists.exact, subscriber)) {
    return false;
  }
  if (lists.exact.matches.size() + lists.hash.matches.size() > 1) return true;
  // One subscription left: it moves back inline and the lists are freed.
  const bool last_is_hash = lists.exact.matches.empty();
  const EntryList& last_list = last_is_hash ? lists.hash : lists.exact;
  const SubscriberMatch last = last_list.matches.front();
  const bool last_no_local = !last_list.no_local.empty();
  lists = EntryLists();
  free_lists_.push_back(node.entry);
  node.flags = static_cast<uint8_t>((node.flags & ~kEntriesMask) |
                                    OneEntry(last_is_hash));
  node.entry = last.subscriber;
  node.options = Pack({.maximum_qos = last.maximum_qos,
                       .no_local = last_no_local,
                       .retain_as_published = last.retain_as_published});
  return true;
}

void SubscriptionIndex::Prune(TrieNode* node) {
  for (size_t i = path_.size(); i-- > 0 && IsEmpty(*node);) {
    const Step& step = path_[i];
    nodes_.Erase(nodes_.PositionOf(*node));
    FreeNodeId(step.id);
    if (i == 0) {
      node = &root_;
    } else {
      // Erasing moved nodes: find the parent again.
      const Step& parent = path_[i - 1];
      node = &nodes_.at(
          nodes_.Find(parent.path_hash, parent.parent, parent.level));
    }
    if (step.level.text() == "+") {
      node->flags &= ~kHasPlusChild;
    } else if (--literal_children_[node->id] == 0) {
      node->flags &= ~kHasLiteralChildren;
    }
  }
}

SubscriptionIndex::AddResult SubscriptionIndex::Add(
    SubscriberId subscriber, std::string_view filter,
    SubscriptionOptions options) {
  const uint8_t packed = Pack(options);
  const bool hash = EndsWithHash(filter);
  // A full index creates no nodes: it can only replace.
  const bool room = size_ < maximum_subscriptions_;
  TrieNode* node = Walk(filter, /*create=*/room);
  if (node == nullptr) return AddResult::kFull;
  if (ReplaceEntry(*node, hash, subscriber, packed)) {
    return AddResult::kReplaced;
  }
  if (!room) return AddResult::kFull;
  InsertEntry(*node, hash, subscriber, packed);
  ++size_;
  return AddResult::kAdded;
}

bool SubscriptionIndex::Remove(SubscriberId subscriber,
                               std::string_view filter) {
  TrieNode* node = Walk(filter, /*create=*/false);
  if (node == nullptr ||
      !RemoveEntry(*node, EndsWithHash(filter), subscriber)) {
    return false;
  }
  --size_;
  Prune(node);
  return true;
}

bool SubscriptionIndex::CollectList(const EntryList& list,
                                    std::optional<SubscriberId> publisher,
                                    std::vector<SubscriberMatch>* out) {
  const size_t before = out->size();
  out->insert(out->end(), list.matches.begin(), list.matches.end());
  // A list holds each subscriber once: No Local drops one match at most.
  if (publisher.has_value() &&
      std::binary_search(list.no_local.begin(), list.no_local.end(),
                         *publisher)) {
    const auto own = LowerBound(out->begin() + static_cast<ptrdiff_t>(before),
                                out->end(), *publisher);
    MQLAB_CHECK(own->subscriber == *publisher);
    out->erase(own);
  }
  return out->size() != before;
}

bool SubscriptionIndex::Collect(const TrieNode& node, bool hash,
                                std::optional<SubscriberId> publisher,
                                std::vector<SubscriberMatch>* out) const {
  const uint8_t entries = node.flags & kEntriesMask;
  if (entries == OneEntry(hash)) {
    if ((node.options & kNoLocalBit) != 0 && publisher == node.entry) {
      return false;
    }
    out->push_back(Unpack(node.entry, node.options));
    return true;
  }
  if (entries != kEntryLists) return false;
  const EntryLists& lists = lists_[node.entry];
  return CollectList(hash ? lists.hash : lists.exact, publisher, out);
}

void SubscriptionIndex::Match(std::string_view topic,
                              std::optional<SubscriberId> publisher,
                              std::vector<SubscriberMatch>* out) const {
  out->clear();
  // Nodes whose subscriptions reached `out`: one node's are already sorted
  // and hold each subscriber once.
  size_t contributors = 0;
  // Hash all the topic's levels first. The walk below then finds each
  // literal child at an address computed without its parent's data, and the
  // processor, running ahead on predicted branches, loads the nodes of
  // several levels at once (measured: hashing level by level inside the
  // walk is about a quarter slower at a million filters).
  levels_.clear();
  uint64_t literal_path_hash = kRootPathHash;
  for (size_t start = 0;;) {
    const size_t end = LevelEnd(topic, start);
    const TrieLevel level({topic.data() + start, end - start});
    literal_path_hash = level.PathHash(literal_path_hash);
    levels_.push_back({level, literal_path_hash});
    if (end == topic.size()) break;
    start = end + 1;
  }
  const size_t level_count = levels_.size();
  // Depth first; the visiting order does not matter (several nodes' matches
  // are sorted below).
  const bool dollar_topic = topic.starts_with('$');
  // A node pushes at most two children, one level deeper, and pops before
  // it pushes: the stack never holds more than one node per level plus one.
  if (stack_.size() < level_count + 1) stack_.resize(level_count + 1);
  size_t stacked = 0;
  const auto push = [&](const TrieNode* node, uint64_t path_hash,
                        size_t depth) {
    MQLAB_CHECK(stacked < stack_.size());
    stack_[stacked++] = {node, path_hash, depth};
  };
  push(&root_, kRootPathHash, 0);
  while (stacked > 0) {
    const Visit visit = stack_[--stacked];
    const TrieNode& node = *visit.node;
    // Wildcards in the first level do not match '$' topics [MQTT-4.7.2-1].
    const bool wildcards = !(dollar_topic && visit.depth == 0);
    // '#' here matches the levels below, and this level too.
    // Most nodes on a walk hold no subscription: no call for them.
    const bool entries = (node.flags & kEntriesMask) != kNoEntries;
    if (wildcards && entries) {
      contributors += Collect(node, /*hash=*/true, publisher, out);
    }
    if (visit.depth == level_count) {
      if (entries) {
        contributors += Collect(node, /*hash=*/false, publisher, out);
      }
      continue;
    }
    const TopicLevel& level = levels_[visit.depth];
    if ((node.flags & kHasLiteralChildren) != 0) {
      // A node on the literal path has its child's hash ready.
      const uint64_t literal_parent_hash =
          visit.depth == 0 ? kRootPathHash : levels_[visit.depth - 1].path_hash;
      const uint64_t path_hash = visit.path_hash == literal_parent_hash
                                     ? level.path_hash
                                     : level.level.PathHash(visit.path_hash);
      const size_t position = nodes_.Find(path_hash, node.id, level.level);
      if (position != TrieNodeTable::kNotFound) {
        push(&nodes_.at(position), path_hash, visit.depth + 1);
      }
    }
    if (wildcards && (node.flags & kHasPlusChild) != 0) {
      const uint64_t path_hash = kPlusLevel.PathHash(visit.path_hash);
      const size_t position = nodes_.Find(path_hash, node.id, kPlusLevel);
      MQLAB_CHECK(position != TrieNodeTable::kNotFound);
      push(&nodes_.at(position), path_hash, visit.depth + 1);
    }
  }
  if (contributors < 2) return;
  // One match per subscriber: the highest QoS, Retain As Published if any.
  std::sort(out->begin(), out->end(),
            [](const SubscriberMatch& a, const SubscriberMatch& b) {
              return a.subscriber < b.subscriber;
            });
  size_t kept = 0;
  for (const SubscriberMatch& match : *out) {
    if (kept > 0 && (*out)[kept - 1].subscriber == match.subscriber) {
      SubscriberMatch& merged = (*out)[kept - 1];
      merged.maximum_qos = std::max(merged.maximum_qos, match.maximum_qos);
      merged.retain_as_published |= match.retain_as_published;
    } else {
      (*out)[kept++] = match;
    }
  }
  out->resize(kept);
}

}  // namespace mqlab::broker
