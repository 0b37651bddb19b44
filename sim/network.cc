#include "sim/network.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace mqlab::sim {
namespace {

// The first retry of a request that found its target unreachable; each
// later retry waits twice as long (TCP's SYN back-off), up to the deadline.
constexpr Duration kFirstRequestRetry = kSecond;
// A drained queue keeps its memory unless it grew past this.
constexpr size_t kKeepCapacity = 64 * 1024;
// Arrived segments a pipe's list keeps before dropping them (see Pump).
constexpr size_t kCompactSegmentsAfter = 64;

// Time to put `bytes` on a wire of `bandwidth` bytes/s (0: unlimited),
// rounded up to whole nanoseconds.
Duration SerializationDelay(uint64_t bytes, int64_t bandwidth) {
  if (bandwidth <= 0) return 0;
  const unsigned __int128 nanoseconds =
      static_cast<unsigned __int128>(bytes) * kSecond;
  const auto rate = static_cast<unsigned __int128>(bandwidth);
  return static_cast<Duration>((nanoseconds + rate - 1) / rate);
}

int64_t SlowerBandwidth(int64_t a, int64_t b) {
  if (a <= 0) return b;
  if (b <= 0) return a;
  return std::min(a, b);
}

}  // namespace

std::string_view CloseReasonName(CloseReason reason) {
  switch (reason) {
    case CloseReason::kRefused:
      return "refused";
    case CloseReason::kTimedOut:
      return "timed-out";
    case CloseReason::kReset:
      return "reset";
    case CloseReason::kPeerClosed:
      return "peer-closed";
    case CloseReason::kSendBufferOverflow:
      return "send-buffer-overflow";
  }
  return "unknown";
}

Network::Network(Scheduler* scheduler, uint64_t seed, NetworkOptions options,
                 Trace* trace)
    : scheduler_(scheduler), seed_(seed), options_(options), trace_(trace) {
  MQLAB_CHECK(scheduler_ != nullptr);
  MQLAB_CHECK(options_.max_connections > 0 &&
              options_.max_connections < (1u << 31));
  MQLAB_CHECK(options_.receive_window_bytes > 0);
  MQLAB_CHECK(options_.write_blocked_low_water <
              options_.write_blocked_high_water);
  MQLAB_CHECK(options_.write_blocked_high_water <= options_.send_buffer_limit);
  MQLAB_CHECK(options_.read_chunk_bytes > 0);
  MQLAB_CHECK(options_.connect_timeout > 0 &&
              options_.retransmission_timeout > 0);
}

Network::~Network() = default;

// --- Hosts ---

absl::StatusOr<HostId> Network::AddHost(std::string_view name,
                                        const LinkProfile& link) {
  if (hosts_.size() >= options_.max_hosts) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "network: more than max_hosts=", options_.max_hosts, " hosts"));
  }
  if (name.empty()) {
    return absl::InvalidArgumentError("network: a host needs a name");
  }
  if (link.max_segment_bytes == 0 || link.bandwidth_bytes_per_second < 0 ||
      !(link.split_chance >= 0 && link.split_chance <= 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "network: host \"", std::string(name),
        "\": a link needs max_segment_bytes > 0, a bandwidth >= 0 and a "
        "split chance in [0, 1]"));
  }
  const HostId id = static_cast<HostId>(hosts_.size());
  if (!host_by_name_.emplace(std::string(name), id).second) {
    return absl::AlreadyExistsError(absl::StrCat(
        "network: a host is already named \"", std::string(name), "\""));
  }
  Host& host = hosts_.Append();
  host.name = std::string(name);
  host.link = link;
  return id;
}

void Network::Listen(HostId host, Listener* listener, ListenOptions options) {
  MQLAB_CHECK(host < hosts_.size());
  MQLAB_CHECK(options.backlog > 0);
  Host& h = hosts_[host];
  h.listener = listener;
  h.listen = options;
  h.next_accept_at = 0;
  // Requests already waiting are refused now, or accepted at the new rate.
  if (h.backlog_head < h.backlog.size()) {
    EnsureAcceptStep(host, scheduler_->now());
  }
}

std::string_view Network::host_name(HostId host) const {
  MQLAB_CHECK(host < hosts_.size());
  return hosts_[host].name;
}

// --- Connections ---

