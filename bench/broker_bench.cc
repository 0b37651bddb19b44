// The broker core's speed and memory: PUBLISH in, routing, PUBLISH out, with
// 10,000 sessions, at QoS 0 and QoS 1 (subscribers acknowledging), 1:1 and
// 1:100 fan-out; and the heap an idle persistent session costs.
//
//   bazel run -c opt //bench:broker_bench
//
// Counters: messages/s (PUBLISHes routed), deliveries/s (PUBLISHes sent),
// heap_allocs per message (the global operator new below counts them:
// steady-state routing must make none), bytes_per_session (heap in use,
// mallinfo2, per idle session).
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <memory>
#include <new>
#include <span>
#include <string>
#include <vector>

#include "base/check.h"
#include "bench/heap_counter.h"
#include "broker/broker.h"
#include "mqtt/encoder.h"
#include "mqtt/packet.h"

namespace mqlab::broker {
namespace {

constexpr int kSessions = 10'000;
constexpr int kBatch = 1000;  // PUBLISHes per OnBytesReceived.

// Counts what the broker writes, and remembers the QoS 1 PUBLISHes sent to
// subscribers so that the benchmark can acknowledge them.
class CountingHost : public BrokerHost {
 public:
  void Send(ConnectionId connection, std::span<const uint8_t> bytes) override {
    bytes_ += bytes.size();
    // A whole PUBLISH (small payloads are sent in one piece): remember
    // its packet identifier when QoS 1.
    if ((bytes[0] & 0xF0) == 0x30) {
      ++publishes_;
      if ((bytes[0] & 0x06) == 0x02) {
        size_t at = 1;
        while (bytes[at] & 0x80) ++at;
        ++at;
        const size_t topic_length = (bytes[at] << 8) | bytes[at + 1];
        at += 2 + topic_length;
        to_acknowledge_.push_back(
            {connection,
             static_cast<uint16_t>((bytes[at] << 8) | bytes[at + 1])});
      }
    }
  }
  void Close(ConnectionId) override { ++closes_; }

  struct Delivery {
    ConnectionId connection;
    uint16_t packet_id;
  };
  std::vector<Delivery>& to_acknowledge() { return to_acknowledge_; }
  uint64_t publishes() const { return publishes_; }
  uint64_t closes() const { return closes_; }

 private:
  uint64_t bytes_ = 0;
  uint64_t publishes_ = 0;
  uint64_t closes_ = 0;
  std::vector<Delivery> to_acknowledge_;
};

std::string Name(const char* prefix, int i) {
  char text[32];
  std::snprintf(text, sizeof(text), "%s%06d", prefix, i);
  return text;
}

NamespaceConfig BenchNamespace(int clients) {
  NamespaceConfig config;
  config.allow_unauthenticated_username = true;
  config.limits.throughput_units = 2;  // 20,000 sessions and clients.
  config.limits.connects_per_second_per_unit = 10'000'000;
  config.limits.rate_limits_lifted = true;
  for (int i = 0; i < clients; ++i) {
    ClientResource client;
    client.name = Name("device-", i);
    config.clients.push_back(std::move(client));
  }
  config.topic_spaces = {{"everything", {"#"}, ""}};
  config.permission_bindings = {
      {"pub", "$all", "everything", Permission::kPublisher, ""},
      {"sub", "$all", "everything", Permission::kSubscriber, ""}};
  return config;
}

std::vector<uint8_t> Encode(const mqtt::Packet& packet) {
  std::vector<uint8_t> bytes;
  MQLAB_CHECK(mqtt::Encode(packet, mqtt::Version::kV5, &bytes));
  return bytes;
}

// A broker with `kSessions` subscriber sessions and one publisher.
struct Fixture {
  explicit Fixture(int fan_out, mqtt::Qos qos) : qos(qos) {
    broker =
        std::make_unique<Broker>(BenchNamespace(kSessions + 1), &host, nullptr);
    const int groups = kSessions / fan_out;
    for (int i = 0; i < kSessions; ++i) {
      const ConnectionId id = Connect(Name("device-", i), "s");
      const std::string filter = Name("groups/", i % groups) + "/commands";
      const mqtt::Subscription subscriptions[] = {
          {filter, {.maximum_qos = qos}}};
      broker->OnBytesReceived(
          id,
          Encode(mqtt::Subscribe{
              .packet_id = 1,
              .subscriptions = mqtt::Subscriptions::FromList(subscriptions)}),
          0);
    }
    publisher = Connect(Name("device-", kSessions), "p");
    // One batch of PUBLISHes cycling over the groups.
    const std::string payload(64, 'x');
    for (int i = 0; i < kBatch; ++i) {
      const std::string topic = Name("groups/", i % groups) + "/commands";
      mqtt::Publish publish{.qos = qos, .topic = topic};
      if (qos == mqtt::Qos::kAtLeastOnce) {
        publish.packet_id = static_cast<uint16_t>(i + 1);
      }
      publish.payload = mqtt::Bytes(
          reinterpret_cast<const uint8_t*>(payload.data()), payload.size());
      MQLAB_CHECK(mqtt::Encode(publish, mqtt::Version::kV5, &batch));
    }
    host.to_acknowledge().clear();
  }

