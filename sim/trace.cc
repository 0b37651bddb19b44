#include "sim/trace.h"

#include <xxhash.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/check.h"
#include "base/little_endian.h"
#include "sim/duration_text.h"

namespace mqlab::sim {

// Records are gathered in a buffer and hashed a buffer at a time: XXH3's
// streaming hash does not depend on how its input is cut, and one update per
// few kilobytes costs far less than three per record.
struct Trace::HashState {
  HashState() : state(XXH3_createState()) {
    MQLAB_CHECK(state != nullptr);
    MQLAB_CHECK(XXH3_64bits_reset(state) == XXH_OK);
  }
  ~HashState() { XXH3_freeState(state); }
  HashState(const HashState&) = delete;
  HashState& operator=(const HashState&) = delete;

  void Append(const void* data, size_t size) {
    if (size > kBufferSize - used) {
      Flush();
      if (size > kBufferSize) {
        XXH3_64bits_update(state, data, size);
        return;
      }
    }
    std::memcpy(buffer + used, data, size);
    used += size;
  }
  void Flush() {
    if (used > 0) XXH3_64bits_update(state, buffer, used);
    used = 0;
  }
  uint64_t Digest() const {
    XXH3_state_t* copy = XXH3_createState();
    MQLAB_CHECK(copy != nullptr);
    XXH3_copyState(copy, state);
    if (used > 0) XXH3_64bits_update(copy, buffer, used);
    const uint64_t digest = XXH3_64bits_digest(copy);
    XXH3_freeState(copy);
    return digest;
  }

  static constexpr size_t kBufferSize = 16 * 1024;
  XXH3_state_t* state;
  size_t used = 0;
  unsigned char buffer[kBufferSize];
};

std::string_view TraceKindName(TraceKind kind) {
  switch (kind) {
    case TraceKind::kConnectRequested:
      return "connect-requested";
    case TraceKind::kAccepted:
      return "accepted";
    case TraceKind::kConnected:
      return "connected";
    case TraceKind::kConnectFailed:
      return "connect-failed";
    case TraceKind::kBytesDelivered:
      return "bytes";
    case TraceKind::kClosed:
      return "closed";
    case TraceKind::kWriteBlocked:
      return "write-blocked";
    case TraceKind::kPartitionStarted:
      return "partition-started";
    case TraceKind::kPartitionHealed:
      return "partition-healed";
    case TraceKind::kFault:
      return "fault";
    case TraceKind::kBrokerEvent:
      return "broker-event";
    case TraceKind::kBrokerStarted:
      return "broker-started";
    case TraceKind::kBrokerStopped:
      return "broker-stopped";
    case TraceKind::kClientAction:
      return "client-action";
  }
  return "unknown";
}

Trace::Trace(size_t log_capacity)
    : state_(std::make_unique<HashState>()), log_capacity_(log_capacity) {}

Trace::~Trace() = default;

void Trace::AddRecord(Time time, TraceKind kind, uint64_t subject, uint64_t a,
                      uint64_t b, std::span<const uint8_t> bytes,
                      std::string_view text) {
  // Fixed header: time, kind, subject, a, b, payload length. The lengths keep
  // records from running into each other (no two different sequences of
  // records give the same byte stream).
  unsigned char header[6 * 8];
  StoreLittleEndian64(static_cast<uint64_t>(time), header);
  StoreLittleEndian64(static_cast<uint64_t>(kind), header + 8);
  StoreLittleEndian64(subject, header + 16);
  StoreLittleEndian64(a, header + 24);
  StoreLittleEndian64(b, header + 32);
  StoreLittleEndian64(bytes.size() + text.size(), header + 40);
  state_->Append(header, sizeof(header));
  if (!bytes.empty()) state_->Append(bytes.data(), bytes.size());
  if (!text.empty()) state_->Append(text.data(), text.size());
  ++records_;
  if (log_capacity_ > 0) Log(time, kind, subject, a, b, bytes, text);
}

void Trace::Log(Time time, TraceKind kind, uint64_t subject, uint64_t a,
                uint64_t b, std::span<const uint8_t> bytes,
                std::string_view text) {
  std::string line = absl::StrCat("t=", FormatDuration(time), " ");
  line.append(TraceKindName(kind));
  absl::StrAppend(&line, " subject=", subject, " a=", a, " b=", b);
  if (!bytes.empty()) absl::StrAppend(&line, " bytes=", bytes.size());
  if (!text.empty()) {
    line += " text=";
    line.append(text);
  }
  if (log_.size() < log_capacity_) {
    log_.push_back(std::move(line));
    return;
  }
  log_[log_next_] = std::move(line);
  log_next_ = (log_next_ + 1) % log_capacity_;
  ++log_dropped_;
}

uint64_t Trace::hash() const { return state_->Digest(); }

std::string Trace::HashLine() const {
  return absl::StrFormat("trace_hash=%016x", hash());
}

std::vector<std::string> Trace::LogLines() const {
  std::vector<std::string> lines;
  lines.reserve(log_.size());
  for (size_t i = 0; i < log_.size(); ++i) {
    lines.push_back(log_[(log_next_ + i) % log_.size()]);
  }
  return lines;
}

}  // namespace mqlab::sim