absl::StatusOr<SocketId> Network::Connect(HostId from, HostId to,
                                          Endpoint* endpoint, uint64_t tag) {
  MQLAB_CHECK(from < hosts_.size() && to < hosts_.size());
  MQLAB_CHECK(endpoint != nullptr);
  if (live_connections_ >= options_.max_connections) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "network: more than max_connections=", options_.max_connections,
        " connections"));
  }
  uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<uint32_t>(connections_.size());
    connections_.Append();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  Connection& c = connections_[slot];
  c.generation = c.generation + 1 == 0 ? 1 : c.generation + 1;
  c.in_use = true;
  c.black_hole = false;
  c.phase = Phase::kRequesting;
  c.host[0] = from;
  c.host[1] = to;
  c.state[0] = EndState::kConnecting;
  c.state[1] = EndState::kNone;
  c.closed_in_order[0] = c.closed_in_order[1] = false;
  c.endpoint[0] = endpoint;
  c.endpoint[1] = nullptr;
  c.tag = tag;
  const Time now = scheduler_->now();
  c.connect_deadline = now + options_.connect_timeout;
  c.request_retry = kFirstRequestRetry;
  const LinkProfile& a = hosts_[from].link;
  const LinkProfile& b = hosts_[to].link;
  c.latency[0] = a.latency;
  c.latency[1] = b.latency;
  c.bandwidth = SlowerBandwidth(a.bandwidth_bytes_per_second,
                                b.bandwidth_bytes_per_second);
  c.max_segment = std::min(a.max_segment_bytes, b.max_segment_bytes);
  c.split_chance = std::max(a.split_chance, b.split_chance);
  Host& origin = hosts_[from];
  c.random = Random::Stream(seed_, absl::StrCat("net/", origin.name, "#",
                                                origin.connections_started));
  ++origin.connections_started;
  ++live_connections_;
  ++stats_.connects_requested;
  TraceSocket(TraceKind::kConnectRequested, slot, 0, to, from);

  Duration request = OneWayLatency(c);
  for (uint32_t i = 0; i < options_.handshake_round_trips; ++i) {
    request += OneWayLatency(c) + OneWayLatency(c);
  }
  const uint32_t generation = c.generation;
  c.handshake_timer = scheduler_->After(
      request, [this, slot, generation] { RequestArrives(slot, generation); });
  return MakeSocket(slot, generation, 0);
}

bool Network::Send(SocketId socket, std::span<const uint8_t> bytes) {
  Connection* c = Find(socket);
  if (c == nullptr) return false;
  const int side = SideOf(socket);
  if (c->state[side] != EndState::kOpen &&
      c->state[side] != EndState::kConnecting) {
    return false;
  }
  if (bytes.empty()) return true;
  stats_.bytes_written += bytes.size();
  if (c->black_hole) {
    stats_.bytes_lost += bytes.size();
    return true;
  }
  Pipe& p = c->pipe[side];
  const uint32_t slot = SlotOf(socket);
  if (p.written - p.transmitted + bytes.size() > options_.send_buffer_limit) {
    // The documented reaction to a writer that ignores write-blocked: the
    // network gives up on the connection.
    const int peer = 1 - side;
    ClearPipe(*c, peer);
    TellClosed(slot, side, CloseReason::kSendBufferOverflow, scheduler_->now());
    if ((c->state[peer] == EndState::kOpen ||
         c->state[peer] == EndState::kConnecting) &&
        !Cut(*c)) {
      TellClosed(slot, peer, CloseReason::kReset,
                 scheduler_->now() + OneWayLatency(*c));
    }
    return false;
  }
  ByteQueue& q = p.queue;
  // Compact once the read head passed half the buffer: amortised O(1).
  if (q.head > 0 && q.head >= q.bytes.size() / 2) {
    q.bytes.erase(q.bytes.begin(),
                  q.bytes.begin() + static_cast<std::ptrdiff_t>(q.head));
    q.head = 0;
  }
  q.bytes.insert(q.bytes.end(), bytes.begin(), bytes.end());
  const Time now = scheduler_->now();
  // The common case goes on the wire at once, and the pipe's next work is
  // the first arrival: one event per segment instead of two. Anything else
  // (connecting, partitions, a full window or a busy wire) is the pump's.
  const bool idle =
      p.transmitted == p.written && p.wire_free_at <= now && Flowing(*c, side);
  p.written += bytes.size();
  if (idle) {
    Transmit(*c, side, now);
    if (p.transmitted == p.written) {
      EnsurePump(slot, side, p.segments[p.segments_head].arrival);
      return true;
    }
  }
  EnsurePump(slot, side, now);
  return true;
}

void Network::Close(SocketId socket) {
  Connection* c = Find(socket);
  if (c == nullptr) return;
  const int side = SideOf(socket);
  const uint32_t slot = SlotOf(socket);
  const EndState state = c->state[side];
  if (state == EndState::kNone || state == EndState::kGone) return;
  c->state[side] = EndState::kGone;
  c->endpoint[side] = nullptr;
  if (state != EndState::kClosing) {
    c->closed_in_order[side] = true;
    c->pipe[side].fin = true;
    EnsurePump(slot, side, scheduler_->now());
  }
  ReleaseIfDone(slot);
}

