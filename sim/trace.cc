#include "sim/trace.h"

#include <xxhash.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/check.h"
#include "sim/duration_text.h"

namespace mqlab::sim {
namespace {

// Little-endian whatever the host's order, so the hash is portable.
void PutLittleEndian(uint64_t value, unsigned char* out) {
  for (int i = 0; i < 8; ++i)
    out[i] = static_cast<unsigned char>(value >> (8 * i));
}

}  // namespace

struct Trace::HashState {
  HashState() : state(XXH3_createState()) {
    MQLAB_CHECK(state != nullptr);
    MQLAB_CHECK(XXH3_64bits_reset(state) == XXH_OK);
  }
  ~HashState() { XXH3_freeState(state); }
  XXH3_state_t* state;
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
  PutLittleEndian(static_cast<uint64_t>(time), header);
  PutLittleEndian(static_cast<uint64_t>(kind), header + 8);
  PutLittleEndian(subject, header + 16);
  PutLittleEndian(a, header + 24);
  PutLittleEndian(b, header + 32);
  PutLittleEndian(bytes.size() + text.size(), header + 40);
  XXH3_64bits_update(state_->state, header, sizeof(header));
  if (!bytes.empty()) {
    XXH3_64bits_update(state_->state, bytes.data(), bytes.size());
  }
  if (!text.empty())
    XXH3_64bits_update(state_->state, text.data(), text.size());
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

uint64_t Trace::hash() const { return XXH3_64bits_digest(state_->state); }

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
