#include "sim/scenario_settings.h"

#include <algorithm>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "base/random.h"
#include "sim/duration_text.h"

namespace mqlab::sim {
namespace {

using ::mqlab::scenario::FaultEvent;
using ::mqlab::scenario::Latency;
using ::mqlab::scenario::LogNormalLatency;
using ::mqlab::scenario::NetworkProfile;
using ::mqlab::scenario::NetworkSettings;
using ::mqlab::scenario::Scenario;
using ::mqlab::scenario::Swarm;
using ::mqlab::scenario::Targets;

// A duration the loader validated; empty text means `fallback`.
Duration DurationOr(const std::string& text, Duration fallback) {
  if (text.empty()) return fallback;
  const std::optional<Duration> value = ParseDuration(text);
  MQLAB_CHECK_MSG(value.has_value(), "scenario not validated");
  return *value;
}

LatencyModel LatencyFor(const Latency& latency) {
  switch (latency.model_case()) {
    case Latency::kFixed:
      return LatencyModel::Fixed(DurationOr(latency.fixed(), 0));
    case Latency::kUniform:
      return LatencyModel::Uniform(DurationOr(latency.uniform().min(), 0),
                                   DurationOr(latency.uniform().max(), 0));
    case Latency::kLogNormal: {
      const LogNormalLatency& log_normal = latency.log_normal();
      return LatencyModel::LogNormal(
          DurationOr(log_normal.floor(), 0), DurationOr(log_normal.median(), 0),
          log_normal.sigma(), DurationOr(log_normal.max(), 0));
    }
    case Latency::MODEL_NOT_SET:
      break;
  }
  return LatencyModel::Fixed(0);
}

FaultKind KindFor(scenario::FaultKind proto_kind) {
  switch (proto_kind) {
    case scenario::RESET_CONNECTIONS:
      return FaultKind::kResetConnections;
    case scenario::HALF_OPEN:
      return FaultKind::kHalfOpen;
    case scenario::PARTITION:
      return FaultKind::kPartition;
    case scenario::SLOW_READER:
      return FaultKind::kSlowReader;
    case scenario::LATENCY_SPIKE:
      return FaultKind::kLatencySpike;
    case scenario::BROKER_RESTART:
      return FaultKind::kBrokerRestart;
    case scenario::CLIENT_CRASH:
      return FaultKind::kClientCrash;
    case scenario::CLIENT_DELETE:
      return FaultKind::kClientDelete;
    case scenario::CLIENT_DISABLE:
      return FaultKind::kClientDisable;
    default:
      break;
  }
  MQLAB_CHECK_MSG(false, "scenario not validated: unknown fault kind");
  return FaultKind::kResetConnections;
}

// The client indexes `targets` names (validated: the population exists).
std::vector<uint32_t> ClientsFor(const Targets& targets,
                                 const FleetLayout& layout, Random& random) {
  const FleetLayout::Range* range = nullptr;
  for (const FleetLayout::Range& candidate : layout.populations) {
    if (candidate.population == targets.population()) range = &candidate;
  }
  MQLAB_CHECK_MSG(range != nullptr, "fleet layout lacks a population");
  std::vector<uint32_t> clients;
  if (targets.random_count() > 0) {
    // Floyd's sampling: distinct, then in index order.
    std::set<uint32_t> chosen;
    for (uint32_t j = range->count - targets.random_count(); j < range->count;
         ++j) {
      const auto pick = static_cast<uint32_t>(random.Below(j + 1));
      if (!chosen.insert(pick).second) chosen.insert(j);
    }
    for (uint32_t index : chosen)
      clients.push_back(range->first_client + index);
  } else if (targets.indexes_size() > 0) {
    for (uint32_t index : targets.indexes()) {
      clients.push_back(range->first_client + index);
    }
  } else {
    for (uint32_t i = 0; i < range->count; ++i) {
      clients.push_back(range->first_client + i);
    }
  }
  return clients;
}

std::vector<HostId> HostsFor(const Targets& targets, const FleetLayout& layout,
                             Random& random) {
  if (targets.broker()) return {layout.broker_host};
  std::vector<HostId> hosts;
  for (uint32_t client : ClientsFor(targets, layout, random)) {
    hosts.push_back(layout.client_hosts[client]);
  }
  return hosts;
}

Fault ExplicitFault(const FaultEvent& event, const FleetLayout& layout,
                    Random& random) {
  Fault fault;
  fault.at = DurationOr(event.at(), 0);
  switch (event.kind_case()) {
    case FaultEvent::kResetConnections:
      fault.kind = FaultKind::kResetConnections;
      fault.hosts =
          HostsFor(event.reset_connections().targets(), layout, random);
      break;
    case FaultEvent::kHalfOpen:
      fault.kind = FaultKind::kHalfOpen;
      fault.hosts = HostsFor(event.half_open().targets(), layout, random);
      break;
    case FaultEvent::kPartition:
      fault.kind = FaultKind::kPartition;
      fault.hosts = HostsFor(event.partition().side_a(), layout, random);
      fault.other_hosts = HostsFor(event.partition().side_b(), layout, random);
      fault.duration = DurationOr(event.partition().duration(), 0);
      break;
    case FaultEvent::kSlowReader:
      fault.kind = FaultKind::kSlowReader;
      fault.hosts = HostsFor(event.slow_reader().targets(), layout, random);
      fault.amount =
          static_cast<int64_t>(event.slow_reader().bytes_per_second());
      fault.duration = DurationOr(event.slow_reader().duration(), 0);
      break;
    case FaultEvent::kLatencySpike:
      fault.kind = FaultKind::kLatencySpike;
      fault.hosts = HostsFor(event.latency_spike().targets(), layout, random);
      fault.amount = DurationOr(event.latency_spike().extra(), 0);
      fault.duration = DurationOr(event.latency_spike().duration(), 0);
      break;
    case FaultEvent::kBrokerRestart:
      fault.kind = FaultKind::kBrokerRestart;
      fault.duration = DurationOr(event.broker_restart().downtime(), 0);
      break;
    case FaultEvent::kClientCrash:
      fault.kind = FaultKind::kClientCrash;
      fault.clients =
          ClientsFor(event.client_crash().targets(), layout, random);
      fault.duration = DurationOr(event.client_crash().restore_after(), 0);
      break;
    case FaultEvent::kClientDelete:
      fault.kind = FaultKind::kClientDelete;
      fault.clients =
          ClientsFor(event.client_delete().targets(), layout, random);
      fault.duration = DurationOr(event.client_delete().restore_after(), 0);
      break;
    case FaultEvent::kClientDisable:
      fault.kind = FaultKind::kClientDisable;
      fault.clients =
          ClientsFor(event.client_disable().targets(), layout, random);
      fault.duration = DurationOr(event.client_disable().restore_after(), 0);
      break;
    case FaultEvent::KIND_NOT_SET:
      MQLAB_CHECK_MSG(false, "scenario not validated: fault without a kind");
  }
  return fault;
}

}  // namespace

Duration RunLength(const Scenario& scenario) {
  return DurationOr(scenario.duration(), 0);
}

NetworkOptions NetworkOptionsFor(const Scenario& scenario) {
  NetworkOptions options;
  const NetworkSettings& network = scenario.network();
  if (network.has_receive_window_bytes()) {
    options.receive_window_bytes = network.receive_window_bytes();
  }
  if (network.has_write_blocked_high_water()) {
    options.write_blocked_high_water = network.write_blocked_high_water();
  }
  if (network.has_write_blocked_low_water()) {
    options.write_blocked_low_water = network.write_blocked_low_water();
  }
  if (network.has_send_buffer_limit()) {
    options.send_buffer_limit = network.send_buffer_limit();
  }
  if (network.has_handshake_round_trips()) {
    options.handshake_round_trips = network.handshake_round_trips();
  }
  options.connect_timeout =
      DurationOr(network.connect_timeout(), options.connect_timeout);
  options.retransmission_timeout = DurationOr(network.retransmission_timeout(),
                                              options.retransmission_timeout);
  return options;
}

LinkProfile LinkProfileFor(const Scenario& scenario, std::string_view name) {
  LinkProfile link;
  if (name.empty()) return link;
  for (const NetworkProfile& profile : scenario.network_profiles()) {
    if (profile.name() != name) continue;
    if (profile.has_latency()) link.latency = LatencyFor(profile.latency());
    link.bandwidth_bytes_per_second =
        static_cast<int64_t>(profile.bandwidth_bytes_per_second());
    if (profile.has_max_segment_bytes()) {
      link.max_segment_bytes = profile.max_segment_bytes();
    }
    if (profile.has_split_chance()) link.split_chance = profile.split_chance();
    return link;
  }
  MQLAB_CHECK_MSG(false, "scenario not validated: unknown network profile");
  return link;
}

ListenOptions BrokerListenOptions(const Scenario& scenario) {
  ListenOptions options;
  options.backlog =
      scenario.broker().has_backlog() ? scenario.broker().backlog() : 1024;
  options.accepts_per_second = scenario.broker().accepts_per_second();
  return options;
}

SwarmOptions SwarmOptionsFor(const Swarm& swarm) {
  SwarmOptions options;
  for (int kind : swarm.kinds()) {
    options.kinds.push_back(KindFor(static_cast<scenario::FaultKind>(kind)));
  }
  if (swarm.has_kind_probability()) {
    options.kind_probability = swarm.kind_probability();
  }
  options.min_mean_interval =
      DurationOr(swarm.min_mean_interval(), options.min_mean_interval);
  options.max_mean_interval =
      DurationOr(swarm.max_mean_interval(), options.max_mean_interval);
  options.warmup = DurationOr(swarm.warmup(), options.warmup);
  options.final_quiet = DurationOr(swarm.final_quiet(), options.final_quiet);
  options.min_active = DurationOr(swarm.min_active(), options.min_active);
  options.max_active = DurationOr(swarm.max_active(), options.max_active);
  options.min_quiet = DurationOr(swarm.min_quiet(), options.min_quiet);
  options.max_quiet = DurationOr(swarm.max_quiet(), options.max_quiet);
  if (swarm.has_max_faults()) options.max_faults = swarm.max_faults();
  options.min_fault_duration =
      DurationOr(swarm.min_fault_duration(), options.min_fault_duration);
  options.max_fault_duration =
      DurationOr(swarm.max_fault_duration(), options.max_fault_duration);
  if (swarm.has_broker_target_chance()) {
    options.broker_target_chance = swarm.broker_target_chance();
  }
  if (swarm.has_partition_max_fraction()) {
    options.partition_max_fraction = swarm.partition_max_fraction();
  }
  if (swarm.has_min_read_rate()) {
    options.min_read_rate = static_cast<int64_t>(swarm.min_read_rate());
  }
  if (swarm.has_max_read_rate()) {
    options.max_read_rate = static_cast<int64_t>(swarm.max_read_rate());
  }
  options.min_latency_spike =
      DurationOr(swarm.min_latency_spike(), options.min_latency_spike);
  options.max_latency_spike =
      DurationOr(swarm.max_latency_spike(), options.max_latency_spike);
  // A range given only by one end: the other follows it.
  options.max_mean_interval =
      std::max(options.max_mean_interval, options.min_mean_interval);
  options.max_active = std::max(options.max_active, options.min_active);
  options.max_quiet = std::max(options.max_quiet, options.min_quiet);
  options.max_fault_duration =
      std::max(options.max_fault_duration, options.min_fault_duration);
  options.max_read_rate =
      std::max(options.max_read_rate, options.min_read_rate);
  options.max_latency_spike =
      std::max(options.max_latency_spike, options.min_latency_spike);
  return options;
}

FaultPlan FaultPlanFor(const Scenario& scenario, const FleetLayout& layout,
                       uint64_t seed, SwarmChoice* choice) {
  FaultPlan plan;
  for (int i = 0; i < scenario.faults().events_size(); ++i) {
    Random random = Random::Stream(seed, absl::StrCat("faults/explicit/", i));
    plan.faults.push_back(
        ExplicitFault(scenario.faults().events(i), layout, random));
  }
  if (scenario.faults().swarm().enabled()) {
    SwarmTargets targets;
    targets.broker_host = layout.broker_host;
    targets.client_hosts = layout.client_hosts;
    FaultPlan swarm =
        GenerateSwarmPlan(seed, SwarmOptionsFor(scenario.faults().swarm()),
                          targets, 0, RunLength(scenario), choice);
    plan.faults.insert(plan.faults.end(), swarm.faults.begin(),
                       swarm.faults.end());
  }
  SortByTime(plan);
  return plan;
}

}  // namespace mqlab::sim
