#include "sim/fault_injector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "sim/faults.h"
#include "sim/network.h"
#include "sim/scheduler.h"
#include "sim/trace.h"

namespace mqlab::sim {

// Readable failures: gtest finds this by argument-dependent lookup.
void PrintTo(const Fault& fault, std::ostream* out) {
  *out << DescribeFault(fault);
}

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class RecordingHooks : public FaultHooks {
 public:
  explicit RecordingHooks(Scheduler* scheduler) : scheduler_(scheduler) {}
  void RestartBroker(Duration downtime) override {
    calls.push_back("restart " + std::to_string(downtime) + " at " +
                    std::to_string(scheduler_->now()));
  }
  void CrashClient(uint32_t client, Duration restart_after) override {
    calls.push_back("crash " + std::to_string(client) + " " +
                    std::to_string(restart_after));
  }
  void DeleteClient(uint32_t client, Duration restore_after) override {
    calls.push_back("delete " + std::to_string(client) + " " +
                    std::to_string(restore_after));
  }
  void DisableClient(uint32_t client, Duration restore_after) override {
    calls.push_back("disable " + std::to_string(client) + " " +
                    std::to_string(restore_after));
  }
  std::vector<std::string> calls;

 private:
  Scheduler* scheduler_;
};

class FaultInjectorTest : public ::testing::Test {
 protected:
  FaultInjectorTest() {
    broker_ = *network_.AddHost("broker", LinkProfile());
    device_ = *network_.AddHost("device", LinkProfile());
  }

  Fault Make(Time at, FaultKind kind) {
    Fault fault;
    fault.at = at;
    fault.kind = kind;
    return fault;
  }

