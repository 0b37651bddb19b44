// A rate limit of "N units per second" (messages, bytes, requests, connects)
// as the generic cell rate algorithm: a virtual schedule ("theoretical
// arrival time") that each accepted unit pushes 1/N s further, and that may
// run at most one second ahead of now. So a limiter accepts a burst of N
// units from idle, then N per second sustained, and never needs a timer: it
// is evaluated when a request arrives, on the caller's clock, in integer
// nanoseconds (deterministic). 8 bytes of state.
#ifndef MQLAB_BROKER_RATE_LIMITER_H_
#define MQLAB_BROKER_RATE_LIMITER_H_

#include <cstdint>
#include <limits>

#include "base/time.h"

namespace mqlab::broker {

class RateLimiter {
 public:
  // Takes `cost` units at `now` under a limit of `units_per_second` (> 0).
  // False, and nothing taken, when that would exceed the limit. A request
  // larger than one second's worth passes only when the limiter is idle
  // (otherwise it could never pass).
  bool TryTake(Time now, uint64_t cost, uint64_t units_per_second);

 private:
  Time theoretical_arrival_ = std::numeric_limits<Time>::min();
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_RATE_LIMITER_H_
