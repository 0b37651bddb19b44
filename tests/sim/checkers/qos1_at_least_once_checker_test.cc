#include "sim/checkers/qos1_at_least_once_checker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "tests/sim/checkers/observation_stream.h"

namespace mqlab::sim::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

constexpr MessageTag kM1{0, 1};
constexpr MessageTag kM2{0, 2};

// sub1 holds a persistent session subscribed to t/# at QoS 1; pub publishes
// m0.1 on t/pub/x at 1 min, acknowledged 10 ms later.
std::vector<Observation> Base() {
  return {
      Connect(kSecond, 1, kSub1, "sub1", true, /*persistent=*/true),
      Connack(2 * kSecond, 1),
      Suback(3 * kSecond, kSub1, "sub1", "t/#"),
      Connect(4 * kSecond, 2, kPub, "pub"),
      Connack(5 * kSecond, 2),
      Publish(kMinute, kPub, "pub", kM1, "t/pub/x"),
      Puback(kMinute + 10 * kMillisecond, kM1),
  };
}

std::vector<Observation> With(std::vector<Observation> stream,
                              std::vector<Observation> more) {
  stream.insert(stream.end(), more.begin(), more.end());
  return stream;
}

class Qos1Test : public ::testing::Test {
 protected:
  CheckerWorld world_;
  Qos1AtLeastOnceChecker checker_{world_.context()};
};

TEST_F(Qos1Test, DeliveredOncePasses) {
  Feed(checker_, With(Base(), {Received(kMinute + kSecond, 1, kSub1, "sub1",
                                        kM1, "t/pub/x")}));
  EXPECT_THAT(Rules(checker_), IsEmpty());
  EXPECT_THAT(checker_.exceptions(), IsEmpty());
}

TEST_F(Qos1Test, RedeliveryIsFine) {
  Feed(checker_,
       With(Base(),
            {Received(kMinute + kSecond, 1, kSub1, "sub1", kM1, "t/pub/x"),
             Received(kMinute + 2 * kSecond, 1, kSub1, "sub1", kM1, "t/pub/x",
                      mqtt::Qos::kAtLeastOnce, true)}));
  EXPECT_THAT(Rules(checker_), IsEmpty());
}

TEST_F(Qos1Test, UndeliveredMessageIsLost) {
  Feed(checker_, Base());
  ASSERT_THAT(Rules(checker_), ElementsAre("message-lost"));
  const Violation& violation = checker_.violations()[0];
  EXPECT_EQ(violation.messages, std::vector<MessageTag>{kM1});
  EXPECT_THAT(violation.sessions, ElementsAre("sub1", "pub"));
  EXPECT_THAT(violation.detail, HasSubstr("m0.1"));
  EXPECT_THAT(violation.detail, HasSubstr("never reached session sub1"));
  EXPECT_THAT(violation.detail, HasSubstr("subscribed to t/# at QoS 1"));
}

TEST_F(Qos1Test, EverySubscribedSessionMustReceiveIt) {
  std::vector<Observation> stream = {
      Connect(kSecond, 1, kSub1, "sub1"),
      Connack(kSecond, 1),
      Suback(kSecond, kSub1, "sub1", "t/+/x"),
      Connect(kSecond, 3, kSub2, "sub2"),
      Connack(kSecond, 3),
      Suback(kSecond, kSub2, "sub2", "t/pub/#"),
      Publish(kMinute, kPub, "pub", kM1, "t/pub/x"),
      Puback(kMinute, kM1),
      Received(kMinute + kSecond, 1, kSub1, "sub1", kM1, "t/pub/x")};
  Feed(checker_, stream);
  ASSERT_THAT(Rules(checker_), ElementsAre("message-lost"));
  EXPECT_THAT(checker_.violations()[0].sessions, ElementsAre("sub2", "pub"));
}

TEST_F(Qos1Test, OnlyAcknowledgedMessagesAreJudged) {
  std::vector<Observation> stream = Base();
  stream.pop_back();  // No PUBACK.
  Feed(checker_, stream);
  EXPECT_THAT(Rules(checker_), IsEmpty());
  EXPECT_THAT(checker_.not_judged(),
              ElementsAre(Pair("never-acknowledged", 1)));
}

