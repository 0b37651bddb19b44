#include "sim/runner.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "base/check.h"
#include "broker/namespace_loader.h"
#include "sim/duration_text.h"
#include "sim/fault_injector.h"
#include "sim/fleet.h"
#include "sim/network.h"
#include "sim/reference_authorization.h"
#include "sim/scenario_loader.h"
#include "sim/scenario_settings.h"
#include "sim/swarm.h"
#include "sim/trace.h"

namespace mqlab::sim {
namespace {

// Fans observations out to the statistics and the checkers, and stops the
// run at the first violation when asked to.
class RunSink : public ObservationSink {
 public:
  RunSink(Scheduler* scheduler, RunStatistics* statistics, CheckerSet* checkers,
          bool stop_at_first_violation,
          const std::function<void(const Observation&)>* on_observation)
      : scheduler_(scheduler),
        statistics_(statistics),
        checkers_(checkers),
        stop_at_first_violation_(stop_at_first_violation),
        on_observation_(on_observation) {}

  void Observe(const Observation& observation) override {
    if (*on_observation_) (*on_observation_)(observation);
    statistics_->Observe(observation);
    checkers_->Observe(observation);
    if (stop_at_first_violation_ && !stopped_ &&
        checkers_->violation_count() > 0) {
      stopped_ = true;
      scheduler_->Fail(absl::AbortedError("stopped at the first violation"));
    }
  }
  bool stopped() const { return stopped_; }

 private:
  Scheduler* scheduler_;
  RunStatistics* statistics_;
  CheckerSet* checkers_;
  bool stop_at_first_violation_;
  const std::function<void(const Observation&)>* on_observation_;
  bool stopped_ = false;
};

// Records a broker restart as an observation (its state is gone, which the
// checkers must know), then lets the workload carry the faults out.
class RunHooks : public FaultHooks {
 public:
  RunHooks(Scheduler* scheduler, ObservationSink* sink)
      : scheduler_(scheduler), sink_(sink) {}
  void set_workload(Workload* workload) { workload_ = workload; }

  void RestartBroker(Duration downtime) override {
    sink_->Observe(BrokerRestarted{scheduler_->now(), downtime});
    if (workload_ != nullptr) workload_->RestartBroker(downtime);
  }
  void CrashClient(uint32_t client, Duration restart_after) override {
    if (workload_ != nullptr) workload_->CrashClient(client, restart_after);
  }
  void DeleteClient(uint32_t client, Duration restore_after) override {
    if (workload_ != nullptr) workload_->DeleteClient(client, restore_after);
  }
  void DisableClient(uint32_t client, Duration restore_after) override {
    if (workload_ != nullptr) workload_->DisableClient(client, restore_after);
  }

