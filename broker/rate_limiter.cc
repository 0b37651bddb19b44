#include "broker/rate_limiter.h"

#include <algorithm>

#include "base/check.h"

namespace mqlab::broker {

bool RateLimiter::TryTake(Time now, uint64_t cost, uint64_t units_per_second) {
  MQLAB_CHECK(units_per_second > 0);
  const Scaled rate = units_per_second;
  const Scaled scaled_now = Scaled{now} * rate;
  const Scaled start = std::max(theoretical_arrival_, scaled_now);
  const Scaled next = start + Scaled{cost} * kSecond;
  // The schedule may run at most one second (kSecond * rate units) ahead.
  if (next - scaled_now > Scaled{kSecond} * rate && start > scaled_now) {
    return false;
  }
  theoretical_arrival_ = next;
  return true;
}

}  // namespace mqlab::broker
