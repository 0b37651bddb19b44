// The subscription index's trie nodes, all in one open-addressing hash table
// keyed by (parent node, level): a step down the trie is a probe into one
// flat array, usually one cache line, where a tree of nodes and child
// containers costs a pointer chase per container.
//
// The caller hands in each node's path hash, a hash of the filter's levels up
// to the node chained level by level (TrieLevel::PathHash), so the slot of a
// node follows from the levels alone, not from its parent's slot: lookups
// of successive levels do not wait for each other's cache misses. The table
// keeps 32 bits of that hash (the node's tag, which also places it); nodes
// with equal tags are told apart by parent and level, so a collision costs a
// probe, never a wrong answer.
//
// Ordered linear probing (Amble and Knuth's ordered hash table; with homes
// in tag order it is Robin Hood hashing): nodes sit in tag order, each at or
// after its home slot with no empty slot in between. A lookup skips the
// smaller tags, compares the equal ones and stops at a larger tag or an empty
// slot. Runs never wrap around: they spill into overflow slots past the last
// home, and an empty slot always ends the array. Deletion shifts the
// following nodes back (no tombstones). The table grows past 3/4 full and
// shrinks below 1/4 full, to half full. A node is 32 bytes, two to a cache
// line: levels of up to 12 bytes are stored inline, longer ones in a heap
// block the node owns.
//
// Inserting and erasing move other nodes: positions and references are valid
// until the next Insert or Erase. Nodes are found again by key.
#ifndef MQLAB_BROKER_TRIE_NODE_TABLE_H_
#define MQLAB_BROKER_TRIE_NODE_TABLE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <type_traits>

#include "absl/numeric/int128.h"

namespace mqlab::broker {

struct alignas(32) TrieNode {
  static constexpr size_t kInlineLevel = 12;

  // Key and placement: maintained by the table.
  // The high 32 bits of the node's path hash; an empty slot has the largest
  // tag, so that a lookup's scan of smaller tags stops there.
  uint32_t tag = UINT32_MAX;
  uint32_t parent = 0;  // The parent node's id.
  uint32_t id = 0;      // 0 marks an empty slot (the root's id, never stored).
  // The index's payload; the table only carries it.
  uint32_t entry = 0;
  uint8_t flags = 0;
  uint8_t options = 0;

  uint16_t level_size = 0;
  // The level zero-padded when it fits, else its first 4 bytes and a pointer
  // to the whole level.
  char level[kInlineLevel] = {};

  std::string_view Level() const;
};
static_assert(sizeof(TrieNode) == 32);

// A level ready for hashing and for comparing with nodes' levels: made once,
// looked up under many parents.
class TrieLevel {
 public:
  constexpr explicit TrieLevel(std::string_view level) : text_(level) {
    const size_t size = level.size();
    if (std::is_constant_evaluated()) {
      for (size_t i = 0; i < size && i < TrieNode::kInlineLevel; ++i) {
        stored_[i] = level[i];
      }
    } else if (size >= 8) {
      // Fixed-size copies that may overlap: no call to memcpy.
      const size_t tail = std::min(size, TrieNode::kInlineLevel) - 4;
      std::memcpy(stored_, level.data(), 8);
      std::memcpy(stored_ + tail, level.data() + tail, 4);
    } else if (size >= 4) {
      std::memcpy(stored_, level.data(), 4);
      std::memcpy(stored_ + size - 4, level.data() + size - 4, 4);
    } else if (size > 0) {
      // One to three bytes: the first, the middle and the last cover them.
      stored_[0] = level[0];
      stored_[size / 2] = level[size / 2];
      stored_[size - 1] = level[size - 1];
    }
  }
  std::string_view text() const { return text_; }

  // The path hash of this level under a node with `parent_path_hash`. Levels
  // that fit a node hash their stored words with two 128-bit products
  // (wyhash's mixing); longer ones go through XXH3.
  uint64_t PathHash(uint64_t parent_path_hash) const {
    if (text_.size() > TrieNode::kInlineLevel) {
      return LongPathHash(parent_path_hash);
    }
    uint64_t low;
    uint32_t high;
    std::memcpy(&low, stored_, sizeof(low));
    std::memcpy(&high, stored_ + sizeof(low), sizeof(high));
    const uint64_t seed =
        parent_path_hash ^ Mix(parent_path_hash ^ kMix0, kMix1);
    const absl::uint128 product =
        absl::uint128(low ^ kMix1) *
        ((uint64_t{high} | (uint64_t{text_.size()} << 32)) ^ seed);
    return Mix(absl::Uint128Low64(product) ^ kMix0,
               absl::Uint128High64(product) ^ kMix1);
  }

