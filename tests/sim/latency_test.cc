#include "sim/latency.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "base/random.h"

namespace mqlab::sim {
namespace {

TEST(LatencyTest, FixedDrawsNothing) {
  Random random(1), untouched(1);
  const LatencyModel fixed = LatencyModel::Fixed(20 * kMillisecond);
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(fixed.Sample(random), 20 * kMillisecond);
  EXPECT_EQ(random.Next(), untouched.Next());
}

TEST(LatencyTest, UniformStaysInItsBounds) {
  Random random(2);
  const LatencyModel uniform =
      LatencyModel::Uniform(10 * kMillisecond, 30 * kMillisecond);
  Duration low = kHour, high = 0;
  for (int i = 0; i < 10000; ++i) {
    const Duration sample = uniform.Sample(random);
    ASSERT_GE(sample, 10 * kMillisecond);
    ASSERT_LE(sample, 30 * kMillisecond);
    low = std::min(low, sample);
    high = std::max(high, sample);
  }
  EXPECT_LT(low, 11 * kMillisecond);
  EXPECT_GT(high, 29 * kMillisecond);
}

TEST(LatencyTest, LogNormalHasItsMedianAboveTheFloorAndIsCapped) {
  Random random(3);
  const LatencyModel model = LatencyModel::LogNormal(
      5 * kMillisecond, 40 * kMillisecond, 0.7, 200 * kMillisecond);
  std::vector<Duration> samples;
  for (int i = 0; i < 20001; ++i) samples.push_back(model.Sample(random));
  std::sort(samples.begin(), samples.end());
  EXPECT_GE(samples.front(), 5 * kMillisecond);
  EXPECT_EQ(samples.back(), 200 * kMillisecond);  // The cap was reached.
  const Duration median = samples[samples.size() / 2];
  EXPECT_NEAR(static_cast<double>(median), 45e6, 2e6);
}

TEST(LatencyTest, Describes) {
  EXPECT_EQ(LatencyModel::Fixed(20 * kMillisecond).ToString(), "fixed 20ms");
  EXPECT_EQ(LatencyModel::Uniform(kMillisecond, 2 * kMillisecond).ToString(),
            "uniform 1ms..2ms");
  EXPECT_EQ(
      LatencyModel::LogNormal(0, 40 * kMillisecond, 0.5, kSecond).ToString(),
      "lognormal 0s+40ms sigma=0.5 max=1s");
}

}  // namespace
}  // namespace mqlab::sim
