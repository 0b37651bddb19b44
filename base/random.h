// The project's own pseudo-random numbers and distributions. The standard
// library's distributions differ between implementations, and
// std::random_device is not reproducible; everything random in mqlab (the
// simulator's network, faults and workloads, the client's reconnect jitter)
// draws from a Random seeded by the run's seed, so a run replays bit for bit.
#ifndef MQLAB_BASE_RANDOM_H_
#define MQLAB_BASE_RANDOM_H_

#include <cstdint>
#include <string_view>

namespace mqlab {

// 64-bit FNV-1a; stable across builds and platforms (used to name streams).
uint64_t StableHash(std::string_view bytes);

// xoshiro256** by Blackman and Vigna, seeded through SplitMix64.
class Random {
 public:
  explicit Random(uint64_t seed);
  // An independent stream for `name` under the run's seed: adding a stream
  // does not change what the others draw.
  static Random Stream(uint64_t seed, std::string_view name);

  uint64_t Next();
  // Uniform in [0, bound), bound > 0 (Lemire's nearly divisionless method).
  uint64_t Below(uint64_t bound);
  // Uniform in [low, high], low <= high.
  int64_t Between(int64_t low, int64_t high);
  // Uniform in [0, 1) with 53 random bits.
  double Unit();
  // True with probability p (p <= 0: never; p >= 1: always).
  bool Chance(double p);
  // Exponentially distributed with the given mean.
  double Exponential(double mean);
  // Normally distributed (Marsaglia's polar method: each draw of a pair
  // yields two values; the second is kept for the next call).
  double Normal(double mean, double stddev);
  // Log-normal with the given median and shape sigma (latency tails).
  double LogNormal(double median, double sigma);

 private:
  uint64_t state_[4];
  double spare_normal_ = 0;  // A standard normal value, when has_spare_.
  bool has_spare_normal_ = false;
};

}  // namespace mqlab

#endif  // MQLAB_BASE_RANDOM_H_
