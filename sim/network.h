// The simulated network: hosts and TCP-like connections (reliable, ordered
// byte streams) in virtual time, with the faults the lab injects.
//
// Model, per connection and direction (see docs/simulator.md for the why):
//  - The writer's bytes wait in a send buffer; a transmitter cuts them into
//    segments of random size (up to the links' max_segment_bytes, sometimes
//    cut short at a random point) and puts them on the wire at the slower
//    link's bandwidth. Bytes written in the same instant may share a segment.
//  - Each segment arrives one-way latency later (a sample of each host's
//    access-link model plus any latency spike), never before the segment
//    ahead of it: streams stay ordered, as TCP does.
//  - The reader drains what arrived in one delivery (several segments
//    coalesce); a slow reader drains at its rate. In flight plus unread bytes
//    never exceed receive_window_bytes, so a slow reader fills the writer's
//    send buffer: past write_blocked_high_water the writer is told it is
//    write-blocked, below write_blocked_low_water that it is not.
//  - Connecting: the request reaches the target after one-way latency plus
//    handshake_round_trips round trips (TLS); the target's listener takes it
//    from a bounded backlog at its accept rate; the initiator learns it is
//    connected one-way latency after the accept. No listener or a full
//    backlog: refused. Unreachable (partitioned): retried until
//    connect_timeout, then timed out.
//  - Partitions hold bytes (as TCP retransmits them); bytes held longer than
//    retransmission_timeout time the writer's end out. After a heal, held
//    bytes arrive one latency later. Bytes that reach an end that is gone
//    (reset, timed out) make the network reset the writer, as an RST would;
//    bytes that reach an end that closed in order are dropped silently.
//  - A half-open connection (black hole) loses every byte silently and tells
//    nobody: each end finds out through its own keep-alive.
//
// Every notification and delivery to an endpoint runs inside a scheduler
// event, never inside the call that caused it, so endpoints may call back
// into the network from their callbacks. Every buffer is bounded (see
// NetworkOptions); all randomness comes from one stream per connection,
// named after the initiating host and its connection count, so adding a host
// or a connection does not change what the others draw.
#ifndef MQLAB_SIM_NETWORK_H_
#define MQLAB_SIM_NETWORK_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "base/random.h"
#include "base/time.h"
#include "sim/latency.h"
#include "sim/scheduler.h"
#include "sim/stable_vector.h"
#include "sim/trace.h"

namespace mqlab::sim {

using HostId = uint32_t;

// One end of a connection, unique for the whole run (connection slots are
// reused, but never with the same generation). The default value is no
// socket.
class SocketId {
 public:
  constexpr SocketId() = default;
  // Stable number for traces and maps: generation << 32 | slot << 1 | side.
  constexpr uint64_t value() const { return value_; }
  constexpr bool valid() const { return value_ != 0; }
  // True for the end that accepted the connection.
  constexpr bool is_acceptor() const { return (value_ & 1) != 0; }
  // The other end of the same connection.
  constexpr SocketId peer() const { return SocketId(value_ ^ 1); }
  friend constexpr bool operator==(SocketId a, SocketId b) = default;
  friend constexpr auto operator<=>(SocketId a, SocketId b) = default;

