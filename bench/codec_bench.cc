// Codec speed: decode and encode of the packets the broker sees most. Every
// benchmark reports heap_allocs, the heap allocations per iteration counted
// by the global operator new below: decoding must make none.
//
//   bazel run -c opt //bench:codec_bench
#include <benchmark/benchmark.h>

#include <new>
#include <string>
#include <vector>

#include "base/check.h"
#include "bench/heap_counter.h"
#include "mqtt/decoder.h"
#include "mqtt/encoder.h"
#include "mqtt/packet.h"

namespace mqlab::mqtt {
namespace {

Bytes AsBytes(std::string_view text) {
  return Bytes(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

// The packets, with the storage they refer to.
struct Workload {
  std::string topic = std::string(32, 't');
  std::string small_payload = std::string(100, 'p');
  std::string large_payload = std::string(64 * 1024, 'P');
  std::vector<std::string> filters;
  std::vector<Subscription> subscriptions;
  UserProperty user_properties[1] = {{"trace", "00-4bf92f3577b34da6-01"}};

  Workload() {
    for (int i = 0; i < 10; ++i) {
      filters.push_back("vehicles/+/sensor" + std::to_string(i) + "/#");
    }
    for (const std::string& filter : filters) {
      subscriptions.push_back({filter, {.maximum_qos = Qos::kAtLeastOnce}});
    }
  }

  // 32-byte topic, 3 properties, 100-byte payload.
  Publish SmallPublish() const {
    Publish p{.qos = Qos::kAtLeastOnce, .packet_id = 42};
    p.topic = topic;
    p.properties.content_type = "application/json";
    p.properties.message_expiry_interval = 300;
    p.properties.user_properties = UserProperties::FromList(user_properties);
    p.payload = AsBytes(small_payload);
    return p;
  }
  Publish LargePublish() const {
    Publish p = SmallPublish();
    p.payload = AsBytes(large_payload);
    return p;
  }
  Connect ConnectWithWill() const {
    Connect c{.version = Version::kV5, .keep_alive = 60};
    c.client_id = "vehicle01-session";
    c.username = "vehicle01";
    c.properties.session_expiry_interval = 3600;
    c.properties.receive_maximum = 100;
    c.properties.maximum_packet_size = 512 * 1024;
    Will& will = c.will.emplace();
    will.qos = Qos::kAtLeastOnce;
    will.topic = "vehicles/vehicle01/status";
    will.payload = AsBytes("offline");
    will.properties.will_delay_interval = 10;
    will.properties.content_type = "text/plain";
    return c;
  }
  Subscribe TenFilters() const {
    return Subscribe{.packet_id = 7,
                     .subscriptions = Subscriptions::FromList(subscriptions)};
  }
};

const Workload& TheWorkload() {
  static const Workload* workload = new Workload();
  return *workload;
}

void ReportAllocations(benchmark::State& state, uint64_t before) {
  state.counters["heap_allocs"] =
      benchmark::Counter(static_cast<double>(bench::HeapAllocations() - before),
                         benchmark::Counter::kAvgIterations);
}

void BM_Decode(benchmark::State& state, const Packet& packet) {
  std::vector<uint8_t> bytes;
  MQLAB_CHECK(Encode(packet, Version::kV5, &bytes));
  Decoder decoder({.version = Version::kV5});
  Packet decoded;
  DecodeError error;
  const uint64_t before = bench::HeapAllocations();
  for (auto _ : state) {
    Bytes input = bytes;
    const Decoder::Status status = decoder.Next(&input, &decoded, &error);
    benchmark::DoNotOptimize(status);
    benchmark::DoNotOptimize(decoded);
  }
  ReportAllocations(state, before);
  MQLAB_CHECK(decoded == packet);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(bytes.size()));
}

void BM_Encode(benchmark::State& state, const Packet& packet) {
  std::vector<uint8_t> out;
  out.reserve(*EncodedSize(packet, Version::kV5));
  const uint64_t before = bench::HeapAllocations();
  for (auto _ : state) {
    out.clear();
    const bool ok = Encode(packet, Version::kV5, &out);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out.data());
  }
  ReportAllocations(state, before);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(out.size()));
}

// The PUBLISH header alone, as a driver sending the payload from where it
// lies (scatter/gather) encodes it.
void BM_EncodePublishHeader(benchmark::State& state, const Publish& publish) {
  std::vector<uint8_t> out;
  out.reserve(256);
  const uint64_t before = bench::HeapAllocations();
  for (auto _ : state) {
    out.clear();
    const bool ok = EncodePublishHeader(publish, Version::kV5, &out);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out.data());
  }
  ReportAllocations(state, before);
}

BENCHMARK_CAPTURE(BM_Decode, small_publish,
                  Packet(TheWorkload().SmallPublish()));
BENCHMARK_CAPTURE(BM_Decode, publish_64k, Packet(TheWorkload().LargePublish()));
BENCHMARK_CAPTURE(BM_Decode, connect_with_will,
                  Packet(TheWorkload().ConnectWithWill()));
BENCHMARK_CAPTURE(BM_Decode, subscribe_10_filters,
                  Packet(TheWorkload().TenFilters()));
BENCHMARK_CAPTURE(BM_Encode, small_publish,
                  Packet(TheWorkload().SmallPublish()));
BENCHMARK_CAPTURE(BM_Encode, publish_64k, Packet(TheWorkload().LargePublish()));
BENCHMARK_CAPTURE(BM_Encode, connect_with_will,
                  Packet(TheWorkload().ConnectWithWill()));
BENCHMARK_CAPTURE(BM_Encode, subscribe_10_filters,
                  Packet(TheWorkload().TenFilters()));
BENCHMARK_CAPTURE(BM_EncodePublishHeader, publish_64k,
                  TheWorkload().LargePublish());

}  // namespace
}  // namespace mqlab::mqtt
