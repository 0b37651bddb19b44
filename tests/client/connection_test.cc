// Connection life: CONNECT of both versions, CONNACK handling, timeouts,
// protocol errors around CONNACK, disconnects, reconnection with backoff,
// and keep-alive (pings and dead-connection detection).
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/client/client_harness.h"

namespace mqlab::client {
namespace {

using ::mqlab::client::testing::AsBytes;
using ::mqlab::client::testing::ClientHarness;
using mqtt::ReasonCode;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

ClientOptions V311() { return {.version = mqtt::Version::kV311}; }

TEST(ConnectionTest, V5ConnectCarriesTheOptionsAndConnackSetsTheLimits) {
  ClientHarness h;
  const mqtt::UserProperty user[] = {{"k", "v"}};
  ASSERT_TRUE(h.client
                  .Connect({.client_id = "vehicle01",
                            .username = "vehicle01-auth",
                            .keep_alive_seconds = 30,
                            .session_expiry_interval = 7200,
                            .receive_maximum = 20,
                            .topic_alias_maximum = 5,
                            .user_properties = user},
                           h.now)
                  .ok());
  EXPECT_EQ(h.host.open_calls, 1);
  EXPECT_EQ(h.client.NextDeadline(), 30 * kSecond);  // connect_timeout.
  h.client.OnConnected(h.now);
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  ASSERT_EQ(sent.size(), 1u);
  const mqtt::Connect& connect = std::get<mqtt::Connect>(sent[0]);
  EXPECT_EQ(connect.version, mqtt::Version::kV5);
  EXPECT_TRUE(connect.clean_start);
  EXPECT_EQ(connect.keep_alive, 30);
  EXPECT_EQ(connect.client_id, "vehicle01");
  EXPECT_EQ(connect.username, "vehicle01-auth");
  EXPECT_EQ(connect.properties.session_expiry_interval, 7200u);
  EXPECT_EQ(connect.properties.receive_maximum, 20);
  EXPECT_EQ(connect.properties.topic_alias_maximum, 5);
  EXPECT_EQ(connect.properties.user_properties.size(), 1u);
  EXPECT_EQ(h.client.NextDeadline(), 10 * kSecond);  // connack_timeout.

  mqtt::Connack connack;
  connack.properties.session_expiry_interval = 3600;
  connack.properties.receive_maximum = 100;
  connack.properties.maximum_packet_size = 512 * 1024;
  connack.properties.topic_alias_maximum = 10;
  connack.properties.maximum_qos = 1;
  connack.properties.retain_available = 0;
  connack.properties.server_keep_alive = 25;
  h.Receive(connack);
  EXPECT_EQ(h.client.state(), Client::State::kConnected);
  EXPECT_THAT(h.Events(), ElementsAre("connack rc=0x00 session_present=0 "
                                      "resubscribed=0 resent=0"));
  const ServerLimits& limits = h.client.server_limits();
  EXPECT_EQ(limits.receive_maximum, 100);
  EXPECT_EQ(limits.maximum_packet_size, 512u * 1024);
  EXPECT_EQ(limits.topic_alias_maximum, 10);
  EXPECT_EQ(limits.maximum_qos, mqtt::Qos::kAtLeastOnce);
  EXPECT_FALSE(limits.retain_available);
  EXPECT_EQ(limits.keep_alive_seconds, 25);
  EXPECT_EQ(limits.session_expiry_interval, 3600u);
  EXPECT_EQ(h.client.stats().connacks_accepted, 1u);
}

TEST(ConnectionTest, V311ConnectAndRefusalByReturnCode) {
  ClientHarness h(V311());
  ASSERT_TRUE(h.client
                  .Connect({.client_id = "c1",
                            .username = "u",
                            .password = AsBytes("p"),
                            .clean_start = false},
                           h.now)
                  .ok());
  h.client.OnConnected(h.now);
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  ASSERT_EQ(sent.size(), 1u);
  const mqtt::Connect& connect = std::get<mqtt::Connect>(sent[0]);
  EXPECT_EQ(connect.version, mqtt::Version::kV311);
  EXPECT_FALSE(connect.clean_start);
  EXPECT_EQ(h.host.sent[0][8], 4);  // Protocol Level.

  // Return code 5 (not authorized) arrives as its reason code.
  h.ReceiveBytes(std::vector<uint8_t>{0x20, 0x02, 0x00, 0x05});
  EXPECT_THAT(h.Events(),
              ElementsAre("connack rc=0x87 session_present=0 resubscribed=0 "
                          "resent=0",
                          "disconnected connect-refused rc=0x87 reconnect=1",
                          "reconnecting attempt=1"));
  EXPECT_EQ(h.host.close_calls, 1);
  EXPECT_EQ(h.client.state(), Client::State::kWaitingToReconnect);
  EXPECT_EQ(h.client.stats().connacks_refused, 1u);
}

TEST(ConnectionTest, BadConnectOptionsNameTheField) {
  ClientHarness v311(V311());
  const mqtt::UserProperty user[] = {{"k", "v"}};
  absl::Status status =
      v311.client.Connect({.client_id = "c", .user_properties = user}, 0);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("ConnectOptions.user_properties"));
  status = v311.client.Connect({.client_id = "c", .password = AsBytes("p")}, 0);
  EXPECT_THAT(status.message(), HasSubstr("[MQTT-3.1.2-22]"));