 private:
  friend class Network;
  constexpr explicit SocketId(uint64_t value) : value_(value) {}
  uint64_t value_ = 0;
};

enum class CloseReason : uint8_t {
  // Connecting: the target is not listening, its backlog is full, or its
  // listener turned the connection down.
  kRefused = 1,
  // Connecting: no answer within connect_timeout (the target is partitioned
  // away). Open: bytes held by a partition past retransmission_timeout.
  kTimedOut = 2,
  // The peer aborted, the peer's process died (its OS answered), the network
  // reset the connection, or bytes reached an end that was gone.
  kReset = 3,
  // The peer closed in order, after every byte it wrote was read.
  kPeerClosed = 4,
  // This end wrote past send_buffer_limit: the network gave up on it (its
  // peer is told kReset).
  kSendBufferOverflow = 5,
};

std::string_view CloseReasonName(CloseReason reason);

// What a network endpoint (a virtual client, the broker's adapter) is told.
// Each call runs in its own scheduler event; an endpoint may call any Network
// method from inside.
class Endpoint {
 public:
  virtual ~Endpoint() = default;
  // The initiating end's handshake finished; written bytes now flow.
  virtual void OnConnected(SocketId socket) = 0;
  // Bytes arrived, in order. The span is valid only during the call.
  virtual void OnBytes(SocketId socket, std::span<const uint8_t> bytes) = 0;
  // The connection is over for this end (or never opened). No further calls
  // for `socket`; the endpoint must not use it again.
  virtual void OnClosed(SocketId socket, CloseReason reason) = 0;
  // The send buffer passed write_blocked_high_water (true) or drained to
  // write_blocked_low_water (false). Only changes are told.
  virtual void OnWriteBlocked(SocketId socket, bool blocked) = 0;
};

// What a listening host is told when a connection request leaves its
// backlog.
class Listener {
 public:
  virtual ~Listener() = default;
  // Returns the endpoint for the accepting end, or nullptr to refuse (the
  // initiator is told kRefused). `tag` is what the initiator passed to
  // Connect (the simulator passes the client's index, to find the identity
  // its certificate carries).
  virtual Endpoint* OnAccept(SocketId socket, HostId peer, uint64_t tag) = 0;
};

// A host's access link. A connection's one-way latency is the sum of a
// sample from each end's link; its bandwidth and segment size are the
// smaller of the two; a segment is cut short with the larger split chance.
struct LinkProfile {
  LatencyModel latency = LatencyModel::Fixed(0);
  // Bytes per second put on the wire, per direction; 0 is unlimited.
  int64_t bandwidth_bytes_per_second = 0;
  // Largest segment (TCP's MSS).
  uint32_t max_segment_bytes = 1460;
  // Chance that a segment is cut at a random point before its full size, so
  // that decoders see every possible split.
  double split_chance = 0.25;
};

struct NetworkOptions {
  uint32_t max_hosts = 1u << 20;
  // Connections that exist at once (open, connecting or closing).
  uint32_t max_connections = 1u << 20;
  // Partitions in force at once; a further one is refused.
  uint32_t max_partitions = 16;
  // Per direction: bytes in flight plus bytes arrived but not yet read.
  uint32_t receive_window_bytes = 256 * 1024;
  // Per direction, bytes written but not yet on the wire.
  uint32_t write_blocked_high_water = 256 * 1024;
  uint32_t write_blocked_low_water = 64 * 1024;
  // A write that would leave more than this unsent resets the connection
  // (kSendBufferOverflow to the writer, kReset to its peer).
  uint32_t send_buffer_limit = 8 * 1024 * 1024;
  // Round trips the handshake takes beyond TCP's (1: TLS 1.3).
  uint32_t handshake_round_trips = 1;
  // How long a connection request to an unreachable host is retried.
  Duration connect_timeout = 10 * kSecond;
  // How long bytes may be held by a partition before the writer's end gives
  // up (kTimedOut).
  Duration retransmission_timeout = 30 * kSecond;
  // What a slow reader takes per read.
  uint32_t read_chunk_bytes = 4096;
};

struct ListenOptions {
  // Connection requests waiting for the listener; a further one is refused.
  uint32_t backlog = 128;
  // Accepts per second; 0 is unlimited.
  uint32_t accepts_per_second = 0;
};

// Counters since the network was made (all deterministic).
struct NetworkStats {
  uint64_t connects_requested = 0;
  uint64_t connects_accepted = 0;
  uint64_t connects_refused = 0;
  uint64_t connects_timed_out = 0;
  uint64_t resets = 0;    // Ends told kReset.
  uint64_t timeouts = 0;  // Open ends told kTimedOut.
  uint64_t peer_closes = 0;
  uint64_t send_buffer_overflows = 0;
  uint64_t bytes_written = 0;
  uint64_t bytes_delivered = 0;
  uint64_t bytes_lost = 0;  // Swallowed by black holes and resets.
  uint64_t segments = 0;
  uint64_t deliveries = 0;
  uint64_t partitions = 0;
  uint64_t partitions_refused = 0;
};

class Network {
 public:
  // `scheduler` must outlive the network; `trace` may be null.
  Network(Scheduler* scheduler, uint64_t seed, NetworkOptions options,
          Trace* trace);
  ~Network();
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  // --- Hosts ---
  // Names are unique (they name the hosts' random streams).
  absl::StatusOr<HostId> AddHost(std::string_view name,
                                 const LinkProfile& link);
  // Starts (or with nullptr stops) accepting connections on `host`. While
  // stopped, requests are refused, including those already in the backlog.
  void Listen(HostId host, Listener* listener, ListenOptions options = {});
  std::string_view host_name(HostId host) const;
  uint32_t host_count() const { return static_cast<uint32_t>(hosts_.size()); }

  // --- Connections ---
  // Starts connecting `from` to `to`; `endpoint` hears the outcome. Fails
  // only when max_connections connections exist.
  absl::StatusOr<SocketId> Connect(HostId from, HostId to, Endpoint* endpoint,
                                   uint64_t tag);
  // Writes bytes after those written before. Returns false (and drops them)
  // when the socket is not open for writing: closed, reset, or told closed.
  // Bytes written while connecting wait for the handshake.
  bool Send(SocketId socket, std::span<const uint8_t> bytes);
  // Orderly close: the peer reads every byte written, then is told
  // kPeerClosed. Nothing more is told to this end.
  void Close(SocketId socket);
  // Abortive close (RST): unsent and unread bytes are dropped and the peer
  // is told kReset one latency later. Nothing more is told to this end.
  void Reset(SocketId socket);
  // This end vanishes without a word (its process or device died with no
  // OS to answer): nothing more is told to it, and its peer is left
  // half-open, its bytes lost, until it gives up by itself.
  void Abandon(SocketId socket);

