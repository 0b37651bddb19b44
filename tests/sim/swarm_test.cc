#include "sim/swarm.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace mqlab::sim {

// Readable failures: gtest finds this by argument-dependent lookup.
void PrintTo(const Fault& fault, std::ostream* out) {
  *out << DescribeFault(fault);
}

namespace {

using ::testing::HasSubstr;

SwarmTargets Fleet(uint32_t clients) {
  SwarmTargets targets;
  targets.broker_host = 0;
  for (uint32_t i = 0; i < clients; ++i) targets.client_hosts.push_back(i + 1);
  return targets;
}

constexpr Time kEnd = 30 * kMinute;

TEST(SwarmTest, SameSeedSamePlan) {
  const SwarmOptions options;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    SwarmChoice first, second;
    const FaultPlan a =
        GenerateSwarmPlan(seed, options, Fleet(50), 0, kEnd, &first);
    const FaultPlan b =
        GenerateSwarmPlan(seed, options, Fleet(50), 0, kEnd, &second);
    EXPECT_EQ(a, b);
    EXPECT_EQ(first.Describe(), second.Describe());
    EXPECT_FALSE(a.faults.empty()) << "seed " << seed;
  }
}

TEST(SwarmTest, SeedsChooseDifferentMixes) {
  std::set<std::string> mixes;
  std::set<size_t> fault_counts;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    SwarmChoice choice;
    const FaultPlan plan =
        GenerateSwarmPlan(seed, SwarmOptions(), Fleet(50), 0, kEnd, &choice);
    std::string kinds;
    for (const auto& rate : choice.enabled) {
      kinds.append(FaultKindName(rate.kind));
      kinds += ' ';
    }
    mixes.insert(kinds);
    fault_counts.insert(plan.faults.size());
    EXPECT_FALSE(choice.enabled.empty());
  }
  EXPECT_GT(mixes.size(), 20u);
  EXPECT_GT(fault_counts.size(), 20u);
}

TEST(SwarmTest, FaultsFireOnlyInActivePeriodsAndEndBeforeTheFinalQuiet) {
  SwarmOptions options;
  options.warmup = 30 * kSecond;
  options.final_quiet = 2 * kMinute;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    SwarmChoice choice;
    const FaultPlan plan =
        GenerateSwarmPlan(seed, options, Fleet(20), 0, kEnd, &choice);
    ASSERT_FALSE(choice.active_periods.empty());
    Time previous = 0;
    for (const Fault& fault : plan.faults) {
      EXPECT_GE(fault.at, previous);  // In time order.
      previous = fault.at;
      EXPECT_GE(fault.at, options.warmup);
      EXPECT_LE(fault.at + fault.duration, kEnd - options.final_quiet)
          << DescribeFault(fault);
      bool in_active = false;
      for (const auto& [from, to] : choice.active_periods) {
        in_active |= fault.at >= from && fault.at < to;
      }
      EXPECT_TRUE(in_active) << DescribeFault(fault);
    }
  }
}

TEST(SwarmTest, FaultsAreWellFormed) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const FaultPlan plan =
        GenerateSwarmPlan(seed, SwarmOptions(), Fleet(40), 0, kEnd, nullptr);
    for (const Fault& fault : plan.faults) {
      switch (fault.kind) {
        case FaultKind::kPartition:
          EXPECT_GE(fault.hosts.size(), 1u);
          EXPECT_LE(fault.hosts.size(), 10u);  // A quarter of 40.
          EXPECT_EQ(fault.other_hosts, std::vector<HostId>{0});
          EXPECT_GT(fault.duration, 0);
          EXPECT_TRUE(std::is_sorted(fault.hosts.begin(), fault.hosts.end()));
          EXPECT_EQ(
              std::set<HostId>(fault.hosts.begin(), fault.hosts.end()).size(),
              fault.hosts.size());
          break;
        case FaultKind::kSlowReader:
          EXPECT_GE(fault.amount, 100);
          EXPECT_LE(fault.amount, 100'000);
          break;
        case FaultKind::kClientCrash:
        case FaultKind::kClientDelete:
        case FaultKind::kClientDisable:
          ASSERT_EQ(fault.clients.size(), 1u);
          EXPECT_LT(fault.clients[0], 40u);
          break;
        default:
          break;
      }
    }
  }
}

// Turning other kinds off leaves a kind's own faults exactly as they were.
TEST(SwarmTest, KindsDrawFromTheirOwnStreams) {
  SwarmOptions all;
  all.kind_probability = 1;
  all.max_faults = 100'000;
  SwarmOptions partitions_only = all;
  partitions_only.kinds = {FaultKind::kPartition};
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    const FaultPlan mixed =
        GenerateSwarmPlan(seed, all, Fleet(30), 0, kEnd, nullptr);
    const FaultPlan alone =
        GenerateSwarmPlan(seed, partitions_only, Fleet(30), 0, kEnd, nullptr);
    std::vector<Fault> from_mixed;
    for (const Fault& fault : mixed.faults) {
      if (fault.kind == FaultKind::kPartition) from_mixed.push_back(fault);
    }
    EXPECT_EQ(from_mixed, alone.faults) << "seed " << seed;
  }
}

TEST(SwarmTest, MaxFaultsKeepsTheEarliest) {
  SwarmOptions options;
  options.kind_probability = 1;
  options.min_mean_interval = kSecond;
  options.max_mean_interval = kSecond;
  options.max_faults = 25;
  SwarmChoice choice;
  const FaultPlan plan =
      GenerateSwarmPlan(3, options, Fleet(10), 0, kEnd, &choice);
  EXPECT_EQ(plan.faults.size(), 25u);
  EXPECT_GT(choice.dropped_faults, 0u);
  EXPECT_THAT(choice.Describe(), HasSubstr("over max_faults"));
}

TEST(SwarmTest, WithoutClientsOnlyHostFaultsAtTheBroker) {
  const FaultPlan plan =
      GenerateSwarmPlan(5, SwarmOptions(), Fleet(0), 0, kEnd, nullptr);
  for (const Fault& fault : plan.faults) {
    EXPECT_FALSE(IsClientFault(fault.kind));
    EXPECT_NE(fault.kind, FaultKind::kPartition);
    for (HostId host : fault.hosts) EXPECT_EQ(host, 0u);
  }
}

TEST(SwarmTest, ARunShorterThanWarmupAndQuietHasNoFaults) {
  const FaultPlan plan =
      GenerateSwarmPlan(5, SwarmOptions(), Fleet(5), 0, 30 * kSecond, nullptr);
  EXPECT_TRUE(plan.faults.empty());
}

TEST(SwarmTest, DescribesTheChoice) {
  SwarmChoice choice;
  choice.enabled = {{FaultKind::kPartition, 12 * kSecond}};
  choice.active_periods = {{0, kSecond}, {2 * kSecond, 3 * kSecond}};
  EXPECT_EQ(choice.Describe(), "swarm: partition every ~12s; 2 active periods");
}

}  // namespace
}  // namespace mqlab::sim
