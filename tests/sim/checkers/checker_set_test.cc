#include "sim/checkers/checker_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/sim/checkers/observation_stream.h"

namespace mqlab::sim::testing {
namespace {

using ::testing::ElementsAre;

TEST(CheckerSetTest, EnabledCheckersAndSettleWindow) {
  scenario::Checkers config;
  EXPECT_EQ(EnabledCheckers(config).size(), 9u);
  EXPECT_EQ(SettleWindow(config), kMinute);
  config.add_disable(scenario::Checkers::LIVENESS);
  config.add_disable(scenario::Checkers::QOS0_AT_MOST_ONCE);
  config.set_liveness_within("3m");
  EXPECT_THAT(EnabledCheckers(config),
              ElementsAre(CheckerKind::kQos1AtLeastOnce,
                          CheckerKind::kAuthorizedDelivery,
                          CheckerKind::kAuthorizedPublish,
                          CheckerKind::kPublisherOrder, CheckerKind::kLimits,
                          CheckerKind::kSingleConnectionPerSession,
                          CheckerKind::kReferenceModel));
  EXPECT_EQ(SettleWindow(config), 3 * kMinute);
  // The proto's numbers are the kinds'.
  EXPECT_EQ(static_cast<int>(CheckerKind::kLiveness),
            scenario::Checkers::LIVENESS);
  EXPECT_EQ(static_cast<int>(CheckerKind::kReferenceModel),
            scenario::Checkers::REFERENCE_MODEL);
}

TEST(CheckerSetTest, ViolationsOfAllCheckersInTimeOrder) {
  CheckerWorld world;
  const std::vector<CheckerKind> kinds(std::begin(kAllCheckerKinds),
                                       std::end(kAllCheckerKinds));
  CheckerSet checkers(kinds, world.context());
  const MessageTag m1{0, 1};
  for (const Observation& o :
       {Intent(0, kSub1, "sub1", true),
        Publish(kSecond, kPub, "pub", m1, "t/pub/x", mqtt::Qos::kAtMostOnce),
        Suback(kSecond, kSub1, "sub1", "t/#"),
        Received(3 * kSecond, 1, kSub1, "sub1", m1, "t/pub/x",
                 mqtt::Qos::kAtMostOnce),
        Received(4 * kSecond, 1, kSub1, "sub1", m1, "t/pub/x",
                 mqtt::Qos::kAtMostOnce),
        BrokerEvent(2 * kSecond, broker::EventKind::kConnected, 1, "sub2"),
        BrokerEvent(2 * kSecond, broker::EventKind::kConnected, 2, "sub2")}) {
    checkers.Observe(o);
  }
  checkers.Finish(kEnd);
  EXPECT_TRUE(checkers.status().ok());
  const std::vector<Violation> violations = checkers.Violations();
  ASSERT_EQ(violations.size(), 3u);
  EXPECT_EQ(checkers.violation_count(), 3u);
  EXPECT_EQ(violations[0].rule, "broker-reports-two");  // t=2s
  EXPECT_EQ(violations[1].rule, "duplicate");           // t=4s
  EXPECT_EQ(violations[2].rule, "still-disconnected");  // the end
  uint64_t reported = 0;
  for (const CheckerSet::Summary& summary : checkers.Summaries()) {
    reported += summary.violations;
  }
  EXPECT_EQ(reported, 3u);
}

}  // namespace
}  // namespace mqlab::sim::testing