  bool IsOpen(SocketId socket) const;
  HostId host_of(SocketId socket) const;
  // Bytes written on `socket` and not yet on the wire.
  uint64_t unsent_bytes(SocketId socket) const;
  // Connections that exist (any state).
  uint32_t live_connections() const { return live_connections_; }

  // --- Faults ---
  // The network resets every connection of `host`: both ends are told
  // kReset now, their bytes dropped. Pending requests from or to it fail.
  void ResetHostConnections(HostId host);
  // Every connection of `host` becomes a black hole (half-open): bytes in
  // either direction are lost, nobody is told.
  void HalfOpenHostConnections(HostId host);
  // The process on `host` died and its OS closes its sockets: the host's
  // ends are dropped without a word (their owner is gone), each peer is told
  // kReset one latency later, unless a partition or black hole swallows the
  // RST (then the peer is left half-open). Requests waiting in its backlog
  // are refused. Its listener stays as it is; call Listen(host, nullptr).
  void AbortHost(HostId host);
  // Cuts every path between a host of `side_a` and a host of `side_b` for
  // `duration`. Returns the partition's id; RESOURCE_EXHAUSTED when
  // max_partitions are in force, INVALID_ARGUMENT when a host is on both
  // sides (nothing is cut).
  absl::StatusOr<uint64_t> Partition(std::span<const HostId> side_a,
                                     std::span<const HostId> side_b,
                                     Duration duration);
  // Ends a partition early; false when it is not in force.
  bool Heal(uint64_t partition);
  // `host` reads at most `bytes_per_second` (> 0) on every connection for
  // `duration`. A later call replaces an earlier one at once (a read may
  // follow right away).
  void SlowReader(HostId host, int64_t bytes_per_second, Duration duration);
  // Adds `extra` one-way latency to every segment through `host`'s link for
  // `duration`. A later call replaces an earlier one.
  void LatencySpike(HostId host, Duration extra, Duration duration);

  const NetworkStats& stats() const { return stats_; }
  const NetworkOptions& options() const { return options_; }

 private:
  enum class EndState : uint8_t {
    kNone,        // The accepting end before the accept.
    kConnecting,  // The initiating end before it is told connected.
    kOpen,
    kClosing,  // Told closed by a pending event; no more bytes for it.
    kGone,     // Told closed, or closed by its owner.
  };
  enum class Phase : uint8_t { kRequesting, kInBacklog, kEstablished };

  // Bytes written at one end, not yet read at the other: [read, written) of
  // the stream, with a read head so that draining does not move memory.
  struct ByteQueue {
    std::vector<uint8_t> bytes;
    size_t head = 0;
  };
  struct Segment {
    uint64_t end;  // Stream offset just past the segment.
    Time arrival;
  };
  // One direction of a connection: written by end `side`, read by the other.
  // Fields in the order the hot path touches them (cache lines).
  struct Pipe {
    uint64_t written = 0;      // Stream offsets: accepted from the writer,
    uint64_t transmitted = 0;  // put on the wire,
    uint64_t arrived = 0;      // arrived at the reader,
    uint64_t read = 0;         // and read by it.
    Time wire_free_at = 0;     // Bandwidth: when the next segment may start.
    Time last_arrival = 0;     // Order: no segment arrives before this.
    // The last segment in flight went out at this instant, from stream
    // offset open_segment_begin, and was not cut short: bytes written later
    // in the same instant may join it. -1: no such segment.
    Time open_segment_at = -1;
    uint64_t open_segment_begin = 0;
    Time wake_at = kInfiniteFuture;
    TimerId pump_timer = kNoTimer;
    bool fin = false;  // The writer closed in order: FIN after the bytes.
    bool blocked = false;
    bool told_blocked = false;
    size_t segments_head = 0;
    // In flight, in order: [segments_head, size). Rarely more than a few.
    absl::InlinedVector<Segment, 4> segments;
    ByteQueue queue;
    Time next_read_at = 0;               // Slow reader: when it reads again.
    Time fin_arrival = kInfiniteFuture;  // When the FIN arrives, once sent.
    Time held_since = -1;                // A partition holds bytes since then.
  };
  struct Connection {
    uint32_t generation = 0;
    bool in_use = false;
    bool black_hole = false;
    Phase phase = Phase::kRequesting;
    EndState state[2] = {EndState::kNone, EndState::kNone};
    bool closed_in_order[2] = {false, false};
    HostId host[2] = {0, 0};  // [initiator, acceptor]
    Endpoint* endpoint[2] = {nullptr, nullptr};
    Random random{0};
    // The path, from the two hosts' links (which never change), so that
    // moving bytes reads no host.
    int64_t bandwidth = 0;
    uint64_t max_segment = 0;
    double split_chance = 0;
    LatencyModel latency[2];
    // Connecting.
    uint64_t tag = 0;
    Time connect_deadline = 0;
    Duration request_retry = 0;
    TimerId handshake_timer = kNoTimer;
    Pipe pipe[2];  // pipe[s] carries what end s writes.
  };
  struct BacklogEntry {
    uint32_t slot;
    uint32_t generation;
  };
  struct Host {
    std::string name;
    LinkProfile link;
    Listener* listener = nullptr;
    ListenOptions listen;
    std::vector<BacklogEntry> backlog;  // A queue: [backlog_head, size).
    size_t backlog_head = 0;
    Time next_accept_at = 0;
    TimerId accept_timer = kNoTimer;
    int64_t read_rate = 0;  // Bytes/s while now < read_rate_until.
    Time read_rate_until = 0;
    Duration extra_latency = 0;  // While now < extra_latency_until.
    Time extra_latency_until = 0;
    uint64_t connections_started = 0;  // Names connection streams.
  };
  struct ActivePartition {
    uint64_t id;
    std::vector<uint8_t> side;  // By host: 0 neither, 1 side A, 2 side B.
    TimerId heal_timer;
  };

