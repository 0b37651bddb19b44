// The reference model beside a real broker: they agree on the connection
// and session layer, and a broker answer rewritten on its way out (a
// reason code, a property, a dropped DISCONNECT, a session-present flag, an
// event's reason, a dropped close) is reported with the model's rule.
#include "sim/checkers/reference_model_checker.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"
#include "broker/broker.h"
#include "broker/events.h"
#include "gtest/gtest.h"
#include "mqtt/decoder.h"
#include "mqtt/encoder.h"
#include "tests/broker/broker_harness.h"

namespace mqlab::sim {
namespace {

using broker::ConnectionId;
using mqtt::ReasonCode;
using mqtt::Version;

// Drives a broker and shows every input and output to the checker's tap,
// exactly as the simulator's adapter does; a test may rewrite the broker's
// packets (or drop them, returning nullopt), its closes and its events on
// their way to the checker.
class TapHarness : public broker::BrokerHost, public broker::Observer {
 public:
  using PacketRewrite =
      std::function<std::optional<mqtt::Packet>(const mqtt::Packet&)>;

  explicit TapHarness(broker::NamespaceConfig config)
      : checker_(CheckerContext{}), tap_(checker_.broker_tap()) {
    tap_->OnBrokerStarted(config, now_);
    tap_->InputDone();
    broker_ = std::make_unique<broker::Broker>(config, this, this);
  }

  // Opens a connection and sends CONNECT.
  ConnectionId Connect(mqtt::Connect connect) {
    broker::TransportIdentity identity;
    identity.peer = "test";
    const ConnectionId id = broker_->OnConnectionOpened(identity, now_);
    tap_->OnOpened(identity, id, now_);
    tap_->InputDone();
    versions_[id] = connect.version;
    Send(id, connect);
    return id;
  }
  void Send(ConnectionId id, const mqtt::Packet& packet) {
    std::vector<uint8_t> bytes;
    ASSERT_TRUE(mqtt::Encode(packet, versions_[id], &bytes));
    broker_->OnBytesReceived(id, bytes, now_);
    tap_->OnBytesIn(id, bytes, now_);
    tap_->InputDone();
  }
  void Drop(ConnectionId id) {
    broker_->OnConnectionClosed(id, now_);
    tap_->OnClosedByPeer(id, now_);
    tap_->InputDone();
  }
  void AdvanceBy(Duration duration) {
    now_ += duration;
    broker_->Advance(now_);
    tap_->OnAdvance(now_);
    tap_->InputDone();
  }
  void DeleteClient(std::string_view name) {
    const absl::Status status = broker_->DeleteClient(name, now_);
    tap_->OnDeleteClient(name, status, now_);
    tap_->InputDone();
  }

  void set_packet_rewrite(PacketRewrite rewrite) {
    packet_rewrite_ = std::move(rewrite);
  }
  void set_drop_closes(bool drop) { drop_closes_ = drop; }
  void set_event_rewrite(std::function<void(broker::Event&)> rewrite) {
    event_rewrite_ = std::move(rewrite);
  }

  const ReferenceModelChecker& checker() const { return checker_; }
  // "" when the checker found nothing, else its first violation's rule.
  std::string FirstViolation() const {
    return checker_.violations().empty() ? "" : checker_.violations()[0].rule;
  }

  // broker::BrokerHost and broker::Observer.
  void Send(ConnectionId connection, std::span<const uint8_t> bytes) override {
    if (!packet_rewrite_) return tap_->OnSend(connection, bytes);
    mqtt::Decoder decoder(mqtt::DecoderOptions{
        .maximum_packet_size = mqtt::kProtocolMaximumPacketSize,
        .version = versions_[connection]});
    mqtt::Bytes input = bytes;
    mqtt::Packet packet;
    mqtt::DecodeError error;
    ASSERT_EQ(decoder.Next(&input, &packet, &error),
              mqtt::Decoder::Status::kPacket);
    const std::optional<mqtt::Packet> rewritten = packet_rewrite_(packet);
    if (!rewritten.has_value()) return;
    std::vector<uint8_t> out;
    ASSERT_TRUE(mqtt::Encode(*rewritten, versions_[connection], &out));
    tap_->OnSend(connection, out);
  }
  void Close(ConnectionId connection) override {
    if (!drop_closes_) tap_->OnClose(connection);
  }
  void OnEvent(const broker::Event& event) override {
    broker::Event copy = event;
    if (event_rewrite_) event_rewrite_(copy);
    tap_->OnEvent(copy);
  }

