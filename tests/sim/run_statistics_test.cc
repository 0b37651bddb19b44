#include "sim/run_statistics.h"

#include <gtest/gtest.h>

#include "sim/latency_histogram.h"

namespace mqlab::sim {
namespace {

TEST(LatencyHistogramTest, PercentilesWithinABucket) {
  LatencyHistogram histogram;
  EXPECT_EQ(histogram.Percentile(0.5), 0);
  for (int i = 1; i <= 1000; ++i) histogram.Add(i * kMillisecond);
  EXPECT_EQ(histogram.count(), 1000u);
  EXPECT_EQ(histogram.max(), kSecond);
  const auto near = [](Duration got, Duration want) {
    EXPECT_GE(got, want);
    EXPECT_LE(got, want + want / 16 + 1) << got << " vs " << want;
  };
  near(histogram.Percentile(0.5), 500 * kMillisecond);
  near(histogram.Percentile(0.9), 900 * kMillisecond);
  near(histogram.Percentile(0.99), 990 * kMillisecond);
  EXPECT_EQ(histogram.Percentile(1), kSecond);
  LatencyHistogram small;
  for (Duration d = 0; d < 16; ++d) small.Add(d);
  EXPECT_EQ(small.Percentile(0.5), 7);
  small.Merge(histogram);
  EXPECT_EQ(small.count(), 1016u);
  small.Clear();
  EXPECT_EQ(small.count(), 0u);
}

TEST(SampleIntervalTest, BoundsTheSamples) {
  EXPECT_EQ(SampleInterval(kSecond), 100 * kMillisecond);
  EXPECT_EQ(SampleInterval(10 * kMinute), 300 * kMillisecond);
  EXPECT_EQ(SampleInterval(30 * kMinute), 900 * kMillisecond);
  EXPECT_LE(24 * kHour / SampleInterval(24 * kHour),
            static_cast<Duration>(RunStatistics::kMaxSamples));
}

TEST(RunStatisticsTest, CountsGaugesAndLatency) {
  RunStatistics statistics;
  const MessageTag m1{0, 1};
  ConnectAttempt attempt;
  attempt.connection = 1;
  statistics.Observe(attempt);
  statistics.Observe(ConnackReceived{kSecond, 1});
  PublishSent sent;
  sent.time = 2 * kSecond;
  sent.tag = m1;
  sent.qos = mqtt::Qos::kAtLeastOnce;
  statistics.Observe(sent);
  statistics.Sample(2 * kSecond, 3, 100);
  MessageReceived received;
  received.time = 2 * kSecond + 40 * kMillisecond;
  received.tag_check = TagCheck::kIntact;
  received.tag = m1;
  statistics.Observe(received);
  received.dup = true;
  statistics.Observe(received);
  statistics.Observe(PublishAcknowledged{3 * kSecond, m1});
  statistics.Observe(ConnectionEnded{4 * kSecond, 1});
  statistics.Sample(4 * kSecond, 0, 200);

  const RunCounters& c = statistics.counters();
  EXPECT_EQ(c.connect_attempts, 1u);
  EXPECT_EQ(c.connections_accepted, 1u);
  EXPECT_EQ(c.published_qos1, 1u);
  EXPECT_EQ(c.acknowledged, 1u);
  EXPECT_EQ(c.deliveries, 2u);
  EXPECT_EQ(c.redeliveries, 1u);
  EXPECT_EQ(statistics.latency().count(), 1u);
  EXPECT_EQ(statistics.latency().max(), 40 * kMillisecond);
  ASSERT_EQ(statistics.samples().size(), 2u);
  const Sample& first = statistics.samples()[0];
  EXPECT_EQ(first.mqtt_connections, 1u);
  EXPECT_EQ(first.qos1_in_flight, 1u);
  EXPECT_EQ(first.published, 1u);
  EXPECT_EQ(first.network_connections, 3u);
  const Sample& second = statistics.samples()[1];
  EXPECT_EQ(second.mqtt_connections, 0u);
  EXPECT_EQ(second.qos1_in_flight, 0u);
  EXPECT_EQ(second.delivered, 2u);
  EXPECT_EQ(second.latency_max, 40 * kMillisecond);
  EXPECT_EQ(second.events, 200u);
}

}  // namespace
}  // namespace mqlab::sim
