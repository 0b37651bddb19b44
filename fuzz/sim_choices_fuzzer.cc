// Fuzz target: the input's bytes are a simulator run's choices (which
// faults, when, at whom, how long, and the seed: fuzz/sim_choices_run.h) on
// the small shipped scenario scenarios/sim_choices.textproto, judged by
// the scenario's checkers. A violation, or a run that stops on a bound,
// aborts; `mqlab sim-choices CRASH_FILE` turns the input into a replay file
// that `mqlab replay` reproduces.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "base/check.h"
#include "fuzz/sim_choices_run.h"
#include "sim/runner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::optional<std::string> finding =
      mqlab::fuzz::SimChoicesFinding(mqlab::sim::RunScenario(
          mqlab::fuzz::SimChoicesRunInput(),
          mqlab::fuzz::SimChoicesRunOptions(std::span(data, size))));
  MQLAB_CHECK_MSG(!finding.has_value(), finding.value_or("").c_str());
  return 0;
}
