#include "sim/network.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/random.h"
#include "sim/scheduler.h"
#include "sim/trace.h"

namespace mqlab::sim {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Everything an endpoint is told, with the virtual time it was told.
class RecordingEndpoint : public Endpoint {
 public:
  explicit RecordingEndpoint(Scheduler* scheduler) : scheduler_(scheduler) {}

  void OnConnected(SocketId socket) override {
    socket_ = socket;
    connected_at = scheduler_->now();
  }
  void OnBytes(SocketId socket, std::span<const uint8_t> bytes) override {
    EXPECT_EQ(socket, socket_);
    received.append(bytes.begin(), bytes.end());
    delivery_times.push_back(scheduler_->now());
    delivery_sizes.push_back(bytes.size());
  }
  void OnClosed(SocketId socket, CloseReason reason) override {
    EXPECT_EQ(socket, socket_);
    EXPECT_FALSE(closed.has_value()) << "told closed twice";
    closed = reason;
    closed_at = scheduler_->now();
  }
  void OnWriteBlocked(SocketId socket, bool blocked) override {
    EXPECT_EQ(socket, socket_);
    blocked_changes.push_back(blocked);
    blocked_times.push_back(scheduler_->now());
  }

  void set_socket(SocketId socket) { socket_ = socket; }
  SocketId socket() const { return socket_; }

  Time connected_at = -1;
  std::string received;
  std::vector<Time> delivery_times;
  std::vector<size_t> delivery_sizes;
  std::optional<CloseReason> closed;
  Time closed_at = -1;
  std::vector<bool> blocked_changes;
  std::vector<Time> blocked_times;

 private:
  Scheduler* scheduler_;
  SocketId socket_;
};

// Accepts every connection with a fresh RecordingEndpoint (or refuses all).
class RecordingListener : public Listener {
 public:
  explicit RecordingListener(Scheduler* scheduler) : scheduler_(scheduler) {}

  Endpoint* OnAccept(SocketId socket, HostId peer, uint64_t tag) override {
    accepted_at.push_back(scheduler_->now());
    peers.push_back(peer);
    tags.push_back(tag);
    if (refuse) return nullptr;
    auto endpoint = std::make_unique<RecordingEndpoint>(scheduler_);
    endpoint->set_socket(socket);
    endpoints.push_back(std::move(endpoint));
    return endpoints.back().get();
  }

  bool refuse = false;
  std::vector<Time> accepted_at;
  std::vector<HostId> peers;
  std::vector<uint64_t> tags;
  std::vector<std::unique_ptr<RecordingEndpoint>> endpoints;

