#include "broker/trie_node_table.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

#include "base/check.h"

namespace mqlab::broker {
namespace {

// A level longer than kInlineLevel keeps this many bytes inline, then the
// pointer to its heap copy.
constexpr size_t kLevelHead = 4;
static_assert(kLevelHead + sizeof(const char*) == TrieNode::kInlineLevel);
constexpr size_t kMinimumCapacity = 16;

const char* HeapLevel(const TrieNode& node) {
  const char* text;
  std::memcpy(&text, node.level + kLevelHead, sizeof(text));
  return text;
}

}  // namespace

bool TrieNodeTable::LongLevelIs(const TrieNode& node, std::string_view level) {
  return std::memcmp(HeapLevel(node), level.data(), level.size()) == 0;
}

std::string_view TrieNode::Level() const {
  if (level_size <= kInlineLevel) return {level, level_size};
  return {HeapLevel(*this), level_size};
}

TrieNodeTable::TrieNodeTable() { Rehash(kMinimumCapacity); }

TrieNodeTable::~TrieNodeTable() {
  for (size_t position = 0; position < capacity_; ++position) {
    const TrieNode& node = slots_[position];
    if (node.id != 0 && node.level_size > TrieNode::kInlineLevel) {
      delete[] HeapLevel(node);
    }
  }
}

size_t TrieNodeTable::Insert(uint64_t path_hash, uint32_t parent, uint32_t id,
                             const TrieLevel& trie_level) {
  const std::string_view level = trie_level.text();
  MQLAB_CHECK(id != 0);
  MQLAB_CHECK(level.size() <= UINT16_MAX);
  if ((size_ + 1) * 4 > capacity_ * 3) Rehash((size_ + 1) * 2);
  TrieNode node;
  node.tag = Tag(path_hash);
  node.parent = parent;
  node.id = id;
  node.level_size = static_cast<uint16_t>(level.size());
  std::memcpy(node.level, trie_level.stored_, TrieNode::kInlineLevel);
  if (level.size() > TrieNode::kInlineLevel) {
    char* text = new char[level.size()];
    std::memcpy(text, level.data(), level.size());
    std::memcpy(node.level + kLevelHead, &text, sizeof(text));
  }
  ++size_;
  return Place(node);
}

size_t TrieNodeTable::Place(const TrieNode& placing) {
  TrieNode node = placing;
  size_t position = Home(node.tag);
  size_t placed = kNotFound;
  for (size_t distance = 0;; ++distance) {
    TrieNode& slot = slots_[position];
    if (slot.id == 0) {
      slot = node;
      return placed == kNotFound ? position : placed;
    }
    // The poorer node (farther from home) takes the slot; equals keep
    // their order.
    const size_t displacement = Displacement(position, slot.tag);
    if (displacement < distance) {
      std::swap(node, slot);
      if (placed == kNotFound) placed = position;
      distance = displacement;
    }
    position = Next(position);
  }
}

void TrieNodeTable::Erase(size_t position) {
  MQLAB_CHECK(position < capacity_ && slots_[position].id != 0);
  if (slots_[position].level_size > TrieNode::kInlineLevel) {
    delete[] HeapLevel(slots_[position]);
  }
  // Shift back the displaced nodes that follow.
  for (;;) {
    const size_t next = Next(position);
    const TrieNode& following = slots_[next];
    if (following.id == 0 || Displacement(next, following.tag) == 0) break;
    slots_[position] = following;
    position = next;
  }
  slots_[position] = TrieNode();
  --size_;
  if (size_ * 4 < capacity_ && capacity_ > kMinimumCapacity) {
    Rehash(size_ * 2);
  }
}

void TrieNodeTable::Rehash(size_t capacity) {
  std::unique_ptr<TrieNode[]> old = std::move(slots_);
  const size_t old_capacity =
      std::exchange(capacity_, std::max(capacity, kMinimumCapacity));
  slots_ = std::make_unique<TrieNode[]>(capacity_);
  for (size_t position = 0; position < old_capacity; ++position) {
    if (old[position].id != 0) Place(old[position]);
  }
}

}  // namespace mqlab::broker