void Network::Reset(SocketId socket) {
  Connection* c = Find(socket);
  if (c == nullptr) return;
  const int side = SideOf(socket);
  const int peer = 1 - side;
  const uint32_t slot = SlotOf(socket);
  const EndState state = c->state[side];
  if (state == EndState::kNone || state == EndState::kGone) return;
  c->state[side] = EndState::kGone;
  c->endpoint[side] = nullptr;
  ClearPipe(*c, side);
  ClearPipe(*c, peer);
  if ((c->state[peer] == EndState::kOpen ||
       c->state[peer] == EndState::kConnecting) &&
      c->phase == Phase::kEstablished && !c->black_hole && !Cut(*c)) {
    TellClosed(slot, peer, CloseReason::kReset,
               scheduler_->now() + OneWayLatency(*c));
  }
  ReleaseIfDone(slot);
}

void Network::Abandon(SocketId socket) {
  Connection* c = Find(socket);
  if (c == nullptr) return;
  const int side = SideOf(socket);
  if (c->state[side] == EndState::kNone || c->state[side] == EndState::kGone) {
    return;
  }
  c->state[side] = EndState::kGone;
  c->endpoint[side] = nullptr;
  c->black_hole = true;
  ClearPipe(*c, 0);
  ClearPipe(*c, 1);
  ReleaseIfDone(SlotOf(socket));
}

bool Network::IsOpen(SocketId socket) const {
  const Connection* c = Find(socket);
  return c != nullptr && c->state[SideOf(socket)] == EndState::kOpen;
}

HostId Network::host_of(SocketId socket) const {
  const Connection* c = Find(socket);
  MQLAB_CHECK_MSG(c != nullptr, "host_of() asked about a released socket");
  return c->host[SideOf(socket)];
}

uint64_t Network::unsent_bytes(SocketId socket) const {
  const Connection* c = Find(socket);
  if (c == nullptr) return 0;
  const Pipe& p = c->pipe[SideOf(socket)];
  return p.written - p.transmitted;
}

// --- Faults ---

void Network::ResetHostConnections(HostId host) {
  MQLAB_CHECK(host < hosts_.size());
  for (uint32_t slot = 0; slot < connections_.size(); ++slot) {
    const Connection& c = connections_[slot];
    if (c.in_use && (c.host[0] == host || c.host[1] == host)) {
      ResetConnection(slot, CloseReason::kReset);
    }
  }
}

void Network::HalfOpenHostConnections(HostId host) {
  MQLAB_CHECK(host < hosts_.size());
  const Time now = scheduler_->now();
  for (uint32_t slot = 0; slot < connections_.size(); ++slot) {
    Connection& c = connections_[slot];
    if (!c.in_use || (c.host[0] != host && c.host[1] != host)) continue;
    c.black_hole = true;
    ClearPipe(c, 0);
    ClearPipe(c, 1);
    // The writers' buffers emptied: their pumps tell them they may write.
    EnsurePump(slot, 0, now);
    EnsurePump(slot, 1, now);
  }
}

void Network::AbortHost(HostId host) {
  MQLAB_CHECK(host < hosts_.size());
  const Time now = scheduler_->now();
  for (uint32_t slot = 0; slot < connections_.size(); ++slot) {
    Connection& c = connections_[slot];
    if (!c.in_use || (c.host[0] != host && c.host[1] != host)) continue;
    for (int side = 0; side < 2; ++side) {
      if (c.host[side] != host || c.state[side] == EndState::kNone ||
          c.state[side] == EndState::kGone) {
        continue;
      }
      c.state[side] = EndState::kGone;
      c.endpoint[side] = nullptr;
      c.closed_in_order[side] = false;
    }
    ClearPipe(c, 0);
    ClearPipe(c, 1);
    for (int side = 0; side < 2; ++side) {
      const bool live = c.state[side] == EndState::kOpen ||
                        c.state[side] == EndState::kConnecting;
      // The dying host's OS answers for it, if the answer gets through.
      if (live && c.phase == Phase::kEstablished && !c.black_hole && !Cut(c)) {
        TellClosed(slot, side, CloseReason::kReset, now + OneWayLatency(c));
      }
    }
    ReleaseIfDone(slot);
  }
  Host& h = hosts_[host];
  for (size_t i = h.backlog_head; i < h.backlog.size(); ++i) {
    const BacklogEntry entry = h.backlog[i];
    if (!Current(entry.slot, entry.generation)) continue;
    Connection& c = connections_[entry.slot];
    if (c.state[0] == EndState::kConnecting) {
      Refuse(entry.slot, now + OneWayLatency(c));
    }
  }
  h.backlog.clear();
  h.backlog_head = 0;
}

