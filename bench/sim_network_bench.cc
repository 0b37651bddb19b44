// The network model's cost: deliveries and bytes per wall second, and the
// cost of connecting. items_per_second counts messages delivered.
//
//   bazel run -c opt //bench:sim_network_bench
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/random.h"
#include "sim/network.h"
#include "sim/scheduler.h"

namespace mqlab::sim {
namespace {

// Counts deliveries; the server side echoes nothing.
class Sink : public Listener, public Endpoint {
 public:
  Endpoint* OnAccept(SocketId, HostId, uint64_t) override { return this; }
  void OnConnected(SocketId) override {}
  void OnBytes(SocketId, std::span<const uint8_t> bytes) override {
    bytes_ += bytes.size();
    ++deliveries_;
  }
  void OnClosed(SocketId, CloseReason) override {}
  void OnWriteBlocked(SocketId, bool) override {}
  uint64_t bytes_ = 0;
  uint64_t deliveries_ = 0;
};

// A device that publishes a message of `size` bytes every `period`.
class Publisher : public Endpoint {
 public:
  Publisher(Scheduler* scheduler, Network* network, size_t size,
            Duration period)
      : scheduler_(scheduler),
        network_(network),
        message_(size, 0x42),
        period_(period) {}
  void Start(HostId from, HostId to, Duration offset) {
    socket_ = *network_->Connect(from, to, this, 0);
    offset_ = offset;
  }
  void OnConnected(SocketId) override {
    scheduler_->After(offset_, [this] { Publish(); });
  }
  void OnBytes(SocketId, std::span<const uint8_t>) override {}
  void OnClosed(SocketId, CloseReason) override {}
  void OnWriteBlocked(SocketId, bool) override {}

 private:
  void Publish() {
    network_->Send(socket_, message_);
    scheduler_->After(period_, [this] { Publish(); });
  }
  Scheduler* scheduler_;
  Network* network_;
  std::vector<uint8_t> message_;
  Duration period_;
  Duration offset_ = 0;
  SocketId socket_;
};

LinkProfile Cellular() {
  LinkProfile link;
  link.latency = LatencyModel::LogNormal(20 * kMillisecond, 40 * kMillisecond,
                                         0.6, 3 * kSecond);
  link.split_chance = 0.25;
  return link;
}

// N devices publishing 100-byte messages once a second to one server, over
// jittery links: the shape of a telemetry fleet.
void BM_TelemetryFleet(benchmark::State& state) {
  const auto devices = static_cast<uint32_t>(state.range(0));
  Scheduler scheduler;
  Network network(&scheduler, 1, NetworkOptions(), nullptr);
  Sink sink;
  LinkProfile datacenter;
  datacenter.latency = LatencyModel::Fixed(500 * kMicrosecond);
  const HostId server = *network.AddHost("server", datacenter);
  network.Listen(server, &sink, ListenOptions{.backlog = devices});
  std::vector<std::unique_ptr<Publisher>> publishers;
  Random random(1);
  for (uint32_t i = 0; i < devices; ++i) {
    const HostId host = *network.AddHost("d" + std::to_string(i), Cellular());
    publishers.push_back(
        std::make_unique<Publisher>(&scheduler, &network, 100, kSecond));
    publishers.back()->Start(host, server, random.Between(0, kSecond));
  }
  if (!scheduler.RunUntil(5 * kSecond).ok()) state.SkipWithError("run");
  const uint64_t before = sink.deliveries_;
  const uint64_t events_before = scheduler.events_run();
  for (auto _ : state) {
    if (!scheduler.RunUntil(scheduler.now() + kSecond).ok()) {
      state.SkipWithError("run failed");
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(sink.deliveries_ - before));
  state.counters["events_per_delivery"] =
      static_cast<double>(scheduler.events_run() - events_before) /
      static_cast<double>(sink.deliveries_ - before);
  state.counters["virtual_seconds_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_TelemetryFleet)
    ->Arg(1000)
    ->Arg(10'000)
    ->Unit(benchmark::kMillisecond);

// One connection streaming 1 KiB writes as fast as the window allows.
void BM_Stream(benchmark::State& state) {
  Scheduler scheduler;
  Network network(&scheduler, 1, NetworkOptions(), nullptr);
  Sink sink;
  LinkProfile link;
  link.latency = LatencyModel::Fixed(kMillisecond);
  link.split_chance = 0.25;
  const HostId server = *network.AddHost("server", link);
  const HostId client = *network.AddHost("client", link);
  network.Listen(server, &sink);
  Sink client_end;
  const SocketId socket = *network.Connect(client, server, &client_end, 0);
  if (!scheduler.RunUntil(kSecond).ok()) state.SkipWithError("run");
  const std::vector<uint8_t> chunk(1024, 7);
  for (auto _ : state) {
    for (int i = 0; i < 64; ++i) network.Send(socket, chunk);
    if (!scheduler.RunUntil(scheduler.now() + 10 * kMillisecond).ok()) {
      state.SkipWithError("run failed");
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(sink.bytes_));
  state.SetItemsProcessed(static_cast<int64_t>(sink.deliveries_));
}
BENCHMARK(BM_Stream);

// Connecting N clients at once to one listener and running until all are
// accepted.
void BM_ConnectStorm(benchmark::State& state) {
  const auto clients = static_cast<uint32_t>(state.range(0));
  for (auto _ : state) {
    Scheduler scheduler;
    Network network(&scheduler, 1, NetworkOptions(), nullptr);
    Sink sink;
    const HostId server = *network.AddHost("server", Cellular());
    network.Listen(server, &sink, ListenOptions{.backlog = clients});
    const HostId client = *network.AddHost("client", Cellular());
    for (uint32_t i = 0; i < clients; ++i) {
      benchmark::DoNotOptimize(network.Connect(client, server, &sink, i));
    }
    if (!scheduler.RunUntil(kMinute).ok()) state.SkipWithError("run");
  }
  state.SetItemsProcessed(state.iterations() * clients);
}
BENCHMARK(BM_ConnectStorm)->Arg(10'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace mqlab::sim

BENCHMARK_MAIN();
