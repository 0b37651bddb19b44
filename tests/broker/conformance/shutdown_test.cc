// Broker::ShutDown: the server stopping ends every connection; v5 clients
// are told why (DISCONNECT 0x8B Server shutting down, MQTT 5.0 section
// 3.14.2.1), 3.1.1 clients and connections without CONNECT are just closed.
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/broker/broker_harness.h"

namespace mqlab::broker::testing {
namespace {

using mqtt::ReasonCode;
using mqtt::Version;
using ::testing::SizeIs;

TEST(ShutDownTest, EveryConnectionEndsAndV5ClientsHearServerShuttingDown) {
  BrokerHarness harness(OpenNamespace({"dev1", "dev2"}));
  TestClient& v5 = harness.ConnectOk(
      {.client_id = "a", .username = "dev1", .session_expiry_interval = 60});
  TestClient& v311 = harness.ConnectOk(
      {.client_id = "b", .username = "dev2", .version = Version::kV311});
  TestClient& silent = harness.Open();
  harness.ClearEvents();

  harness.broker().ShutDown(harness.now());

  EXPECT_EQ(v5.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kServerShuttingDown);
  EXPECT_TRUE(v5.closed());
  v311.ExpectNothing();
  EXPECT_TRUE(v311.closed());
  EXPECT_TRUE(silent.closed());
  const std::vector<RecordedEvent> disconnected =
      harness.EventsOfKind(EventKind::kDisconnected);
  ASSERT_THAT(disconnected, SizeIs(2));
  for (const RecordedEvent& event : disconnected) {
    EXPECT_EQ(event.reason, DisconnectionReason::kServerInitiatedDisconnect);
    EXPECT_EQ(event.detail, "server-shutting-down");
  }
  EXPECT_EQ(harness.broker().stats().connections, 0u);
  // The sessions went offline, as after any disconnection.
  EXPECT_EQ(harness.broker().stats().sessions, 1u);
}

}  // namespace
}  // namespace mqlab::broker::testing
