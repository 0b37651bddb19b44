#include "sim/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace mqlab::sim {

int LatencyHistogram::BucketOf(Duration value) {
  const auto v = static_cast<uint64_t>(std::max<Duration>(value, 0));
  if (v < kSubBuckets) return static_cast<int>(v);
  const int exponent = 63 - std::countl_zero(v);  // >= 4.
  const auto sub = static_cast<int>((v >> (exponent - 4)) & (kSubBuckets - 1));
  return (exponent - 3) * kSubBuckets + sub;
}

Duration LatencyHistogram::UpperBound(int bucket) {
  if (bucket < kSubBuckets) return bucket;
  const int exponent = bucket / kSubBuckets + 3;
  const int sub = bucket % kSubBuckets;
  // Values of this bucket are below (16 + sub + 1) << (exponent - 4).
  return static_cast<Duration>(
      ((uint64_t{kSubBuckets} + sub + 1) << (exponent - 4)) - 1);
}

void LatencyHistogram::Add(Duration value) {
  ++counts_[BucketOf(value)];
  ++count_;
  max_ = std::max(max_, value);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (int i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

void LatencyHistogram::Clear() { *this = LatencyHistogram(); }

Duration LatencyHistogram::Percentile(double quantile) const {
  if (count_ == 0) return 0;
  const auto rank = static_cast<uint64_t>(
      std::ceil(std::clamp(quantile, 0.0, 1.0) * static_cast<double>(count_)));
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= std::max<uint64_t>(rank, 1)) {
      return std::min(UpperBound(i), max_);
    }
  }
  return max_;
}

}  // namespace mqlab::sim
