// Determinism of the simulator's foundations: a fleet of devices talking to
// an echo server over jittery links, under swarm faults, folds everything
// into the trace hash. The same seed must give the same hash (twice in one
// process, and in every build mode: the pinned value below is checked by
// -c dbg, -c opt and --config=asan runs alike); another seed another hash.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/random.h"
#include "sim/fault_injector.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "sim/swarm.h"
#include "sim/trace.h"

namespace mqlab::sim {
namespace {

constexpr Duration kRunLength = 10 * kMinute;

// Echoes every byte back on the connection it came from.
class EchoServer : public Listener, public Endpoint {
 public:
  explicit EchoServer(Network* network) : network_(network) {}
  Endpoint* OnAccept(SocketId, HostId, uint64_t) override { return this; }
  void OnConnected(SocketId) override {}
  void OnBytes(SocketId socket, std::span<const uint8_t> bytes) override {
    network_->Send(socket, bytes);
  }
  void OnClosed(SocketId, CloseReason) override {}
  void OnWriteBlocked(SocketId, bool) override {}

 private:
  Network* network_;
};

// Connects, sends messages of random sizes at random times, checks that the
// echo comes back whole and in order, reconnects with backoff when the
// connection ends, and gives up on a silent connection (its keep-alive).
class Device : public Endpoint {
 public:
  Device(Scheduler* scheduler, Network* network, HostId host, HostId server,
         uint64_t seed, uint32_t index)
      : scheduler_(scheduler),
        network_(network),
        host_(host),
        server_(server),
        index_(index),
        random_(Random::Stream(seed, "device/" + std::to_string(index))) {}

  void Start() { Connect(); }

  void Crash(Duration restart_after) {
    if (socket_.valid()) network_->Abandon(socket_);
    Forget();
    ++generation_;  // Pending timers of the dead device do nothing.
    if (restart_after > 0) {
      const uint64_t generation = generation_;
      scheduler_->After(restart_after, [this, generation] {
        if (generation == generation_) Connect();
      });
    }
  }

  void OnConnected(SocketId) override {
    connected_ = true;
    last_heard_ = scheduler_->now();
    ScheduleSend();
  }
  void OnBytes(SocketId, std::span<const uint8_t> bytes) override {
    last_heard_ = scheduler_->now();
    echoed_.insert(echoed_.end(), bytes.begin(), bytes.end());
    EXPECT_LE(echoed_.size(), sent_.size());
    EXPECT_TRUE(std::equal(echoed_.begin(), echoed_.end(), sent_.begin()))
        << "device " << index_ << ": the echo differs from what was sent";
  }
  void OnClosed(SocketId, CloseReason) override {
    Forget();
    ScheduleReconnect();
  }
  void OnWriteBlocked(SocketId, bool) override {}

  uint64_t bytes_echoed() const { return total_echoed_ + echoed_.size(); }

 private:
  void Connect() {
    const absl::StatusOr<SocketId> socket =
        network_->Connect(host_, server_, this, index_);
    ASSERT_TRUE(socket.ok());
    socket_ = *socket;
  }

  void Forget() {
    socket_ = SocketId();
    connected_ = false;
    total_echoed_ += echoed_.size();
    sent_.clear();
    echoed_.clear();
  }

  void ScheduleReconnect() {
    const uint64_t generation = ++generation_;
    const Duration wait = random_.Between(kSecond, 5 * kSecond);
    scheduler_->After(wait, [this, generation] {
      if (generation == generation_) Connect();
    });
  }

  void ScheduleSend() {
    const uint64_t generation = generation_;
    const auto wait =
        static_cast<Duration>(random_.Exponential(500 * kMillisecond));
    scheduler_->After(wait, [this, generation] {
      if (generation == generation_ && connected_) Send();
    });
  }

  void Send() {
    // Keep-alive: nothing heard for 20 s while waiting for an echo.
    if (echoed_.size() < sent_.size() &&
        scheduler_->now() - last_heard_ > 20 * kSecond) {
      network_->Close(socket_);
      Forget();
      ScheduleReconnect();
      return;
    }
    std::vector<uint8_t> message(1 + random_.Below(3000));
    for (uint8_t& byte : message) byte = static_cast<uint8_t>(random_.Next());
    if (network_->Send(socket_, message)) {
      sent_.insert(sent_.end(), message.begin(), message.end());
    }
    ScheduleSend();
  }

