// broker_session's engine (fuzz/broker_session_driver.h): realistic sessions
// pass, and each oracle reports a crafted break of the property it guards.
#include "fuzz/broker_session_driver.h"

#include <string>

#include "fuzz/mqtt_session.pb.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "mqtt/packet.h"

namespace mqlab::fuzz {
namespace {

Session ParseSession(const std::string& text) {
  Session session;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &session))
      << text;
  return session;
}

constexpr char kPublishAndReceive[] = R"pb(
  clients: 2
  action {
    client: 0
    packet { connect {} }
  }
  action {
    client: 1
    packet { connect {} }
  }
  action {
    client: 1
    packet { subscribe { subscription { filter: "shared/#" qos: 1 } } }
  }
  action {
    client: 0
    packet { publish { topic: "shared/a" qos: 1 payload: "hello" } }
    split: 3
  }
  action {
    client: 1
    packet { publish_response {} }
  }
  action {
    client: 0
    packet { pingreq {} }
  }
  action { advance_milliseconds: 100000 }
  action {
    client: 1
    packet { disconnect {} }
  }
  action { client: 0 drop: true }
)pb";

TEST(BrokerSessionDriverTest, ARealisticSessionPasses) {
  EXPECT_EQ(RunSession(ParseSession(kPublishAndReceive)), "");
}

TEST(BrokerSessionDriverTest, TakeoverAndAdminActionsPass) {
  EXPECT_EQ(RunSession(ParseSession(R"pb(
              clients: 2
              limit { limit: SESSION_EXPIRY_SECONDS value: 60 }
              action {
                client: 0
                packet {
                  connect {
                    clean_start: false
                    properties { session_expiry_interval: 60 }
                  }
                }
              }
              action { client: 0 reconnect: true }
              action {
                client: 0
                packet { connect { clean_start: false } }
              }
              action {
                client: 1
                packet { connect { will { topic: "shared/w" } } }
              }
              action { admin { kind: DISABLE_CLIENT client: 1 } }
              action { admin { kind: ENABLE_CLIENT client: 1 } }
              action { admin { kind: DELETE_CLIENT client: 0 } }
              action { raw: "\x10\x00" client: 1 }
              action { advance_milliseconds: 4000000 }
            )pb")),
            "");
}

// Reports a CONNACK on a second connection while the first still serves.
TEST(BrokerSessionDriverTest, OneConnectionPerSessionFires) {
  OneConnectionPerSession checker;
  checker.SetRequestedClientId(1, "a");
  checker.SetRequestedClientId(2, "a");
  const mqtt::Packet connack = mqtt::Connack{};
  checker.OnBrokerPacket(1, connack, 0);
  EXPECT_EQ(checker.violation(), "");
  checker.OnBrokerPacket(2, connack, 0);
  EXPECT_NE(checker.violation(), "");
  // Closing the first connection before the takeover is what is expected.
  OneConnectionPerSession ordered;
  ordered.SetRequestedClientId(1, "a");
  ordered.SetRequestedClientId(2, "a");
  ordered.OnBrokerPacket(1, connack, 0);
  ordered.OnClosed(1, true, 0);
  ordered.OnBrokerPacket(2, connack, 0);
  EXPECT_EQ(ordered.violation(), "");
}

TEST(BrokerSessionDriverTest, OutputCheckerFiresOnBadOutput) {
  int packets = 0;
  const auto count = [&](const mqtt::Packet&) { ++packets; };
  // A PINGRESP, split, then a byte that is no packet (type 0).
  constexpr uint8_t kPingresp[] = {0xD0, 0x00};
  constexpr uint8_t kReserved[] = {0x00, 0x00};
  BrokerOutputChecker checker;
  checker.ExpectVersion(1, mqtt::Version::kV5);
  checker.OnSend(1, mqtt::Bytes(kPingresp, 1), count);
  checker.OnSend(1, mqtt::Bytes(kPingresp + 1, 1), count);
  EXPECT_EQ(packets, 1);
  EXPECT_EQ(checker.violation(), "");
  checker.OnSend(1, kReserved, count);
  EXPECT_NE(checker.violation(), "");

  BrokerOutputChecker after_close;
  after_close.OnClose(2);
  EXPECT_EQ(after_close.violation(), "");
  after_close.OnSend(2, kPingresp, count);
  EXPECT_NE(after_close.violation(), "");

  BrokerOutputChecker twice;
  twice.OnClose(3);
  twice.OnClose(3);
  EXPECT_NE(twice.violation(), "");
}

TEST(BrokerSessionDriverTest, LeftoversAreReported) {
  EXPECT_EQ(LeftoverViolation({}), "");
  EXPECT_NE(LeftoverViolation({.sessions = 1}), "");
  EXPECT_NE(LeftoverViolation({.stored_messages = 3}), "");
  EXPECT_NE(LeftoverViolation({.timers = 1}), "");
}

// An observer that calls the first PUBLISH the broker sends wrong: the
// driver reports what a plugged-in checker (the reference model) finds.
class RefusesPublishes : public SessionObserver {
 public:
  void OnOpened(int, ConnectionId, Time) override {}
  void OnClientBytes(ConnectionId, mqtt::Bytes, Time) override {}
  void OnBrokerPacket(ConnectionId, const mqtt::Packet& packet, Time) override {
    if (std::holds_alternative<mqtt::Publish>(packet)) {
      violation_ = "the model expected no PUBLISH";
    }
  }
  void OnClosed(ConnectionId, bool, Time) override {}
  void OnAdmin(const Admin&, Time) override {}
  const std::string& violation() const override { return violation_; }

 private:
  std::string violation_;
};

TEST(BrokerSessionDriverTest, APluggedInCheckerIsHeard) {
  RefusesPublishes model;
  EXPECT_EQ(
      RunSession(ParseSession(kPublishAndReceive), {.observers = {&model}}),
      "the model expected no PUBLISH");
}

}  // namespace
}  // namespace mqlab::fuzz