  static SocketId MakeSocket(uint32_t slot, uint32_t generation, int side) {
    return SocketId((uint64_t{generation} << 32) | (uint64_t{slot} << 1) |
                    static_cast<uint64_t>(side));
  }
  // The connection `socket` names, or null when it is stale.
  Connection* Find(SocketId socket);
  const Connection* Find(SocketId socket) const;
  static uint32_t SlotOf(SocketId socket) {
    return static_cast<uint32_t>((socket.value() >> 1) & 0x7FFFFFFF);
  }
  static int SideOf(SocketId socket) {
    return static_cast<int>(socket.value() & 1);
  }
  bool Current(uint32_t slot, uint32_t generation) const {
    return slot < connections_.size() && connections_[slot].in_use &&
           connections_[slot].generation == generation;
  }

  bool Cut(const Connection& c) const;
  bool CutBy(const ActivePartition& partition, const Connection& c) const;
  Duration OneWayLatency(Connection& c);
  Duration ExtraLatency(const Host& host) const;
  int64_t ReadRate(const Host& host) const;

  // Handshake.
  void RequestArrives(uint32_t slot, uint32_t generation);
  void EnsureAcceptStep(HostId host, Time when);
  void AcceptStep(HostId host);
  void Refuse(uint32_t slot, Time when);
  void ConnectedArrives(uint32_t slot, uint32_t generation);

  // Data.
  // Whether end `side` may put bytes on the wire: established, open, and
  // neither cut by a partition nor a black hole.
  bool Flowing(const Connection& c, int side) const;
  // Puts what the wire and the window allow of pipe `side` on the wire.
  void Transmit(Connection& c, int side, Time now);
  void EnsurePump(uint32_t slot, int side, Time when);
  void Pump(uint32_t slot, uint32_t generation, int side);
  void ClearPipe(Connection& c, int side);
  void UpdateBlocked(Connection& c, int side);

  // Endings.
  void TellClosed(uint32_t slot, int side, CloseReason reason, Time when);
  void ClosedArrives(uint32_t slot, uint32_t generation, int side,
                     CloseReason reason);
  // The network resets the connection: every live end told `reason` now.
  void ResetConnection(uint32_t slot, CloseReason reason);
  void ReleaseIfDone(uint32_t slot);
  void HealPartition(size_t index);

  void TraceSocket(TraceKind kind, uint32_t slot, int side, uint64_t a,
                   uint64_t b = 0);

  Scheduler* scheduler_;
  uint64_t seed_;
  NetworkOptions options_;
  Trace* trace_;
  NetworkStats stats_;
  // Stable: references stay valid when a callback adds a host or a
  // connection.
  StableVector<Host> hosts_;
  absl::flat_hash_map<std::string, HostId> host_by_name_;  // Lookups only.
  StableVector<Connection> connections_;
  // No host has a latency spike from this time on, nor a slow reader: the
  // common case skips looking at hosts.
  Time latency_spikes_until_ = 0;
  Time slow_readers_until_ = 0;
  std::vector<uint32_t> free_slots_;
  uint32_t live_connections_ = 0;
  std::vector<ActivePartition> partitions_;  // In force, oldest first.
  uint64_t next_partition_id_ = 1;
  // Delivered bytes are copied here first: the reader may write, close or
  // release the connection while it holds the span.
  std::vector<uint8_t> delivery_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_NETWORK_H_
