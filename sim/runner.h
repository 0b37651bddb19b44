// One simulator run, from scenario text to verdict: builds the fleet and the
// network, draws (or takes) the fault plan, starts the workload, runs the
// scheduler to the scenario's end while the checkers watch, and sums up.
// I/O-free like the rest of sim/: the caller reads the files and passes
// their text, measures wall time, and writes replay files and reports.
//
// A run with no WorkloadFactory (the plumbing's unit tests) carries out the
// network and the fault plan only, and says so (RunSummary::workload_wired).
#ifndef MQLAB_SIM_RUNNER_H_
#define MQLAB_SIM_RUNNER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/time.h"
#include "sim/checkers/checker.h"
#include "sim/checkers/checker_set.h"
#include "sim/named_faults.h"
#include "sim/run_statistics.h"
#include "sim/scheduler.h"
#include "sim/situation_counts.h"
#include "sim/workload.h"

namespace mqlab::sim {

// The run's inputs as text, as a replay file embeds them.
struct RunInput {
  std::string scenario_path;  // Names the scenario in messages.
  std::string scenario_text;
  // The namespace JSON (json_file's contents, or the inline json) and the
  // name errors give it.
  std::string namespace_source;
  std::string namespace_json;
};

struct RunProgress {
  Time now = 0;
  Time end = 0;
  uint64_t events = 0;
};

struct RunOptions {
  // nullopt: the scenario's seed.
  std::optional<uint64_t> seed;
  // Replay and shrink: this plan instead of the scenario's (explicit
  // events and swarm). Names the fleet lacks are an error, or dropped with
  // MissingNames::kDrop.
  std::optional<std::vector<NamedFault>> faults;
  MissingNames missing_fault_targets = MissingNames::kError;
  // Stop at the first violation found while running (the end-of-run
  // judgements are then skipped).
  bool stop_at_first_violation = false;
  // Called after every sample interval; returning false stops the run
  // (status CANCELLED).
  std::function<bool(const RunProgress&)> progress;
  // Null: no broker and no clients (network and faults only).
  WorkloadFactory workload;
  SchedulerLimits scheduler_limits;
  // Trace records kept as text (RunResult::trace_log).
  size_t trace_log_lines = 0;
  // Sees every observation, in order, before the checkers (debugging:
  // `mqlab replay --observations`). May be empty.
  std::function<void(const Observation&)> on_observation;
};

struct RunSummary {
  std::string scenario_name;
  uint64_t seed = 0;
  bool workload_wired = false;
  uint32_t clients = 0;
  uint32_t sessions = 0;
  uint32_t hosts = 0;
  std::string swarm;  // What swarm mode drew; empty without swarm.
  uint64_t faults_planned = 0;
  uint64_t faults_taken = 0;
  uint64_t faults_skipped = 0;
  RunCounters counters;
  LatencyHistogram latency;
  std::vector<CheckerKind> checkers;
  uint64_t violations = 0;
  Time quiet_start = 0;
  Duration settle = 0;
  Time virtual_time = 0;  // Where the run ended.
  Time run_length = 0;
  uint64_t events = 0;
  uint64_t trace_hash = 0;
  // The situations of the catalogue the behaviours provoked.
  SituationCounts situations;
  bool stopped_early = false;  // At the first violation.
};

struct RunResult {
  // OK, or why the run stopped before its end (a bound crossed, a checker
  // bound, cancelled). The rest describes the run up to there.
  absl::Status status;
  RunSummary summary;
  std::vector<CheckerSet::Summary> checkers;
  std::vector<Violation> violations;  // In time order, bounded per checker.
  std::vector<NamedFault> faults_taken;
  std::vector<std::string> faults_skipped;
  Duration sample_interval = 0;
  std::vector<Sample> samples;
  std::vector<std::string> trace_log;
};

// INVALID_ARGUMENT when the scenario, the namespace, the fleet or the
// explicit fault plan is bad (the message names the file and field).
absl::StatusOr<RunResult> RunScenario(const RunInput& input,
                                      const RunOptions& options);

// When the final quiet stretch of `plan` begins: the end of the last
// fault's effect (a partition's heal, the end of a restart's downtime or of
// a client's absence), at most `run_length`.
Time QuietStart(const FaultPlan& plan, Duration run_length);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_RUNNER_H_