absl::StatusOr<uint64_t> Network::Partition(std::span<const HostId> side_a,
                                            std::span<const HostId> side_b,
                                            Duration duration) {
  MQLAB_CHECK(duration > 0);
  if (partitions_.size() >= options_.max_partitions) {
    ++stats_.partitions_refused;
    return absl::ResourceExhaustedError(absl::StrCat(
        "network: more than max_partitions=", options_.max_partitions,
        " partitions in force"));
  }
  std::vector<uint8_t> side(hosts_.size(), 0);
  for (HostId host : side_a) {
    MQLAB_CHECK(host < hosts_.size());
    side[host] = 1;
  }
  for (HostId host : side_b) {
    MQLAB_CHECK(host < hosts_.size());
    if (side[host] == 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("network: host \"", hosts_[host].name,
                       "\" is on both sides of a partition"));
    }
    side[host] = 2;
  }
  const uint64_t id = next_partition_id_++;
  const TimerId heal = scheduler_->After(duration, [this, id] { Heal(id); });
  partitions_.push_back(ActivePartition{id, std::move(side), heal});
  ++stats_.partitions;
  if (trace_ != nullptr) {
    trace_->Add(scheduler_->now(), TraceKind::kPartitionStarted, id,
                side_a.size(), side_b.size());
  }
  return id;
}

bool Network::Heal(uint64_t partition) {
  for (size_t i = 0; i < partitions_.size(); ++i) {
    if (partitions_[i].id == partition) {
      scheduler_->Cancel(partitions_[i].heal_timer);
      HealPartition(i);
      return true;
    }
  }
  return false;
}

void Network::SlowReader(HostId host, int64_t bytes_per_second,
                         Duration duration) {
  MQLAB_CHECK(host < hosts_.size());
  MQLAB_CHECK(bytes_per_second > 0 && duration >= 0);
  Host& h = hosts_[host];
  h.read_rate = bytes_per_second;
  h.read_rate_until = scheduler_->now() + duration;
  slow_readers_until_ = std::max(slow_readers_until_, h.read_rate_until);
  // The pipes the host reads were timed for the old rate (a read may be due
  // far later): they look again now.
  const Time now = scheduler_->now();
  for (uint32_t slot = 0; slot < connections_.size(); ++slot) {
    const Connection& c = connections_[slot];
    if (!c.in_use) continue;
    for (int reader = 0; reader < 2; ++reader) {
      if (c.host[reader] == host) {
        connections_[slot].pipe[1 - reader].next_read_at = now;
        EnsurePump(slot, 1 - reader, now);
      }
    }
  }
}

void Network::LatencySpike(HostId host, Duration extra, Duration duration) {
  MQLAB_CHECK(host < hosts_.size());
  MQLAB_CHECK(extra >= 0 && duration >= 0);
  Host& h = hosts_[host];
  h.extra_latency = extra;
  h.extra_latency_until = scheduler_->now() + duration;
  latency_spikes_until_ =
      std::max(latency_spikes_until_, h.extra_latency_until);
}

// --- Internals ---

Network::Connection* Network::Find(SocketId socket) {
  const uint32_t slot = SlotOf(socket);
  const auto generation = static_cast<uint32_t>(socket.value() >> 32);
  return socket.valid() && Current(slot, generation) ? &connections_[slot]
                                                     : nullptr;
}

const Network::Connection* Network::Find(SocketId socket) const {
  const uint32_t slot = SlotOf(socket);
  const auto generation = static_cast<uint32_t>(socket.value() >> 32);
  return socket.valid() && Current(slot, generation) ? &connections_[slot]
                                                     : nullptr;
}

bool Network::CutBy(const ActivePartition& partition,
                    const Connection& c) const {
  const auto side_of = [&partition](HostId host) -> uint8_t {
    return host < partition.side.size() ? partition.side[host] : 0;
  };
  const uint8_t a = side_of(c.host[0]);
  const uint8_t b = side_of(c.host[1]);
  return a != 0 && b != 0 && a != b;
}

bool Network::Cut(const Connection& c) const {
  for (const ActivePartition& partition : partitions_) {
    if (CutBy(partition, c)) return true;
  }
  return false;
}

Duration Network::ExtraLatency(const Host& host) const {
  return scheduler_->now() < host.extra_latency_until ? host.extra_latency : 0;
}

int64_t Network::ReadRate(const Host& host) const {
  return scheduler_->now() < host.read_rate_until ? host.read_rate : 0;
}

Duration Network::OneWayLatency(Connection& c) {
  const Duration latency =
      c.latency[0].Sample(c.random) + c.latency[1].Sample(c.random);
  if (scheduler_->now() >= latency_spikes_until_) return latency;
  return latency + ExtraLatency(hosts_[c.host[0]]) +
         ExtraLatency(hosts_[c.host[1]]);
}

