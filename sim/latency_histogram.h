// A bounded histogram of durations for delivery latency percentiles:
// log-linear buckets (16 per power of two, so a percentile is within 6.25 %
// of the true value), 1 000 counters whatever the number of samples.
#ifndef MQLAB_SIM_LATENCY_HISTOGRAM_H_
#define MQLAB_SIM_LATENCY_HISTOGRAM_H_

#include <array>
#include <cstdint>

#include "base/time.h"

namespace mqlab::sim {

class LatencyHistogram {
 public:
  void Add(Duration value);
  void Merge(const LatencyHistogram& other);
  void Clear();

  uint64_t count() const { return count_; }
  Duration max() const { return max_; }
  // The smallest bucket bound below which a `quantile` (0..1] share of the
  // samples lie (never above max()); 0 when empty.
  Duration Percentile(double quantile) const;

 private:
  static constexpr int kSubBuckets = 16;
  static constexpr int kBuckets = 64 * kSubBuckets;
  static int BucketOf(Duration value);
  static Duration UpperBound(int bucket);

  std::array<uint64_t, kBuckets> counts_{};
  uint64_t count_ = 0;
  Duration max_ = 0;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_LATENCY_HISTOGRAM_H_
