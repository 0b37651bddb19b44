// Time in the I/O-free core: an integer count of nanoseconds on the caller's
// clock (virtual time in the simulator, a monotonic clock in the server). The
// core never reads a clock itself.
#ifndef MQLAB_BASE_TIME_H_
#define MQLAB_BASE_TIME_H_

#include <cstdint>
#include <limits>

namespace mqlab {

// A point in time, nanoseconds since the driver's epoch.
using Time = int64_t;
// A span of time in nanoseconds.
using Duration = int64_t;

inline constexpr Duration kNanosecond = 1;
inline constexpr Duration kMicrosecond = 1000 * kNanosecond;
inline constexpr Duration kMillisecond = 1000 * kMicrosecond;
inline constexpr Duration kSecond = 1000 * kMillisecond;
inline constexpr Duration kMinute = 60 * kSecond;
inline constexpr Duration kHour = 60 * kMinute;

// "No deadline": later than any time a run reaches.
inline constexpr Time kInfiniteFuture = std::numeric_limits<Time>::max();

}  // namespace mqlab

#endif  // MQLAB_BASE_TIME_H_