void Network::RequestArrives(uint32_t slot, uint32_t generation) {
  if (!Current(slot, generation)) return;
  Connection& c = connections_[slot];
  c.handshake_timer = kNoTimer;
  if (c.state[0] != EndState::kConnecting) return;
  const Time now = scheduler_->now();
  if (Cut(c) || c.black_hole) {
    // Lost on the way: retried with back-off until the deadline.
    if (now >= c.connect_deadline) {
      TellClosed(slot, 0, CloseReason::kTimedOut, now);
      return;
    }
    const Time retry = std::min(now + c.request_retry, c.connect_deadline);
    c.request_retry *= 2;
    c.handshake_timer = scheduler_->At(
        retry, [this, slot, generation] { RequestArrives(slot, generation); });
    return;
  }
  Host& target = hosts_[c.host[1]];
  const size_t waiting = target.backlog.size() - target.backlog_head;
  if (target.listener == nullptr || waiting >= target.listen.backlog) {
    Refuse(slot, now + OneWayLatency(c));
    return;
  }
  target.backlog.push_back(BacklogEntry{slot, generation});
  c.phase = Phase::kInBacklog;
  EnsureAcceptStep(c.host[1], std::max(now, target.next_accept_at));
}

void Network::EnsureAcceptStep(HostId host, Time when) {
  Host& h = hosts_[host];
  if (h.accept_timer != kNoTimer) return;  // It runs at the earliest anyway.
  h.accept_timer = scheduler_->At(when, [this, host] { AcceptStep(host); });
}

void Network::AcceptStep(HostId host) {
  Host& h = hosts_[host];
  h.accept_timer = kNoTimer;
  while (h.backlog_head < h.backlog.size()) {
    const Time now = scheduler_->now();
    const bool rate_limited =
        h.listener != nullptr && h.listen.accepts_per_second > 0;
    if (rate_limited && now < h.next_accept_at) {
      h.accept_timer =
          scheduler_->At(h.next_accept_at, [this, host] { AcceptStep(host); });
      return;
    }
    const BacklogEntry entry = h.backlog[h.backlog_head++];
    if (h.backlog_head == h.backlog.size()) {
      h.backlog.clear();
      h.backlog_head = 0;
    }
    if (!Current(entry.slot, entry.generation)) continue;
    Connection& c = connections_[entry.slot];
    if (c.state[0] != EndState::kConnecting || c.phase != Phase::kInBacklog) {
      continue;
    }
    if (h.listener == nullptr) {
      Refuse(entry.slot, now + OneWayLatency(c));
      continue;
    }
    if (rate_limited) {
      h.next_accept_at = now + (kSecond + h.listen.accepts_per_second - 1) /
                                   h.listen.accepts_per_second;
    }
    const SocketId socket = MakeSocket(entry.slot, entry.generation, 1);
    Endpoint* endpoint = h.listener->OnAccept(socket, c.host[0], c.tag);
    // The listener may have done anything meanwhile, even to this request.
    if (!Current(entry.slot, entry.generation) ||
        c.state[0] != EndState::kConnecting || c.phase != Phase::kInBacklog) {
      continue;
    }
    if (endpoint == nullptr) {
      Refuse(entry.slot, now + OneWayLatency(c));
      continue;
    }
    ++stats_.connects_accepted;
    c.phase = Phase::kEstablished;
    c.state[1] = EndState::kOpen;
    c.endpoint[1] = endpoint;
    TraceSocket(TraceKind::kAccepted, entry.slot, 1, c.host[0]);
    const Time connected_at = now + OneWayLatency(c);
    // The initiator's bytes leave once it knows it is connected; the
    // acceptor's bytes cannot arrive before that news does.
    c.pipe[0].wire_free_at = connected_at;
    c.pipe[1].last_arrival = connected_at;
    const uint32_t slot = entry.slot;
    const uint32_t generation = entry.generation;
    c.handshake_timer = scheduler_->At(connected_at, [this, slot, generation] {
      ConnectedArrives(slot, generation);
    });
    EnsurePump(slot, 0, connected_at);
  }
}

void Network::Refuse(uint32_t slot, Time when) {
  TellClosed(slot, 0, CloseReason::kRefused, when);
}

void Network::ConnectedArrives(uint32_t slot, uint32_t generation) {
  if (!Current(slot, generation)) return;
  Connection& c = connections_[slot];
  c.handshake_timer = kNoTimer;
  if (c.state[0] != EndState::kConnecting) return;
  c.state[0] = EndState::kOpen;
  TraceSocket(TraceKind::kConnected, slot, 0, c.host[1]);
  c.endpoint[0]->OnConnected(MakeSocket(slot, generation, 0));
  if (!Current(slot, generation)) return;
  EnsurePump(slot, 1, scheduler_->now());
}

bool Network::Flowing(const Connection& c, int side) const {
  return c.phase == Phase::kEstablished && c.state[side] == EndState::kOpen &&
         !c.black_hole && !Cut(c);
}

