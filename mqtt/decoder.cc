#include "mqtt/decoder.h"

#include <algorithm>

#include "base/check.h"
#include "mqtt/packet_decoder.h"

namespace mqlab::mqtt {
namespace {

using internal::FixedHeader;
using internal::HeaderStatus;

constexpr std::string_view kTooLargeRule =
    "[MQTT 5.0 3.1.2.11.4 / 3.2.2.3.6] the packet is larger than the Maximum "
    "Packet Size";

bool CheckSize(const FixedHeader& header, uint32_t maximum, uint64_t offset,
               DecodeError* error) {
  if (header.packet_size() <= maximum) return true;
  error->reason_code = ReasonCode::kPacketTooLarge;
  error->offset = offset;
  error->rule = kTooLargeRule;
  return false;
}

}  // namespace

Decoder::Decoder(const DecoderOptions& options)
    : maximum_packet_size_(options.maximum_packet_size),
      version_(options.version) {}

void Decoder::Reset(const DecoderOptions& options) {
  maximum_packet_size_ = options.maximum_packet_size;
  version_ = options.version;
  stream_offset_ = 0;
  last_packet_size_ = 0;
  partial_.clear();
  partial_returned_ = false;
  failed_.reset();
}

Decoder::Status Decoder::Fail(const DecodeError* error) {
  failed_ = *error;
  return Status::kError;
}

Decoder::Status Decoder::Finish(Bytes packet_bytes,
                                const internal::FixedHeader& header,
                                uint64_t offset, Packet* packet,
                                DecodeError* error) {
  if (!internal::DecodeWholePacket(packet_bytes, header, version_, offset,
                                   packet, error)) {
    return Fail(error);
  }
  if (!version_.has_value()) version_ = std::get<Connect>(*packet).version;
  last_packet_size_ = packet_bytes.size();
  return Status::kPacket;
}

Decoder::Status Decoder::Next(Bytes* input, Packet* packet,
                              DecodeError* error) {
  if (failed_.has_value()) {
    *error = *failed_;
    return Status::kError;
  }
  if (partial_returned_) {
    partial_.clear();  // Keeps its capacity for the next split packet.
    partial_returned_ = false;
  }
  if (!partial_.empty()) return NextFromBuffer(input, packet, error);
  // Fast path: a packet that lies whole in the input is decoded in place.
  const uint64_t offset = stream_offset_;
  FixedHeader header;
  const HeaderStatus status =
      internal::ParseFixedHeader(*input, version_, offset, &header, error);
  if (status == HeaderStatus::kError) return Fail(error);
  if (status == HeaderStatus::kOk) {
    if (!CheckSize(header, maximum_packet_size_, offset, error)) {
      return Fail(error);
    }
    if (header.packet_size() <= input->size()) {
      const Bytes packet_bytes = input->first(header.packet_size());
      *input = input->subspan(header.packet_size());
      stream_offset_ += packet_bytes.size();
      return Finish(packet_bytes, header, offset, packet, error);
    }
  }
  // The packet continues in a later call.
  partial_.insert(partial_.end(), input->begin(), input->end());
  stream_offset_ += input->size();
  *input = {};
  return Status::kNeedMore;
}

Decoder::Status Decoder::NextFromBuffer(Bytes* input, Packet* packet,
                                        DecodeError* error) {
  const uint64_t offset = stream_offset_ - partial_.size();
  FixedHeader header;
  while (true) {
    const HeaderStatus status =
        internal::ParseFixedHeader(partial_, version_, offset, &header, error);
    if (status == HeaderStatus::kError) return Fail(error);
    if (status == HeaderStatus::kOk) break;
    // The header is incomplete: move its bytes over one at a time, so that
    // nothing of the body is buffered before the size is checked.
    if (input->empty()) return Status::kNeedMore;
    partial_.push_back(input->front());
    *input = input->subspan(1);
    ++stream_offset_;
  }
  if (!CheckSize(header, maximum_packet_size_, offset, error)) {
    return Fail(error);
  }
  const size_t missing = header.packet_size() - partial_.size();
  const size_t taken = std::min(missing, input->size());
  partial_.insert(partial_.end(), input->begin(), input->begin() + taken);
  *input = input->subspan(taken);
  stream_offset_ += taken;
  if (taken < missing) return Status::kNeedMore;
  partial_returned_ = true;
  return Finish(partial_, header, offset, packet, error);
}

Decoder::Status DecodePacket(Bytes bytes, Version version, Packet* packet,
                             DecodeError* error, uint64_t stream_offset) {
  FixedHeader header;
  switch (internal::ParseFixedHeader(bytes, version, stream_offset, &header,
                                     error)) {
    case HeaderStatus::kError:
      return Decoder::Status::kError;
    case HeaderStatus::kNeedMore:
      error->reason_code = ReasonCode::kMalformedPacket;
      error->offset = stream_offset + bytes.size();
      error->rule = "[MQTT 5.0 2.1.1] the bytes end inside the fixed header";
      return Decoder::Status::kError;
    case HeaderStatus::kOk:
      break;
  }
  if (header.packet_size() != bytes.size()) {
    error->reason_code = ReasonCode::kMalformedPacket;
    error->offset = stream_offset + 1;
    error->rule =
        "[MQTT 5.0 2.1.4] the Remaining Length disagrees with the packet's "
        "size";
    return Decoder::Status::kError;
  }
  if (!internal::DecodeWholePacket(bytes, header, version, stream_offset,
                                   packet, error)) {
    return Decoder::Status::kError;
  }
  return Decoder::Status::kPacket;
}

}  // namespace mqlab::mqtt
