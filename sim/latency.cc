#include "sim/latency.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "sim/duration_text.h"

namespace mqlab::sim {

LatencyModel LatencyModel::Fixed(Duration latency) {
  MQLAB_CHECK(latency >= 0);
  return LatencyModel{
      .kind = Kind::kFixed, .minimum = latency, .maximum = latency};
}

LatencyModel LatencyModel::Uniform(Duration minimum, Duration maximum) {
  MQLAB_CHECK(minimum >= 0 && minimum <= maximum);
  return LatencyModel{
      .kind = Kind::kUniform, .minimum = minimum, .maximum = maximum};
}

LatencyModel LatencyModel::LogNormal(Duration minimum, Duration median,
                                     double sigma, Duration maximum) {
  MQLAB_CHECK(minimum >= 0 && median > 0 && sigma >= 0 && sigma <= 10);
  MQLAB_CHECK(maximum >= minimum);
  return LatencyModel{.kind = Kind::kLogNormal,
                      .minimum = minimum,
                      .maximum = maximum,
                      .median = median,
                      .sigma = sigma};
}

Duration LatencyModel::Sample(Random& random) const {
  switch (kind) {
    case Kind::kFixed:
      return minimum;  // Draws nothing: fixed links consume no randomness.
    case Kind::kUniform:
      return random.Between(minimum, maximum);
    case Kind::kLogNormal: {
      const double tail = random.LogNormal(static_cast<double>(median), sigma);
      const double limit = static_cast<double>(maximum - minimum);
      // Compared as doubles first: the tail may be beyond any int64.
      if (!(tail < limit)) return maximum;
      return minimum + static_cast<Duration>(std::llround(tail));
    }
  }
  return minimum;
}

std::string LatencyModel::ToString() const {
  switch (kind) {
    case Kind::kFixed:
      return absl::StrCat("fixed ", FormatDuration(minimum));
    case Kind::kUniform:
      return absl::StrCat("uniform ", FormatDuration(minimum), "..",
                          FormatDuration(maximum));
    case Kind::kLogNormal:
      return absl::StrCat("lognormal ", FormatDuration(minimum), "+",
                          FormatDuration(median), " sigma=", sigma,
                          " max=", FormatDuration(maximum));
  }
  return "unknown";
}

}  // namespace mqlab::sim