void Network::Transmit(Connection& c, int side, Time now) {
  Pipe& p = c.pipe[side];
  // Bytes written in the instant a segment went out join it, up to a full
  // segment, as a TCP stack coalesces writes queued together.
  if (p.open_segment_at == now && p.transmitted < p.written &&
      p.segments_head < p.segments.size()) {
    Segment& last = p.segments.back();
    const uint64_t in_window = p.transmitted - p.read;
    const uint64_t room =
        std::min(c.max_segment - (last.end - p.open_segment_begin),
                 in_window < options_.receive_window_bytes
                     ? options_.receive_window_bytes - in_window
                     : 0);
    const uint64_t joining = std::min(room, p.written - p.transmitted);
    if (joining > 0) {
      const Duration delay = SerializationDelay(joining, c.bandwidth);
      p.wire_free_at += delay;
      last.arrival += delay;
      p.last_arrival = last.arrival;
      last.end += joining;
      p.transmitted += joining;
    }
  }
  while (p.transmitted < p.written && p.wire_free_at <= now) {
    const uint64_t in_window = p.transmitted - p.read;
    if (in_window >= options_.receive_window_bytes) break;
    uint64_t size = std::min({p.written - p.transmitted, c.max_segment,
                              options_.receive_window_bytes - in_window});
    bool cut_short = false;
    if (size > 1 && c.random.Chance(c.split_chance)) {
      size = 1 + c.random.Below(size - 1);
      cut_short = true;
    }
    const Time sent =
        std::max(p.wire_free_at, now) + SerializationDelay(size, c.bandwidth);
    p.wire_free_at = sent;
    const Time arrival = std::max(sent + OneWayLatency(c), p.last_arrival);
    p.last_arrival = arrival;
    p.open_segment_at = cut_short ? -1 : now;
    p.open_segment_begin = p.transmitted;
    p.transmitted += size;
    p.segments.push_back(Segment{p.transmitted, arrival});
    ++stats_.segments;
  }
}

void Network::EnsurePump(uint32_t slot, int side, Time when) {
  Connection& c = connections_[slot];
  Pipe& p = c.pipe[side];
  if (p.pump_timer != kNoTimer) {
    if (p.wake_at <= when) return;
    if (scheduler_->Reschedule(p.pump_timer, when)) {
      p.wake_at = when;
      return;
    }
  }
  const uint32_t generation = c.generation;
  p.pump_timer = scheduler_->At(
      when, [this, slot, generation, side] { Pump(slot, generation, side); });
  p.wake_at = when;
}

