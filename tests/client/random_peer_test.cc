// A random peer: for many seeds, a client with small bounds faces a server
// that mostly answers what it sent (CONNACK, PUBACK, SUBACK, UNSUBACK,
// PINGRESP, with random reason codes) but also sends random valid packets
// and garbage, in random splits, while the application publishes,
// subscribes, requests and disconnects and the transport fails. Nothing may
// fail a check; the bounds and the host contract hold after every step; and
// the same seed replays the same bytes and events.
#include <cstdint>
#include <string>
#include <vector>

#include "base/random.h"
#include "client/client.h"
#include "gtest/gtest.h"
#include "mqtt/decoder.h"
#include "mqtt/encoder.h"
#include "mqtt/testing/packet_generator.h"
#include "tests/client/client_harness.h"

namespace mqlab::client {
namespace {

using mqtt::Qos;
using mqtt::ReasonCode;

// A driver that keeps the transport's state, checks the client keeps the
// host contract, and folds everything the client writes into a hash.
class ModelHost : public ClientHost {
 public:
  enum class Transport { kNone, kOpening, kOpen };

  void OpenConnection() override {
    EXPECT_EQ(transport, Transport::kNone);
    transport = Transport::kOpening;
  }
  void Send(std::span<const uint8_t> bytes) override {
    EXPECT_EQ(transport, Transport::kOpen);
    for (const uint8_t b : bytes) hash = (hash ^ b) * 0x100000001B3ULL;
    unread.insert(unread.end(), bytes.begin(), bytes.end());
  }
  void Close() override {
    EXPECT_NE(transport, Transport::kNone);
    transport = Transport::kNone;
    unread.clear();
  }

