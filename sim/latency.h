// One-way latency of a network link, as a distribution: fixed, uniform, or a
// log-normal tail above a floor (the shape of real access-network latency:
// most packets near the median, a few far out). Samples are whole
// nanoseconds, drawn from the caller's stream.
#ifndef MQLAB_SIM_LATENCY_H_
#define MQLAB_SIM_LATENCY_H_

#include <string>

#include "base/random.h"
#include "base/time.h"

namespace mqlab::sim {

struct LatencyModel {
  enum class Kind : uint8_t { kFixed, kUniform, kLogNormal };

  // Exactly `minimum`.
  static LatencyModel Fixed(Duration latency);
  // Uniform in [minimum, maximum].
  static LatencyModel Uniform(Duration minimum, Duration maximum);
  // minimum + a log-normal value of the given median and shape `sigma`,
  // capped at `maximum`.
  static LatencyModel LogNormal(Duration minimum, Duration median, double sigma,
                                Duration maximum);

  Duration Sample(Random& random) const;
  // "fixed 20ms", "uniform 10ms..30ms", "lognormal 5ms+40ms sigma=0.5
  // max=2s".
  std::string ToString() const;

  Kind kind = Kind::kFixed;
  Duration minimum = 0;
  Duration maximum = 0;
  Duration median = 0;
  double sigma = 0;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_LATENCY_H_
