// A rate limit of "N units per second" (messages, bytes, requests, connects)
// as the generic cell rate algorithm: a virtual schedule ("theoretical
// arrival time") that each accepted unit pushes 1/N s further, and that may
// run at most one second ahead of now. So a limiter accepts a burst of N
// units from idle, then N per second sustained, and never needs a timer: it
// is evaluated when a request arrives, on the caller's clock, in exact
// integer arithmetic (deterministic, no rounding: time is kept in units of
// 1 / (N * 10^9) s, so a unit costs exactly 10^9 of them). 16 bytes of state.
#ifndef MQLAB_BROKER_RATE_LIMITER_H_
#define MQLAB_BROKER_RATE_LIMITER_H_

#include <cstdint>

#include "base/time.h"

namespace mqlab::broker {

class RateLimiter {
 public:
  // Takes `cost` units at `now` under a limit of `units_per_second` (> 0,
  // the same at every call). False, and nothing taken, when that would
  // exceed the limit. A request larger than one second's worth passes only
  // when the limiter is idle (otherwise it could never pass).
  bool TryTake(Time now, uint64_t cost, uint64_t units_per_second);

 private:
  using Scaled = __int128;
  // Before any time a run can reach, in scaled units.
  static constexpr Scaled kLongAgo = -(Scaled{1} << 120);

  Scaled theoretical_arrival_ = kLongAgo;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_RATE_LIMITER_H_
