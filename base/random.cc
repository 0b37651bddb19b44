#include "base/random.h"

#include <cmath>

#include "base/check.h"

namespace mqlab {
namespace {

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

uint64_t RotateLeft(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

uint64_t StableHash(std::string_view bytes) {
  uint64_t hash = 0xCBF29CE484222325ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001B3ULL;
  }
  return hash;
}

Random::Random(uint64_t seed) {
  uint64_t s = seed;
  for (uint64_t& word : state_) word = SplitMix64(&s);
}

Random Random::Stream(uint64_t seed, std::string_view name) {
  uint64_t mixed = seed ^ StableHash(name);
  return Random(SplitMix64(&mixed));
}

uint64_t Random::Next() {
  const uint64_t result = RotateLeft(state_[1] * 5, 7) * 9;
  const uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = RotateLeft(state_[3], 45);
  return result;
}

uint64_t Random::Below(uint64_t bound) {
  MQLAB_CHECK(bound > 0);
  unsigned __int128 product = static_cast<unsigned __int128>(Next()) * bound;
  uint64_t low = static_cast<uint64_t>(product);
  if (low < bound) {
    const uint64_t threshold = -bound % bound;
    while (low < threshold) {
      product = static_cast<unsigned __int128>(Next()) * bound;
      low = static_cast<uint64_t>(product);
    }
  }
  return static_cast<uint64_t>(product >> 64);
}

int64_t Random::Between(int64_t low, int64_t high) {
  MQLAB_CHECK(low <= high);
  const uint64_t span =
      static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
  if (span == UINT64_MAX) return static_cast<int64_t>(Next());
  return static_cast<int64_t>(static_cast<uint64_t>(low) + Below(span + 1));
}

double Random::Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

bool Random::Chance(double p) {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return Unit() < p;
}

double Random::Exponential(double mean) {
  // 1 - Unit() is in (0, 1], so the logarithm is finite.
  return -mean * std::log(1.0 - Unit());
}

double Random::Normal(double mean, double stddev) {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return mean + stddev * spare_normal_;
  }
  // A point uniform in the unit disc: about 1.27 tries on average, and a
  // thousand misses in a row would mean a broken generator.
  double x = 0;
  double y = 0;
  double s = 0;
  for (int tries = 0; tries < 1000; ++tries) {
    x = 2.0 * Unit() - 1.0;
    y = 2.0 * Unit() - 1.0;
    s = x * x + y * y;
    if (s > 0.0 && s < 1.0) break;
  }
  MQLAB_CHECK(s > 0.0 && s < 1.0);
  const double scale = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = y * scale;
  has_spare_normal_ = true;
  return mean + stddev * x * scale;
}

double Random::LogNormal(double median, double sigma) {
  return median * std::exp(Normal(0.0, sigma));
}

}  // namespace mqlab
