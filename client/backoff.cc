#include "client/backoff.h"

#include <algorithm>
#include <cmath>

#include "base/check.h"

namespace mqlab::client {

Duration BackoffCeiling(const ReconnectOptions& options, uint32_t attempt) {
  if (options.initial >= options.maximum) return options.maximum;
  if (attempt == 0 || options.initial == 0 || options.multiplier <= 1.0) {
    return options.initial;
  }
  // multiplier^attempt by squaring (at most 32 rounds), stopping as soon as
  // the cap is certain.
  const double limit = static_cast<double>(options.maximum) /
                       static_cast<double>(options.initial);
  double factor = 1.0;
  double power = options.multiplier;
  for (uint32_t n = attempt; n > 0;) {
    if ((n & 1) != 0) {
      factor *= power;
      if (factor >= limit) return options.maximum;
    }
    n >>= 1;
    if (n > 0) {
      power *= power;
      // Some bit of n is still set, so the factor grows by at least power.
      if (power >= limit) return options.maximum;
    }
  }
  const double wait = static_cast<double>(options.initial) * factor;
  return std::min(options.maximum, static_cast<Duration>(wait));
}

Duration BackoffDelay(const ReconnectOptions& options, uint32_t attempt,
                      Random& random) {
  const Duration ceiling = BackoffCeiling(options, attempt);
  MQLAB_CHECK(ceiling >= 0);
  const Duration spread = static_cast<Duration>(
      std::floor(static_cast<double>(ceiling) * options.jitter));
  return random.Between(ceiling - spread, ceiling);
}

}  // namespace mqlab::client
