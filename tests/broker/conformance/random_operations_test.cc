// Random sequences of client and admin operations against the broker: it
// must never crash or answer with bytes that do not decode, must hold no
// session, subscription, stored message or timer once every session has
// expired, and must report exactly the same events for the same seed.
#include <string>
#include <vector>

#include "base/random.h"
#include "gtest/gtest.h"
#include "tests/broker/broker_harness.h"

namespace mqlab::broker::testing {
namespace {

using mqtt::Qos;

constexpr int kClients = 6;

const char* const kFilters[] = {
    "t/#", "t/+",          "t/a",   "#",
    "t/b", "$share/g/t/a", "+/+/+", "t/a/b/c/d/e/f/g/h"};
const char* const kTopics[] = {"t/a", "t/b", "t/a/b", "u", "t/a/b/c/d/e/f/g/h"};

struct RunResult {
  std::vector<std::string> events;
  BrokerStats end;
};

RunResult RunRandomOperations(uint64_t seed, bool rates_lifted, int steps) {
  NamespaceConfig config;
  config.allow_unauthenticated_username = true;
  for (int i = 0; i < kClients; ++i) {
    ClientResource client;
    client.name = "c" + std::to_string(i);
    config.clients.push_back(client);
  }
  config.limits.rate_limits_lifted = rates_lifted;
  config.limits.maximum_client_sessions_per_authentication_name = 2;
  Grant(config, "pub", "$all", Permission::kPublisher, {"t/#", "u"});
  Grant(config, "sub", "$all", Permission::kSubscriber, {"#"});
  const NamespaceConfig original = config;
  BrokerHarness harness(config);
  Random random(seed);

  std::vector<TestClient*> connections(kClients * 2, nullptr);
  bool subscribe_binding = true;
  std::vector<bool> disabled(kClients, false);
  for (int step = 0; step < steps; ++step) {
    const size_t slot = random.Below(connections.size());
    const int client = static_cast<int>(slot) % kClients;
    TestClient*& connection = connections[slot];
    if (connection != nullptr && connection->closed()) connection = nullptr;
    const uint64_t choice = random.Below(100);
    if (connection == nullptr) {
      if (choice < 60) {
        ConnectOptions options{.client_id = "s" + std::to_string(slot),
                               .username = "c" + std::to_string(client),
                               .version = random.Chance(0.3)
                                              ? mqtt::Version::kV311
                                              : mqtt::Version::kV5,
                               .clean_start = random.Chance(0.3),
                               .keep_alive = 30};
        if (options.version == mqtt::Version::kV5) {
          if (random.Chance(0.7)) options.session_expiry_interval = 60;
          if (random.Chance(0.5)) {
            options.receive_maximum =
                static_cast<uint16_t>(random.Between(1, 5));
          }
          if (random.Chance(0.1)) options.maximum_packet_size = 40;
        }
        connection = &harness.Connect(options);
      } else {
        harness.AdvanceBy(static_cast<Duration>(random.Below(3000)) *
                          kMillisecond);
      }
      continue;
    }
    if (choice < 15) {
      const mqtt::Subscription subscriptions[] = {
          {kFilters[random.Below(std::size(kFilters))],
           {.maximum_qos = static_cast<Qos>(random.Below(3)),
            .no_local = connection->version() == mqtt::Version::kV5 &&
                        random.Chance(0.3)}}};
      connection->Send(mqtt::Subscribe{
          .packet_id = static_cast<uint16_t>(step % 60000 + 1),
          .subscriptions = mqtt::Subscriptions::FromList(subscriptions)});
    } else if (choice < 18) {
      const std::string_view filters[] = {
          kFilters[random.Below(std::size(kFilters))]};
      connection->Send(mqtt::Unsubscribe{
          .packet_id = static_cast<uint16_t>(step % 60000 + 1),
          .topic_filters = mqtt::TopicFilters::FromList(filters)});
    } else if (choice < 60) {
      const Qos qos = random.Chance(0.005) ? Qos::kExactlyOnce
                      : random.Chance(0.5) ? Qos::kAtLeastOnce
                                           : Qos::kAtMostOnce;
      mqtt::Publish publish{.qos = qos,
                            .retain = random.Chance(0.005),
                            .topic = kTopics[random.Below(std::size(kTopics))]};
      if (qos != Qos::kAtMostOnce) {
        publish.packet_id = static_cast<uint16_t>(step % 60000 + 1);
      }
      const std::string payload(random.Below(64), 'p');
      publish.payload = AsBytes(payload);
      if (connection->version() == mqtt::Version::kV5 && random.Chance(0.3)) {
        publish.properties.message_expiry_interval =
            static_cast<uint32_t>(random.Below(10));
      }
      connection->Send(publish);
    } else if (choice < 85) {
      for (const ReceivedPacket& packet : connection->Receive()) {
        const mqtt::Publish* publish = packet.As<mqtt::Publish>();
        if (publish == nullptr || publish->qos != Qos::kAtLeastOnce) continue;
        if (random.Chance(0.8)) {
          connection->Puback(publish->packet_id,
                             random.Chance(0.002)
                                 ? mqtt::ReasonCode::kUnspecifiedError
                                 : mqtt::ReasonCode::kSuccess);
        }
      }
    } else if (choice < 88) {
      connection->Drop();
      connection = nullptr;
    } else if (choice < 92) {
      connection->SetWriteBlocked(random.Chance(0.5));
    } else if (choice < 95) {
      connection->Send(mqtt::Pingreq{});
    } else if (choice < 96 && random.Chance(0.2)) {
      std::vector<uint8_t> garbage(random.Below(8) + 1);
      for (uint8_t& byte : garbage) byte = static_cast<uint8_t>(random.Next());
      connection->SendBytes(garbage);
    } else if (choice < 97) {
      // Permission changes: the Subscriber binding goes and comes back.
      if (subscribe_binding) {
        EXPECT_TRUE(harness.broker()
                        .DeletePermissionBinding("sub", harness.now())
                        .ok());
      } else {
        EXPECT_TRUE(harness.broker()
                        .UpsertPermissionBinding(
                            original.permission_bindings[1], harness.now())
                        .ok());
      }
      subscribe_binding = !subscribe_binding;
    } else if (choice < 98) {
      ClientResource resource = original.clients[static_cast<size_t>(client)];
      disabled[static_cast<size_t>(client)] = random.Chance(0.3);
      if (disabled[static_cast<size_t>(client)]) {
        resource.state = ClientState::kDisabled;
      }
      EXPECT_TRUE(harness.broker().UpsertClient(resource, harness.now()).ok());
    } else {
      harness.AdvanceBy(static_cast<Duration>(random.Below(3000)) *
                        kMillisecond);
    }
  }
  // Everyone leaves; every session expires.
  for (TestClient* connection : connections) {
    if (connection != nullptr && !connection->closed()) {
      connection->Receive();
      connection->Drop();
    }
  }
  harness.AdvanceBy(2 * kHour);
  RunResult run;
  for (const RecordedEvent& event : harness.events()) {
    run.events.push_back(std::to_string(event.time) + " " + ToString(event));
  }
  run.end = harness.broker().stats();
  return run;
}

void ExpectNothingLeft(const BrokerStats& stats) {
  EXPECT_EQ(stats.connections, 0u);
  EXPECT_EQ(stats.sessions, 0u);
  EXPECT_EQ(stats.subscriptions, 0u);
  EXPECT_EQ(stats.stored_messages, 0u);
  EXPECT_EQ(stats.timers, 0u);
}

TEST(RandomOperationsTest, LiftedRatesLeaveNothingBehindAndReplay) {
  uint64_t delivered = 0;
  uint64_t dropped = 0;
  uint64_t connects = 0;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    const RunResult first =
        RunRandomOperations(seed, /*rates_lifted=*/true, 1500);
    ExpectNothingLeft(first.end);
    delivered += first.end.messages_delivered;
    dropped += first.end.messages_dropped;
    connects += first.end.connects_accepted;
    const RunResult second =
        RunRandomOperations(seed, /*rates_lifted=*/true, 1500);
    ASSERT_EQ(first.events, second.events) << "seed " << seed;
  }
  // The operations do reach routing, not only refusals.
  EXPECT_GT(delivered, 1000u);
  EXPECT_GT(dropped, 100u);
  EXPECT_GT(connects, 500u);
}

TEST(RandomOperationsTest, EventGridRatesLeaveNothingBehind) {
  for (uint64_t seed = 100; seed < 108; ++seed) {
    ExpectNothingLeft(
        RunRandomOperations(seed, /*rates_lifted=*/false, 1500).end);
  }
}

}  // namespace
}  // namespace mqlab::broker::testing
