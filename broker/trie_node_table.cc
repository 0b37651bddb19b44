#include "broker/trie_node_table.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

#include "base/check.h"

// XXH3 compiled in, for the levels longer than a node holds.
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace mqlab::broker {
namespace {

// A level longer than kInlineLevel keeps this many bytes inline, then the
// pointer to its heap copy.
constexpr size_t kLevelHead = 4;
static_assert(kLevelHead + sizeof(const char*) == TrieNode::kInlineLevel);
constexpr size_t kMinimumCapacity = 16;
// Overflow slots past the last home after a rehash (the last one stays
// empty).
constexpr size_t kOverflow = 8;

const char* HeapLevel(const TrieNode& node) {
  const char* text;
  std::memcpy(&text, node.level + kLevelHead, sizeof(text));
  return text;
}

}  // namespace

uint64_t TrieLevel::LongPathHash(uint64_t parent_path_hash) const {
  return XXH3_64bits_withSeed(text_.data(), text_.size(), parent_path_hash);
}

bool TrieNodeTable::LongLevelIs(const TrieNode& node, std::string_view level) {
  return std::memcmp(HeapLevel(node), level.data(), level.size()) == 0;
}

std::string_view TrieNode::Level() const {
  if (level_size <= kInlineLevel) return {level, level_size};
  return {HeapLevel(*this), level_size};
}

TrieNodeTable::TrieNodeTable() { Rehash(kMinimumCapacity); }

TrieNodeTable::~TrieNodeTable() {
  for (size_t position = 0; position < end_; ++position) {
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
  // After the nodes of smaller or equal tags; the rest of the run moves up.
  size_t position = Home(node.tag);
  while (slots_[position].id != 0 && slots_[position].tag <= node.tag) {
    ++position;
  }
  size_t empty = position;
  while (slots_[empty].id != 0) ++empty;
  if (empty + 1 == end_) Extend();
  std::copy_backward(&slots_[position], &slots_[empty], &slots_[empty + 1]);
  slots_[position] = node;
  ++size_;
  return position;
}

void TrieNodeTable::Erase(size_t position) {
  MQLAB_CHECK(position < end_ && slots_[position].id != 0);
  if (slots_[position].level_size > TrieNode::kInlineLevel) {
    delete[] HeapLevel(slots_[position]);
  }
  // Shift back the displaced nodes that follow (the array ends empty).
  for (;; ++position) {
    const TrieNode& next = slots_[position + 1];
    if (next.id == 0 || Home(next.tag) == position + 1) break;
    slots_[position] = next;
  }
  slots_[position] = TrieNode();
  --size_;
  if (size_ * 4 < capacity_ && capacity_ > kMinimumCapacity) {
    Rehash(size_ * 2);
  }
}

void TrieNodeTable::Rehash(size_t capacity) {
  capacity = std::max(capacity, kMinimumCapacity);
  // The nodes in tag order, each at its new home or just after the one
  // before: first where the last one lands, then the array.
  size_t next = 0;
  for (size_t position = 0; position < end_; ++position) {
    if (slots_[position].id == 0) continue;
    next = std::max(HomeIn(slots_[position].tag, capacity), next) + 1;
  }
  const size_t end = std::max(capacity, next) + kOverflow;
  auto slots = std::make_unique<TrieNode[]>(end);
  next = 0;
  for (size_t position = 0; position < end_; ++position) {
    const TrieNode& node = slots_[position];
    if (node.id == 0) continue;
    next = std::max(HomeIn(node.tag, capacity), next);
    slots[next++] = node;
  }
  slots_ = std::move(slots);
  capacity_ = capacity;
  end_ = end;
}

void TrieNodeTable::Extend() {
  const size_t end = end_ + std::max(kOverflow, end_ - capacity_);
  auto slots = std::make_unique<TrieNode[]>(end);
  std::copy(&slots_[0], &slots_[end_], &slots[0]);
  slots_ = std::move(slots);
  end_ = end;
}

}  // namespace mqlab::broker
