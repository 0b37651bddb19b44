#include "broker/rate_limiter.h"

#include <algorithm>

#include "base/check.h"

namespace mqlab::broker {

bool RateLimiter::TryTake(Time now, uint64_t cost, uint64_t units_per_second) {
  MQLAB_CHECK(units_per_second > 0);
  const Time start = std::max(theoretical_arrival_, now);
  // Rounded up, so that rounding never lets more through than the limit.
  const auto increment = static_cast<Duration>(
      (static_cast<unsigned __int128>(cost) * kSecond + units_per_second - 1) /
      units_per_second);
  const Time next = start + increment;
  if (next - now > kSecond && start > now) return false;
  theoretical_arrival_ = next;
  return true;
}

}  // namespace mqlab::broker