  Scheduler scheduler_;
  Trace trace_;
  NetworkOptions network_options_{.max_partitions = 1};
  Network network_{&scheduler_, 1, network_options_, &trace_};
  RecordingHooks hooks_{&scheduler_};
  FaultInjector injector_{&scheduler_, &network_, &hooks_, &trace_};
  HostId broker_ = 0;
  HostId device_ = 0;
};

TEST_F(FaultInjectorTest, FiresFaultsAtTheirTimesAndRecordsThem) {
  FaultPlan plan;
  Fault partition = Make(kSecond, FaultKind::kPartition);
  partition.hosts = {device_};
  partition.other_hosts = {broker_};
  partition.duration = 5 * kSecond;
  plan.faults.push_back(partition);
  Fault restart = Make(2 * kSecond, FaultKind::kBrokerRestart);
  restart.duration = 3 * kSecond;
  plan.faults.push_back(restart);
  Fault crash = Make(3 * kSecond, FaultKind::kClientCrash);
  crash.clients = {1};
  crash.duration = kSecond;
  plan.faults.push_back(crash);
  Fault deletion = Make(4 * kSecond, FaultKind::kClientDelete);
  deletion.clients = {0};
  plan.faults.push_back(deletion);
  Fault disable = Make(4 * kSecond, FaultKind::kClientDisable);
  disable.clients = {1};
  disable.duration = kMinute;
  plan.faults.push_back(disable);
  ASSERT_TRUE(injector_.Schedule(plan, /*client_count=*/2).ok());

  ASSERT_TRUE(scheduler_.RunUntil(1500 * kMillisecond).ok());
  EXPECT_EQ(network_.stats().partitions, 1u);
  EXPECT_EQ(injector_.taken().faults.size(), 1u);
  ASSERT_TRUE(scheduler_.RunUntil(kMinute).ok());
  EXPECT_THAT(hooks_.calls, ElementsAre("restart 3000000000 at 2000000000",
                                        "crash 1 1000000000", "delete 0 0",
                                        "disable 1 60000000000"));
  EXPECT_EQ(injector_.taken(), plan);
  EXPECT_TRUE(injector_.skipped().empty());
}

TEST_F(FaultInjectorTest, HostFaultsReachTheNetwork) {
  FaultPlan plan;
  Fault slow = Make(kSecond, FaultKind::kSlowReader);
  slow.hosts = {device_};
  slow.amount = 1000;
  slow.duration = kSecond;
  plan.faults.push_back(slow);
  Fault spike = Make(kSecond, FaultKind::kLatencySpike);
  spike.hosts = {device_};
  spike.amount = 100 * kMillisecond;
  spike.duration = kSecond;
  plan.faults.push_back(spike);
  Fault reset = Make(2 * kSecond, FaultKind::kResetConnections);
  reset.hosts = {device_, broker_};
  plan.faults.push_back(reset);
  Fault half_open = Make(3 * kSecond, FaultKind::kHalfOpen);
  half_open.hosts = {device_};
  plan.faults.push_back(half_open);
  ASSERT_TRUE(injector_.Schedule(plan, 0).ok());
  ASSERT_TRUE(scheduler_.RunUntil(kMinute).ok());
  EXPECT_EQ(injector_.taken().faults.size(), 4u);
  // Each fault is a trace record.
  EXPECT_EQ(trace_.records(), 4u);
}

TEST_F(FaultInjectorTest, APartitionOverTheNetworksBoundIsSkipped) {
  FaultPlan plan;
  for (int i = 0; i < 2; ++i) {
    Fault partition = Make(kSecond, FaultKind::kPartition);
    partition.hosts = {device_};
    partition.other_hosts = {broker_};
    partition.duration = kMinute;
    plan.faults.push_back(partition);
  }
  ASSERT_TRUE(injector_.Schedule(plan, 0).ok());
  ASSERT_TRUE(scheduler_.RunUntil(2 * kSecond).ok());
  EXPECT_EQ(injector_.taken().faults.size(), 1u);
  ASSERT_EQ(injector_.skipped().size(), 1u);
  EXPECT_THAT(injector_.skipped()[0], HasSubstr("max_partitions=1"));
}

TEST_F(FaultInjectorTest, MalformedPlansAreRefusedWhole) {
  auto refused = [this](Fault fault, uint32_t clients = 1) {
    FaultPlan plan;
    plan.faults.push_back(Make(0, FaultKind::kBrokerRestart));
    plan.faults.push_back(std::move(fault));
    const absl::Status status = injector_.Schedule(plan, clients);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    return std::string(status.message());
  };
  Fault no_host = Make(kSecond, FaultKind::kResetConnections);
  EXPECT_THAT(refused(no_host), HasSubstr("names no host"));
  Fault unknown_host = Make(kSecond, FaultKind::kHalfOpen);
  unknown_host.hosts = {7};
  EXPECT_THAT(refused(unknown_host), HasSubstr("no host 7"));
  Fault one_sided = Make(kSecond, FaultKind::kPartition);
  one_sided.hosts = {device_};
  EXPECT_THAT(refused(one_sided), HasSubstr("two sides"));
  Fault unknown_client = Make(kSecond, FaultKind::kClientCrash);
  unknown_client.clients = {3};
  EXPECT_THAT(refused(unknown_client), HasSubstr("no client 3"));
  Fault no_rate = Make(kSecond, FaultKind::kSlowReader);
  no_rate.hosts = {device_};
  EXPECT_THAT(refused(no_rate), HasSubstr("rate > 0"));
  Fault early = Make(-1, FaultKind::kBrokerRestart);
  EXPECT_THAT(refused(early), HasSubstr("past"));
  EXPECT_THAT(refused(early), HasSubstr("fault 1 ("));
  ASSERT_TRUE(scheduler_.RunUntil(kMinute).ok());
  EXPECT_TRUE(hooks_.calls.empty());
}

TEST(FaultInjectorWithoutHooksTest, HarnessFaultsNeedHooks) {
  Scheduler scheduler;
  Network network(&scheduler, 1, NetworkOptions(), nullptr);
  FaultInjector injector(&scheduler, &network, nullptr, nullptr);
  FaultPlan plan;
  Fault restart;
  restart.kind = FaultKind::kBrokerRestart;
  plan.faults.push_back(restart);
  EXPECT_THAT(std::string(injector.Schedule(plan, 0).message()),
              HasSubstr("needs the harness"));
}

TEST(FaultsTest, NamesRoundTrip) {
  for (FaultKind kind : kAllFaultKinds) {
    EXPECT_EQ(FaultKindFromName(FaultKindName(kind)), kind);
  }
  EXPECT_EQ(FaultKindFromName("meteor"), std::nullopt);
}

TEST(FaultsTest, Describes) {
  Fault fault;
  fault.at = 12 * kSecond;
  fault.kind = FaultKind::kPartition;
  fault.hosts = {3, 4};
  fault.other_hosts = {0};
  fault.duration = 5 * kSecond;
  EXPECT_EQ(DescribeFault(fault),
            "t=12s partition hosts=[3,4] other=[0] for 5s");
  fault.kind = FaultKind::kSlowReader;
  fault.other_hosts.clear();
  fault.amount = 500;
  EXPECT_EQ(DescribeFault(fault),
            "t=12s slow-reader hosts=[3,4] at 500 B/s for 5s");
}

}  // namespace
}  // namespace mqlab::sim