 private:
  Scheduler* scheduler_;
  ObservationSink* sink_;
  Workload* workload_ = nullptr;
};

absl::Status Prefixed(std::string_view prefix, const absl::Status& status) {
  return absl::Status(status.code(),
                      absl::StrCat(ToAbsl(prefix), status.message()));
}

}  // namespace

Time QuietStart(const FaultPlan& plan, Duration run_length) {
  Time quiet = 0;
  for (const Fault& fault : plan.faults) {
    quiet = std::max(quiet, fault.at + std::max<Duration>(fault.duration, 0));
  }
  return std::min(quiet, run_length);
}

absl::StatusOr<RunResult> RunScenario(const RunInput& input,
                                      const RunOptions& options) {
  absl::StatusOr<scenario::Scenario> parsed =
      ParseScenario(input.scenario_text, input.scenario_path);
  if (!parsed.ok()) return parsed.status();
  const scenario::Scenario scenario = *std::move(parsed);
  absl::StatusOr<broker::NamespaceConfig> config =
      broker::LoadNamespace(input.namespace_json, input.namespace_source);
  if (!config.ok()) return config.status();
  const uint64_t seed = options.seed.value_or(scenario.seed());
  absl::StatusOr<Fleet> built = BuildFleet(scenario, seed);
  if (!built.ok()) {
    return Prefixed(absl::StrCat(input.scenario_path, ": "), built.status());
  }
  const Fleet fleet = *std::move(built);
  const Duration run_length = RunLength(scenario);

  Scheduler scheduler(options.scheduler_limits);
  Trace trace(options.trace_log_lines);
  Network network(&scheduler, seed, NetworkOptionsFor(scenario), &trace);
  const absl::StatusOr<HostId> broker_host = network.AddHost(
      kBrokerHostName,
      LinkProfileFor(scenario, scenario.broker().network_profile()));
  MQLAB_CHECK(broker_host.ok() && *broker_host == fleet.layout.broker_host);
  for (const FleetClient& client : fleet.clients) {
    const absl::StatusOr<HostId> host = network.AddHost(
        client.name,
        LinkProfileFor(
            scenario,
            scenario.populations(client.population).network_profile()));
    if (!host.ok()) {
      return Prefixed(absl::StrCat(input.scenario_path, ": "), host.status());
    }
    MQLAB_CHECK(*host == fleet.layout.client_hosts[client.index]);
  }

  FaultPlan plan;
  SwarmChoice choice;
  bool swarm = false;
  if (options.faults.has_value()) {
    absl::StatusOr<FaultPlan> resolved =
        ResolveFaults(*options.faults, fleet, options.missing_fault_targets);
    if (!resolved.ok()) return resolved.status();
    plan = *std::move(resolved);
  } else {
    plan = FaultPlanFor(scenario, fleet.layout, seed, &choice);
    swarm = scenario.faults().swarm().enabled();
  }

  const ReferenceAuthorization authorization(*config, fleet.registrations);
  CheckerContext context;
  context.fleet = &fleet;
  context.authorization = &authorization;
  context.quiet_start = QuietStart(plan, run_length);
  context.faults = &plan;
  context.settle = SettleWindow(scenario.checkers());
  const std::vector<CheckerKind> kinds = EnabledCheckers(scenario.checkers());
  CheckerSet checkers(kinds, context);
  RunStatistics statistics;
  RunSink sink(&scheduler, &statistics, &checkers,
               options.stop_at_first_violation, &options.on_observation);
  RunHooks hooks(&scheduler, &sink);
  FaultInjector injector(&scheduler, &network, &hooks, &trace);
  if (absl::Status scheduled =
          injector.Schedule(plan, static_cast<uint32_t>(fleet.clients.size()));
      !scheduled.ok()) {
    return Prefixed("the fault plan: ", scheduled);
  }

  SituationCounts situations;
  std::unique_ptr<Workload> workload;
  if (options.workload) {
    World world;
    world.scheduler = &scheduler;
    world.network = &network;
    world.trace = &trace;
    world.observations = &sink;
    world.scenario = &scenario;
    world.fleet = &fleet;
    world.namespace_config = &*config;
    world.seed = seed;
    world.broker_tap = checkers.broker_tap();
    world.situations = &situations;
    absl::StatusOr<std::unique_ptr<Workload>> made = options.workload(world);
    if (!made.ok()) return made.status();
    workload = *std::move(made);
    hooks.set_workload(workload.get());
    if (absl::Status started = workload->Start(); !started.ok()) {
      return started;
    }
  }

  RunResult result;
  result.sample_interval = SampleInterval(run_length);
  absl::Status status;
  for (Time t = 0; t < run_length;) {
    const Time next = std::min(t + result.sample_interval, run_length);
    status = scheduler.RunUntil(next);
    statistics.Sample(scheduler.now(), network.live_connections(),
                      scheduler.events_run());
    if (!status.ok()) break;
    status = checkers.status();
    if (!status.ok()) break;
    if (options.progress && !options.progress({scheduler.now(), run_length,
                                               scheduler.events_run()})) {
      status = absl::CancelledError(
          absl::StrCat("cancelled at t=", FormatDuration(scheduler.now())));
      break;
    }
    t = next;
  }
  const bool stopped_early = sink.stopped();
  if (stopped_early) status = absl::OkStatus();
  if (status.ok() && !stopped_early) {
    checkers.Finish(run_length);
    status = checkers.status();
  }

  RunSummary& summary = result.summary;
  summary.scenario_name = scenario.name();
  summary.seed = seed;
  summary.workload_wired = workload != nullptr;
  summary.clients = static_cast<uint32_t>(fleet.clients.size());
  summary.sessions = static_cast<uint32_t>(fleet.sessions.size());
  summary.hosts = network.host_count();
  if (swarm) summary.swarm = choice.Describe();
  summary.faults_planned = plan.faults.size();
  summary.faults_taken = injector.taken().faults.size();
  summary.faults_skipped = injector.skipped().size();
  summary.counters = statistics.counters();
  summary.latency = statistics.latency();
  summary.checkers = kinds;
  summary.violations = checkers.violation_count();
  summary.quiet_start = context.quiet_start;
  summary.settle = context.settle;
  summary.virtual_time = scheduler.now();
  summary.run_length = run_length;
  summary.events = scheduler.events_run();
  summary.trace_hash = trace.hash();
  summary.situations = situations;
  summary.stopped_early = stopped_early;
  result.status = status;
  result.checkers = checkers.Summaries();
  result.violations = checkers.Violations();
  result.faults_taken = NameFaults(injector.taken(), fleet);
  result.faults_skipped = injector.skipped();
  result.samples = statistics.samples();
  result.trace_log = trace.LogLines();
  return result;
}

}  // namespace mqlab::sim
