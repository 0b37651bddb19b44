// Durations as people write them in scenario files ("250ms", "1.5s", "10m")
// and as mqlab prints them in messages.
#ifndef MQLAB_SIM_DURATION_TEXT_H_
#define MQLAB_SIM_DURATION_TEXT_H_

#include <optional>
#include <string>
#include <string_view>

#include "base/time.h"

namespace mqlab::sim {

// Parses a non-negative decimal number followed by a unit (ns, us, ms, s, m,
// h), e.g. "250ms", "1.5s", "10m"; "0" alone is zero. Fractions finer than a
// nanosecond and values beyond about 292 years are refused. nullopt when the
// text is not such a duration.
std::optional<Duration> ParseDuration(std::string_view text);

// The exact value, readably: "0s", "750ns", "12.5us", "250ms", "1.5s",
// "3600s", "-2ms". Parsing the result gives the value back.
std::string FormatDuration(Duration duration);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_DURATION_TEXT_H_