  ConnectionId Connect(const std::string& client, const char* suffix) {
    const ConnectionId id = broker->OnConnectionOpened({}, 0);
    mqtt::Connect connect{.version = mqtt::Version::kV5, .keep_alive = 60};
    const std::string client_id = client + suffix;
    connect.client_id = client_id;
    connect.username = client;
    broker->OnBytesReceived(id, Encode(connect), 0);
    return id;
  }

  // Routes one batch; at QoS 1 the subscribers then acknowledge.
  void RouteBatch() {
    broker->OnBytesReceived(publisher, batch, 0);
    if (qos == mqtt::Qos::kAtLeastOnce) {
      uint8_t puback[4] = {0x40, 0x02, 0, 0};
      for (const CountingHost::Delivery& delivery : host.to_acknowledge()) {
        puback[2] = static_cast<uint8_t>(delivery.packet_id >> 8);
        puback[3] = static_cast<uint8_t>(delivery.packet_id);
        broker->OnBytesReceived(delivery.connection, puback, 0);
      }
      host.to_acknowledge().clear();
    }
  }

  mqtt::Qos qos;
  CountingHost host;
  std::unique_ptr<Broker> broker;
  ConnectionId publisher = 0;
  std::vector<uint8_t> batch;
};

void BM_Route(benchmark::State& state) {
  const int fan_out = static_cast<int>(state.range(0));
  const auto qos = static_cast<mqtt::Qos>(state.range(1));
  Fixture fixture(fan_out, qos);
  fixture.RouteBatch();  // Warm up: buffers and pools reach their size.
  const uint64_t delivered_before = fixture.host.publishes();
  const uint64_t allocations_before = bench::HeapAllocations();
  for (auto _ : state) fixture.RouteBatch();
  const uint64_t messages = static_cast<uint64_t>(state.iterations()) * kBatch;
  const uint64_t deliveries = fixture.host.publishes() - delivered_before;
  MQLAB_CHECK(deliveries == messages * static_cast<uint64_t>(fan_out));
  MQLAB_CHECK(fixture.host.closes() == 0);
  state.counters["messages/s"] = benchmark::Counter(
      static_cast<double>(messages), benchmark::Counter::kIsRate);
  state.counters["deliveries/s"] = benchmark::Counter(
      static_cast<double>(deliveries), benchmark::Counter::kIsRate);
  state.counters["heap_allocs"] = benchmark::Counter(
      static_cast<double>(bench::HeapAllocations() - allocations_before) /
      static_cast<double>(messages));
}
BENCHMARK(BM_Route)
    ->ArgNames({"fan_out", "qos"})
    ->Args({1, 0})
    ->Args({1, 1})
    ->Args({100, 0})
    ->Args({100, 1})
    ->Unit(benchmark::kMillisecond);

// Heap per idle persistent session: 10,000 sessions, each with one
// subscription of its own, connected, subscribed, then disconnected.
void BM_IdleSessionMemory(benchmark::State& state) {
  for (auto _ : state) {
    CountingHost host;
    Broker broker(BenchNamespace(kSessions), &host, nullptr);
    const size_t before = mallinfo2().uordblks;
    for (int i = 0; i < kSessions; ++i) {
      const std::string client = Name("device-", i);
      const ConnectionId id = broker.OnConnectionOpened({}, 0);
      mqtt::Connect connect{.version = mqtt::Version::kV5, .keep_alive = 60};
      const std::string client_id = client + "-session";
      connect.client_id = client_id;
      connect.username = client;
      connect.properties.session_expiry_interval = 3600;
      broker.OnBytesReceived(id, Encode(connect), 0);
      const std::string filter = "devices/" + client + "/commands/#";
      const mqtt::Subscription subscriptions[] = {
          {filter, {.maximum_qos = mqtt::Qos::kAtLeastOnce}}};
      broker.OnBytesReceived(
          id,
          Encode(mqtt::Subscribe{
              .packet_id = 1,
              .subscriptions = mqtt::Subscriptions::FromList(subscriptions)}),
          0);
      broker.OnConnectionClosed(id, 0);
    }
    const size_t after = mallinfo2().uordblks;
    MQLAB_CHECK(broker.stats().sessions == kSessions);
    MQLAB_CHECK(broker.stats().connections == 0);
    state.counters["bytes_per_session"] =
        static_cast<double>(after - before) / kSessions;
  }
}
BENCHMARK(BM_IdleSessionMemory)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace mqlab::broker