 private:
  Time now_ = kSecond;
  ReferenceModelChecker checker_;
  BrokerTap* tap_;
  std::unique_ptr<broker::Broker> broker_;
  std::map<ConnectionId, Version> versions_;
  PacketRewrite packet_rewrite_;
  bool drop_closes_ = false;
  std::function<void(broker::Event&)> event_rewrite_;
};

mqtt::Connect V5(std::string_view client_id, std::string_view username,
                 std::optional<uint32_t> expiry = std::nullopt,
                 uint16_t keep_alive = 60, bool clean_start = false) {
  mqtt::Connect connect;
  connect.version = Version::kV5;
  connect.client_id = client_id;
  connect.username = username;
  connect.keep_alive = keep_alive;
  connect.clean_start = clean_start;
  connect.properties.session_expiry_interval = expiry;
  return connect;
}

mqtt::Connect V311(std::string_view client_id, std::string_view username,
                   bool clean_session) {
  mqtt::Connect connect;
  connect.version = Version::kV311;
  connect.client_id = client_id;
  connect.username = username;
  connect.keep_alive = 30;
  connect.clean_start = clean_session;
  return connect;
}

broker::NamespaceConfig TwoClients() {
  broker::NamespaceConfig config =
      broker::testing::OpenNamespace({"dev1", "dev2"});
  config.limits.maximum_client_sessions_per_authentication_name = 2;
  return config;
}

TEST(ReferenceModelCheckerTest, AgreesWithTheBrokerOnSessionsAndEndings) {
  TapHarness harness(TwoClients());
  // Created with expiry 3600 (asked 100) and keep-alive 1160 (asked 0).
  const ConnectionId first = harness.Connect(V5("s1", "dev1", 100, 0));
  harness.Send(first, mqtt::Pingreq{});
  // Taken over by the same name in another letter case, resumed.
  const ConnectionId second = harness.Connect(V5("s1", "DEV1", 3600));
  // Another name may not take it; the per-name cap counts offline ones.
  harness.Connect(V5("s1", "dev2"));
  harness.Connect(V311("s2", "dev1", /*clean_session=*/true));
  harness.Connect(V5("s3", "dev1", 0));
  harness.Connect(V5("", "dev1"));
  harness.Connect(V5("x", "nobody"));
  harness.Send(second, mqtt::Disconnect{});
  // Keep-alive of the 3.1.1 session (30 s x 1.5), then expiry of s1.
  harness.AdvanceBy(46 * kSecond);
  const ConnectionId v311 = harness.Connect(V311("s4", "dev2", false));
  harness.Drop(v311);
  harness.DeleteClient("dev2");
  harness.Connect(V311("s4", "dev2", false));
  harness.AdvanceBy(3600 * kSecond);
  EXPECT_EQ(harness.FirstViolation(), "");
  const auto& seen = harness.checker().situations();
  for (const char* rule :
       {"session.create", "session.resume", "session.takeover-same-name",
        "session.owned-by-another-name", "session.max-per-authentication-name",
        "keepalive.above-1160-or-zero", "keepalive.timeout", "session.expired",
        "session.expiry-zero-ends", "connect.client-id-required",
        "auth.unknown-client", "ping.response", "disconnect.by-client",
        "admin.client-deleted", "disconnect.connection-lost"}) {
    EXPECT_TRUE(seen.contains(rule)) << rule;
  }
}

TEST(ReferenceModelCheckerTest, ReportsAChangedConnackReasonCode) {
  TapHarness harness(TwoClients());
  harness.set_packet_rewrite([](const mqtt::Packet& packet) {
    mqtt::Packet out = packet;
    if (auto* connack = std::get_if<mqtt::Connack>(&out)) {
      connack->reason_code = ReasonCode::kNotAuthorized;
    }
    return std::optional(out);
  });
  harness.Connect(V5("s1", "dev1"));
  EXPECT_EQ(harness.FirstViolation(), "session.create");
}

TEST(ReferenceModelCheckerTest, ReportsADroppedConnackProperty) {
  TapHarness harness(TwoClients());
  harness.set_packet_rewrite([](const mqtt::Packet& packet) {
    mqtt::Packet out = packet;
    if (auto* connack = std::get_if<mqtt::Connack>(&out)) {
      connack->properties.server_keep_alive.reset();
    }
    return std::optional(out);
  });
  harness.Connect(V5("s1", "dev1", 3600, /*keep_alive=*/2000));
  EXPECT_EQ(harness.FirstViolation(), "session.create");
  EXPECT_NE(harness.checker().violations()[0].detail.find("Server Keep Alive"),
            std::string::npos);
}

TEST(ReferenceModelCheckerTest, ReportsAWrongSessionPresent) {
  TapHarness harness(TwoClients());
  const ConnectionId first = harness.Connect(V5("s1", "dev1", 3600));
  harness.Send(first, mqtt::Disconnect{});
  harness.set_packet_rewrite([](const mqtt::Packet& packet) {
    mqtt::Packet out = packet;
    if (auto* connack = std::get_if<mqtt::Connack>(&out)) {
      connack->session_present = false;
    }
    return std::optional(out);
  });
  harness.Connect(V5("s1", "dev1", 3600));
  EXPECT_EQ(harness.FirstViolation(), "session.resume");
}

TEST(ReferenceModelCheckerTest, ReportsADroppedTakeoverDisconnect) {
  TapHarness harness(TwoClients());
  harness.Connect(V5("s1", "dev1", 3600));
  harness.set_packet_rewrite(
      [](const mqtt::Packet& packet) -> std::optional<mqtt::Packet> {
        if (std::holds_alternative<mqtt::Disconnect>(packet)) {
          return std::nullopt;
        }
        return packet;
      });
  harness.Connect(V5("s1", "dev1", 3600));
  EXPECT_EQ(harness.FirstViolation(), "session.takeover-same-name");
}

TEST(ReferenceModelCheckerTest, ReportsAWrongDisconnectionReason) {
  TapHarness harness(TwoClients());
  harness.Connect(V5("s1", "dev1", 3600));
  harness.set_event_rewrite([](broker::Event& event) {
    if (event.kind == broker::EventKind::kDisconnected) {
      event.reason = broker::DisconnectionReason::kConnectionLost;
    }
  });
  harness.Connect(V5("s1", "dev1", 3600));
  EXPECT_EQ(harness.FirstViolation(), "session.takeover-same-name");
}

TEST(ReferenceModelCheckerTest, ReportsAMissingClose) {
  TapHarness harness(TwoClients());
  const ConnectionId id = harness.Connect(V5("s1", "dev1", 3600, 10));
  harness.set_drop_closes(true);
  harness.AdvanceBy(15 * kSecond);
  EXPECT_EQ(harness.FirstViolation(), "keepalive.timeout");
  (void)id;
}

TEST(ReferenceModelCheckerTest, ReportsSessionPresentOnANewSession) {
  TapHarness harness(TwoClients());
  harness.set_packet_rewrite([](const mqtt::Packet& packet) {
    mqtt::Packet out = packet;
    if (auto* connack = std::get_if<mqtt::Connack>(&out)) {
      connack->session_present = true;
    }
    return std::optional(out);
  });
  harness.Connect(V5("s1", "dev1"));
  EXPECT_EQ(harness.FirstViolation(), "session.create");
}

TEST(ReferenceModelCheckerTest, StopsComparingAfterTheFirstDisagreement) {
  TapHarness harness(TwoClients());
  harness.set_event_rewrite([](broker::Event& event) {
    if (event.kind == broker::EventKind::kSessionCreated) {
      event.kind = broker::EventKind::kSessionResumed;
    }
  });
  harness.Connect(V5("s1", "dev1"));
  harness.Connect(V5("s2", "dev1"));
  EXPECT_EQ(harness.checker().violation_count(), 1u);
  EXPECT_EQ(harness.FirstViolation(), "session.create");
}

}  // namespace
}  // namespace mqlab::sim
