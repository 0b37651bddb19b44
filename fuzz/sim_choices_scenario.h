// scenarios/sim_choices.textproto and its namespace, compiled in by the
// genrule :sim_choices_scenario_cc (fuzz/BUILD.bazel), so that the fuzz loop
// reads no file.
#ifndef MQLAB_FUZZ_SIM_CHOICES_SCENARIO_H_
#define MQLAB_FUZZ_SIM_CHOICES_SCENARIO_H_

#include <string_view>

namespace mqlab::fuzz {

extern const std::string_view kSimChoicesScenarioPath;
extern const std::string_view kSimChoicesScenarioText;
extern const std::string_view kSimChoicesNamespacePath;
extern const std::string_view kSimChoicesNamespaceJson;

}  // namespace mqlab::fuzz

#endif  // MQLAB_FUZZ_SIM_CHOICES_SCENARIO_H_
