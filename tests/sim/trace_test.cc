#include "sim/trace.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace mqlab::sim {
namespace {

using ::testing::ElementsAre;
using ::testing::MatchesRegex;

void FoldSample(Trace& trace) {
  const std::vector<uint8_t> bytes = {0x30, 0x05, 'a', '/', 'b', 'h', 'i'};
  trace.Add(1000, TraceKind::kConnectRequested, 2, 1, 0);
  trace.AddBytes(2000, TraceKind::kBytesDelivered, 3, bytes.size(), bytes);
  trace.AddText(3000, TraceKind::kBrokerEvent, 1, 4, 0, "vehicle01");
}

TEST(TraceTest, SameRecordsSameHash) {
  Trace a, b;
  FoldSample(a);
  FoldSample(b);
  EXPECT_EQ(a.hash(), b.hash());
  EXPECT_EQ(a.records(), 3u);
}

// The encoding and XXH3 are part of every published trace hash: a change
// here must be deliberate (it changes every replay file's expected hash).
TEST(TraceTest, HashIsPinned) {
  Trace trace;
  FoldSample(trace);
  EXPECT_EQ(trace.HashLine(), "trace_hash=6b0ec6074e770746");
}

TEST(TraceTest, EveryFieldCounts) {
  auto hash_of = [](Time time, TraceKind kind, uint64_t subject, uint64_t a,
                    uint64_t b, std::string text) {
    Trace trace;
    trace.AddText(time, kind, subject, a, b, text);
    return trace.hash();
  };
  const uint64_t base = hash_of(1, TraceKind::kFault, 2, 3, 4, "x");
  EXPECT_NE(base, hash_of(9, TraceKind::kFault, 2, 3, 4, "x"));
  EXPECT_NE(base, hash_of(1, TraceKind::kClosed, 2, 3, 4, "x"));
  EXPECT_NE(base, hash_of(1, TraceKind::kFault, 9, 3, 4, "x"));
  EXPECT_NE(base, hash_of(1, TraceKind::kFault, 2, 9, 4, "x"));
  EXPECT_NE(base, hash_of(1, TraceKind::kFault, 2, 3, 9, "x"));
  EXPECT_NE(base, hash_of(1, TraceKind::kFault, 2, 3, 4, "y"));
}

TEST(TraceTest, RecordBoundariesCount) {
  // "ab" + "c" and "a" + "bc" are different traces.
  Trace first, second;
  first.AddText(0, TraceKind::kClientAction, 0, 0, 0, "ab");
  first.AddText(0, TraceKind::kClientAction, 0, 0, 0, "c");
  second.AddText(0, TraceKind::kClientAction, 0, 0, 0, "a");
  second.AddText(0, TraceKind::kClientAction, 0, 0, 0, "bc");
  EXPECT_NE(first.hash(), second.hash());
}

TEST(TraceTest, HashLineIsSixteenHexDigits) {
  Trace trace;
  EXPECT_THAT(trace.HashLine(), MatchesRegex("trace_hash=[0-9a-f]{16}"));
}

TEST(TraceTest, LogKeepsTheLastRecords) {
  Trace trace(/*log_capacity=*/2);
  trace.Add(kSecond, TraceKind::kConnected, 1);
  trace.Add(2 * kSecond, TraceKind::kClosed, 1, 3);
  trace.AddText(3 * kSecond, TraceKind::kFault, 5, 0, 0, "partition");
  EXPECT_THAT(trace.LogLines(),
              ElementsAre("t=2s closed subject=1 a=3 b=0",
                          "t=3s fault subject=5 a=0 b=0 text=partition"));
  EXPECT_EQ(trace.log_lines_dropped(), 1u);
}

TEST(TraceTest, NoLogUnlessAsked) {
  Trace trace;
  trace.Add(0, TraceKind::kConnected, 1);
  EXPECT_TRUE(trace.LogLines().empty());
}

}  // namespace
}  // namespace mqlab::sim
