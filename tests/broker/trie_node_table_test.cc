#include "broker/trie_node_table.h"

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "base/random.h"
#include "gtest/gtest.h"

namespace mqlab::broker {
namespace {

// A path hash whose high 32 bits (the tag, which places the node) are `tag`.
constexpr uint64_t WithTag(uint32_t tag, uint32_t low = 0) {
  return (uint64_t{tag} << 32) | low;
}

size_t Find(const TrieNodeTable& table, uint64_t path_hash, uint32_t parent,
            const std::string& level) {
  return table.Find(path_hash, parent, TrieLevel(level));
}

size_t Insert(TrieNodeTable& table, uint64_t path_hash, uint32_t parent,
              uint32_t id, const std::string& level) {
  return table.Insert(path_hash, parent, id, TrieLevel(level));
}

TEST(TrieNodeTableTest, FindsNodesByParentAndLevel) {
  TrieNodeTable table;
  const size_t a = Insert(table, WithTag(7), 0, 1, "a");
  EXPECT_EQ(table.at(a).id, 1u);
  EXPECT_EQ(table.at(a).parent, 0u);
  EXPECT_EQ(table.at(a).Level(), "a");
  Insert(table, WithTag(9), 1, 2, "b");
  EXPECT_EQ(table.size(), 2u);
  EXPECT_EQ(table.at(Find(table, WithTag(7), 0, "a")).id, 1u);
  EXPECT_EQ(table.at(Find(table, WithTag(9), 1, "b")).id, 2u);
  // Any part of the key differing finds nothing.
  EXPECT_EQ(Find(table, WithTag(7), 1, "a"), TrieNodeTable::kNotFound);
  EXPECT_EQ(Find(table, WithTag(7), 0, "b"), TrieNodeTable::kNotFound);
  EXPECT_EQ(Find(table, WithTag(8), 0, "a"), TrieNodeTable::kNotFound);
  EXPECT_EQ(Find(table, WithTag(7), 0, ""), TrieNodeTable::kNotFound);
  // The low 32 bits of the hash are not kept.
  EXPECT_EQ(table.at(Find(table, WithTag(7, 12345), 0, "a")).id, 1u);
}

TEST(TrieNodeTableTest, EqualTagsAreToldApartByParentAndLevel) {
  TrieNodeTable table;
  constexpr uint64_t kHash = WithTag(0x80000000);
  std::vector<std::pair<uint32_t, std::string>> keys;
  uint32_t id = 1;
  for (uint32_t parent = 0; parent < 5; ++parent) {
    for (const std::string level : {"", "x", "xy", "level-of-13-b"}) {
      Insert(table, kHash, parent, id++, level);
      keys.emplace_back(parent, level);
    }
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    const size_t position = Find(table, kHash, keys[i].first, keys[i].second);
    ASSERT_NE(position, TrieNodeTable::kNotFound);
    EXPECT_EQ(table.at(position).id, i + 1);
  }
  // Erasing from the middle of the run keeps the rest reachable.
  for (size_t i = 0; i < keys.size(); i += 2) {
    table.Erase(Find(table, kHash, keys[i].first, keys[i].second));
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    const size_t position = Find(table, kHash, keys[i].first, keys[i].second);
    if (i % 2 == 0) {
      EXPECT_EQ(position, TrieNodeTable::kNotFound);
    } else {
      ASSERT_NE(position, TrieNodeTable::kNotFound);
      EXPECT_EQ(table.at(position).id, i + 1);
    }
  }
}

TEST(TrieNodeTableTest, RunsSpillPastTheLastHome) {
  TrieNodeTable table;
  // The highest tag's home is the last home slot: its run continues in the
  // overflow slots, and past them once the array is extended.
  constexpr uint64_t kLast = WithTag(UINT32_MAX);
  constexpr uint32_t kNodes = 11;  // More than the overflow slots.
  for (uint32_t id = 1; id <= kNodes; ++id) {
    Insert(table, kLast, 0, id, std::to_string(id));
  }
  Insert(table, WithTag(0), 0, kNodes + 1, "first");
  EXPECT_EQ(table.capacity(), 16u);
  EXPECT_EQ(Find(table, kLast, 0, "1"), table.capacity() - 1);
  EXPECT_EQ(Find(table, WithTag(0), 0, "first"), 0u);
  for (uint32_t id = 1; id <= kNodes; ++id) {
    const size_t position = Find(table, kLast, 0, std::to_string(id));
    ASSERT_NE(position, TrieNodeTable::kNotFound);
    EXPECT_EQ(table.at(position).id, id);
  }
  table.Erase(Find(table, kLast, 0, "1"));
  table.Erase(Find(table, kLast, 0, "4"));
  for (uint32_t id = 1; id <= kNodes; ++id) {
    const size_t position = Find(table, kLast, 0, std::to_string(id));
    if (id == 1 || id == 4) {
      EXPECT_EQ(position, TrieNodeTable::kNotFound);
    } else {
      ASSERT_NE(position, TrieNodeTable::kNotFound);
      EXPECT_EQ(table.at(position).id, id);
    }
  }
  EXPECT_EQ(table.at(Find(table, WithTag(0), 0, "first")).id, kNodes + 1);
}

TEST(TrieNodeTableTest, LongLevelsLiveOnTheHeapAndCompareWhole) {
  TrieNodeTable table;
  const std::string twelve(12, 'a');
  const std::string thirteen = twelve + "b";
  const std::string other_thirteen = twelve + "c";
  const std::string longest(65535, 'z');
  constexpr uint64_t kHash = WithTag(42);
  Insert(table, kHash, 0, 1, twelve);
  Insert(table, kHash, 0, 2, thirteen);
  Insert(table, kHash, 0, 3, longest);
  EXPECT_EQ(table.at(Find(table, kHash, 0, twelve)).Level(), twelve);
  EXPECT_EQ(table.at(Find(table, kHash, 0, thirteen)).Level(), thirteen);
  EXPECT_EQ(table.at(Find(table, kHash, 0, longest)).Level(), longest);
  // Same head and size, different tail.
  EXPECT_EQ(Find(table, kHash, 0, other_thirteen), TrieNodeTable::kNotFound);
  EXPECT_EQ(Find(table, kHash, 0, twelve + "bb"), TrieNodeTable::kNotFound);
  table.Erase(Find(table, kHash, 0, thirteen));
  EXPECT_EQ(Find(table, kHash, 0, thirteen), TrieNodeTable::kNotFound);
  EXPECT_EQ(table.at(Find(table, kHash, 0, longest)).Level(), longest);
  // The destructor frees the long level still held (ASan would tell).
}

TEST(TrieNodeTableTest, GrowsPastThreeQuartersAndShrinksBelowAQuarter) {
  TrieNodeTable table;
  EXPECT_EQ(table.capacity(), 16u);
  Random random(3);
  std::vector<uint64_t> hashes;
  constexpr uint32_t kNodes = 20'000;
  for (uint32_t id = 1; id <= kNodes; ++id) {
    hashes.push_back(random.Next());
    const size_t position =
        Insert(table, hashes.back(), id / 7, id, "n" + std::to_string(id));
    // The position returned holds the node, whatever moved to make room.
    ASSERT_EQ(table.at(position).id, id);
    table.at(position).entry = id * 3;  // Payload travels with the node.
    ASSERT_LE(table.size() * 4, table.capacity() * 3);
  }
  EXPECT_GE(table.size() * 2, table.capacity());
  for (uint32_t id = 1; id <= kNodes; ++id) {
    const size_t position =
        Find(table, hashes[id - 1], id / 7, "n" + std::to_string(id));
    ASSERT_NE(position, TrieNodeTable::kNotFound) << id;
    ASSERT_EQ(table.at(position).entry, id * 3);
  }
  const size_t grown = table.capacity();
  for (uint32_t id = 1; id <= kNodes; ++id) {
    if (id % 100 == 0) continue;
    table.Erase(Find(table, hashes[id - 1], id / 7, "n" + std::to_string(id)));
    ASSERT_TRUE(table.capacity() == 16 || table.size() * 4 >= table.capacity())
        << table.size() << " in " << table.capacity();
  }
  EXPECT_EQ(table.size(), kNodes / 100);
  EXPECT_LT(table.capacity(), grown / 8);
  for (uint32_t id = 100; id <= kNodes; id += 100) {
    const size_t position =
        Find(table, hashes[id - 1], id / 7, "n" + std::to_string(id));
    ASSERT_NE(position, TrieNodeTable::kNotFound);
    EXPECT_EQ(table.at(position).entry, id * 3);
  }
  for (uint32_t id = 100; id <= kNodes; id += 100) {
    table.Erase(Find(table, hashes[id - 1], id / 7, "n" + std::to_string(id)));
  }
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.capacity(), 16u);
}

// Random inserts and erases with tags from a tiny range (long runs, many
// equal tags, runs that wrap), checked against a map after every step.
TEST(TrieNodeTableTest, AgreesWithAMapUnderRandomChanges) {
  const std::vector<uint32_t> tags = {0,          1,         2, UINT32_MAX - 1,
                                      UINT32_MAX, 0x80000000};
  const std::vector<std::string> levels = {"a", "b", "", "long-level-name-x",
                                           "long-level-name-y"};
  using Key =
      std::tuple<uint32_t, uint32_t, std::string>;  // tag, parent, level
  std::map<Key, uint32_t> model;
  TrieNodeTable table;
  Random random(11);
  uint32_t next_id = 1;
  for (int step = 0; step < 20'000; ++step) {
    const Key key = {tags[random.Below(tags.size())],
                     static_cast<uint32_t>(random.Below(8)),
                     levels[random.Below(levels.size())]};
    const auto& [tag, parent, level] = key;
    const size_t position = Find(table, WithTag(tag), parent, level);
    const auto it = model.find(key);
    ASSERT_EQ(position == TrieNodeTable::kNotFound, it == model.end());
    // Mostly inserts until the table holds ~150 nodes, then balanced.
    if (it == model.end()) {
      if (random.Chance(model.size() < 150 ? 0.9 : 0.5)) {
        Insert(table, WithTag(tag), parent, next_id, level);
        model[key] = next_id++;
      }
    } else {
      ASSERT_EQ(table.at(position).id, it->second);
      if (random.Chance(0.5)) {
        table.Erase(position);
        model.erase(it);
      }
    }
    ASSERT_EQ(table.size(), model.size());
    if (step % 500 != 0) continue;
    for (const auto& [present, id] : model) {
      const auto& [present_tag, present_parent, present_level] = present;
      const size_t found =
          Find(table, WithTag(present_tag), present_parent, present_level);
      ASSERT_NE(found, TrieNodeTable::kNotFound);
      ASSERT_EQ(table.at(found).id, id);
    }
  }
}

}  // namespace
}  // namespace mqlab::broker