void Network::Pump(uint32_t slot, uint32_t generation, int side) {
  if (!Current(slot, generation)) return;
  Connection& c = connections_[slot];
  Pipe& p = c.pipe[side];
  p.pump_timer = kNoTimer;
  p.wake_at = kInfiniteFuture;
  const int reader = 1 - side;
  const Time now = scheduler_->now();
  const bool cut = Cut(c);
  const bool flowing = c.phase == Phase::kEstablished && !cut && !c.black_hole;
  const Host* reader_host =
      now < slow_readers_until_ ? &hosts_[c.host[reader]] : nullptr;
  const int64_t read_rate = reader_host != nullptr ? ReadRate(*reader_host) : 0;

  delivery_.clear();
  bool reset_writer = false;
  // Reading opens the window, which lets more go out: go round until the
  // reader takes nothing (every round reads at least one byte, so this ends).
  while (flowing) {
    Transmit(c, side, now);
    if (p.fin && p.fin_arrival == kInfiniteFuture &&
        p.transmitted == p.written) {
      p.fin_arrival = std::max(std::max(p.wire_free_at, now) + OneWayLatency(c),
                               p.last_arrival);
      p.last_arrival = p.fin_arrival;
    }
    // Segments due have arrived.
    while (p.segments_head < p.segments.size() &&
           p.segments[p.segments_head].arrival <= now) {
      p.arrived = p.segments[p.segments_head].end;
      ++p.segments_head;
    }
    if (p.segments_head == p.segments.size()) {
      p.segments.clear();
      p.segments_head = 0;
    } else if (p.segments_head >= kCompactSegmentsAfter &&
               2 * p.segments_head >= p.segments.size()) {
      // A pipe that never drains (a steady stream) drops what arrived once
      // it is half of the list: the list stays within twice what is in
      // flight, at amortised O(1) per segment.
      p.segments.erase(
          p.segments.begin(),
          p.segments.begin() + static_cast<std::ptrdiff_t>(p.segments_head));
      p.segments_head = 0;
    }
    // The reader takes what arrived.
    const uint64_t readable = p.arrived - p.read;
    if (readable == 0) break;
    const EndState reader_state = c.state[reader];
    uint64_t taken = 0;
    if (reader_state == EndState::kOpen) {
      taken = readable;
      if (read_rate > 0) {
        if (now < p.next_read_at) break;
        taken = std::min<uint64_t>(readable, options_.read_chunk_bytes);
        p.next_read_at = now + SerializationDelay(taken, read_rate);
      }
      const auto begin =
          p.queue.bytes.begin() + static_cast<std::ptrdiff_t>(p.queue.head);
      delivery_.insert(delivery_.end(), begin,
                       begin + static_cast<std::ptrdiff_t>(taken));
    } else if (reader_state == EndState::kGone ||
               reader_state == EndState::kClosing) {
      // Nobody reads. An end that did not close in order answers with RST.
      taken = readable;
      stats_.bytes_lost += readable;
      reset_writer = !c.closed_in_order[reader];
    } else {
      break;  // Not told connected yet: ConnectedArrives pumps again.
    }
    p.read += taken;
    p.queue.head += taken;
    if (p.queue.head == p.queue.bytes.size()) {
      p.queue.bytes.clear();
      p.queue.head = 0;
      if (p.queue.bytes.capacity() > kKeepCapacity) {
        p.queue.bytes.shrink_to_fit();
      }
    }
    // Another round only if the window this read opened lets more out.
    if (p.transmitted == p.written) break;
  }

  const bool fin_arrived = p.fin && p.read == p.written &&
                           p.fin_arrival <= now && flowing &&
                           c.state[reader] == EndState::kOpen;
  // A partition holds what is unsent or in flight; held too long, the
  // writer's end times out.
  const bool holding =
      cut && c.phase == Phase::kEstablished &&
      (p.transmitted < p.written || p.segments_head < p.segments.size() ||
       (p.fin && p.fin_arrival != kInfiniteFuture && !fin_arrived));
  if (!holding) {
    p.held_since = -1;
  } else if (p.held_since < 0) {
    p.held_since = now;
  }
  const bool timed_out =
      holding && now - p.held_since >= options_.retransmission_timeout;
  UpdateBlocked(c, side);

  // When this pipe next has work.
  Time wake = kInfiniteFuture;
  if (flowing) {
    if (p.transmitted < p.written &&
        p.transmitted - p.read < options_.receive_window_bytes) {
      wake = std::min(wake, p.wire_free_at);
    }
    if (p.segments_head < p.segments.size()) {
      wake = std::min(wake, p.segments[p.segments_head].arrival);
    }
    if (p.arrived > p.read && read_rate > 0) {
      wake = std::min(wake,
                      std::min(p.next_read_at, reader_host->read_rate_until));
    }
    if (p.fin && !fin_arrived && p.fin_arrival > now) {
      wake = std::min(wake, p.fin_arrival);
    }
  }
  if (holding && !timed_out) {
    wake = std::min(wake, p.held_since + options_.retransmission_timeout);
  }
  if (wake != kInfiniteFuture && !timed_out) {
    MQLAB_CHECK_MSG(wake > now, "a pipe's pump would spin");
    EnsurePump(slot, side, wake);
  }

  // Tell the ends, re-checking after each call: an endpoint may close,
  // reset or release the connection from inside.
  if (timed_out) TellClosed(slot, side, CloseReason::kTimedOut, now);
  if (reset_writer && (c.state[side] == EndState::kOpen ||
                       c.state[side] == EndState::kConnecting)) {
    TellClosed(slot, side, CloseReason::kReset, now + OneWayLatency(c));
  }
  if (p.blocked != p.told_blocked && c.state[side] == EndState::kOpen) {
    p.told_blocked = p.blocked;
    TraceSocket(TraceKind::kWriteBlocked, slot, side, p.blocked ? 1 : 0);
    c.endpoint[side]->OnWriteBlocked(MakeSocket(slot, generation, side),
                                     p.blocked);
    if (!Current(slot, generation)) return;
  }
  if (!delivery_.empty() && c.state[reader] == EndState::kOpen) {
    const SocketId socket = MakeSocket(slot, generation, reader);
    ++stats_.deliveries;
    stats_.bytes_delivered += delivery_.size();
    if (trace_ != nullptr) {
      trace_->AddBytes(now, TraceKind::kBytesDelivered, socket.value(),
                       delivery_.size(), delivery_);
    }
    c.endpoint[reader]->OnBytes(socket, delivery_);
    if (!Current(slot, generation)) return;
  }
  if (fin_arrived && c.state[reader] == EndState::kOpen &&
      p.read == p.written) {
    c.state[reader] = EndState::kClosing;
    ClosedArrives(slot, generation, reader, CloseReason::kPeerClosed);
  }
}

void Network::ClearPipe(Connection& c, int side) {
  Pipe& p = c.pipe[side];
  stats_.bytes_lost += p.written - p.read;
  p.queue.bytes.clear();
  p.queue.head = 0;
  if (p.queue.bytes.capacity() > kKeepCapacity) p.queue.bytes.shrink_to_fit();
  p.segments.clear();
  p.segments_head = 0;
  p.transmitted = p.arrived = p.read = p.written;
  p.held_since = -1;
  p.fin = false;
  p.fin_arrival = kInfiniteFuture;
}

