// Topic matching at scale, and the per-message authorization check.
//
//   bazel run -c opt //bench:subscription_index_bench
//
// BM_Match: an index of 100k or 1M subscriptions, one per subscriber, in a
// fleet-like mix: 70% device command filters `vehicles/<id>/command/#`, 20%
// exact device config topics `vehicles/<id>/config`, 9% group wildcards
// `fleet/<region>/<group>/+/status` (a few subscribers per filter) and 1%
// region alert filters `alerts/<region>/#`. Topics are drawn from the same
// shapes (commands, configs, statuses, alerts, and unsubscribed telemetry).
// Counters: matches per second, subscribers reached per match, heap bytes
// per subscription, allocations per match (must be 0).
//
// BM_CanPublish / BM_CanSubscribe: compiled ClientPermissions of typical
// sizes (1, 3 and 30 granted filters), topics that match and that do not.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "base/random.h"
#include "bench/heap_counter.h"
#include "benchmark/benchmark.h"
#include "broker/authorization.h"
#include "broker/subscription_index.h"

namespace mqlab::broker {
namespace {

constexpr int kRegions = 100;
constexpr int kGroupsPerRegion = 100;
constexpr size_t kTopicCount = 1 << 16;

std::string Device(uint64_t id) { return "v" + std::to_string(id); }

struct Fleet {
  std::unique_ptr<SubscriptionIndex> index;
  std::vector<std::string> topics;
  size_t bytes_per_subscription = 0;
};

// Builds the index of `subscriptions` once per size (it takes seconds at 1M).
const Fleet& FleetOf(size_t subscriptions) {
  static auto* const fleets = new std::map<size_t, Fleet>();
  auto it = fleets->find(subscriptions);
  if (it != fleets->end()) return it->second;
  Fleet& fleet = (*fleets)[subscriptions];
  Random random = Random::Stream(1, "subscription-index-bench");
  const size_t heap_before = bench::HeapBytesInUse();
  fleet.index = std::make_unique<SubscriptionIndex>(subscriptions);
  for (size_t i = 0; i < subscriptions; ++i) {
    const auto subscriber = static_cast<SubscriberId>(i);
    const uint64_t shape = random.Below(100);
    std::string filter;
    if (shape < 70) {
      filter = "vehicles/" + Device(i) + "/command/#";
    } else if (shape < 90) {
      filter = "vehicles/" + Device(i) + "/config";
    } else if (shape < 99) {
      filter = "fleet/r" + std::to_string(random.Below(kRegions)) + "/g" +
               std::to_string(random.Below(kGroupsPerRegion)) + "/+/status";
    } else {
      filter = "alerts/r" + std::to_string(random.Below(kRegions)) + "/#";
    }
    fleet.index->Add(subscriber, filter, {1, false, false});
  }
  fleet.bytes_per_subscription =
      (bench::HeapBytesInUse() - heap_before) / subscriptions;
  for (size_t i = 0; i < kTopicCount; ++i) {
    const uint64_t device = random.Below(subscriptions);
    const std::string region = "r" + std::to_string(random.Below(kRegions));
    const uint64_t shape = random.Below(100);
    if (shape < 40) {
      fleet.topics.push_back("vehicles/" + Device(device) +
                             "/command/unlock/request");
    } else if (shape < 55) {
      fleet.topics.push_back("vehicles/" + Device(device) + "/config");
    } else if (shape < 75) {
      fleet.topics.push_back("fleet/" + region + "/g" +
                             std::to_string(random.Below(kGroupsPerRegion)) +
                             "/" + Device(device) + "/status");
    } else if (shape < 80) {
      fleet.topics.push_back("alerts/" + region + "/weather");
    } else {
      fleet.topics.push_back("vehicles/" + Device(device) + "/position");
    }
  }
  return fleet;
}

void BM_Match(benchmark::State& state) {
  const Fleet& fleet = FleetOf(static_cast<size_t>(state.range(0)));
  std::vector<SubscriberMatch> out;
  out.reserve(1024);
  size_t topic = 0;
  size_t reached = 0;
  // Warm the index's scratch buffers before counting allocations.
  for (const std::string& warm : fleet.topics) {
    fleet.index->Match(warm, std::nullopt, &out);
  }
  const size_t allocations_before = bench::HeapAllocations();
  for (auto _ : state) {
    fleet.index->Match(fleet.topics[topic], std::nullopt, &out);
    reached += out.size();
    topic = (topic + 1) & (kTopicCount - 1);
    benchmark::DoNotOptimize(out.data());
  }
  const auto iterations = static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
  state.counters["subscribers_per_match"] =
      static_cast<double>(reached) / iterations;
  state.counters["allocations_per_match"] =
      static_cast<double>(bench::HeapAllocations() - allocations_before) /
      iterations;
  state.counters["heap_bytes_per_subscription"] =
      static_cast<double>(fleet.bytes_per_subscription);
  state.counters["trie_nodes"] = static_cast<double>(fleet.index->node_count());
}
BENCHMARK(BM_Match)->Arg(10'000)->Arg(100'000)->Arg(1'000'000);

// A session subscribing and unsubscribing in a full-size index.
void BM_AddRemove(benchmark::State& state) {
  const Fleet& fleet = FleetOf(static_cast<size_t>(state.range(0)));
  // The fleet's index is shared; this adds a subscriber beyond its ids and
  // removes it again, leaving the index as it was.
  SubscriptionIndex& index = *fleet.index;
  const auto subscriber = static_cast<SubscriberId>(state.range(0));
  for (auto _ : state) {
    index.Add(subscriber, "vehicles/v42/command/#", {1, false, false});
    index.Remove(subscriber, "vehicles/v42/command/#");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddRemove)->Arg(1'000'000);

ClientPermissions PermissionsWith(int filters) {
  std::vector<std::string> publish;
  if (filters == 1) {
    publish = {"vehicles/#"};
  } else if (filters == 3) {
    publish = {"vehicles/vehicle42/#", "fleet/r7/+/status", "alerts/r7/#"};
  } else {
    for (int i = 0; i < filters; ++i) {
      publish.push_back("plant/line" + std::to_string(i) + "/+/telemetry");
    }
  }
  return ClientPermissions(publish, publish);
}

void BM_CanPublish(benchmark::State& state) {
  const ClientPermissions permissions =
      PermissionsWith(static_cast<int>(state.range(0)));
  const bool allowed = state.range(1) != 0;
  std::string topic;
  if (state.range(0) == 30) {
    topic = allowed ? "plant/line17/robot3/telemetry"
                    : "plant/line17/robot3/config";
  } else {
    topic =
        allowed ? "vehicles/vehicle42/position" : "trucks/vehicle42/position";
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(permissions.CanPublish(topic));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CanPublish)
    ->ArgNames({"filters", "allowed"})
    ->Args({1, 1})
    ->Args({1, 0})
    ->Args({3, 1})
    ->Args({3, 0})
    ->Args({30, 1})
    ->Args({30, 0});

void BM_CanSubscribe(benchmark::State& state) {
  const ClientPermissions permissions =
      PermissionsWith(static_cast<int>(state.range(0)));
  const std::string filter =
      state.range(0) == 30 ? "plant/line29/+/telemetry" : "vehicles/+/position";
  for (auto _ : state) {
    benchmark::DoNotOptimize(permissions.CanSubscribe(filter));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CanSubscribe)->ArgName("filters")->Arg(1)->Arg(30);

}  // namespace
}  // namespace mqlab::broker
