// The wait before a reconnection attempt: exponential, capped, with jitter
// drawn from the caller's Random so that a run replays exactly and a fleet
// that lost its broker at once does not come back at once.
#ifndef MQLAB_CLIENT_BACKOFF_H_
#define MQLAB_CLIENT_BACKOFF_H_

#include <cstdint>

#include "base/random.h"
#include "base/time.h"
#include "client/client_options.h"

namespace mqlab::client {

// min(initial * multiplier^attempt, maximum), without jitter.
Duration BackoffCeiling(const ReconnectOptions& options, uint32_t attempt);

// Uniform in [ceiling * (1 - jitter), ceiling] (whole nanoseconds), one
// draw from `random`.
Duration BackoffDelay(const ReconnectOptions& options, uint32_t attempt,
                      Random& random);

}  // namespace mqlab::client

#endif  // MQLAB_CLIENT_BACKOFF_H_