TEST_F(Qos1Test, RefusedOrAbandonedMessagesAreNotExpected) {
  std::vector<Observation> refused = Base();
  refused.back() = Puback(kMinute, kM1, mqtt::ReasonCode::kNotAuthorized);
  Feed(checker_, refused);
  EXPECT_THAT(Rules(checker_), IsEmpty());

  Qos1AtLeastOnceChecker abandoned(world_.context());
  std::vector<Observation> stream = Base();
  stream.back() = Abandoned(kMinute, kM1);
  Feed(abandoned, stream);
  EXPECT_THAT(Rules(abandoned), IsEmpty());
}

TEST_F(Qos1Test, SubscriptionsAfterThePublishAreNotExpected) {
  std::vector<Observation> stream = {
      Connect(kSecond, 1, kSub1, "sub1"), Connack(kSecond, 1),
      Publish(kMinute, kPub, "pub", kM1, "t/pub/x"),
      Suback(kMinute + kMillisecond, kSub1, "sub1", "t/#"),
      Puback(kMinute + 2 * kMillisecond, kM1)};
  Feed(checker_, stream);
  EXPECT_THAT(Rules(checker_), IsEmpty());
}

TEST_F(Qos1Test, UnsubscribingWhileInFlightIsNotJudged) {
  std::vector<Observation> stream = Base();
  stream.insert(stream.end() - 1,
                Unsubscribe(kMinute + kMillisecond, kSub1, "sub1", "t/#"));
  Feed(checker_, stream);
  EXPECT_THAT(Rules(checker_), IsEmpty());
  EXPECT_THAT(checker_.not_judged(),
              ElementsAre(Pair("unsubscribed-while-in-flight", 1)));
}

TEST_F(Qos1Test, QosZeroSubscriptionsAndNoLocalAreNotExpected) {
  std::vector<Observation> stream = {
      Connect(kSecond, 1, kSub1, "sub1"),
      Connack(kSecond, 1),
      Suback(kSecond, kSub1, "sub1", "t/#", mqtt::ReasonCode::kSuccess),
      Connect(kSecond, 2, kPub, "pub"),
      Connack(kSecond, 2),
      Suback(kSecond, kPub, "pub", "t/#", mqtt::ReasonCode::kGrantedQos1,
             /*no_local=*/true),
      Publish(kMinute, kPub, "pub", kM1, "t/pub/x"),
      Puback(kMinute, kM1)};
  Feed(checker_, stream);
  EXPECT_THAT(Rules(checker_), IsEmpty());
}

TEST_F(Qos1Test, UnauthorizedSubscribersAndPublishersAreLeftToTheirCheckers) {
  std::vector<Observation> stream = {
      Connect(kSecond, 1, kOutsider, "outsider"), Connack(kSecond, 1),
      Suback(kSecond, kOutsider, "outsider", "t/#"),
      Connect(kSecond, 3, kSub1, "sub1"), Connack(kSecond, 3),
      Suback(kSecond, kSub1, "sub1", "t/#"),
      // sub1 may not publish on pub's topics.
      Publish(kMinute, kSub1, "sub1", kM2, "t/pub/x"), Puback(kMinute, kM2),
      Publish(kMinute, kPub, "pub", kM1, "t/pub/x"), Puback(kMinute, kM1),
      Received(kMinute, 3, kSub1, "sub1", kM1, "t/pub/x")};
  Feed(checker_, stream);
  EXPECT_THAT(Rules(checker_), IsEmpty());
}

TEST_F(Qos1Test, MessagesAcknowledgedInTheSettleWindowAreNotJudged) {
  std::vector<Observation> stream = Base();
  Feed(checker_, stream, /*end=*/kMinute + 30 * kSecond);
  EXPECT_THAT(Rules(checker_), IsEmpty());
  EXPECT_THAT(checker_.not_judged(),
              ElementsAre(Pair("acknowledged-in-the-settle-window", 1)));
}