void Network::UpdateBlocked(Connection& c, int side) {
  Pipe& p = c.pipe[side];
  const uint64_t unsent = p.written - p.transmitted;
  if (!p.blocked && unsent >= options_.write_blocked_high_water) {
    p.blocked = true;
  } else if (p.blocked && unsent <= options_.write_blocked_low_water) {
    p.blocked = false;
  }
}

void Network::TellClosed(uint32_t slot, int side, CloseReason reason,
                         Time when) {
  Connection& c = connections_[slot];
  if (c.state[side] != EndState::kOpen &&
      c.state[side] != EndState::kConnecting) {
    return;
  }
  c.state[side] = EndState::kClosing;
  // What this end wrote will never be read.
  ClearPipe(c, side);
  const uint32_t generation = c.generation;
  scheduler_->At(when, [this, slot, generation, side, reason] {
    ClosedArrives(slot, generation, side, reason);
  });
}

void Network::ClosedArrives(uint32_t slot, uint32_t generation, int side,
                            CloseReason reason) {
  if (!Current(slot, generation)) return;
  Connection& c = connections_[slot];
  if (c.state[side] != EndState::kClosing) return;
  const bool connecting = side == 0 && c.handshake_timer != kNoTimer;
  const bool never_connected =
      side == 0 && (c.phase != Phase::kEstablished || connecting);
  c.state[side] = EndState::kGone;
  Endpoint* endpoint = c.endpoint[side];
  c.endpoint[side] = nullptr;
  switch (reason) {
    case CloseReason::kRefused:
      ++stats_.connects_refused;
      break;
    case CloseReason::kTimedOut:
      ++(never_connected ? stats_.connects_timed_out : stats_.timeouts);
      break;
    case CloseReason::kReset:
      ++stats_.resets;
      break;
    case CloseReason::kPeerClosed:
      ++stats_.peer_closes;
      break;
    case CloseReason::kSendBufferOverflow:
      ++stats_.send_buffer_overflows;
      break;
  }
  TraceSocket(never_connected ? TraceKind::kConnectFailed : TraceKind::kClosed,
              slot, side, static_cast<uint64_t>(reason));
  endpoint->OnClosed(MakeSocket(slot, generation, side), reason);
  if (Current(slot, generation)) ReleaseIfDone(slot);
}

void Network::ResetConnection(uint32_t slot, CloseReason reason) {
  Connection& c = connections_[slot];
  ClearPipe(c, 0);
  ClearPipe(c, 1);
  const Time now = scheduler_->now();
  for (int side = 0; side < 2; ++side) TellClosed(slot, side, reason, now);
}

void Network::ReleaseIfDone(uint32_t slot) {
  Connection& c = connections_[slot];
  if (!c.in_use) return;
  for (EndState state : c.state) {
    if (state == EndState::kConnecting || state == EndState::kOpen ||
        state == EndState::kClosing) {
      return;
    }
  }
  scheduler_->Cancel(c.handshake_timer);
  c.handshake_timer = kNoTimer;
  for (Pipe& p : c.pipe) {
    scheduler_->Cancel(p.pump_timer);
    // Fresh, and its memory returned (destroyed and built again rather
    // than assigned: GCC's -Wmaybe-uninitialized misreads the assignment of
    // an inlined vector).
    std::destroy_at(&p);
    std::construct_at(&p);
  }
  c.in_use = false;
  c.endpoint[0] = c.endpoint[1] = nullptr;
  --live_connections_;
  free_slots_.push_back(slot);
}

void Network::HealPartition(size_t index) {
  const ActivePartition healed = std::move(partitions_[index]);
  partitions_.erase(partitions_.begin() + static_cast<std::ptrdiff_t>(index));
  const Time now = scheduler_->now();
  if (trace_ != nullptr) {
    trace_->Add(now, TraceKind::kPartitionHealed, healed.id);
  }
  for (uint32_t slot = 0; slot < connections_.size(); ++slot) {
    Connection& c = connections_[slot];
    if (!c.in_use || !CutBy(healed, c) || Cut(c)) continue;
    for (int side = 0; side < 2; ++side) {
      Pipe& p = c.pipe[side];
      // Held segments are retransmitted: they arrive one latency from now.
      const Time retransmitted = now + OneWayLatency(c);
      for (size_t i = p.segments_head; i < p.segments.size(); ++i) {
        if (p.segments[i].arrival > now) break;
        p.segments[i].arrival = retransmitted;
      }
      if (p.fin_arrival <= now) p.fin_arrival = retransmitted;
      p.last_arrival = std::max(p.last_arrival, retransmitted);
      p.held_since = -1;
      EnsurePump(slot, side, now);
    }
  }
}

void Network::TraceSocket(TraceKind kind, uint32_t slot, int side, uint64_t a,
                          uint64_t b) {
  if (trace_ == nullptr) return;
  trace_->Add(scheduler_->now(), kind,
              MakeSocket(slot, connections_[slot].generation, side).value(), a,
              b);
}

}  // namespace mqlab::sim