 private:
  friend class TrieNodeTable;
  static constexpr uint64_t kMix0 = 0xa0761d6478bd642f;
  static constexpr uint64_t kMix1 = 0xe7037ed1a0b428db;
  // The 128-bit product of `a` and `b`, its halves folded.
  static uint64_t Mix(uint64_t a, uint64_t b) {
    const absl::uint128 product = absl::uint128(a) * b;
    return absl::Uint128Low64(product) ^ absl::Uint128High64(product);
  }
  uint64_t LongPathHash(uint64_t parent_path_hash) const;

  std::string_view text_;
  // TrieNode::level's bytes for this level.
  char stored_[TrieNode::kInlineLevel] = {};
};

class TrieNodeTable {
 public:
  static constexpr size_t kNotFound = ~size_t{0};

  TrieNodeTable();
  ~TrieNodeTable();
  TrieNodeTable(const TrieNodeTable&) = delete;
  TrieNodeTable& operator=(const TrieNodeTable&) = delete;

  // The position of the node with this key, or kNotFound. `path_hash` is the
  // one the node was inserted with. Inline: Match's hot path.
  size_t Find(uint64_t path_hash, uint32_t parent,
              const TrieLevel& level) const {
    const uint32_t tag = Tag(path_hash);
    const TrieNode* node = &slots_[Home(tag)];
    // Smaller tags belong to nodes displaced from earlier homes. The array
    // ends with an empty slot, whose tag stops both loops.
    while (node->tag < tag) ++node;
    for (; node->tag == tag && node->id != 0; ++node) {
      if (node->parent == parent && LevelIs(*node, level)) {
        return static_cast<size_t>(node - slots_.get());
      }
    }
    return kNotFound;
  }

  // Adds a node with a key not in the table, `id` != 0, level at most 65535
  // bytes; returns its position. The payload starts zeroed.
  size_t Insert(uint64_t path_hash, uint32_t parent, uint32_t id,
                const TrieLevel& level);
  void Erase(size_t position);

  TrieNode& at(size_t position) { return slots_[position]; }
  const TrieNode& at(size_t position) const { return slots_[position]; }
  size_t PositionOf(const TrieNode& node) const {
    return static_cast<size_t>(&node - slots_.get());
  }

  size_t size() const { return size_; }
  // Home slots; the array has a few overflow slots more.
  size_t capacity() const { return capacity_; }

 private:
  size_t Home(uint32_t tag) const { return HomeIn(tag, capacity_); }
  // Multiply-shift maps tags onto any number of homes, in order (Lemire's
  // fastrange).
  static size_t HomeIn(uint32_t tag, size_t capacity) {
    return static_cast<size_t>((uint64_t{tag} * capacity) >> 32);
  }
  static uint32_t Tag(uint64_t path_hash) {
    return static_cast<uint32_t>(path_hash >> 32);
  }
  static bool LevelIs(const TrieNode& node, const TrieLevel& level) {
    // Twelve bytes compared as two words; a long level's head, then the rest.
    static_assert(TrieNode::kInlineLevel == 12);
    if (node.level_size != level.text_.size() ||
        Load<uint32_t>(node.level) != Load<uint32_t>(level.stored_)) {
      return false;
    }
    if (level.text_.size() <= TrieNode::kInlineLevel) {
      return Load<uint64_t>(node.level + 4) ==
             Load<uint64_t>(level.stored_ + 4);
    }
    return LongLevelIs(node, level.text_);
  }
  static bool LongLevelIs(const TrieNode& node, std::string_view level);
  template <typename Word>
  static Word Load(const char* bytes) {
    Word word;
    std::memcpy(&word, bytes, sizeof(word));
    return word;
  }
  // Rebuilds the array with `capacity` homes.
  void Rehash(size_t capacity);
  // More overflow slots: a run reached the empty slot that ends the array.
  void Extend();

  std::unique_ptr<TrieNode[]> slots_;
  size_t capacity_ = 0;  // Home slots.
  size_t end_ = 0;       // All slots, overflow included.
  size_t size_ = 0;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_TRIE_NODE_TABLE_H_
