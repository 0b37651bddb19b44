// Sessions: multi-session, ownership, take-over, clean start, expiry, the
// offline queue, redelivery, overflow.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/broker/broker_harness.h"

namespace mqlab::broker::testing {
namespace {

using mqtt::Qos;
using mqtt::ReasonCode;
using mqtt::Version;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::SizeIs;

constexpr uint32_t kPersistent = 7200;  // Any non-zero value.

std::vector<std::string> Payloads(
    const std::vector<TestClient::Message>& messages) {
  std::vector<std::string> payloads;
  for (const TestClient::Message& message : messages) {
    payloads.push_back(message.payload);
  }
  return payloads;
}

// Seed, Multi-session support: "the following combinations of Username and
// ClientIds ... enables client Mgmt-application to connect to Event Grid
// over three independent sessions".
TEST(SessionTest, SeedMultiSessionExample) {
  NamespaceConfig config = OpenNamespace({"Mgmt-application"});
  config.limits.maximum_client_sessions_per_authentication_name = 3;
  BrokerHarness harness(config);
  TestClient& one = harness.ConnectOk(
      {.client_id = "Mgmt-Session1", .username = "Mgmt-application"});
  TestClient& two = harness.ConnectOk(
      {.client_id = "Mgmt-Session2", .username = "Mgmt-application"});
  TestClient& three = harness.ConnectOk(
      {.client_id = "Mgmt-Session3", .username = "Mgmt-application"});
  EXPECT_FALSE(one.closed() || two.closed() || three.closed());
  EXPECT_THAT(harness.EventsOfKind(EventKind::kSessionCreated), SizeIs(3));
  // Independent: each gets its own copy.
  ASSERT_EQ(one.Subscribe("alerts", Qos::kAtMostOnce), ReasonCode::kSuccess);
  ASSERT_EQ(two.Subscribe("alerts", Qos::kAtMostOnce), ReasonCode::kSuccess);
  three.Publish("alerts", "a");
  EXPECT_THAT(Payloads(one.Messages()), ElementsAre("a"));
  EXPECT_THAT(Payloads(two.Messages()), ElementsAre("a"));
  EXPECT_THAT(three.Messages(), SizeIs(0));
}

// Facts: sessions per authentication name "up to
// maximumClientSessionsPerAuthenticationName; offline sessions count".
TEST(SessionTest, SessionsPerAuthenticationNameCountOfflineOnes) {
  NamespaceConfig config = OpenNamespace({"dev1"});
  config.limits.maximum_client_sessions_per_authentication_name = 2;
  BrokerHarness harness(config);
  harness.ConnectOk({.client_id = "a", .username = "dev1"});
  TestClient& b = harness.ConnectOk({.client_id = "b",
                                     .username = "dev1",
                                     .session_expiry_interval = kPersistent});
  b.Drop();  // Offline, still counted.
  TestClient& c = harness.Connect({.client_id = "c", .username = "dev1"});
  EXPECT_EQ(c.ExpectConnack()->reason_code, ReasonCode::kQuotaExceeded);
  EXPECT_TRUE(c.closed());
  const std::vector<RecordedEvent> refused =
      harness.EventsOfKind(EventKind::kConnectRefused);
  ASSERT_THAT(refused, SizeIs(1));
  EXPECT_EQ(refused[0].detail,
            "maximum-client-sessions-per-authentication-name");
  EXPECT_EQ(refused[0].reason, DisconnectionReason::kQuotaExceeded);
  // Resuming an existing session is no new session.
  harness.ConnectOk({.client_id = "b",
                     .username = "dev1",
                     .clean_start = false,
                     .session_expiry_interval = kPersistent});
}

// Seed, Handling sessions: "If a client tries to take over another client's
// active session by presenting its session name, its connection request will
// be rejected with an unauthorized error."
TEST(SessionTest, AnotherClientsActiveSessionIsNotAuthorized) {
  BrokerHarness harness(OpenNamespace({"clientA", "clientB"}));
  TestClient& a =
      harness.ConnectOk({.client_id = "123", .username = "clientA"});
  TestClient& b = harness.Connect({.client_id = "123", .username = "clientB"});
  EXPECT_EQ(b.ExpectConnack()->reason_code, ReasonCode::kNotAuthorized);
  EXPECT_TRUE(b.closed());
  EXPECT_FALSE(a.closed());
  TestClient& b3 = harness.Connect(
      {.client_id = "123", .username = "clientB", .version = Version::kV311});
  EXPECT_EQ(b3.ExpectConnack()->reason_code, ReasonCode::kNotAuthorized);
  const std::vector<RecordedEvent> refused =
      harness.EventsOfKind(EventKind::kConnectRefused);
  ASSERT_THAT(refused, SizeIs(2));
  EXPECT_EQ(refused[0].reason, DisconnectionReason::kClientAuthorizationError);
  EXPECT_EQ(refused[0].detail, "session-owned-by-another-client");
}

// ...and an offline session of another client keeps its name too.
TEST(SessionTest, AnotherClientsOfflineSessionIsNotAuthorized) {
  BrokerHarness harness(OpenNamespace({"clientA", "clientB"}));
  harness
      .ConnectOk({.client_id = "123",
                  .username = "clientA",
                  .session_expiry_interval = kPersistent})
      .Drop();
  TestClient& b = harness.Connect({.client_id = "123", .username = "clientB"});
  EXPECT_EQ(b.ExpectConnack()->reason_code, ReasonCode::kNotAuthorized);
}

// Seed, Handling sessions: "If a client resource is deleted without ending
// its session, other clients won't be able to use its session name until the
// session expires."
TEST(SessionTest, DeletedClientsSessionNameIsBlockedUntilItExpires) {
  BrokerHarness harness(OpenNamespace({"clientA", "clientB"}));
  TestClient& b = harness.ConnectOk({.client_id = "123",
                                     .username = "clientB",
                                     .session_expiry_interval = kPersistent});
  ASSERT_TRUE(harness.broker().DeleteClient("clientB", harness.now()).ok());
  EXPECT_EQ(b.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kAdministrativeAction);
  EXPECT_TRUE(b.closed());
  harness.AdvanceBy(3599 * kSecond);
  TestClient& a = harness.Connect({.client_id = "123", .username = "clientA"});
  EXPECT_EQ(a.ExpectConnack()->reason_code, ReasonCode::kNotAuthorized);
  harness.AdvanceBy(kSecond);
  EXPECT_THAT(harness.EventsOfKind(EventKind::kSessionExpired), SizeIs(1));
  harness.ConnectOk({.client_id = "123", .username = "clientA"});
}

// Facts: "The same authentication name reconnecting to its own session
// takes it over (the old connection ends with reason 'session taken
// over')."
TEST(SessionTest, SameAuthenticationNameTakesTheSessionOver) {
  BrokerHarness harness(OpenNamespace({"dev1", "dev2"}));
  TestClient& old = harness.ConnectOk({.client_id = "s1",
                                       .username = "dev1",
                                       .session_expiry_interval = kPersistent});
  ASSERT_EQ(old.Subscribe("t", Qos::kAtLeastOnce), ReasonCode::kGrantedQos1);
  harness.ClearEvents();
  TestClient& now = harness.Connect({.client_id = "s1",
                                     .username = "dev1",
                                     .clean_start = false,
                                     .session_expiry_interval = kPersistent});
  EXPECT_EQ(old.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kSessionTakenOver);
  EXPECT_TRUE(old.closed());
  const Received<mqtt::Connack> connack = now.ExpectConnack();
  EXPECT_EQ(connack->reason_code, ReasonCode::kSuccess);
  EXPECT_TRUE(connack->session_present);
  std::vector<EventKind> kinds;
  for (const RecordedEvent& event : harness.events())
    kinds.push_back(event.kind);
  EXPECT_THAT(
      kinds, ElementsAre(EventKind::kSessionTakenOver, EventKind::kDisconnected,
                         EventKind::kSessionResumed, EventKind::kConnected));
  EXPECT_EQ(harness.events()[1].reason, DisconnectionReason::kSessionTakenOver);
  EXPECT_EQ(harness.events()[1].connection, old.id());
  // The subscription came along.
  harness.ConnectOk({.client_id = "p", .username = "dev2"})
      .Publish("t", "hello", Qos::kAtLeastOnce);
  EXPECT_THAT(Payloads(now.Messages()), ElementsAre("hello"));
}

TEST(SessionTest, TakeOverIn311ClosesTheOldConnection) {
  BrokerHarness harness(OpenNamespace({"dev1"}));
  TestClient& old = harness.ConnectOk(
      {.client_id = "s1", .username = "dev1", .version = Version::kV311});
  harness.ConnectOk(
      {.client_id = "s1", .username = "dev1", .version = Version::kV311});
  old.ExpectNothing();
  EXPECT_TRUE(old.closed());
}

// Seed: "The server will override any Session Expiry Interval value coming
// in the CONNECT request (other than 0) with a fixed expiry interval (3600)
// in the CONNACK's Session Expiry Interval property."
TEST(SessionTest, NonZeroSessionExpiryIsReplacedBy3600) {
  BrokerHarness harness(OpenNamespace({"dev1"}));
  for (const uint32_t requested : {1u, 3600u, 86400u, 0xFFFFFFFFu}) {
    TestClient& client =
        harness.Connect({.client_id = "s",
                         .username = "dev1",
                         .clean_start = true,
                         .session_expiry_interval = requested});
    const Received<mqtt::Connack> connack = client.ExpectConnack();
    EXPECT_EQ(connack->properties.session_expiry_interval, 3600u) << requested;
    client.Drop();
    harness.ClearEvents();
  }
  TestClient& zero = harness.Connect(
      {.client_id = "s", .username = "dev1", .session_expiry_interval = 0});
  EXPECT_FALSE(zero.ExpectConnack()->properties.session_expiry_interval);
}

TEST(SessionTest, PersistentSessionExpiresAfter3600SecondsOffline) {
  BrokerHarness harness(OpenNamespace({"dev1"}));
  TestClient& client = harness.ConnectOk(
      {.client_id = "s1", .username = "dev1", .session_expiry_interval = 60});
  harness.AdvanceBy(50 * kSecond);  // Online time does not count.
  client.Send(mqtt::Pingreq{});
  harness.AdvanceBy(50 * kSecond);
  client.Drop();
  const Time offline_at = harness.now();
  harness.AdvanceBy(3600 * kSecond - 1);
  EXPECT_THAT(harness.EventsOfKind(EventKind::kSessionExpired), SizeIs(0));
  harness.AdvanceBy(1);
  const std::vector<RecordedEvent> expired =
      harness.EventsOfKind(EventKind::kSessionExpired);
  ASSERT_THAT(expired, SizeIs(1));
  EXPECT_EQ(expired[0].time, offline_at + 3600 * kSecond);
  TestClient& again = harness.Connect({.client_id = "s1",
                                       .username = "dev1",
                                       .clean_start = false,
                                       .session_expiry_interval = 60});
  EXPECT_FALSE(again.ExpectConnack()->session_present);
}

// 3.1.1: Clean Session 0 sessions live 3600 s offline; Clean Session 1
// sessions end with the connection.
TEST(SessionTest, V311CleanSessionDecidesPersistence) {
  BrokerHarness harness(OpenNamespace({"dev1", "dev2"}));
  harness
      .ConnectOk({.client_id = "kept",
                  .username = "dev1",
                  .version = Version::kV311,
                  .clean_start = false})
      .Drop();
  harness
      .ConnectOk({.client_id = "gone",
                  .username = "dev2",
                  .version = Version::kV311,
                  .clean_start = true})
      .Drop();
  const std::vector<RecordedEvent> deleted =
      harness.EventsOfKind(EventKind::kSessionDeleted);
  ASSERT_THAT(deleted, SizeIs(1));
  EXPECT_EQ(deleted[0].session, "gone");
  EXPECT_EQ(deleted[0].detail, "session-expiry-zero");
  harness.AdvanceBy(3599 * kSecond);
  TestClient& kept = harness.Connect({.client_id = "kept",
                                      .username = "dev1",
                                      .version = Version::kV311,
                                      .clean_start = false});
  EXPECT_TRUE(kept.ExpectConnack()->session_present);
}

// Session Present is 1 exactly when a session is resumed.
TEST(SessionTest, CleanStartDiscardsTheSession) {
  BrokerHarness harness(OpenNamespace({"dev1", "dev2"}));
  TestClient& first = harness.ConnectOk(
      {.client_id = "s1", .username = "dev1", .session_expiry_interval = 60});
  ASSERT_EQ(first.Subscribe("t", Qos::kAtMostOnce), ReasonCode::kSuccess);
  first.Drop();
  TestClient& clean = harness.Connect({.client_id = "s1",
                                       .username = "dev1",
                                       .clean_start = true,
                                       .session_expiry_interval = 60});
  EXPECT_FALSE(clean.ExpectConnack()->session_present);
  const std::vector<RecordedEvent> deleted =
      harness.EventsOfKind(EventKind::kSessionDeleted);
  ASSERT_THAT(deleted, SizeIs(1));
  EXPECT_EQ(deleted[0].detail, "clean-start");
  // The old subscription went with the old session.
  TestClient& publisher =
      harness.ConnectOk({.client_id = "p", .username = "dev2"});
  publisher.Publish("t", "x");
  EXPECT_THAT(clean.Messages(), SizeIs(0));
}

// Facts: "Offline QoS 1 queue: 100 messages or 1 MB per session"; QoS 0 is
// not queued for offline sessions.
TEST(SessionTest, OfflineSessionQueuesQos1AndDropsQos0) {
  BrokerHarness harness(OpenNamespace({"dev1", "dev2"}));
  TestClient& subscriber = harness.ConnectOk(
      {.client_id = "sub", .username = "dev1", .session_expiry_interval = 60});
  ASSERT_EQ(subscriber.Subscribe("t", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  subscriber.Drop();
  TestClient& publisher =
      harness.ConnectOk({.client_id = "pub", .username = "dev2"});
  EXPECT_EQ(publisher.Publish("t", "q1-a", Qos::kAtLeastOnce),
            ReasonCode::kSuccess);
  publisher.Publish("t", "q0", Qos::kAtMostOnce);
  EXPECT_EQ(publisher.Publish("t", "q1-b", Qos::kAtLeastOnce),
            ReasonCode::kSuccess);
  const std::vector<RecordedEvent> dropped =
      harness.EventsOfKind(EventKind::kMessageDropped);
  ASSERT_THAT(dropped, SizeIs(1));
  EXPECT_EQ(dropped[0].detail, "qos0-offline");
  TestClient& back = harness.Connect({.client_id = "sub",
                                      .username = "dev1",
                                      .clean_start = false,
                                      .session_expiry_interval = 60});
  EXPECT_TRUE(back.ExpectConnack()->session_present);
  EXPECT_THAT(Payloads(back.Messages()), ElementsAre("q1-a", "q1-b"));
}

// Unacknowledged QoS 1 messages are redelivered on resume with DUP set, in
// order, before the queued ones; each keeps its packet identifier.
TEST(SessionTest, UnacknowledgedMessagesAreRedeliveredFirstWithDup) {
  BrokerHarness harness(OpenNamespace({"dev1", "dev2"}));
  TestClient& subscriber = harness.ConnectOk(
      {.client_id = "sub", .username = "dev1", .session_expiry_interval = 60});
  ASSERT_EQ(subscriber.Subscribe("t", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  TestClient& publisher =
      harness.ConnectOk({.client_id = "pub", .username = "dev2"});
  publisher.Publish("t", "1", Qos::kAtLeastOnce);
  publisher.Publish("t", "2", Qos::kAtLeastOnce);
  const std::vector<TestClient::Message> first = subscriber.Messages();
  ASSERT_THAT(first, SizeIs(2));
  EXPECT_FALSE(first[0].dup);
  subscriber.Drop();  // Neither acknowledged.
  publisher.Publish("t", "3", Qos::kAtLeastOnce);
  TestClient& back = harness.Connect({.client_id = "sub",
                                      .username = "dev1",
                                      .clean_start = false,
                                      .session_expiry_interval = 60});
  EXPECT_TRUE(back.ExpectConnack()->session_present);
  const std::vector<TestClient::Message> again = back.Messages();
  EXPECT_THAT(Payloads(again), ElementsAre("1", "2", "3"));
  ASSERT_THAT(again, SizeIs(3));
  EXPECT_TRUE(again[0].dup);
  EXPECT_TRUE(again[1].dup);
  EXPECT_FALSE(again[2].dup);
  EXPECT_EQ(again[0].packet_id, first[0].packet_id);
  EXPECT_EQ(again[1].packet_id, first[1].packet_id);
  // Acknowledged messages are gone for good.
  for (const TestClient::Message& message : again)
    back.Puback(message.packet_id);
  back.Drop();
  harness
      .Connect({.client_id = "sub",
                .username = "dev1",
                .clean_start = false,
                .session_expiry_interval = 60})
      .Messages();
  EXPECT_EQ(harness.broker().stats().stored_messages, 0u);
}

// Facts: "when full, the session is ended (disconnect reason 'session
// overflow')".
TEST(SessionTest, OfflineQueueOverflowEndsTheSession) {
  BrokerHarness harness(OpenNamespace({"dev1", "dev2"}));
  TestClient& subscriber = harness.ConnectOk(
      {.client_id = "sub", .username = "dev1", .session_expiry_interval = 60});
  ASSERT_EQ(subscriber.Subscribe("t", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  subscriber.Drop();
  TestClient& publisher =
      harness.ConnectOk({.client_id = "pub", .username = "dev2"});
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(publisher.Publish("t", std::to_string(i), Qos::kAtLeastOnce),
              ReasonCode::kSuccess);
    harness.AdvanceBy(10 * kMillisecond);  // Within the publish rate.
  }
  EXPECT_THAT(harness.EventsOfKind(EventKind::kSessionOverflow), SizeIs(0));
  publisher.Publish("t", "one too many", Qos::kAtLeastOnce);
  const std::vector<RecordedEvent> overflow =
      harness.EventsOfKind(EventKind::kSessionOverflow);
  ASSERT_THAT(overflow, SizeIs(1));
  EXPECT_EQ(overflow[0].session, "sub");
  EXPECT_EQ(overflow[0].detail, "maximum-offline-messages");
  TestClient& back = harness.Connect({.client_id = "sub",
                                      .username = "dev1",
                                      .clean_start = false,
                                      .session_expiry_interval = 60});
  EXPECT_FALSE(back.ExpectConnack()->session_present);
  EXPECT_EQ(harness.broker().stats().stored_messages, 0u);
}

// An online subscriber that does not acknowledge fills the same queue: its
// connection ends with DISCONNECT 0x97 and reason SessionOverflow.
TEST(SessionTest, OnlineSubscriberThatNeverAcknowledgesOverflows) {
  BrokerHarness harness(OpenNamespace({"dev1", "dev2"}));
  TestClient& subscriber = harness.ConnectOk(
      {.client_id = "sub", .username = "dev1", .session_expiry_interval = 60});
  ASSERT_EQ(subscriber.Subscribe("t", Qos::kAtLeastOnce),
            ReasonCode::kGrantedQos1);
  TestClient& publisher =
      harness.ConnectOk({.client_id = "pub", .username = "dev2"});
  for (int i = 0; i <= 100; ++i) {
    publisher.Publish("t", std::to_string(i), Qos::kAtLeastOnce);
    harness.AdvanceBy(10 * kMillisecond);
  }
  EXPECT_THAT(subscriber.Messages(), SizeIs(100));
  EXPECT_EQ(subscriber.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kQuotaExceeded);
  EXPECT_TRUE(subscriber.closed());
  const std::vector<RecordedEvent> disconnected =
      harness.EventsOfKind(EventKind::kDisconnected);
  ASSERT_THAT(disconnected, SizeIs(1));
  EXPECT_EQ(disconnected[0].reason, DisconnectionReason::kSessionOverflow);
  EXPECT_THAT(harness.EventsOfKind(EventKind::kSessionOverflow), SizeIs(1));
}

TEST(SessionTest, OfflineQueueByteLimitEndsTheSession) {
  NamespaceConfig config = OpenNamespace({"dev1", "dev2"});
  config.limits.rate_limits_lifted = true;
  BrokerHarness harness(config);
  harness
      .ConnectOk({.client_id = "sub",
                  .username = "dev1",
                  .session_expiry_interval = 60})
      .Subscribe("t", Qos::kAtLeastOnce);
  harness
      .Connect({.client_id = "sub",
                .username = "dev1",
                .clean_start = false,
                .session_expiry_interval = 60})
      .Drop();
  TestClient& publisher =
      harness.ConnectOk({.client_id = "pub", .username = "dev2"});
  const std::string payload(256 * 1024, 'x');
  for (int i = 0; i < 3; ++i) {
    publisher.Publish("t", payload, Qos::kAtLeastOnce);
  }
  EXPECT_THAT(harness.EventsOfKind(EventKind::kSessionOverflow), SizeIs(0));
  publisher.Publish("t", payload, Qos::kAtLeastOnce);  // 4 x (256 KiB + 1).
  const std::vector<RecordedEvent> overflow =
      harness.EventsOfKind(EventKind::kSessionOverflow);
  ASSERT_THAT(overflow, SizeIs(1));
  EXPECT_EQ(overflow[0].detail, "maximum-offline-bytes");
}

// v5 DISCONNECT may change the Session Expiry Interval (non-zero: 3600).
TEST(SessionTest, DisconnectCanEndOrKeepTheSession) {
  BrokerHarness harness(OpenNamespace({"dev1", "dev2"}));
  TestClient& a = harness.ConnectOk(
      {.client_id = "a", .username = "dev1", .session_expiry_interval = 60});
  mqtt::Disconnect end_now;
  end_now.properties.session_expiry_interval = 0;
  a.Send(end_now);
  EXPECT_TRUE(a.closed());
  const std::vector<RecordedEvent> deleted =
      harness.EventsOfKind(EventKind::kSessionDeleted);
  ASSERT_THAT(deleted, SizeIs(1));
  EXPECT_EQ(deleted[0].session, "a");
  const std::vector<RecordedEvent> disconnected =
      harness.EventsOfKind(EventKind::kDisconnected);
  ASSERT_THAT(disconnected, SizeIs(1));
  EXPECT_EQ(disconnected[0].reason,
            DisconnectionReason::kClientInitiatedDisconnect);

  // CONNECT said 0: a DISCONNECT may not make it non-zero [MQTT-3.14.2-2].
  TestClient& b = harness.ConnectOk({.client_id = "b", .username = "dev2"});
  mqtt::Disconnect keep;
  keep.properties.session_expiry_interval = 60;
  b.Send(keep);
  EXPECT_EQ(b.Expect<mqtt::Disconnect>()->reason_code,
            ReasonCode::kProtocolError);
  EXPECT_TRUE(b.closed());
}

// Determinism across identical runs: the same inputs give the same events.
TEST(SessionTest, SameInputsGiveTheSameEvents) {
  const auto run = [] {
    BrokerHarness harness(OpenNamespace({"dev1", "dev2"}));
    harness
        .ConnectOk({.client_id = "s",
                    .username = "dev1",
                    .session_expiry_interval = 5})
        .Subscribe("#", Qos::kAtLeastOnce);
    TestClient& p = harness.ConnectOk({.client_id = "p", .username = "dev2"});
    p.Publish("a", "1", Qos::kAtLeastOnce);
    harness.AdvanceBy(4000 * kSecond);
    std::vector<std::string> lines;
    for (const RecordedEvent& event : harness.events()) {
      lines.push_back(ToString(event) + " @" + std::to_string(event.time));
    }
    return lines;
  };
  EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace mqlab::broker::testing
