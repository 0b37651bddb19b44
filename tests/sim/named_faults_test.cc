#include "sim/named_faults.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/scenario_loader.h"

namespace mqlab::sim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Fleet MakeFleet(int cars) {
  const std::string text = absl::StrCat(
      "name: \"n\" duration: \"1m\" event_grid_namespace { json: \"{}\" }\n"
      "populations { name: \"cars\" count: ",
      cars,
      " authentication_name: \"car{index}\" }\n"
      "populations { name: \"apps\" count: 1 authentication_name: "
      "\"app\" }\n");
  return *BuildFleet(*ParseScenario(text, "n"), 1);
}

TEST(NamedFaultsTest, NamesSurviveRenumbering) {
  const Fleet big = MakeFleet(4);
  Fault partition;
  partition.at = kSecond;
  partition.kind = FaultKind::kPartition;
  partition.hosts = {0};
  partition.other_hosts = {2, 5};  // cars/car1, apps/app.
  partition.duration = kSecond;
  Fault crash;
  crash.kind = FaultKind::kClientCrash;
  crash.clients = {3};  // cars/car3.
  const std::vector<NamedFault> named = NameFaults({{crash, partition}}, big);
  EXPECT_THAT(named[1].hosts, ElementsAre("broker"));
  EXPECT_THAT(named[1].other_hosts, ElementsAre("cars/car1", "apps/app"));
  EXPECT_THAT(named[0].clients, ElementsAre("cars/car3"));
  EXPECT_EQ(DescribeNamedFault(named[1]),
            "t=1s partition hosts=[broker] other=[cars/car1,apps/app] for 1s");

  // Same fleet: the same plan back, in time order.
  const FaultPlan back = *ResolveFaults(named, big, MissingNames::kError);
  EXPECT_EQ(back.faults, (std::vector<Fault>{crash, partition}));

  // Two cars left: apps/app is host 3 now; cars/car3 is gone.
  const Fleet small = MakeFleet(2);
  EXPECT_THAT(
      ResolveFaults(named, small, MissingNames::kError).status().message(),
      HasSubstr("fault 0 (t=0s client-crash clients=[cars/car3]): the "
                "fleet has no client named \"cars/car3\""));
  const FaultPlan dropped = *ResolveFaults(named, small, MissingNames::kDrop);
  ASSERT_EQ(dropped.faults.size(), 1u);
  EXPECT_THAT(dropped.faults[0].other_hosts, ElementsAre(2, 3));
}

}  // namespace
}  // namespace mqlab::sim
