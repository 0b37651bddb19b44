#include "sim/message_tag.h"

#include <gtest/gtest.h>

#include <vector>

namespace mqlab::sim {
namespace {

TEST(MessageTagTest, RoundTrip) {
  const MessageTag tag{17, 42};
  std::vector<uint8_t> payload(100);
  WriteTaggedPayload(tag, payload);
  const ReadTag read = ReadMessageTag(payload);
  EXPECT_EQ(read.check, TagCheck::kIntact);
  EXPECT_EQ(read.tag, tag);
  EXPECT_EQ(MessageTagName(tag), "m17.42");

  std::vector<uint8_t> minimal(kMessageTagSize);
  WriteTaggedPayload({1u << 23, (uint64_t{1} << 40) - 1}, minimal);
  EXPECT_EQ(ReadMessageTag(minimal).tag,
            (MessageTag{1u << 23, (uint64_t{1} << 40) - 1}));
}

TEST(MessageTagTest, CorruptionAndForeignPayloads) {
  std::vector<uint8_t> payload(64);
  WriteTaggedPayload({3, 9}, payload);
  payload[40] ^= 1;
  EXPECT_EQ(ReadMessageTag(payload).check, TagCheck::kCorrupt);
  EXPECT_EQ(ReadMessageTag(std::vector<uint8_t>(8)).check, TagCheck::kUntagged);
  EXPECT_EQ(ReadMessageTag(std::vector<uint8_t>(64, 'x')).check,
            TagCheck::kUntagged);
  // Two messages' fillers differ: a payload swapped between them shows.
  std::vector<uint8_t> other(64);
  WriteTaggedPayload({3, 10}, other);
  std::copy(payload.begin(), payload.begin() + kMessageTagSize, other.begin());
  EXPECT_EQ(ReadMessageTag(other).check, TagCheck::kCorrupt);
}

TEST(MessageTagTest, KeysAreUnique) {
  EXPECT_NE((MessageTag{1, 2}).key(), (MessageTag{2, 1}).key());
  EXPECT_LT((MessageTag{1, 2}), (MessageTag{1, 3}));
}

}  // namespace
}  // namespace mqlab::sim
