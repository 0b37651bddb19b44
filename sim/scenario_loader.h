// Reads a scenario (sim/scenario.proto, package mqlab.scenario) from text
// format and validates it. I/O-free: the caller reads the file and names it.
// Every problem found is reported, one per line, with the file, line, column
// and field:
//
//   scenarios/x.textproto:12:5: field "rate_per_second": expected a
//   positive number, got 0
//
// Syntax errors come from protobuf's text parser in the same form. A field
// that is missing is reported at the message that should hold it.
#ifndef MQLAB_SIM_SCENARIO_LOADER_H_
#define MQLAB_SIM_SCENARIO_LOADER_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "sim/scenario.pb.h"

namespace mqlab::sim {

// Largest scenario text accepted.
inline constexpr size_t kMaxScenarioBytes = 4 << 20;
// Errors reported at most (then "... and N more").
inline constexpr size_t kMaxScenarioErrors = 50;

// INVALID_ARGUMENT with every error found, or the validated scenario.
absl::StatusOr<scenario::Scenario> ParseScenario(std::string_view text,
                                                 std::string_view source_name);

// Where a path given in a scenario (NamespaceSource.json_file) is: relative
// paths are relative to the scenario file's directory.
std::string ResolveScenarioPath(std::string_view scenario_source,
                                std::string_view path);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_SCENARIO_LOADER_H_