  ClientHarness h;
  status = h.client.Connect({.client_id = "c", .receive_maximum = 0}, 0);
  EXPECT_THAT(status.message(), HasSubstr("ConnectOptions.receive_maximum"));
  status = h.client.Connect(
      {.client_id = "c", .will = mqtt::Will{.topic = "alerts/+"}}, 0);
  EXPECT_THAT(status.message(), HasSubstr("ConnectOptions.will.topic"));
  mqtt::Will will{.topic = "w"};
  will.properties.topic_alias = 3;
  status = h.client.Connect({.client_id = "c", .will = will}, 0);
  EXPECT_THAT(status.message(), HasSubstr("ConnectOptions.will.properties"));
  status = h.client.Connect({.client_id = std::string_view("a\0b", 3)}, 0);
  EXPECT_THAT(status.message(), HasSubstr("ConnectOptions.client_id"));
  EXPECT_EQ(h.client.state(), Client::State::kIdle);
  EXPECT_EQ(h.host.open_calls, 0);
}

TEST(ConnectionTest, ConnectTwiceIsRefused) {
  ClientHarness h;
  h.Connect();
  const absl::Status status = h.client.Connect({.client_id = "c1"}, h.now);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ConnectionTest, WillAndAuthenticationAreSentForProbes) {
  ClientHarness h;
  ASSERT_TRUE(h.client
                  .Connect({.client_id = "probe",
                            .will = mqtt::Will{.qos = mqtt::Qos::kAtLeastOnce,
                                               .topic = "probes/will",
                                               .payload = AsBytes("gone")},
                            .authentication_method = "SCRAM-SHA-1"},
                           h.now)
                  .ok());
  h.client.OnConnected(h.now);
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  const mqtt::Connect& connect = std::get<mqtt::Connect>(sent[0]);
  ASSERT_TRUE(connect.will.has_value());
  EXPECT_EQ(connect.will->topic, "probes/will");
  EXPECT_EQ(connect.properties.authentication_method, "SCRAM-SHA-1");
  h.Receive(
      mqtt::Connack{.reason_code = ReasonCode::kImplementationSpecificError});
  EXPECT_THAT(h.Events(),
              ElementsAre(HasSubstr("connack rc=0x83"),
                          "disconnected connect-refused rc=0x83 reconnect=1",
                          "reconnecting attempt=1"));
}

TEST(ConnectionTest, ConnackTimeoutClosesAndRetries) {
  ClientHarness h;
  ASSERT_TRUE(h.client.Connect({.client_id = "c1"}, h.now).ok());
  h.client.OnConnected(h.now);
  h.AdvanceBy(10 * kSecond - 1);
  EXPECT_THAT(h.Events(), IsEmpty());
  h.AdvanceBy(1);
  EXPECT_THAT(h.Events(),
              ElementsAre("disconnected connack-timeout rc=0x00 reconnect=1",
                          "reconnecting attempt=1"));
  EXPECT_EQ(h.host.close_calls, 1);
  h.AdvanceTo(h.client.NextDeadline());
  EXPECT_EQ(h.host.open_calls, 2);
  EXPECT_EQ(h.client.stats().connection_attempts, 2u);
}

TEST(ConnectionTest, TransportThatNeverOpensTimesOut) {
  ClientHarness h;
  ASSERT_TRUE(h.client.Connect({.client_id = "c1"}, h.now).ok());
  h.AdvanceBy(30 * kSecond);
  EXPECT_THAT(h.Events(),
              ElementsAre("disconnected connect-timeout rc=0x00 reconnect=1",
                          "reconnecting attempt=1"));
  EXPECT_EQ(h.host.close_calls, 1);
}

TEST(ConnectionTest, ConnectFailedRetriesAfterTheBackoff) {
  ClientHarness h;
  ASSERT_TRUE(h.client.Connect({.client_id = "c1"}, h.now).ok());
  h.client.OnConnectFailed(h.now);
  EXPECT_THAT(h.Events(),
              ElementsAre("disconnected connect-failed rc=0x00 reconnect=1",
                          "reconnecting attempt=1"));
  EXPECT_EQ(h.host.close_calls, 0);
  const Duration delay = h.observer.reconnect_delays[0];
  EXPECT_GE(delay, kSecond / 2);
  EXPECT_LE(delay, kSecond);
  EXPECT_EQ(h.client.NextDeadline(), delay);
  h.AdvanceTo(delay - 1);
  EXPECT_EQ(h.host.open_calls, 1);
  h.AdvanceTo(delay);
  EXPECT_EQ(h.host.open_calls, 2);
}

TEST(ConnectionTest, SecondConnackIsAProtocolError) {
  ClientHarness h;
  h.Connect();
  h.Events();
  h.Receive(mqtt::Connack{});
  EXPECT_THAT(h.Sent(), ElementsAre("DISCONNECT rc=0x82"));
  EXPECT_THAT(h.Events(),
              ElementsAre("disconnected protocol-error rc=0x82 reconnect=1",
                          "reconnecting attempt=1"));
  EXPECT_THAT(h.observer.last_rule, HasSubstr("[MQTT-3.2.0-2]"));
  EXPECT_EQ(h.client.stats().protocol_errors, 1u);
}

TEST(ConnectionTest, PacketBeforeConnackIsAProtocolError) {
  ClientHarness h;
  ASSERT_TRUE(h.client.Connect({.client_id = "c1"}, h.now).ok());
  h.client.OnConnected(h.now);
  h.Sent();
  h.Receive(mqtt::Pingresp{});
  EXPECT_THAT(h.Sent(), ElementsAre("DISCONNECT rc=0x82"));
  EXPECT_THAT(h.observer.last_rule, HasSubstr("[MQTT-3.2.0-1]"));
}

TEST(ConnectionTest, SessionPresentAfterCleanStartIsAProtocolError) {
  ClientHarness h;
  ASSERT_TRUE(h.client.Connect({.client_id = "c1"}, h.now).ok());
  h.client.OnConnected(h.now);
  h.Sent();
  h.Receive(mqtt::Connack{.session_present = true});
  EXPECT_THAT(h.Sent(), ElementsAre("DISCONNECT rc=0x82"));
  EXPECT_THAT(h.observer.last_rule, HasSubstr("[MQTT-3.2.2-2]"));
}

TEST(ConnectionTest, DisconnectSendsTheReasonAndStops) {
  ClientHarness h;
  h.Connect();
  h.Events();
  h.client.Disconnect({.reason_code = ReasonCode::kDisconnectWithWillMessage,
                       .session_expiry_interval = 0},
                      h.now);
  const std::vector<mqtt::Packet> sent = h.SentPackets();
  ASSERT_EQ(sent.size(), 1u);
  const mqtt::Disconnect& d = std::get<mqtt::Disconnect>(sent[0]);
  EXPECT_EQ(d.reason_code, ReasonCode::kDisconnectWithWillMessage);
  EXPECT_EQ(d.properties.session_expiry_interval, 0u);
  EXPECT_THAT(h.Events(), ElementsAre("disconnected client-disconnect rc=0x04 "
                                      "reconnect=0"));
  EXPECT_EQ(h.client.state(), Client::State::kIdle);
  EXPECT_EQ(h.client.NextDeadline(), kInfiniteFuture);
  EXPECT_EQ(h.host.close_calls, 1);
  // Connect() works again.
  EXPECT_TRUE(h.client.Connect({.client_id = "c1"}, h.now).ok());
}

TEST(ConnectionTest, DisconnectWhileOpeningAbandonsTheAttempt) {
  ClientHarness h;
  ASSERT_TRUE(h.client.Connect({.client_id = "c1"}, h.now).ok());
  h.client.Disconnect({}, h.now);
  EXPECT_EQ(h.host.close_calls, 1);
  EXPECT_THAT(h.Sent(), IsEmpty());
  EXPECT_THAT(h.Events(), ElementsAre("disconnected client-disconnect rc=0x00 "
                                      "reconnect=0"));
  EXPECT_EQ(h.client.state(), Client::State::kIdle);
}

TEST(ConnectionTest, DisconnectWhileWaitingCancelsTheReconnection) {
  ClientHarness h;
  ASSERT_TRUE(h.client.Connect({.client_id = "c1"}, h.now).ok());
  h.client.OnConnectFailed(h.now);
  h.client.Disconnect({}, h.now);
  EXPECT_EQ(h.client.state(), Client::State::kIdle);
  EXPECT_EQ(h.client.NextDeadline(), kInfiniteFuture);
  h.AdvanceBy(kHour);
  EXPECT_EQ(h.host.open_calls, 1);
}

TEST(ConnectionTest, ServerDisconnectEndsTheConnectionAndReconnects) {
  ClientHarness h;
  h.Connect();
  h.Events();
  mqtt::Disconnect disconnect{.reason_code = ReasonCode::kAdministrativeAction};
  disconnect.properties.reason_string = "client deleted";
  const mqtt::Properties* seen = nullptr;
  std::string reason;
  h.observer.on_disconnected = [&](const DisconnectedEvent& e) {
    seen = e.properties;
    if (e.properties != nullptr) reason = *e.properties->reason_string;
  };
  h.Receive(disconnect);
  EXPECT_THAT(h.Events(),
              ElementsAre("disconnected server-disconnect rc=0x98 reconnect=1",
                          "reconnecting attempt=1"));
  EXPECT_NE(seen, nullptr);
  EXPECT_EQ(reason, "client deleted");
  EXPECT_EQ(h.host.close_calls, 1);
}

TEST(ConnectionTest, SessionTakenOverStopsUnlessAsked) {
  ClientHarness stops;
  stops.Connect();
  stops.Events();
  stops.Receive(mqtt::Disconnect{.reason_code = ReasonCode::kSessionTakenOver});
  EXPECT_THAT(stops.Events(),
              ElementsAre("disconnected server-disconnect rc=0x8e "
                          "reconnect=0"));
  EXPECT_EQ(stops.client.state(), Client::State::kIdle);

  ClientOptions options;
  options.reconnect.after_session_taken_over = true;
  ClientHarness fights(options);
  fights.Connect();
  fights.Events();
  fights.Receive(
      mqtt::Disconnect{.reason_code = ReasonCode::kSessionTakenOver});
  EXPECT_EQ(fights.client.state(), Client::State::kWaitingToReconnect);
}

TEST(ConnectionTest, ReconnectDisabledStops) {
  ClientOptions options;
  options.reconnect.enabled = false;
  ClientHarness h(options);
  h.Connect();
  h.Events();
  h.client.OnConnectionClosed(h.now);
  EXPECT_THAT(h.Events(), ElementsAre("disconnected transport-closed rc=0x00 "
                                      "reconnect=0"));
  EXPECT_EQ(h.client.state(), Client::State::kIdle);
  EXPECT_EQ(h.host.close_calls, 0);
}

TEST(ConnectionTest, GivesUpAfterMaxAttempts) {
  ClientOptions options;
  options.reconnect.max_attempts = 2;
  ClientHarness h(options);
  ASSERT_TRUE(h.client.Connect({.client_id = "c1"}, h.now).ok());
  for (int attempt = 0; attempt < 3; ++attempt) {
    ASSERT_EQ(h.client.state(), Client::State::kOpening);
    h.client.OnConnectFailed(h.now);
    if (h.client.state() == Client::State::kWaitingToReconnect) {
      h.AdvanceTo(h.client.NextDeadline());
    }
  }
  EXPECT_EQ(h.client.state(), Client::State::kIdle);
  EXPECT_EQ(h.host.open_calls, 3);
  EXPECT_EQ(h.client.stats().reconnects_scheduled, 2u);
}

TEST(ConnectionTest, BackoffGrowsAndRestartsAfterAConnack) {
  ClientOptions options;
  options.reconnect.jitter = 0;
  ClientHarness h(options);
  ASSERT_TRUE(h.client.Connect({.client_id = "c1"}, h.now).ok());
  for (int i = 0; i < 8; ++i) {
    h.client.OnConnectFailed(h.now);
    h.AdvanceTo(h.client.NextDeadline());
  }
  EXPECT_THAT(
      h.observer.reconnect_delays,
      ElementsAre(1 * kSecond, 2 * kSecond, 4 * kSecond, 8 * kSecond,
                  16 * kSecond, 32 * kSecond, 60 * kSecond, 60 * kSecond));
  h.client.OnConnected(h.now);
  h.Receive(mqtt::Connack{});
  h.client.OnConnectionClosed(h.now);
  EXPECT_EQ(h.observer.reconnect_delays.back(), 1 * kSecond);
}

TEST(ConnectionTest, SameSeedSameDelaysOtherSeedOtherDelays) {
  auto delays = [](uint64_t seed) {
    ClientHarness h({}, seed);
    EXPECT_TRUE(h.client.Connect({.client_id = "c1"}, h.now).ok());
    for (int i = 0; i < 10; ++i) {
      h.client.OnConnectFailed(h.now);
      h.AdvanceTo(h.client.NextDeadline());
    }
    return h.observer.reconnect_delays;
  };
  const std::vector<Duration> first = delays(7);
  EXPECT_EQ(first, delays(7));
  EXPECT_NE(first, delays(8));
  // Each within [ceiling / 2, ceiling] (jitter 0.5, initial 1 s, cap 60 s).
  Duration ceiling = kSecond;
  for (const Duration delay : first) {
    EXPECT_GE(delay, ceiling / 2);
    EXPECT_LE(delay, ceiling);
    ceiling = std::min(ceiling * 2, 60 * kSecond);
  }
}

TEST(ConnectionTest, PingWhenIdleAndPingrespClearsIt) {
  ClientHarness h;
  h.Connect({.client_id = "c1", .keep_alive_seconds = 60});
  EXPECT_EQ(h.client.NextDeadline(), 60 * kSecond);
  h.AdvanceBy(59 * kSecond);
  EXPECT_THAT(h.Sent(), IsEmpty());
  h.AdvanceBy(1 * kSecond);
  EXPECT_THAT(h.Sent(), ElementsAre("PINGREQ"));
  // Waiting for PINGRESP: the next deadline is its timeout (the interval).
  EXPECT_EQ(h.client.NextDeadline(), 120 * kSecond);
  h.AdvanceBy(5 * kSecond);
  h.Receive(mqtt::Pingresp{});
  EXPECT_EQ(h.client.NextDeadline(), 120 * kSecond);  // Last sent + 60 s.
  h.AdvanceTo(120 * kSecond);
  EXPECT_THAT(h.Sent(), ElementsAre("PINGREQ"));
  EXPECT_EQ(h.client.stats().pings_sent, 2u);
}

TEST(ConnectionTest, TrafficBothWaysPostponesThePing) {
  ClientHarness h;
  h.Connect({.client_id = "c1", .keep_alive_seconds = 60});
  h.AdvanceTo(30 * kSecond);
  EXPECT_EQ(h.client.Publish(ClientHarness::Message("t", "x"), h.now).status,
            PublishStatus::kSent);
  // Sent at 30 s, nothing heard since the CONNACK at 0 s.
  EXPECT_EQ(h.client.NextDeadline(), 60 * kSecond);
  h.Receive(mqtt::Pingresp{});
  EXPECT_EQ(h.client.NextDeadline(), 90 * kSecond);
  h.AdvanceTo(60 * kSecond);
  EXPECT_THAT(h.Sent(), ElementsAre("PUBLISH qos=0 dup=0 topic=t payload=x"));
}

// Found by the simulator (tests/sim/regressions/busy-publisher-half-open):
// a device publishing more often than its Keep Alive on a connection that
// became a black hole never sent PINGREQ (it was never idle), so it never
// found out, and never reconnected.
TEST(ConnectionTest, BusyPublisherFindsADeadConnection) {
  ClientOptions options;
  options.pingresp_timeout = 10 * kSecond;
  ClientHarness h(options);
  h.Connect({.client_id = "c1", .keep_alive_seconds = 60});
  h.Events();
  // A QoS 0 message every 10 s, and not a byte back.
  for (Time t = 10 * kSecond; t < 60 * kSecond; t += 10 * kSecond) {
    h.AdvanceTo(t);
    h.client.Publish(ClientHarness::Message("t", "x"), h.now);
  }
  h.Sent();
  h.AdvanceTo(60 * kSecond);
  EXPECT_THAT(h.Sent(), ElementsAre("PINGREQ"));
  h.AdvanceTo(70 * kSecond);
  EXPECT_THAT(h.Events(), ElementsAre("disconnected keep-alive-timeout rc=0x00 "
                                      "reconnect=1",
                                      "reconnecting attempt=1"));
}

TEST(ConnectionTest, MissingPingrespMeansADeadConnection) {
  ClientOptions options;
  options.pingresp_timeout = 10 * kSecond;
  ClientHarness h(options);
  h.Connect({.client_id = "c1", .keep_alive_seconds = 60});
  h.Events();
  h.AdvanceTo(60 * kSecond);
  EXPECT_THAT(h.Sent(), ElementsAre("PINGREQ"));
  h.AdvanceTo(70 * kSecond - 1);
  EXPECT_EQ(h.client.state(), Client::State::kConnected);
  h.AdvanceTo(70 * kSecond);
  EXPECT_THAT(h.Events(), ElementsAre("disconnected keep-alive-timeout rc=0x00 "
                                      "reconnect=1",
                                      "reconnecting attempt=1"));
  EXPECT_EQ(h.host.close_calls, 1);
  EXPECT_EQ(h.client.stats().keep_alive_timeouts, 1u);
  EXPECT_THAT(h.Sent(), IsEmpty());  // Nothing more on a dead connection.
}

TEST(ConnectionTest, ServerKeepAliveReplacesTheClients) {
  ClientHarness h;
  mqtt::Connack connack;
  connack.properties.server_keep_alive = 1160;
  h.Connect({.client_id = "c1", .keep_alive_seconds = 1200}, connack);
  EXPECT_EQ(h.client.NextDeadline(), 1160 * kSecond);
}

TEST(ConnectionTest, KeepAliveZeroNeverPings) {
  ClientHarness h;
  h.Connect({.client_id = "c1", .keep_alive_seconds = 0});
  EXPECT_EQ(h.client.NextDeadline(), kInfiniteFuture);
  h.AdvanceBy(kHour);
  EXPECT_THAT(h.Sent(), IsEmpty());
}

TEST(ConnectionTest, ClosingTheTransportDuringOpeningIsAFailedConnect) {
  ClientHarness h;
  ASSERT_TRUE(h.client.Connect({.client_id = "c1"}, h.now).ok());
  h.client.OnConnectionClosed(h.now);
  EXPECT_THAT(h.Events(),
              ElementsAre("disconnected connect-failed rc=0x00 reconnect=1",
                          "reconnecting attempt=1"));
}

}  // namespace
}  // namespace mqlab::client