TEST_F(Qos1Test, DocumentedSessionEndsExcuseAndAreCounted) {
  const struct {
    Observation end;
    const char* cause;
  } cases[] = {
      {BrokerEvent(2 * kMinute, broker::EventKind::kSessionExpired, 7, "sub1"),
       "session-expired"},
      {BrokerEvent(2 * kMinute, broker::EventKind::kSessionOverflow, 7, "sub1"),
       "session-overflow"},
      {BrokerEvent(2 * kMinute, broker::EventKind::kSessionDeleted, 7, "sub1"),
       "session-deleted"},
      {Restart(2 * kMinute), "broker-restart"},
  };
  for (const auto& c : cases) {
    Qos1AtLeastOnceChecker checker(world_.context());
    Feed(checker, With(Base(), {c.end}));
    EXPECT_THAT(Rules(checker), IsEmpty()) << c.cause;
    EXPECT_THAT(checker.exceptions(), ElementsAre(Pair(c.cause, 1)));
  }
}

TEST_F(Qos1Test, ClientEndedSessionsExcuse) {
  // A non-persistent session ends with its connection.
  std::vector<Observation> stream = {
      Connect(kSecond, 1, kSub1, "sub1"),
      Connack(kSecond, 1),
      Suback(kSecond, kSub1, "sub1", "t/#"),
      Publish(kMinute, kPub, "pub", kM1, "t/pub/x"),
      Puback(kMinute, kM1),
      Ended(kMinute + kMillisecond, 1)};
  Feed(checker_, stream);
  EXPECT_THAT(Rules(checker_), IsEmpty());
  EXPECT_THAT(checker_.exceptions(),
              ElementsAre(Pair("ended-with-connection", 1)));

  // A persistent one, replaced by a Clean Start connection.
  Qos1AtLeastOnceChecker clean(world_.context());
  Feed(clean, With(Base(), {Ended(2 * kMinute, 1),
                            Connect(3 * kMinute, 5, kSub1, "sub1", true, true),
                            Connack(3 * kMinute, 5, false)}));
  EXPECT_THAT(Rules(clean), IsEmpty());
  EXPECT_THAT(clean.exceptions(), ElementsAre(Pair("clean-start", 1)));
}

TEST_F(Qos1Test, APersistentSessionSurvivesItsConnection) {
  // Resumed with the session present: the message is still owed.
  Feed(checker_,
       With(Base(), {Ended(2 * kMinute, 1),
                     Connect(3 * kMinute, 5, kSub1, "sub1", false, true),
                     Connack(3 * kMinute, 5, true)}));
  EXPECT_THAT(Rules(checker_), ElementsAre("message-lost"));
}

TEST_F(Qos1Test, AVanishedSessionExcusesNothing) {
  Feed(checker_,
       With(Base(), {Ended(2 * kMinute, 1),
                     Connect(3 * kMinute, 5, kSub1, "sub1", false, true),
                     Connack(3 * kMinute, 5, false)}));
  ASSERT_THAT(Rules(checker_), ElementsAre("message-lost"));
  EXPECT_THAT(checker_.violations()[0].detail,
              HasSubstr("not present when its client resumed it at t=180s"));
}

TEST_F(Qos1Test, ExpiredMessagesAreExcused) {
  std::vector<Observation> stream = Base();
  stream[5] = Publish(kMinute, kPub, "pub", kM1, "t/pub/x",
                      mqtt::Qos::kAtLeastOnce, 30 * kSecond);
  Feed(checker_, stream);
  EXPECT_THAT(Rules(checker_), IsEmpty());
  EXPECT_THAT(checker_.exceptions(), ElementsAre(Pair("message-expired", 1)));
}

