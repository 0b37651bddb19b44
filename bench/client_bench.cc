// Client speed and size: the per-message cost of the publish (encode) and
// receive (decode, deliver, acknowledge) paths through a connected Client,
// and the memory an idle connected client holds. Every speed benchmark
// reports heap_allocs, the heap allocations per message counted by the
// global operator new below: the steady state makes none. The memory
// benchmarks report sizeof(Client) and the heap bytes a client keeps.
//
//   bazel run -c opt //bench:client_bench
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <memory>
#include <new>
#include <string>
#include <vector>

#include "base/check.h"
#include "base/random.h"
#include "bench/heap_counter.h"
#include "client/client.h"
#include "mqtt/encoder.h"
#include "mqtt/packet.h"
#include "mqtt/varint.h"

namespace mqlab::client {
namespace {

using mqtt::Qos;

mqtt::Bytes AsBytes(std::string_view text) {
  return mqtt::Bytes(reinterpret_cast<const uint8_t*>(text.data()),
                     text.size());
}

// A transport that drops what it is given. It remembers the Packet
// Identifier of the last packet (a QoS 1 PUBLISH, a SUBSCRIBE) so that the
// benchmark can answer it.
class SinkHost : public ClientHost {
 public:
  void OpenConnection() override {}
  void Send(std::span<const uint8_t> bytes) override {
    bytes_ += bytes.size();
    const mqtt::VarintDecoding length =
        mqtt::DecodeVarint(bytes.data() + 1, bytes.size() - 1);
    const uint8_t* body = bytes.data() + 1 + length.size;
    switch (bytes[0] >> 4) {
      case 3: {  // PUBLISH: after the topic.
        const size_t topic_size = (size_t{body[0]} << 8) | body[1];
        last_packet_id_ = static_cast<uint16_t>((body[2 + topic_size] << 8) |
                                                body[3 + topic_size]);
        break;
      }
      case 8:  // SUBSCRIBE: first.
        last_packet_id_ = static_cast<uint16_t>((body[0] << 8) | body[1]);
        break;
    }
  }
  void Close() override {}
  uint16_t last_packet_id() const { return last_packet_id_; }

