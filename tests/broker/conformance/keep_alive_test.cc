// Keep-alive: 1.5 times the effective value; Event Grid's maximum 1160 s.
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/broker/broker_harness.h"

namespace mqlab::broker::testing {
namespace {

using mqtt::ReasonCode;
using mqtt::Version;
using ::testing::Optional;
using ::testing::SizeIs;

// No packet for 1.5 times the keep-alive: v5 DISCONNECT 0x8D Keep Alive
// timeout, then close; reason ConnectionLost.
TEST(KeepAliveTest, SilenceForOneAndAHalfKeepAlivesEndsTheConnection) {
  BrokerHarness harness(OpenNamespace({"dev1"}));
  TestClient& client = harness.ConnectOk(
      {.client_id = "s", .username = "dev1", .keep_alive = 10});
  harness.AdvanceBy(15 * kSecond - 1);
  EXPECT_FALSE(client.closed());
  harness.AdvanceBy(1);
  EXPECT_EQ(client.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kKeepAliveTimeout);
  EXPECT_TRUE(client.closed());
  const std::vector<RecordedEvent> disconnected =
      harness.EventsOfKind(EventKind::kDisconnected);
  ASSERT_THAT(disconnected, SizeIs(1));
  EXPECT_EQ(disconnected[0].reason, DisconnectionReason::kConnectionLost);
  EXPECT_EQ(disconnected[0].detail, "keep-alive-timeout");
  EXPECT_EQ(disconnected[0].time, 15 * kSecond);
}

TEST(KeepAliveTest, AnyPacketRestartsTheCount) {
  BrokerHarness harness(OpenNamespace({"dev1"}));
  TestClient& client = harness.ConnectOk(
      {.client_id = "s", .username = "dev1", .keep_alive = 10});
  for (int i = 0; i < 10; ++i) {
    harness.AdvanceBy(14 * kSecond);
    client.Publish("t", "x");  // Not only PINGREQ counts.
  }
  EXPECT_FALSE(client.closed());
  harness.AdvanceBy(15 * kSecond);
  EXPECT_TRUE(client.closed());
}

// 3.1.1: closed without a DISCONNECT.
TEST(KeepAliveTest, V311IsClosedSilently) {
  BrokerHarness harness(OpenNamespace({"dev1"}));
  TestClient& client = harness.ConnectOk({.client_id = "s",
                                          .username = "dev1",
                                          .version = Version::kV311,
                                          .keep_alive = 4});
  harness.AdvanceBy(6 * kSecond);
  client.ExpectNothing();
  EXPECT_TRUE(client.closed());
}

// Seed: "Keep Alive Maximum is 1160 seconds." (both versions). A v5 client
// asking more gets Server Keep Alive 1160 and 1740 s is enforced; 3.1.1 is
// enforced at 1160 silently.
TEST(KeepAliveTest, AboveTheMaximumIsCappedAt1160Seconds) {
  BrokerHarness harness(OpenNamespace({"dev1", "dev2"}));
  TestClient& v5 = harness.Connect(
      {.client_id = "a", .username = "dev1", .keep_alive = 3600});
  EXPECT_THAT(v5.ExpectConnack()->properties.server_keep_alive,
              Optional(uint16_t{1160}));
  TestClient& v3 = harness.ConnectOk({.client_id = "b",
                                      .username = "dev2",
                                      .version = Version::kV311,
                                      .keep_alive = 65535});
  harness.AdvanceBy(1740 * kSecond - 1);
  EXPECT_FALSE(v5.closed());
  EXPECT_FALSE(v3.closed());
  harness.AdvanceBy(1);
  EXPECT_TRUE(v5.closed());
  EXPECT_TRUE(v3.closed());
}

TEST(KeepAliveTest, AtTheMaximumIsNotReported) {
  BrokerHarness harness(OpenNamespace({"dev1"}));
  TestClient& client = harness.Connect(
      {.client_id = "a", .username = "dev1", .keep_alive = 1160});
  EXPECT_FALSE(client.ExpectConnack()->properties.server_keep_alive);
}

// Keep-alive 0 would mean no timeout; Event Grid's maximum forbids an
// unbounded one, so it is treated as above the maximum.
TEST(KeepAliveTest, ZeroIsTreatedAsAboveTheMaximum) {
  BrokerHarness harness(OpenNamespace({"dev1"}));
  TestClient& client =
      harness.Connect({.client_id = "a", .username = "dev1", .keep_alive = 0});
  EXPECT_THAT(client.ExpectConnack()->properties.server_keep_alive,
              Optional(uint16_t{1160}));
  harness.AdvanceBy(1740 * kSecond);
  EXPECT_TRUE(client.closed());
}

// A late Advance (a busy driver) does not let a dead connection act: the
// next entry point runs the due timers first.
TEST(KeepAliveTest, DueTimersRunBeforeLateInput) {
  BrokerHarness harness(OpenNamespace({"dev1"}));
  TestClient& client = harness.ConnectOk(
      {.client_id = "s", .username = "dev1", .keep_alive = 10});
  harness.broker().OnBytesReceived(client.id(), {}, 20 * kSecond);
  EXPECT_TRUE(client.closed());
}

}  // namespace
}  // namespace mqlab::broker::testing