TEST_F(Qos1Test, PhantomAndCorruptDeliveries) {
  Feed(checker_,
       With(Base(),
            {Received(kMinute, 1, kSub1, "sub1", {9, 9}, "t/pub/x"),
             Received(kMinute, 1, kSub1, "sub1", kM1, "t/pub/x",
                      mqtt::Qos::kAtLeastOnce, false, TagCheck::kCorrupt),
             Received(kMinute, 1, kSub1, "sub1", {}, "t/pub/x",
                      mqtt::Qos::kAtLeastOnce, false, TagCheck::kUntagged)}));
  // The corrupt copy does not count as a delivery.
  EXPECT_THAT(Rules(checker_), ElementsAre("phantom-message", "corrupt-payload",
                                           "message-lost"));
  EXPECT_THAT(checker_.not_judged(),
              ElementsAre(Pair("untagged-deliveries", 1)));
}

TEST_F(Qos1Test, ManyMessagesStayOrderedInTheReport) {
  std::vector<Observation> stream = {Connect(kSecond, 1, kSub1, "sub1"),
                                     Connack(kSecond, 1),
                                     Suback(kSecond, kSub1, "sub1", "t/#")};
  for (uint64_t i = 1; i <= 3; ++i) {
    stream.push_back(Publish(i * kMinute, kPub, "pub", {0, i}, "t/pub/x"));
    stream.push_back(Puback(i * kMinute, {0, i}));
  }
  Feed(checker_, stream);
  ASSERT_EQ(checker_.violations().size(), 3u);
  EXPECT_EQ(checker_.violations()[2].messages[0], (MessageTag{0, 3}));
}

// --- Retirement: the state follows what is in flight. ---

TEST_F(Qos1Test, ADeliveredMessageIsRetiredAndItsLateCopyIsNoPhantom) {
  for (const Observation& o :
       With(Base(),
            {Received(kMinute + kSecond, 1, kSub1, "sub1", kM1, "t/pub/x")})) {
    checker_.Observe(o);
  }
  EXPECT_EQ(checker_.tracked().messages, 0u);
  EXPECT_EQ(checker_.tracked().expectations, 0u);
  // A copy long after: a redelivery, not a phantom.
  checker_.Observe(Received(5 * kMinute, 1, kSub1, "sub1", kM1, "t/pub/x",
                            mqtt::Qos::kAtLeastOnce, /*dup=*/true));
  checker_.Finish(kEnd);
  EXPECT_THAT(Rules(checker_), IsEmpty());
}

TEST_F(Qos1Test, PhantomsAreCaughtAfterRetirement) {
  std::vector<Observation> stream = {Connect(kSecond, 1, kSub1, "sub1"),
                                     Connack(kSecond, 1),
                                     Suback(kSecond, kSub1, "sub1", "t/#")};
  for (uint64_t i = 1; i <= 3; ++i) {
    stream.push_back(Publish(kMinute, kPub, "pub", {0, i}, "t/pub/x"));
    stream.push_back(Puback(kMinute, {0, i}));
    stream.push_back(Received(kMinute, 1, kSub1, "sub1", {0, i}, "t/pub/x"));
  }
  // Never published: beyond the publisher's last, and another publisher.
  stream.push_back(Received(2 * kMinute, 1, kSub1, "sub1", {0, 4}, "t/pub/x"));
  stream.push_back(Received(2 * kMinute, 1, kSub1, "sub1", {2, 1}, "t/pub/x"));
  Feed(checker_, stream);
  EXPECT_THAT(Rules(checker_),
              ElementsAre("phantom-message", "phantom-message"));
  EXPECT_EQ(checker_.tracked().messages, 0u);
  EXPECT_EQ(checker_.tracked().published_runs, 1u);
}

TEST_F(Qos1Test, ALostMessageIsKeptAndReportedAmongRetiredOnes) {
  std::vector<Observation> stream = {Connect(kSecond, 1, kSub1, "sub1"),
                                     Connack(kSecond, 1),
                                     Suback(kSecond, kSub1, "sub1", "t/#")};
  for (uint64_t i = 1; i <= 100; ++i) {
    stream.push_back(Publish(kMinute, kPub, "pub", {0, i}, "t/pub/x"));
    stream.push_back(Puback(kMinute, {0, i}));
    if (i != 42) {
      stream.push_back(Received(kMinute, 1, kSub1, "sub1", {0, i}, "t/pub/x"));
    }
  }
  for (const Observation& o : stream) checker_.Observe(o);
  EXPECT_EQ(checker_.tracked().messages, 1u);
  EXPECT_EQ(checker_.tracked().expectations, 1u);
  checker_.Finish(kEnd);
  ASSERT_THAT(Rules(checker_), ElementsAre("message-lost"));
  EXPECT_EQ(checker_.violations()[0].messages,
            std::vector<MessageTag>{(MessageTag{0, 42})});
}