 private:
  uint64_t bytes_ = 0;
  uint16_t last_packet_id_ = 0;
};

// What the simulator's telemetry clients look like: 32-byte topic, 100-byte
// payload, a content type and an expiry.
struct Telemetry {
  std::string topic = "vehicles/vehicle0001/position/gp";
  std::string payload = std::string(100, 'p');
  ApplicationMessage Message(Qos qos) const {
    ApplicationMessage m{
        .topic = topic, .payload = AsBytes(payload), .qos = qos};
    m.content_type = "application/json";
    m.message_expiry_interval = 300;
    return m;
  }
};

std::vector<uint8_t> Encoded(const mqtt::Packet& packet) {
  std::vector<uint8_t> bytes;
  MQLAB_CHECK(mqtt::Encode(packet, mqtt::Version::kV5, &bytes));
  return bytes;
}

// A client connected to a server that allows what Event Grid allows.
struct ConnectedClient {
  explicit ConnectedClient(const ClientOptions& options = {})
      : random(1), client(options, &host, nullptr, &random) {
    MQLAB_CHECK(client.Connect({.client_id = "vehicle0001"}, 0).ok());
    client.OnConnected(0);
    mqtt::Connack connack;
    connack.properties.receive_maximum = 1000;
    connack.properties.maximum_packet_size = 512 * 1024;
    connack.properties.topic_alias_maximum = 10;
    connack.properties.maximum_qos = 1;
    connack.properties.retain_available = 0;
    const std::vector<uint8_t> bytes = Encoded(connack);
    client.OnBytesReceived(bytes, 0);
    MQLAB_CHECK(client.connected());
  }
  SinkHost host;
  Random random;
  Client client;
};

void ReportAllocations(benchmark::State& state, uint64_t before) {
  state.counters["heap_allocs"] =
      benchmark::Counter(static_cast<double>(bench::HeapAllocations() - before),
                         benchmark::Counter::kAvgIterations);
}

void BM_PublishQos0(benchmark::State& state, TopicAliasPolicy policy) {
  ClientOptions options;
  options.topic_alias_policy = policy;
  ConnectedClient c(options);
  const Telemetry telemetry;
  const ApplicationMessage message = telemetry.Message(Qos::kAtMostOnce);
  c.client.Publish(message, 0);  // Warm the buffers.
  const uint64_t before = bench::HeapAllocations();
  for (auto _ : state) {
    const PublishResult result = c.client.Publish(message, 0);
    benchmark::DoNotOptimize(result);
  }
  ReportAllocations(state, before);
  MQLAB_CHECK(c.client.stats().qos0_sent ==
              static_cast<uint64_t>(state.iterations()) + 1);
}

// One QoS 1 message through the client: Publish (encode into the queue,
// send) and the PUBACK that completes it (decode, find, release).
void BM_PublishQos1Acknowledged(benchmark::State& state,
                                TopicAliasPolicy policy) {
  ClientOptions options;
  options.topic_alias_policy = policy;
  ConnectedClient c(options);
  const Telemetry telemetry;
  const ApplicationMessage message = telemetry.Message(Qos::kAtLeastOnce);
  std::vector<uint8_t> puback = Encoded(mqtt::Puback{.packet_id = 1});
  auto answer = [&] {
    const uint16_t id = c.host.last_packet_id();
    puback[2] = static_cast<uint8_t>(id >> 8);
    puback[3] = static_cast<uint8_t>(id);
    c.client.OnBytesReceived(puback, 0);
  };
  c.client.Publish(message, 0);
  answer();
  const uint64_t before = bench::HeapAllocations();
  for (auto _ : state) {
    c.client.Publish(message, 0);
    answer();
  }
  ReportAllocations(state, before);
  MQLAB_CHECK(c.client.pending_publishes() == 0);
  MQLAB_CHECK(c.client.stats().qos1_acknowledged ==
              static_cast<uint64_t>(state.iterations()) + 1);
}

// Incoming messages, 64 per buffer as a network read delivers them.
void BM_Receive(benchmark::State& state, Qos qos) {
  ConnectedClient c;
  const Telemetry telemetry;
  std::vector<uint8_t> stream;
  constexpr int kPerBuffer = 64;
  for (int i = 0; i < kPerBuffer; ++i) {
    mqtt::Publish publish{
        .qos = qos,
        .topic = telemetry.topic,
        .packet_id = static_cast<uint16_t>(qos == Qos::kAtMostOnce ? 0 : i + 1),
        .payload = AsBytes(telemetry.payload)};
    publish.properties.content_type = "application/json";
    MQLAB_CHECK(mqtt::Encode(publish, mqtt::Version::kV5, &stream));
  }
  c.client.OnBytesReceived(stream, 0);
  const uint64_t before = bench::HeapAllocations();
  for (auto _ : state) {
    c.client.OnBytesReceived(stream, 0);
  }
  state.SetItemsProcessed(state.iterations() * kPerBuffer);
  state.counters["heap_allocs"] = benchmark::Counter(
      static_cast<double>(bench::HeapAllocations() - before) /
          static_cast<double>(kPerBuffer),
      benchmark::Counter::kAvgIterations);
  MQLAB_CHECK(c.client.stats().messages_received ==
              (static_cast<uint64_t>(state.iterations()) + 1) * kPerBuffer);
}

// The memory of `kClients` idle connected clients, per client: sizeof and
// the heap bytes each keeps (buffers, the CONNECT kept for reconnection,
// the decoder). With `traffic`, each first published a QoS 1 message
// (acknowledged), received one, and holds one subscription.
void BM_IdleClientMemory(benchmark::State& state, bool traffic) {
  constexpr int kClients = 1000;
  const Telemetry telemetry;
  for (auto _ : state) {
    const int64_t before = bench::HeapBytesInUse();
    std::vector<std::unique_ptr<ConnectedClient>> clients;
    clients.reserve(kClients);
    const int64_t vector_bytes = bench::HeapBytesInUse() - before;
    for (int i = 0; i < kClients; ++i) {
      auto c = std::make_unique<ConnectedClient>();
      if (traffic) {
        c->client.Publish(telemetry.Message(Qos::kAtLeastOnce), 0);
        c->client.OnBytesReceived(
            Encoded(mqtt::Puback{.packet_id = c->host.last_packet_id()}), 0);
        const mqtt::Subscription filter[] = {
            {.topic_filter = "vehicles/+/alerts",
             .options = {.maximum_qos = Qos::kAtLeastOnce}}};
        c->client.Subscribe({.subscriptions = filter}, 0);
        const uint8_t granted[] = {0x01};
        c->client.OnBytesReceived(
            Encoded(mqtt::Suback{.packet_id = c->host.last_packet_id(),
                                 .reason_codes = granted}),
            0);
        MQLAB_CHECK(c->client.subscriptions().size() == 1);
        mqtt::Publish incoming{.qos = Qos::kAtLeastOnce,
                               .topic = "vehicles/v2/alerts",
                               .packet_id = 1,
                               .payload = AsBytes(telemetry.payload)};
        c->client.OnBytesReceived(Encoded(incoming), 0);
      }
      clients.push_back(std::move(c));
    }
    const int64_t total =
        bench::HeapBytesInUse() - before - vector_bytes -
        kClients * static_cast<int64_t>(malloc_usable_size(clients[0].get()));
    state.counters["sizeof_client"] = sizeof(Client);
    state.counters["heap_bytes_per_client"] =
        static_cast<double>(total) / kClients;
    state.counters["bytes_per_client"] =
        static_cast<double>(sizeof(Client) + total / kClients);
  }
}

BENCHMARK_CAPTURE(BM_PublishQos0, no_alias, TopicAliasPolicy::kNone);
BENCHMARK_CAPTURE(BM_PublishQos0, topic_alias, TopicAliasPolicy::kFirstCome);
BENCHMARK_CAPTURE(BM_PublishQos1Acknowledged, no_alias,
                  TopicAliasPolicy::kNone);
BENCHMARK_CAPTURE(BM_PublishQos1Acknowledged, topic_alias,
                  TopicAliasPolicy::kFirstCome);
BENCHMARK_CAPTURE(BM_Receive, qos0, Qos::kAtMostOnce);
BENCHMARK_CAPTURE(BM_Receive, qos1, Qos::kAtLeastOnce);
BENCHMARK_CAPTURE(BM_IdleClientMemory, connected, false)->Iterations(1);
BENCHMARK_CAPTURE(BM_IdleClientMemory, after_traffic, true)->Iterations(1);

}  // namespace
}  // namespace mqlab::client
