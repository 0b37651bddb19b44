#include "broker/rate_limiter.h"

#include "gtest/gtest.h"

namespace mqlab::broker {
namespace {

TEST(RateLimiterTest, AcceptsOneSecondsWorthAsABurstThenTheRate) {
  RateLimiter limiter;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(limiter.TryTake(0, 1, 100)) << i;
  }
  EXPECT_FALSE(limiter.TryTake(0, 1, 100));
  // One unit comes back every 10 ms.
  EXPECT_FALSE(limiter.TryTake(9 * kMillisecond, 1, 100));
  EXPECT_TRUE(limiter.TryTake(10 * kMillisecond, 1, 100));
  EXPECT_FALSE(limiter.TryTake(10 * kMillisecond, 1, 100));
}

TEST(RateLimiterTest, SustainedRateAtTheLimitPasses) {
  RateLimiter limiter;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(limiter.TryTake(i * 200 * kMillisecond, 1, 5)) << i;
  }
}

TEST(RateLimiterTest, RefusedRequestsTakeNothing) {
  RateLimiter limiter;
  ASSERT_TRUE(limiter.TryTake(0, 5, 5));
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(limiter.TryTake(0, 1, 5));
  EXPECT_TRUE(limiter.TryTake(200 * kMillisecond, 1, 5));
}

TEST(RateLimiterTest, CountsUnitsOfAnySize) {
  RateLimiter limiter;
  constexpr uint64_t kMegabyte = 1024 * 1024;
  EXPECT_TRUE(limiter.TryTake(0, 512 * 1024, kMegabyte));
  EXPECT_TRUE(limiter.TryTake(0, 512 * 1024, kMegabyte));
  EXPECT_FALSE(limiter.TryTake(0, 1, kMegabyte));
  EXPECT_TRUE(limiter.TryTake(kSecond / 2, 512 * 1024, kMegabyte));
}

TEST(RateLimiterTest, ARequestAboveOneSecondsWorthPassesOnlyWhenIdle) {
  RateLimiter limiter;
  EXPECT_TRUE(limiter.TryTake(0, 300, 100));
  EXPECT_FALSE(limiter.TryTake(kSecond, 300, 100));
  EXPECT_TRUE(limiter.TryTake(3 * kSecond, 300, 100));
}

}  // namespace
}  // namespace mqlab::broker
