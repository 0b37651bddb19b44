// The run's fingerprint. Every event a run produces (bytes delivered,
// connection changes, faults, broker lifecycle events, client actions) is
// folded, in the order it happens, into one 64-bit XXH3 hash; a run prints it
// as `trace_hash=<16 hex digits>` and two runs with the same hash did the same
// thing. Records are encoded field by field in little-endian order and never
// contain pointers or hash-map order, so the hash is the same in -c opt,
// -c dbg and sanitizer builds.
//
// For debugging, the trace can also keep the last `log_capacity` records as
// text (a bounded ring: older lines are dropped, and counted).
#ifndef MQLAB_SIM_TRACE_H_
#define MQLAB_SIM_TRACE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"

namespace mqlab::sim {

// What a record is about. The numbers are part of every hash: add new kinds
// at the end of a group, never renumber.
enum class TraceKind : uint16_t {
  // The network (subject: a socket, see network.h).
  kConnectRequested = 1,  // a: target host, b: source host.
  kAccepted = 2,          // a: peer host.
  kConnected = 3,
  kConnectFailed = 4,     // a: CloseReason.
  kBytesDelivered = 5,    // a: byte count; the bytes are folded too.
  kClosed = 6,            // a: CloseReason.
  kWriteBlocked = 7,      // a: 1 blocked, 0 unblocked.
  kPartitionStarted = 8,  // subject: partition id; a, b: side sizes.
  kPartitionHealed = 9,   // subject: partition id.
  // Faults (subject: the FaultKind; a, b: targets and amounts).
  kFault = 32,
  // The broker (subject: connection; a: broker::EventKind; text: session).
  kBrokerEvent = 64,
  kBrokerStarted = 65,
  kBrokerStopped = 66,
  // Virtual clients (subject: client index; a: action; text: detail).
  kClientAction = 96,
};

std::string_view TraceKindName(TraceKind kind);

class Trace {
 public:
  // `log_capacity` = 0 keeps no text log (the hash is always kept).
  explicit Trace(size_t log_capacity = 0);
  ~Trace();
  Trace(const Trace&) = delete;
  Trace& operator=(const Trace&) = delete;

  void Add(Time time, TraceKind kind, uint64_t subject, uint64_t a = 0,
           uint64_t b = 0) {
    AddRecord(time, kind, subject, a, b, {}, {});
  }
  // A record that carries bytes (a delivery): the bytes are hashed, the log
  // shows their count.
  void AddBytes(Time time, TraceKind kind, uint64_t subject, uint64_t a,
                std::span<const uint8_t> bytes) {
    AddRecord(time, kind, subject, a, 0, bytes, {});
  }
  // A record that carries a name (a session, a topic, a fault's targets).
  void AddText(Time time, TraceKind kind, uint64_t subject, uint64_t a,
               uint64_t b, std::string_view text) {
    AddRecord(time, kind, subject, a, b, {}, text);
  }

  uint64_t hash() const;
  // "trace_hash=0123456789abcdef".
  std::string HashLine() const;
  uint64_t records() const { return records_; }

  // The last log_capacity records as text, oldest first, and how many older
  // ones were dropped.
  std::vector<std::string> LogLines() const;
  uint64_t log_lines_dropped() const { return log_dropped_; }

 private:
  void AddRecord(Time time, TraceKind kind, uint64_t subject, uint64_t a,
                 uint64_t b, std::span<const uint8_t> bytes,
                 std::string_view text);
  void Log(Time time, TraceKind kind, uint64_t subject, uint64_t a, uint64_t b,
           std::span<const uint8_t> bytes, std::string_view text);

  struct HashState;
  std::unique_ptr<HashState> state_;
  uint64_t records_ = 0;
  size_t log_capacity_;
  std::vector<std::string> log_;  // A ring once full; log_next_ is oldest.
  size_t log_next_ = 0;
  uint64_t log_dropped_ = 0;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_TRACE_H_
