// The checkers' memory follows what is in flight, not the run's length: a
// long stream of traffic (a QoS 1 and a QoS 0 publisher, two subscribers,
// one of them reconnecting to a fresh session every 500 messages) leaves the
// heap where it was once the traffic was under way.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "bench/heap_counter.h"
#include "sim/checkers/checker_set.h"
#include "tests/sim/checkers/observation_stream.h"

namespace mqlab::sim::testing {
namespace {

class Traffic {
 public:
  explicit Traffic(CheckerSet* checkers) : checkers_(checkers) {
    // sub2 holds a persistent session on t/#; sub1 reconnects (a fresh,
    // non-persistent session) every 500 messages.
    Feed(Connect(0, Next(), kSub2, "sub2", true, true));
    Feed(Connack(0, connection_));
    Feed(Suback(0, kSub2, "sub2", "t/#"));
  }

  void Run(uint64_t messages) {
    for (uint64_t i = 0; i < messages; ++i) {
      if (i % 500 == 0) Reconnect();
      now_ += kMillisecond;
      // pub publishes at QoS 1, old (session 4) at QoS 0.
      const bool qos1 = i % 4 != 0;
      const mqtt::Qos qos =
          qos1 ? mqtt::Qos::kAtLeastOnce : mqtt::Qos::kAtMostOnce;
      const char* const topic = qos1 ? "t/pub/x" : "t/old/x";
      const MessageTag tag =
          qos1 ? MessageTag{0, ++pub_sent_} : MessageTag{4, ++old_sent_};
      Feed(qos1 ? Publish(now_, kPub, "pub", tag, topic, qos)
                : Publish(now_, kOld, "old", tag, topic, qos));
      Feed(Received(now_, sub1_connection_, kSub1, "sub1", tag, topic, qos));
      Feed(Received(now_, 1, kSub2, "sub2", tag, topic, qos));
      if (qos1) Feed(Puback(now_, tag));
    }
  }

 private:
  uint64_t Next() { return ++connection_; }
  void Feed(const Observation& observation) { checkers_->Observe(observation); }
  void Reconnect() {
    if (sub1_connection_ != 0) {
      Feed(Ended(now_, sub1_connection_));
      Feed(Intent(now_, kSub1, "sub1", false));
    }
    sub1_connection_ = Next();
    Feed(Intent(now_, kSub1, "sub1", true));
    Feed(Connect(now_, sub1_connection_, kSub1, "sub1"));
    Feed(Connack(now_, sub1_connection_));
    Feed(Suback(now_, kSub1, "sub1", "t/+/x"));
  }

  CheckerSet* checkers_;
  Time now_ = 0;
  uint64_t connection_ = 0;
  uint64_t sub1_connection_ = 0;
  uint64_t pub_sent_ = 0;
  uint64_t old_sent_ = 0;
};

TEST(CheckerSetMemoryTest, StaysFlatOverALongStream) {
  CheckerWorld world;
  const std::vector<CheckerKind> kinds(std::begin(kAllCheckerKinds),
                                       std::end(kAllCheckerKinds));
  CheckerSet checkers(kinds, world.context());
  Traffic traffic(&checkers);
  traffic.Run(20'000);  // Warm up: every table at its working size.
  const int64_t warm = bench::HeapBytesInUse();
  traffic.Run(300'000);
  const int64_t grown = bench::HeapBytesInUse() - warm;
  EXPECT_LT(grown, 64 * 1024) << "heap grew by " << grown << " bytes";
  checkers.Finish(kHour);
  EXPECT_EQ(checkers.violation_count(), 0u);
  EXPECT_TRUE(checkers.status().ok());
}

}  // namespace
}  // namespace mqlab::sim::testing