TEST_F(Qos1Test, ALateDeliveryTakesAnExcuseBackAfterRetirement) {
  // Two subscribers; the broker restarts before m0.1 reaches either, so
  // both expectations are excused and the message is retired. sub1 gets it
  // late all the same: only sub2's excuse counts.
  std::vector<Observation> stream = {
      Connect(kSecond, 1, kSub1, "sub1", true, true),
      Connack(kSecond, 1),
      Suback(kSecond, kSub1, "sub1", "t/#"),
      Connect(kSecond, 3, kSub2, "sub2", true, true),
      Connack(kSecond, 3),
      Suback(kSecond, kSub2, "sub2", "t/#"),
      Publish(kMinute, kPub, "pub", kM1, "t/pub/x"),
      Puback(kMinute, kM1),
      Restart(2 * kMinute)};
  for (const Observation& o : stream) checker_.Observe(o);
  EXPECT_EQ(checker_.tracked().messages, 0u);
  EXPECT_EQ(checker_.tracked().expectations, 2u);  // The excused ones.
  checker_.Observe(Received(3 * kMinute, 1, kSub1, "sub1", kM1, "t/pub/x"));
  EXPECT_EQ(checker_.tracked().expectations, 1u);
  checker_.Finish(kEnd);
  EXPECT_THAT(Rules(checker_), IsEmpty());
  EXPECT_THAT(checker_.exceptions(), ElementsAre(Pair("broker-restart", 1)));
}

TEST_F(Qos1Test, StateStaysFlatOverALongStream) {
  // sub1 subscribes afresh on every connection (a non-persistent session),
  // pub publishes 20 000 messages, each delivered; intents come and go.
  uint64_t connection = 0;
  Time t = 0;
  uint64_t sequence = 0;
  Qos1AtLeastOnceChecker::Tracked peak;
  for (int round = 0; round < 200; ++round) {
    const uint64_t c = ++connection;
    checker_.Observe(Intent(t, kSub1, "sub1", true));
    checker_.Observe(Connect(t, c, kSub1, "sub1"));
    checker_.Observe(Connack(t, c));
    checker_.Observe(Suback(t, kSub1, "sub1", "t/#"));
    for (int i = 0; i < 100; ++i) {
      t += 10 * kMillisecond;
      const MessageTag tag{0, ++sequence};
      checker_.Observe(Publish(t, kPub, "pub", tag, "t/pub/x"));
      checker_.Observe(Received(t, c, kSub1, "sub1", tag, "t/pub/x"));
      checker_.Observe(Puback(t, tag));
      const Qos1AtLeastOnceChecker::Tracked now = checker_.tracked();
      peak.messages = std::max(peak.messages, now.messages);
      peak.expectations = std::max(peak.expectations, now.expectations);
      peak.subscriptions = std::max(peak.subscriptions, now.subscriptions);
      peak.published_runs = std::max(peak.published_runs, now.published_runs);
    }
    checker_.Observe(Ended(t, c));
    checker_.Observe(Intent(t, kSub1, "sub1", false));
  }
  checker_.Finish(t + kMinute);
  EXPECT_THAT(Rules(checker_), IsEmpty());
  EXPECT_LE(peak.messages, 1u);
  EXPECT_LE(peak.expectations, 1u);
  EXPECT_LE(peak.subscriptions, 1u);
  EXPECT_EQ(peak.published_runs, 1u);
  EXPECT_EQ(checker_.tracked().subscriptions, 0u);
}

}  // namespace
}  // namespace mqlab::sim::testing