  Transport transport = Transport::kNone;
  uint64_t hash = 0xCBF29CE484222325ULL;
  std::vector<uint8_t> unread;  // What the server has not read yet.
};

class HashingObserver : public testing::RecordingObserver {
 public:
  void OnMessage(const MessageEvent& e, MessageAck* ack) override {
    RecordingObserver::OnMessage(e, ack);
    if (random != nullptr && random->Chance(0.1)) {
      ack->reason_code = ReasonCode::kImplementationSpecificError;
    }
  }
  Random* random = nullptr;
};

struct RunRecord {
  uint64_t bytes_hash = 0;
  std::vector<std::string> events;
};

RunRecord RunSeed(uint64_t seed) {
  Random random(seed);
  const mqtt::Version version =
      random.Chance(0.5) ? mqtt::Version::kV5 : mqtt::Version::kV311;
  const bool v5 = version == mqtt::Version::kV5;
  ClientOptions options{
      .version = version,
      .max_pending_publishes = 8,
      .max_pending_publish_bytes = 2000,
      .max_in_flight = 4,
      .max_pending_requests = 3,
      .max_subscriptions = 6,
      .resubscribe_batch = 2,
      .max_pending_responses = 3,
      .topic_alias_policy = static_cast<TopicAliasPolicy>(random.Below(3)),
      .max_topic_aliases = 2,
      .max_incoming_packet_size = 4096,
      .connect_timeout = 5 * kSecond,
      .connack_timeout = 3 * kSecond};
  options.ack_mode =
      random.Chance(0.3) ? AckMode::kManual : AckMode::kAutomatic;
  options.reconnect.max_attempts = random.Chance(0.2) ? 3 : 0;
  ModelHost host;
  HashingObserver observer;
  observer.random = &random;
  Random jitter = Random::Stream(seed, "jitter");
  Client client(options, &host, &observer, &jitter);

  mqtt::testing::PacketStorage storage;
  mqtt::testing::PacketGenerator generator(&random, &storage,
                                           {.maximum_payload_size = 64});
  std::vector<uint64_t> tokens;
  observer.on_message = [&](const MessageEvent& e, MessageAck*) {
    if (e.ack_token != 0) tokens.push_back(e.ack_token);
  };
  const std::string topics[] = {"a", "b/c", "d/e/f"};
  const mqtt::Subscription filters[] = {
      {.topic_filter = "a", .options = {.maximum_qos = Qos::kAtLeastOnce}},
      {.topic_filter = "b/+"},
      {.topic_filter = "#", .options = {.maximum_qos = Qos::kAtLeastOnce}}};
  const std::string_view unsubscribe_filters[] = {"a", "#"};
  const ConnectOptions connect{
      .client_id = "random-peer",
      .clean_start = random.Chance(0.5),
      .keep_alive_seconds = 5,
      .session_expiry_interval =
          v5 ? std::optional<uint32_t>(random.Chance(0.5) ? 60 : 0)
             : std::nullopt,
      .receive_maximum = v5 ? std::optional<uint16_t>(3) : std::nullopt,
      .topic_alias_maximum = v5 ? std::optional<uint16_t>(2) : std::nullopt};
  Time now = 0;
  EXPECT_TRUE(client.Connect(connect, now).ok());

  // The server's answers to what the client wrote, plus noise.
  auto server_bytes = [&]() {
    std::vector<uint8_t> out;
    mqtt::Bytes input = host.unread;
    mqtt::Decoder decoder({.version = version});
    mqtt::Packet packet;
    mqtt::DecodeError error;
    while (decoder.Next(&input, &packet, &error) ==
           mqtt::Decoder::Status::kPacket) {
      const uint8_t failure = random.Chance(0.1) ? 0x87 : 0x00;
      if (const auto* c = std::get_if<mqtt::Connect>(&packet)) {
        mqtt::Connack connack{
            .session_present = !c->clean_start && random.Chance(0.5),
            .reason_code = random.Chance(0.1) ? ReasonCode::kNotAuthorized
                                              : ReasonCode::kSuccess};
        if (v5) {
          connack.properties.receive_maximum =
              static_cast<uint16_t>(1 + random.Below(3));
          connack.properties.topic_alias_maximum = 2;
          connack.properties.maximum_packet_size = 300;
        }
        EXPECT_TRUE(mqtt::Encode(connack, version, &out));
      } else if (const auto* p = std::get_if<mqtt::Publish>(&packet)) {
        if (p->qos == Qos::kAtLeastOnce && random.Chance(0.8)) {
          EXPECT_TRUE(mqtt::Encode(
              mqtt::Puback{.packet_id = p->packet_id,
                           .reason_code = static_cast<ReasonCode>(failure)},
              version, &out));
        }
        if (p->properties.response_topic.has_value() && random.Chance(0.7)) {
          // A responder answers the request.
          mqtt::Publish response{
              .topic =
                  storage.String(std::string(*p->properties.response_topic)),
              .payload = storage.Data({2})};
          response.properties.correlation_data = storage.Data(
              std::vector<uint8_t>(p->properties.correlation_data->begin(),
                                   p->properties.correlation_data->end()));
          EXPECT_TRUE(mqtt::Encode(response, version, &out));
        }
      } else if (const auto* s = std::get_if<mqtt::Subscribe>(&packet)) {
        const std::vector<uint8_t> codes(s->subscriptions.size(),
                                         failure == 0 ? 0x01 : 0x80);
        EXPECT_TRUE(
            mqtt::Encode(mqtt::Suback{.packet_id = s->packet_id,
                                      .reason_codes = storage.Data(codes)},
                         version, &out));
      } else if (const auto* u = std::get_if<mqtt::Unsubscribe>(&packet)) {
        mqtt::Unsuback unsuback{.packet_id = u->packet_id};
        if (v5) {
          unsuback.reason_codes =
              storage.Data(std::vector<uint8_t>(u->topic_filters.size(), 0x00));
        }
        EXPECT_TRUE(mqtt::Encode(unsuback, version, &out));
      } else if (std::holds_alternative<mqtt::Pingreq>(packet) &&
                 random.Chance(0.9)) {
        EXPECT_TRUE(mqtt::Encode(mqtt::Pingresp{}, version, &out));
      }
    }
    host.unread.clear();
    // Messages for the client, and now and then anything at all.
    if (random.Chance(0.4)) {
      mqtt::Publish publish{
          .qos = static_cast<Qos>(random.Below(3)),
          .topic = topics[random.Below(3)],
          .packet_id = static_cast<uint16_t>(1 + random.Below(6)),
          .payload = storage.Data({1, 2, 3})};
      if (publish.qos == Qos::kAtMostOnce) publish.packet_id = 0;
      EXPECT_TRUE(mqtt::Encode(publish, version, &out));
    }
    if (random.Chance(0.03)) {
      EXPECT_TRUE(mqtt::Encode(generator.Generate(version), version, &out));
    }
    if (random.Chance(0.02)) {
      for (int i = 0; i < 8; ++i) {
        out.push_back(static_cast<uint8_t>(random.Below(256)));
      }
    }
    return out;
  };

  for (int step = 0; step < 400; ++step) {
    now += static_cast<Duration>(random.Below(2 * kSecond));
    switch (random.Below(10)) {
      case 0:
      case 1: {  // The transport.
        if (host.transport == ModelHost::Transport::kOpening) {
          host.transport = random.Chance(0.9) ? ModelHost::Transport::kOpen
                                              : ModelHost::Transport::kNone;
          if (host.transport == ModelHost::Transport::kOpen) {
            client.OnConnected(now);
          } else {
            client.OnConnectFailed(now);
          }
        } else if (host.transport == ModelHost::Transport::kOpen) {
          if (random.Chance(0.1)) {
            host.transport = ModelHost::Transport::kNone;
            host.unread.clear();
            client.OnConnectionClosed(now);
          } else {
            client.OnWriteBlocked(random.Chance(0.3), now);
          }
        }
        break;
      }
      case 2:
      case 3:
      case 4: {  // The server speaks, in random splits.
        if (host.transport != ModelHost::Transport::kOpen) break;
        const std::vector<uint8_t> bytes = server_bytes();
        size_t at = 0;
        while (at < bytes.size() &&
               host.transport == ModelHost::Transport::kOpen) {
          const size_t n = std::min<size_t>(bytes.size() - at,
                                            1 + random.Below(bytes.size()));
          client.OnBytesReceived(std::span(bytes).subspan(at, n), now);
          at += n;
        }
        break;
      }
      case 5:
      case 6: {  // The application publishes.
        ApplicationMessage m{
            .topic = topics[random.Below(3)],
            .payload = storage.Data(std::vector<uint8_t>(random.Below(200), 7)),
            .qos = static_cast<Qos>(random.Below(2))};
        if (v5 && random.Chance(0.2)) {
          m.response_topic = "replies";
          client.Request(m, 3 * kSecond, now);
        } else {
          client.Publish(m, now);
        }
        break;
      }
      case 7: {  // Subscriptions, acknowledgements.
        if (random.Chance(0.5)) {
          client.Subscribe(
              {.subscriptions = std::span(filters).first(1 + random.Below(3))},
              now);
        } else if (random.Chance(0.5)) {
          client.Unsubscribe({.topic_filters = unsubscribe_filters}, now);
        } else if (!tokens.empty()) {
          client.Acknowledge(tokens[random.Below(tokens.size())],
                             ReasonCode::kSuccess, now);
        }
        break;
      }
      case 8: {  // The application stops or starts.
        if (random.Chance(0.2)) {
          client.Disconnect({}, now);
        } else if (client.state() == Client::State::kIdle) {
          EXPECT_TRUE(client.Connect(connect, now).ok());
        }
        break;
      }
      default:
        break;
    }
    if (client.NextDeadline() <= now) client.Advance(now);

    // The bounds and the host contract.
    EXPECT_LE(client.pending_publishes(), options.max_pending_publishes);
    EXPECT_LE(client.in_flight(), client.pending_publishes());
    EXPECT_LE(client.in_flight(), options.max_in_flight);
    EXPECT_LE(client.pending_requests(),
              options.max_pending_requests + options.max_subscriptions);
    EXPECT_LE(client.subscriptions().size(), options.max_subscriptions);
    EXPECT_LE(client.pending_responses(), options.max_pending_responses);
    EXPECT_GT(client.NextDeadline(), now);
    switch (client.state()) {
      case Client::State::kOpening:
        EXPECT_EQ(host.transport, ModelHost::Transport::kOpening);
        break;
      case Client::State::kAwaitingConnack:
      case Client::State::kConnected:
        EXPECT_EQ(host.transport, ModelHost::Transport::kOpen);
        break;
      case Client::State::kIdle:
      case Client::State::kWaitingToReconnect:
        EXPECT_EQ(host.transport, ModelHost::Transport::kNone);
        break;
    }
  }
  return {.bytes_hash = host.hash, .events = observer.log};
}

TEST(RandomPeerTest, BoundsAndContractHoldAndSeedsReplay) {
  int connected_runs = 0;
  for (uint64_t seed = 1; seed <= 150; ++seed) {
    const RunRecord first = RunSeed(seed);
    const RunRecord second = RunSeed(seed);
    EXPECT_EQ(first.bytes_hash, second.bytes_hash) << "seed " << seed;
    EXPECT_EQ(first.events, second.events) << "seed " << seed;
    for (const std::string& event : first.events) {
      if (event.starts_with("connack rc=0x00")) {
        ++connected_runs;
        break;
      }
    }
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << "first failing seed: " << seed;
      return;
    }
  }
  EXPECT_GT(connected_runs, 100);
}

}  // namespace
}  // namespace mqlab::client