 private:
  Scheduler* scheduler_;
};

std::span<const uint8_t> Bytes(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

LinkProfile FixedLink(Duration latency) {
  LinkProfile link;
  link.latency = LatencyModel::Fixed(latency);
  link.split_chance = 0;
  return link;
}

// A client host and a server host on fixed links, and helpers to connect.
class NetworkTest : public ::testing::Test {
 protected:
  void Build(NetworkOptions options = {},
             LinkProfile client_link = FixedLink(10 * kMillisecond),
             LinkProfile server_link = FixedLink(0)) {
    network_ = std::make_unique<Network>(&scheduler_, 7, options, &trace_);
    client_host_ = *network_->AddHost("client", client_link);
    server_host_ = *network_->AddHost("server", server_link);
    network_->Listen(server_host_, &listener_);
  }

  // Connects a new client endpoint and runs until the handshake is over.
  RecordingEndpoint* ConnectClient(uint64_t tag = 0) {
    clients_.push_back(std::make_unique<RecordingEndpoint>(&scheduler_));
    RecordingEndpoint* client = clients_.back().get();
    const absl::StatusOr<SocketId> socket =
        network_->Connect(client_host_, server_host_, client, tag);
    EXPECT_TRUE(socket.ok());
    client->set_socket(*socket);
    return client;
  }

  void RunFor(Duration duration) {
    ASSERT_TRUE(scheduler_.RunUntil(scheduler_.now() + duration).ok());
  }

  Scheduler scheduler_;
  Trace trace_;
  std::unique_ptr<Network> network_;
  RecordingListener listener_{&scheduler_};
  std::vector<std::unique_ptr<RecordingEndpoint>> clients_;
  HostId client_host_ = 0;
  HostId server_host_ = 0;
};

TEST_F(NetworkTest, HandshakeAndDeliveryFollowTheLatencyArithmetic) {
  Build();  // 10 ms one way; TLS adds one round trip.
  RecordingEndpoint* client = ConnectClient(/*tag=*/42);
  RunFor(kSecond);
  // Request: one way + one round trip = 30 ms; the news: 10 ms more.
  ASSERT_EQ(listener_.accepted_at.size(), 1u);
  EXPECT_EQ(listener_.accepted_at[0], 30 * kMillisecond);
  EXPECT_EQ(listener_.tags[0], 42u);
  EXPECT_EQ(listener_.peers[0], client_host_);
  EXPECT_EQ(client->connected_at, 40 * kMillisecond);
  EXPECT_TRUE(network_->IsOpen(client->socket()));

  const Time sent_at = scheduler_.now();
  EXPECT_TRUE(network_->Send(client->socket(), Bytes("hello")));
  RunFor(kSecond);
  RecordingEndpoint* server = listener_.endpoints[0].get();
  EXPECT_EQ(server->received, "hello");
  EXPECT_THAT(server->delivery_times, ElementsAre(sent_at + 10 * kMillisecond));
  EXPECT_EQ(network_->host_of(server->socket()), server_host_);
  EXPECT_EQ(server->socket().peer(), client->socket());
  EXPECT_TRUE(server->socket().is_acceptor());
}

TEST_F(NetworkTest, BandwidthSerialisesSegments) {
  LinkProfile client_link = FixedLink(5 * kMillisecond);
  client_link.bandwidth_bytes_per_second = 1000;
  client_link.max_segment_bytes = 100;
  Build({}, client_link);
  RecordingEndpoint* client = ConnectClient();
  RunFor(kSecond);
  const Time start = scheduler_.now();
  network_->Send(client->socket(), Bytes(std::string(300, 'x')));
  RunFor(kSecond);
  RecordingEndpoint* server = listener_.endpoints[0].get();
  // 100 bytes at 1000 B/s take 100 ms each, then 5 ms on the way.
  EXPECT_THAT(server->delivery_times, ElementsAre(start + 105 * kMillisecond,
                                                  start + 205 * kMillisecond,
                                                  start + 305 * kMillisecond));
  EXPECT_THAT(server->delivery_sizes, ElementsAre(100u, 100u, 100u));
}

TEST_F(NetworkTest, WritesInTheSameInstantCoalesce) {
  Build();
  RecordingEndpoint* client = ConnectClient();
  RunFor(kSecond);
  network_->Send(client->socket(), Bytes("ab"));
  network_->Send(client->socket(), Bytes("cd"));
  network_->Send(client->socket(), Bytes("ef"));
  RunFor(kSecond);
  RecordingEndpoint* server = listener_.endpoints[0].get();
  EXPECT_EQ(server->received, "abcdef");
  EXPECT_THAT(server->delivery_sizes, ElementsAre(6u));
}

TEST_F(NetworkTest, SameInstantWritesFillASegmentOnTheWireThenStartTheNext) {
  LinkProfile client_link = FixedLink(5 * kMillisecond);
  client_link.bandwidth_bytes_per_second = 1000;
  client_link.max_segment_bytes = 100;
  Build({}, client_link);
  RecordingEndpoint* client = ConnectClient();
  RunFor(kSecond);
  const Time start = scheduler_.now();
  // The first write goes on the wire at once; the second joins its segment
  // (80 bytes take 80 ms); the third fills it to 100 and starts another.
  network_->Send(client->socket(), Bytes(std::string(50, 'a')));
  network_->Send(client->socket(), Bytes(std::string(30, 'b')));
  network_->Send(client->socket(), Bytes(std::string(40, 'c')));
  RunFor(kSecond);
  RecordingEndpoint* server = listener_.endpoints[0].get();
  EXPECT_EQ(server->received,
            std::string(50, 'a') + std::string(30, 'b') + std::string(40, 'c'));
  EXPECT_THAT(server->delivery_times, ElementsAre(start + 105 * kMillisecond,
                                                  start + 125 * kMillisecond));
  EXPECT_THAT(server->delivery_sizes, ElementsAre(100u, 20u));
}

TEST_F(NetworkTest, AWriteOnAnIdleConnectionTakesOneEventToArrive) {
  Build();
  RecordingEndpoint* client = ConnectClient();
  RunFor(kSecond);
  const uint64_t events_before = scheduler_.events_run();
  network_->Send(client->socket(), Bytes("ping"));
  RunFor(kSecond);
  EXPECT_EQ(listener_.endpoints[0]->received, "ping");
  EXPECT_EQ(scheduler_.events_run() - events_before, 1u);
}

TEST_F(NetworkTest, BytesWrittenWhileConnectingFollowTheHandshake) {
  Build();
  RecordingEndpoint* client = ConnectClient();
  EXPECT_TRUE(network_->Send(client->socket(), Bytes("early")));
  RunFor(kSecond);
  RecordingEndpoint* server = listener_.endpoints[0].get();
  EXPECT_EQ(server->received, "early");
  EXPECT_EQ(server->delivery_times[0],
            client->connected_at + 10 * kMillisecond);
}

// Property: whatever the segmentation, latency jitter and write pattern,
// each direction delivers exactly the bytes written, in order, and the
// stream really is cut and merged at arbitrary points.
TEST(NetworkPropertyTest, StreamsStayOrderedUnderRandomSegmentation) {
  size_t splits_seen = 0;
  size_t merges_seen = 0;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    Scheduler scheduler;
    Network network(&scheduler, seed, NetworkOptions{}, nullptr);
    LinkProfile jittery;
    jittery.latency =
        LatencyModel::LogNormal(kMillisecond, 20 * kMillisecond, 0.8, kSecond);
    jittery.max_segment_bytes = 64;
    jittery.split_chance = 0.5;
    const HostId a = *network.AddHost("a", jittery);
    const HostId b = *network.AddHost("b", jittery);
    RecordingListener listener(&scheduler);
    network.Listen(b, &listener);
    RecordingEndpoint client(&scheduler);
    client.set_socket(*network.Connect(a, b, &client, 0));
    ASSERT_TRUE(scheduler.RunUntil(10 * kSecond).ok());
    ASSERT_EQ(listener.endpoints.size(), 1u);
    RecordingEndpoint* server = listener.endpoints[0].get();

    Random random(seed * 1000);
    std::string to_server, to_client;
    std::set<size_t> write_ends;  // Stream offsets where a write ended.
    for (int i = 0; i < 200; ++i) {
      std::string chunk(1 + random.Below(300), '\0');
      for (char& ch : chunk) ch = static_cast<char>(random.Below(256));
      const bool from_client = random.Chance(0.6);
      const Time at = scheduler.now() + random.Between(0, 5 * kMillisecond);
      ASSERT_TRUE(scheduler.RunUntil(at).ok());
      if (from_client) {
        network.Send(client.socket(), Bytes(chunk));
        to_server += chunk;
        write_ends.insert(to_server.size());
      } else {
        network.Send(server->socket(), Bytes(chunk));
        to_client += chunk;
      }
    }
    ASSERT_TRUE(scheduler.RunUntil(scheduler.now() + 60 * kSecond).ok());
    ASSERT_EQ(server->received, to_server) << "seed " << seed;
    ASSERT_EQ(client.received, to_client) << "seed " << seed;
    // A delivery that ends inside a write split it; one that spans a write's
    // end and goes on merged two writes.
    size_t offset = 0;
    for (size_t size : server->delivery_sizes) {
      const auto next_end = write_ends.upper_bound(offset);
      if (next_end != write_ends.end() && *next_end < offset + size) {
        ++merges_seen;
      }
      offset += size;
      if (!write_ends.contains(offset)) ++splits_seen;
    }
  }
  EXPECT_GT(splits_seen, 200u);
  EXPECT_GT(merges_seen, 100u);
}

TEST_F(NetworkTest, OrderlyCloseDeliversEverythingThenTellsThePeer) {
  Build();
  RecordingEndpoint* client = ConnectClient();
  RunFor(kSecond);
  network_->Send(client->socket(), Bytes("last words"));
  network_->Close(client->socket());
  EXPECT_FALSE(network_->Send(client->socket(), Bytes("more")));
  RunFor(kSecond);
  RecordingEndpoint* server = listener_.endpoints[0].get();
  EXPECT_EQ(server->received, "last words");
  EXPECT_EQ(server->closed, CloseReason::kPeerClosed);
  EXPECT_GE(server->closed_at, server->delivery_times.back());
  EXPECT_FALSE(client->closed.has_value());  // The closer is told nothing.
  EXPECT_EQ(network_->live_connections(), 0u);
}

TEST_F(NetworkTest, AnEndpointMayCloseFromInsideOnBytes) {
  Build();
  class Closer : public RecordingEndpoint {
   public:
    Closer(Scheduler* scheduler, Network** network)
        : RecordingEndpoint(scheduler), network_(network) {}
    void OnBytes(SocketId socket, std::span<const uint8_t> bytes) override {
      RecordingEndpoint::OnBytes(socket, bytes);
      (*network_)->Send(socket, Bytes("bye"));
      (*network_)->Close(socket);
    }
    Network** network_;
  };
  Network* network = network_.get();
  Closer client(&scheduler_, &network);
  client.set_socket(*network_->Connect(client_host_, server_host_, &client, 0));
  RunFor(kSecond);
  RecordingEndpoint* server = listener_.endpoints[0].get();
  network_->Send(server->socket(), Bytes("hi"));
  RunFor(kSecond);
  EXPECT_EQ(client.received, "hi");
  EXPECT_EQ(server->received, "bye");
  EXPECT_EQ(server->closed, CloseReason::kPeerClosed);
}

TEST_F(NetworkTest, ANetworkResetTellsBothEnds) {
  Build();
  RecordingEndpoint* client = ConnectClient();
  RunFor(kSecond);
  network_->Send(client->socket(), Bytes("in flight"));
  const Time reset_at = scheduler_.now();
  network_->ResetHostConnections(client_host_);
  RunFor(kSecond);
  RecordingEndpoint* server = listener_.endpoints[0].get();
  EXPECT_EQ(client->closed, CloseReason::kReset);
  EXPECT_EQ(server->closed, CloseReason::kReset);
  EXPECT_EQ(client->closed_at, reset_at);
  EXPECT_EQ(server->closed_at, reset_at);
  EXPECT_EQ(server->received, "");  // Dropped with the connection.
  EXPECT_EQ(network_->stats().resets, 2u);
  EXPECT_EQ(network_->live_connections(), 0u);
}

TEST_F(NetworkTest, AnAbortTellsOnlyThePeerOneLatencyLater) {
  Build();
  RecordingEndpoint* client = ConnectClient();
  RunFor(kSecond);
  RecordingEndpoint* server = listener_.endpoints[0].get();
  const Time reset_at = scheduler_.now();
  network_->Reset(server->socket());
  RunFor(kSecond);
  EXPECT_EQ(client->closed, CloseReason::kReset);
  EXPECT_EQ(client->closed_at, reset_at + 10 * kMillisecond);
  EXPECT_FALSE(server->closed.has_value());
}

TEST_F(NetworkTest, AnAbortedHostsPeersAreResetAndItsEndsForgotten) {
  Build();
  RecordingEndpoint* first = ConnectClient();
  RecordingEndpoint* second = ConnectClient();
  RunFor(kSecond);
  const Time abort_at = scheduler_.now();
  network_->AbortHost(server_host_);
  RunFor(kSecond);
  EXPECT_EQ(first->closed, CloseReason::kReset);
  EXPECT_EQ(second->closed, CloseReason::kReset);
  EXPECT_EQ(first->closed_at, abort_at + 10 * kMillisecond);
  for (const auto& server : listener_.endpoints) {
    EXPECT_FALSE(server->closed.has_value());
  }
  EXPECT_EQ(network_->live_connections(), 0u);
}

TEST_F(NetworkTest, HalfOpenConnectionsLoseBytesSilently) {
  Build();
  RecordingEndpoint* client = ConnectClient();
  RunFor(kSecond);
  RecordingEndpoint* server = listener_.endpoints[0].get();
  network_->HalfOpenHostConnections(client_host_);
  EXPECT_TRUE(network_->Send(client->socket(), Bytes("ping")));
  EXPECT_TRUE(network_->Send(server->socket(), Bytes("pong")));
  RunFor(10 * kMinute);
  EXPECT_EQ(server->received, "");
  EXPECT_EQ(client->received, "");
  EXPECT_FALSE(client->closed.has_value());
  EXPECT_FALSE(server->closed.has_value());
  EXPECT_TRUE(network_->IsOpen(client->socket()));
  // Each end gives up by itself (its keep-alive); the other hears nothing.
  network_->Close(server->socket());
  RunFor(kMinute);
  EXPECT_FALSE(client->closed.has_value());
  network_->Close(client->socket());
  EXPECT_EQ(network_->live_connections(), 0u);
}

TEST_F(NetworkTest, AnAbandonedEndLeavesItsPeerHalfOpen) {
  Build();
  RecordingEndpoint* client = ConnectClient();
  RunFor(kSecond);
  RecordingEndpoint* server = listener_.endpoints[0].get();
  network_->Abandon(client->socket());
  network_->Send(server->socket(), Bytes("anyone?"));
  RunFor(10 * kMinute);
  EXPECT_FALSE(server->closed.has_value());
  EXPECT_TRUE(network_->IsOpen(server->socket()));
  EXPECT_EQ(client->received, "");
}

TEST_F(NetworkTest, APartitionHoldsBytesUntilItHeals) {
  Build();
  RecordingEndpoint* client = ConnectClient();
  RunFor(kSecond);
  RecordingEndpoint* server = listener_.endpoints[0].get();
  const std::vector<HostId> a = {client_host_};
  const std::vector<HostId> b = {server_host_};
  ASSERT_TRUE(network_->Partition(a, b, 5 * kSecond).ok());
  const Time partition_at = scheduler_.now();
  network_->Send(client->socket(), Bytes("held"));
  RunFor(4 * kSecond);
  EXPECT_EQ(server->received, "");
  RunFor(2 * kSecond);
  EXPECT_EQ(server->received, "held");
  // Retransmitted at the heal, one latency on the way.
  EXPECT_THAT(server->delivery_times,
              ElementsAre(partition_at + 5 * kSecond + 10 * kMillisecond));
  EXPECT_FALSE(client->closed.has_value());
  EXPECT_FALSE(server->closed.has_value());
}

TEST_F(NetworkTest, HealEndsAPartitionEarly) {
  Build();
  RecordingEndpoint* client = ConnectClient();
  RunFor(kSecond);
  RecordingEndpoint* server = listener_.endpoints[0].get();
  const std::vector<HostId> a = {client_host_};
  const std::vector<HostId> b = {server_host_};
  const uint64_t partition = *network_->Partition(a, b, kHour);
  network_->Send(client->socket(), Bytes("x"));
  RunFor(kSecond);
  EXPECT_TRUE(network_->Heal(partition));
  EXPECT_FALSE(network_->Heal(partition));
  RunFor(kSecond);
  EXPECT_EQ(server->received, "x");
}

TEST_F(NetworkTest, BytesHeldPastTheRetransmissionTimeoutTimeTheWriterOut) {
  NetworkOptions options;
  options.retransmission_timeout = 20 * kSecond;
  Build(options);
  RecordingEndpoint* client = ConnectClient();
  RunFor(kSecond);
  RecordingEndpoint* server = listener_.endpoints[0].get();
  const std::vector<HostId> a = {client_host_};
  const std::vector<HostId> b = {server_host_};
  ASSERT_TRUE(network_->Partition(a, b, kMinute).ok());
  const Time partition_at = scheduler_.now();
  network_->Send(client->socket(), Bytes("stuck"));
  RunFor(30 * kSecond);
  EXPECT_EQ(client->closed, CloseReason::kTimedOut);
  EXPECT_EQ(client->closed_at, partition_at + 20 * kSecond);
  EXPECT_FALSE(server->closed.has_value());  // Idle: it cannot know.
  RunFor(kMinute);                           // Healed.
  EXPECT_FALSE(server->closed.has_value());
  // The server writes to the end that is gone: the answer is a reset.
  network_->Send(server->socket(), Bytes("hello?"));
  RunFor(kSecond);
  EXPECT_EQ(server->closed, CloseReason::kReset);
  EXPECT_EQ(server->received, "");
  EXPECT_EQ(network_->live_connections(), 0u);
}

TEST_F(NetworkTest, ConnectingAcrossAPartitionTimesOut) {
  NetworkOptions options;
  options.connect_timeout = 7 * kSecond;
  Build(options);
  const std::vector<HostId> a = {client_host_};
  const std::vector<HostId> b = {server_host_};
  ASSERT_TRUE(network_->Partition(a, b, kHour).ok());
  RecordingEndpoint* client = ConnectClient();
  RunFor(kMinute);
  EXPECT_EQ(client->closed, CloseReason::kTimedOut);
  EXPECT_EQ(client->closed_at, 7 * kSecond);
  EXPECT_EQ(client->connected_at, -1);
  EXPECT_EQ(network_->stats().connects_timed_out, 1u);
}

TEST_F(NetworkTest, AConnectRetriedAfterAShortPartitionSucceeds) {
  Build();
  const std::vector<HostId> a = {client_host_};
  const std::vector<HostId> b = {server_host_};
  ASSERT_TRUE(network_->Partition(a, b, 2 * kSecond).ok());
  RecordingEndpoint* client = ConnectClient();
  RunFor(kMinute);
  EXPECT_FALSE(client->closed.has_value());
  // Retries at 1 s and 2 s after the first attempt's arrival (30 ms).
  EXPECT_EQ(listener_.accepted_at.size(), 1u);
  EXPECT_GE(client->connected_at, 2 * kSecond);
}

TEST_F(NetworkTest, ConnectsAreRefusedWithoutAListener) {
  Build();
  network_->Listen(server_host_, nullptr);
  RecordingEndpoint* client = ConnectClient();
  RunFor(kSecond);
  EXPECT_EQ(client->closed, CloseReason::kRefused);
  // Request (30 ms) and the refusal back (10 ms).
  EXPECT_EQ(client->closed_at, 40 * kMillisecond);
  listener_.refuse = true;
  network_->Listen(server_host_, &listener_);
  RecordingEndpoint* second = ConnectClient();
  RunFor(kSecond);
  EXPECT_EQ(second->closed, CloseReason::kRefused);
  EXPECT_EQ(network_->stats().connects_refused, 2u);
  EXPECT_EQ(network_->live_connections(), 0u);
}

TEST_F(NetworkTest, AConnectStormMeetsABoundedBacklogAndAcceptRate) {
  Build();
  network_->Listen(server_host_, &listener_,
                   ListenOptions{.backlog = 2, .accepts_per_second = 10});
  std::vector<RecordingEndpoint*> clients;
  for (int i = 0; i < 5; ++i) clients.push_back(ConnectClient(i));
  RunFor(10 * kSecond);
  // All five arrive at once: two fit in the backlog, three are refused.
  int refused = 0;
  for (RecordingEndpoint* client : clients) {
    if (client->closed == CloseReason::kRefused) ++refused;
  }
  EXPECT_EQ(refused, 3);
  EXPECT_THAT(listener_.accepted_at,
              ElementsAre(30 * kMillisecond, 130 * kMillisecond));
}

TEST_F(NetworkTest, ASlowReaderBlocksAndThenUnblocksTheWriter) {
  NetworkOptions options;
  options.receive_window_bytes = 4096;
  options.write_blocked_high_water = 8192;
  options.write_blocked_low_water = 2048;
  options.read_chunk_bytes = 1024;
  Build(options);
  RecordingEndpoint* client = ConnectClient();
  RunFor(kSecond);
  RecordingEndpoint* server = listener_.endpoints[0].get();
  network_->SlowReader(server_host_, /*bytes_per_second=*/10'000, kHour);
  const std::string payload(20'000, 'p');
  network_->Send(client->socket(), Bytes(payload));
  RunFor(kMillisecond);
  EXPECT_THAT(client->blocked_changes, ElementsAre(true));
  EXPECT_GE(network_->unsent_bytes(client->socket()), 8192u);
  RunFor(10 * kSecond);
  EXPECT_THAT(client->blocked_changes, ElementsAre(true, false));
  EXPECT_EQ(server->received, payload);
  // Chunks of 1024 bytes at 10 kB/s: the reader never took more at once.
  for (size_t size : server->delivery_sizes) EXPECT_LE(size, 1024u);
  // Unblocked once 2048 bytes or fewer were unsent: after about
  // (20000 - 4096 - 2048) / 10000 s.
  EXPECT_GT(client->blocked_times[1], client->blocked_times[0] + kSecond);
}

TEST_F(NetworkTest, AWriterPastTheSendBufferLimitIsCutOff) {
  NetworkOptions options;
  options.write_blocked_high_water = 1000;
  options.write_blocked_low_water = 100;
  options.send_buffer_limit = 5000;
  // A window of 1000 bytes: the first write puts 1000 bytes on the wire and
  // leaves 3000 unsent.
  options.receive_window_bytes = 1000;
  Build(options);
  RecordingEndpoint* client = ConnectClient();
  RunFor(kSecond);
  RecordingEndpoint* server = listener_.endpoints[0].get();
  network_->SlowReader(server_host_, 1, kHour);
  EXPECT_TRUE(network_->Send(client->socket(), Bytes(std::string(4000, 'a'))));
  EXPECT_EQ(network_->unsent_bytes(client->socket()), 3000u);
  EXPECT_FALSE(network_->Send(client->socket(), Bytes(std::string(2500, 'b'))));
  RunFor(kSecond);
  EXPECT_EQ(client->closed, CloseReason::kSendBufferOverflow);
  EXPECT_EQ(server->closed, CloseReason::kReset);
  EXPECT_EQ(network_->stats().send_buffer_overflows, 1u);
}

TEST_F(NetworkTest, ALatencySpikeDelaysSegmentsWhileItLasts) {
  Build();
  RecordingEndpoint* client = ConnectClient();
  RunFor(kSecond);
  RecordingEndpoint* server = listener_.endpoints[0].get();
  network_->LatencySpike(server_host_, 500 * kMillisecond, 2 * kSecond);
  Time sent = scheduler_.now();
  network_->Send(client->socket(), Bytes("slow"));
  RunFor(3 * kSecond);
  sent = scheduler_.now();
  network_->Send(client->socket(), Bytes("fast"));
  RunFor(kSecond);
  EXPECT_EQ(server->received, "slowfast");
  EXPECT_EQ(server->delivery_times[0], sent - 3 * kSecond + 510 * kMillisecond);
  EXPECT_EQ(server->delivery_times[1], sent + 10 * kMillisecond);
}

TEST_F(NetworkTest, ConnectionsAreBounded) {
  NetworkOptions options;
  options.max_connections = 2;
  Build(options);
  ConnectClient();
  ConnectClient();
  RecordingEndpoint extra(&scheduler_);
  EXPECT_EQ(
      network_->Connect(client_host_, server_host_, &extra, 0).status().code(),
      absl::StatusCode::kResourceExhausted);
}

TEST_F(NetworkTest, PartitionsAreBounded) {
  NetworkOptions options;
  options.max_partitions = 1;
  Build(options);
  const std::vector<HostId> a = {client_host_};
  const std::vector<HostId> b = {server_host_};
  EXPECT_TRUE(network_->Partition(a, b, kSecond).ok());
  EXPECT_EQ(network_->Partition(a, b, kSecond).status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(network_->Partition(a, a, kSecond).status().code(),
            absl::StatusCode::kResourceExhausted);
  RunFor(2 * kSecond);
  EXPECT_EQ(network_->Partition(a, a, kSecond).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(NetworkTest, HostNamesAreUnique) {
  Build();
  EXPECT_EQ(network_->AddHost("client", FixedLink(0)).status().code(),
            absl::StatusCode::kAlreadyExists);
  LinkProfile bad = FixedLink(0);
  bad.max_segment_bytes = 0;
  EXPECT_EQ(network_->AddHost("other", bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(network_->host_name(server_host_), "server");
}

// Adding a host and a connection of its own does not change what an
// existing connection draws: each connection has its own stream.
TEST(NetworkStreamsTest, AnotherHostsConnectionsDoNotReshuffleThisOne) {
  auto run = [](bool with_bystander) {
    Scheduler scheduler;
    Network network(&scheduler, 99, NetworkOptions{}, nullptr);
    LinkProfile jittery;
    jittery.latency = LatencyModel::Uniform(kMillisecond, 50 * kMillisecond);
    jittery.split_chance = 0.5;
    const HostId server = *network.AddHost("server", jittery);
    const HostId device = *network.AddHost("device", jittery);
    RecordingListener listener(&scheduler);
    network.Listen(server, &listener);
    RecordingEndpoint bystander(&scheduler);
    if (with_bystander) {
      const HostId other = *network.AddHost("other", jittery);
      bystander.set_socket(*network.Connect(other, server, &bystander, 1));
    }
    RecordingEndpoint client(&scheduler);
    client.set_socket(*network.Connect(device, server, &client, 0));
    EXPECT_TRUE(scheduler.RunUntil(kSecond).ok());
    network.Send(client.socket(), Bytes(std::string(5000, 'z')));
    if (with_bystander) {
      network.Send(bystander.socket(), Bytes(std::string(5000, 'y')));
    }
    EXPECT_TRUE(scheduler.RunUntil(10 * kSecond).ok());
    RecordingEndpoint* server_end = listener.endpoints[0].get();
    if (with_bystander && listener.tags[0] == 1) {
      server_end = listener.endpoints[1].get();
    }
    return std::make_pair(server_end->delivery_times,
                          server_end->delivery_sizes);
  };
  EXPECT_EQ(run(false), run(true));
}

TEST_F(NetworkTest, TheTraceSeesEveryDelivery) {
  Build();
  RecordingEndpoint* client = ConnectClient();
  RunFor(kSecond);
  const uint64_t before = trace_.records();
  network_->Send(client->socket(), Bytes("abc"));
  RunFor(kSecond);
  EXPECT_EQ(trace_.records(), before + 1);
  EXPECT_THAT(trace_.HashLine(), ::testing::StartsWith("trace_hash="));
}

}  // namespace
}  // namespace mqlab::sim
