#include "sim/swarm.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "base/random.h"
#include "sim/duration_text.h"

namespace mqlab::sim {
namespace {

// Log-uniform in [low, high]: every order of magnitude equally likely.
Duration LogUniform(Random& random, Duration low, Duration high) {
  const double log_low = std::log(static_cast<double>(low));
  const double log_high = std::log(static_cast<double>(high));
  const auto value = static_cast<Duration>(
      std::llround(std::exp(log_low + random.Unit() * (log_high - log_low))));
  return std::clamp(value, low, high);
}

// `count` distinct client hosts, in index order (Floyd's sampling).
std::vector<HostId> SampleClients(Random& random,
                                  const std::vector<HostId>& clients,
                                  uint64_t count) {
  const uint64_t n = clients.size();
  std::set<uint64_t> chosen;
  for (uint64_t j = n - count; j < n; ++j) {
    const uint64_t pick = random.Below(j + 1);
    if (!chosen.insert(pick).second) chosen.insert(j);
  }
  std::vector<HostId> hosts;
  hosts.reserve(chosen.size());
  for (uint64_t index : chosen) hosts.push_back(clients[index]);
  return hosts;
}

bool Possible(FaultKind kind, const SwarmTargets& targets) {
  return targets.client_hosts.empty()
             ? !IsClientFault(kind) && kind != FaultKind::kPartition
             : true;
}

}  // namespace

std::string SwarmChoice::Describe() const {
  std::string text = "swarm:";
  for (size_t i = 0; i < enabled.size(); ++i) {
    text += i == 0 ? " " : ", ";
    text.append(FaultKindName(enabled[i].kind));
    absl::StrAppend(&text, " every ~",
                    FormatDuration(enabled[i].mean_interval));
  }
  if (enabled.empty()) text += " no fault kinds on";
  absl::StrAppend(&text, "; ", active_periods.size(), " active periods");
  if (dropped_faults > 0) {
    absl::StrAppend(&text, "; ", dropped_faults, " faults over max_faults");
  }
  return text;
}

FaultPlan GenerateSwarmPlan(uint64_t seed, const SwarmOptions& options,
                            const SwarmTargets& targets, Time start, Time end,
                            SwarmChoice* choice) {
  MQLAB_CHECK(start <= end);
  MQLAB_CHECK(options.min_mean_interval > 0 &&
              options.min_mean_interval <= options.max_mean_interval);
  MQLAB_CHECK(options.min_active > 0 &&
              options.min_active <= options.max_active);
  MQLAB_CHECK(options.min_quiet >= 0 && options.min_quiet <= options.max_quiet);
  MQLAB_CHECK(options.min_fault_duration > 0 &&
              options.min_fault_duration <= options.max_fault_duration);
  MQLAB_CHECK(options.min_read_rate > 0 &&
              options.min_read_rate <= options.max_read_rate);
  MQLAB_CHECK(options.min_latency_spike > 0 &&
              options.min_latency_spike <= options.max_latency_spike);
  SwarmChoice local_choice;
  SwarmChoice& chosen = choice != nullptr ? *choice : local_choice;
  chosen = SwarmChoice();

  // Which kinds are on, each from its own stream, in kind order (not the
  // order the options list them).
  std::vector<FaultKind> candidates;
  for (FaultKind kind : kAllFaultKinds) {
    const bool listed = options.kinds.empty() ||
                        std::find(options.kinds.begin(), options.kinds.end(),
                                  kind) != options.kinds.end();
    if (listed && Possible(kind, targets)) candidates.push_back(kind);
  }
  if (candidates.empty()) return {};
  std::vector<Random> kind_streams;
  std::vector<SwarmChoice::KindRate> enabled;
  std::vector<size_t> enabled_stream;
  for (FaultKind kind : candidates) {
    Random stream =
        Random::Stream(seed, std::string("swarm/").append(FaultKindName(kind)));
    const bool on = stream.Chance(options.kind_probability);
    const Duration mean = LogUniform(stream, options.min_mean_interval,
                                     options.max_mean_interval);
    kind_streams.push_back(stream);
    if (on) {
      enabled.push_back({kind, mean});
      enabled_stream.push_back(kind_streams.size() - 1);
    }
  }
  if (enabled.empty()) {
    // Every seed tests something: the periods stream picks one kind.
    Random pick = Random::Stream(seed, "swarm/fallback");
    const size_t index = pick.Below(candidates.size());
    Random& stream = kind_streams[index];
    enabled.push_back(
        {candidates[index], LogUniform(stream, options.min_mean_interval,
                                       options.max_mean_interval)});
    enabled_stream.push_back(index);
  }
  chosen.enabled = enabled;

  // The timeline: active and quiet periods between warm-up and final quiet.
  const Time first = start + options.warmup;
  const Time last = end - options.final_quiet;
  Random periods = Random::Stream(seed, "swarm/periods");
  for (Time t = first; t < last;) {
    const Time active_end = std::min(
        last, t + periods.Between(options.min_active, options.max_active));
    chosen.active_periods.emplace_back(t, active_end);
    t = active_end + periods.Between(options.min_quiet, options.max_quiet);
  }

  FaultPlan plan;
  for (size_t k = 0; k < enabled.size(); ++k) {
    const FaultKind kind = enabled[k].kind;
    const double mean = static_cast<double>(enabled[k].mean_interval);
    Random& random = kind_streams[enabled_stream[k]];
    size_t generated = 0;
    for (const auto& [period_start, period_end] : chosen.active_periods) {
      Time at = period_start;
      while (generated < options.max_faults) {
        at += std::max<Duration>(
            1, static_cast<Duration>(std::llround(random.Exponential(mean))));
        if (at >= period_end) break;
        Fault fault;
        fault.at = at;
        fault.kind = kind;
        // Effects end before the final quiet stretch.
        fault.duration = std::min(random.Between(options.min_fault_duration,
                                                 options.max_fault_duration),
                                  last - at);
        const bool at_broker = random.Chance(options.broker_target_chance) ||
                               targets.client_hosts.empty();
        const HostId host =
            at_broker
                ? targets.broker_host
                : targets
                      .client_hosts[random.Below(targets.client_hosts.size())];
        switch (kind) {
          case FaultKind::kResetConnections:
          case FaultKind::kHalfOpen:
            fault.hosts = {host};
            fault.duration = 0;
            break;
          case FaultKind::kSlowReader:
            fault.hosts = {host};
            fault.amount =
                random.Between(options.min_read_rate, options.max_read_rate);
            break;
          case FaultKind::kLatencySpike:
            fault.hosts = {host};
            fault.amount = random.Between(options.min_latency_spike,
                                          options.max_latency_spike);
            break;
          case FaultKind::kPartition: {
            const uint64_t most = std::max<uint64_t>(
                1, static_cast<uint64_t>(options.partition_max_fraction *
                                         targets.client_hosts.size()));
            fault.hosts = SampleClients(random, targets.client_hosts,
                                        1 + random.Below(most));
            fault.other_hosts = {targets.broker_host};
            break;
          }
          case FaultKind::kBrokerRestart:
            break;
          case FaultKind::kClientCrash:
          case FaultKind::kClientDelete:
          case FaultKind::kClientDisable:
            fault.clients = {static_cast<uint32_t>(
                random.Below(targets.client_hosts.size()))};
            break;
        }
        plan.faults.push_back(std::move(fault));
        ++generated;
      }
    }
  }
  // Merge the kinds' faults: by time, ties in kind order (stable sort).
  SortByTime(plan);
  if (plan.faults.size() > options.max_faults) {
    chosen.dropped_faults = plan.faults.size() - options.max_faults;
    plan.faults.resize(options.max_faults);
  }
  return plan;
}

}  // namespace mqlab::sim