  Scheduler* scheduler_;
  Network* network_;
  HostId host_;
  HostId server_;
  uint32_t index_;
  Random random_;
  SocketId socket_;
  bool connected_ = false;
  uint64_t generation_ = 0;
  Time last_heard_ = 0;
  std::vector<uint8_t> sent_;
  std::vector<uint8_t> echoed_;
  uint64_t total_echoed_ = 0;
};

class Fleet : public FaultHooks {
 public:
  Fleet(uint64_t seed, uint32_t devices)
      : network_(&scheduler_, seed, NetworkOptions(), &trace_),
        server_(&network_),
        injector_(&scheduler_, &network_, this, &trace_) {
    LinkProfile cellular;
    cellular.latency = LatencyModel::LogNormal(
        20 * kMillisecond, 40 * kMillisecond, 0.6, 3 * kSecond);
    cellular.bandwidth_bytes_per_second = 250'000;
    cellular.split_chance = 0.5;
    LinkProfile datacenter;
    datacenter.latency = LatencyModel::Fixed(500 * kMicrosecond);
    server_host_ = *network_.AddHost("server", datacenter);
    network_.Listen(server_host_, &server_);
    SwarmTargets targets;
    targets.broker_host = server_host_;
    for (uint32_t i = 0; i < devices; ++i) {
      const HostId host =
          *network_.AddHost("device" + std::to_string(i), cellular);
      targets.client_hosts.push_back(host);
      devices_.push_back(std::make_unique<Device>(&scheduler_, &network_, host,
                                                  server_host_, seed, i));
    }
    SwarmOptions swarm;
    swarm.kinds = {FaultKind::kResetConnections, FaultKind::kHalfOpen,
                   FaultKind::kPartition,        FaultKind::kSlowReader,
                   FaultKind::kLatencySpike,     FaultKind::kBrokerRestart,
                   FaultKind::kClientCrash};
    swarm.kind_probability = 0.7;
    swarm.min_mean_interval = 5 * kSecond;
    swarm.max_mean_interval = 30 * kSecond;
    const FaultPlan plan =
        GenerateSwarmPlan(seed, swarm, targets, 0, kRunLength, nullptr);
    EXPECT_TRUE(injector_.Schedule(plan, devices).ok());
  }

  uint64_t Run() {
    for (auto& device : devices_) device->Start();
    EXPECT_TRUE(scheduler_.RunUntil(kRunLength).ok());
    return trace_.hash();
  }

  void RestartBroker(Duration downtime) override {
    network_.AbortHost(server_host_);
    network_.Listen(server_host_, nullptr);
    scheduler_.After(downtime,
                     [this] { network_.Listen(server_host_, &server_); });
  }
  void CrashClient(uint32_t client, Duration restart_after) override {
    devices_[client]->Crash(restart_after);
  }
  void DeleteClient(uint32_t, Duration) override {}
  void DisableClient(uint32_t, Duration) override {}

  uint64_t bytes_echoed() const {
    uint64_t total = 0;
    for (const auto& device : devices_) total += device->bytes_echoed();
    return total;
  }
  const FaultInjector& injector() const { return injector_; }
  const NetworkStats& network_stats() const { return network_.stats(); }
  uint64_t events() const { return scheduler_.events_run(); }

 private:
  Scheduler scheduler_;
  Trace trace_;
  Network network_;
  EchoServer server_;
  FaultInjector injector_;
  HostId server_host_ = 0;
  std::vector<std::unique_ptr<Device>> devices_;
};

TEST(DeterminismTest, SameSeedSameTraceHash) {
  Fleet first(42, 20);
  Fleet second(42, 20);
  const uint64_t hash = first.Run();
  EXPECT_EQ(second.Run(), hash);
  // The run did something worth hashing.
  EXPECT_GT(first.events(), 100'000u);
  EXPECT_GT(first.bytes_echoed(), 1'000'000u);
  EXPECT_GT(first.injector().taken().faults.size(), 10u);
  EXPECT_GT(first.network_stats().resets + first.network_stats().timeouts, 0u);
}

TEST(DeterminismTest, DifferentSeedsDifferentTraceHashes) {
  std::vector<uint64_t> hashes;
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    hashes.push_back(Fleet(seed, 10).Run());
  }
  for (size_t i = 0; i < hashes.size(); ++i) {
    for (size_t j = i + 1; j < hashes.size(); ++j) {
      EXPECT_NE(hashes[i], hashes[j]) << "seeds " << i + 1 << " and " << j + 1;
    }
  }
}

// The same in every build mode. When the model changes on purpose, this
// value changes: update it from the failure message, in the same commit.
TEST(DeterminismTest, HashIsPinnedAcrossBuildModes) {
  EXPECT_EQ(Fleet(7, 10).Run(), 0x9fcb8d390d3f4c16u);
}

}  // namespace
}  // namespace mqlab::sim
