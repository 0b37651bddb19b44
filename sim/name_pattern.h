// Name patterns of scenario files: "vehicle{number:02}", "{auth}-session
// {session}", "vehicles/{auth}/position". A pattern is checked once, when the
// scenario loads, against the placeholders its field allows; expanding a
// checked pattern cannot fail.
#ifndef MQLAB_SIM_NAME_PATTERN_H_
#define MQLAB_SIM_NAME_PATTERN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mqlab::sim {

enum class Placeholder : uint8_t {
  kIndex,          // {index}: the client's index in its population, from 0.
  kNumber,         // {number}: the same, from 1.
  kPopulation,     // {population}
  kAuth,           // {auth}: the authentication name.
  kSession,        // {session}: the session's number within the client, from 0.
  kSessionNumber,  // {session_number}: the same, from 1.
  kTarget,         // {target}: a command's target authentication name.
};

// A set of placeholders a field allows.
class PlaceholderSet {
 public:
  constexpr PlaceholderSet() = default;
  constexpr PlaceholderSet(std::initializer_list<Placeholder> placeholders) {
    for (Placeholder p : placeholders) bits_ |= Bit(p);
  }
  constexpr bool contains(Placeholder p) const { return (bits_ & Bit(p)) != 0; }
  constexpr PlaceholderSet With(Placeholder p) const {
    PlaceholderSet set = *this;
    set.bits_ |= Bit(p);
    return set;
  }

 private:
  static constexpr uint32_t Bit(Placeholder p) {
    return uint32_t{1} << static_cast<int>(p);
  }
  uint32_t bits_ = 0;
};

struct PatternValues {
  uint64_t index = 0;
  std::string_view population = {};
  std::string_view auth = {};
  uint64_t session = 0;
  std::string_view target = {};
};

// nullopt when `pattern` is well formed and uses only `allowed`
// placeholders; otherwise what is wrong, e.g. "unknown placeholder {idx}"
// or "{auth} is not allowed here".
std::optional<std::string> CheckPattern(std::string_view pattern,
                                        PlaceholderSet allowed);
// True when the (checked) pattern uses `placeholder`.
bool PatternUses(std::string_view pattern, Placeholder placeholder);
// Expands a checked pattern.
std::string ExpandPattern(std::string_view pattern,
                          const PatternValues& values);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_NAME_PATTERN_H_
