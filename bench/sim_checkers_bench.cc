// The checkers' cost per observation: a telemetry fan-in (publishers on
// their own topics) fanned out to `subscribers` sessions subscribed to a
// wildcard, every message published at QoS 1, acknowledged and delivered
// once to every subscriber, through all eight checkers and the run
// statistics, as the runner feeds them. items_per_second counts
// observations; allocs_per_observation and heap_bytes_per_message say what
// the checkers (and the statistics' publish times) keep per message over
// the whole run, which is not restarted.
//
//   bazel run -c opt //bench:sim_checkers_bench
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/heap_counter.h"
#include "broker/namespace_loader.h"
#include "sim/checkers/checker_set.h"
#include "sim/fleet.h"
#include "sim/reference_authorization.h"
#include "sim/run_statistics.h"
#include "sim/scenario_loader.h"

namespace mqlab::sim {
namespace {

constexpr int kPublishers = 100;

struct World {
  explicit World(int subscribers) {
    const std::string text = absl::StrCat(
        "name: \"bench\" duration: \"1h\" event_grid_namespace { json: \"{}\" "
        "}\npopulations { name: \"pubs\" count: ",
        kPublishers,
        " authentication_name: \"pub{index}\" }\npopulations { name: "
        "\"subs\" count: ",
        subscribers, " authentication_name: \"sub{index}\" }\n");
    scenario::Scenario scenario = *ParseScenario(text, "bench");
    fleet = std::make_unique<Fleet>(*BuildFleet(scenario, 1));
    broker::NamespaceConfig config = *broker::LoadNamespace(
        R"({"topicSpaces": [{"name": "all", "properties": {"topicTemplates": ["v/#"]}}],
            "permissionBindings": [
              {"name": "pub", "properties": {"clientGroupName": "$all", "topicSpaceName": "all", "permission": "Publisher"}},
              {"name": "sub", "properties": {"clientGroupName": "$all", "topicSpaceName": "all", "permission": "Subscriber"}}]})",
        "bench");
    for (int i = 0; i < kPublishers + subscribers; ++i) {
      broker::ClientResource client;
      client.name = fleet->clients[i].authentication_name;
      config.clients.push_back(client);
    }
    authorization =
        std::make_unique<ReferenceAuthorization>(config, fleet->registrations);
    context.fleet = fleet.get();
    context.authorization = authorization.get();
  }

  std::unique_ptr<Fleet> fleet;
  std::unique_ptr<ReferenceAuthorization> authorization;
  CheckerContext context;
};

void BM_CheckersTelemetryFanOut(benchmark::State& state) {
  const int subscribers = static_cast<int>(state.range(0));
  World world(subscribers);
  std::vector<std::string> topics;
  for (int p = 0; p < kPublishers; ++p) {
    topics.push_back(absl::StrCat("v/pub", p, "/position"));
  }
  const std::vector<CheckerKind> kinds(std::begin(kAllCheckerKinds),
                                       std::end(kAllCheckerKinds));
  CheckerSet checkers(kinds, world.context);
  RunStatistics statistics;
  uint64_t message = 0;
  Time now = 0;
  uint64_t observations = 0;
  const auto feed = [&](const Observation& observation) {
    statistics.Observe(observation);
    checkers.Observe(observation);
    ++observations;
  };
  for (int s = 0; s < subscribers; ++s) {
    const uint32_t client = kPublishers + s;
    const std::string& id = world.fleet->clients[client].authentication_name;
    ConnectAttempt attempt;
    attempt.connection = client + 1;
    attempt.client = client;
    attempt.client_id = id;
    attempt.persistent = true;
    feed(attempt);
    feed(ConnackReceived{0, client + 1u});
    SubscribeResult result;
    result.client = client;
    result.client_id = id;
    result.filter = "v/+/position";
    result.reason_code = mqtt::ReasonCode::kGrantedQos1;
    feed(result);
  }
  const uint64_t allocations = bench::HeapAllocations();
  const int64_t heap = bench::HeapBytesInUse();
  for (auto _ : state) {
    const auto publisher = static_cast<uint32_t>(message % kPublishers);
    const MessageTag tag{publisher, message / kPublishers + 1};
    now += kMillisecond;
    PublishSent sent;
    sent.time = now;
    sent.client = publisher;
    sent.client_id = world.fleet->clients[publisher].authentication_name;
    sent.tag = tag;
    sent.topic = topics[publisher];
    sent.qos = mqtt::Qos::kAtLeastOnce;
    feed(sent);
    feed(PublishAcknowledged{now, tag});
    for (int s = 0; s < subscribers; ++s) {
      const uint32_t client = kPublishers + s;
      MessageReceived received;
      received.time = now;
      received.connection = client + 1;
      received.client = client;
      received.client_id = world.fleet->clients[client].authentication_name;
      received.topic = topics[publisher];
      received.qos = mqtt::Qos::kAtLeastOnce;
      received.tag_check = TagCheck::kIntact;
      received.tag = tag;
      feed(received);
    }
    ++message;
  }
  state.SetItemsProcessed(static_cast<int64_t>(observations));
  state.counters["allocs_per_observation"] =
      static_cast<double>(bench::HeapAllocations() - allocations) /
      static_cast<double>(observations);
  state.counters["heap_bytes_per_message"] =
      static_cast<double>(bench::HeapBytesInUse() - heap) /
      static_cast<double>(message);
  if (checkers.violation_count() != 0) state.SkipWithError("violations");
}
BENCHMARK(BM_CheckersTelemetryFanOut)->Arg(1)->Arg(10)->Arg(100);

}  // namespace
}  // namespace mqlab::sim

BENCHMARK_MAIN();
