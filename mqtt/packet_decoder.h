// Decoding of one whole packet: its fixed header (checked as soon as its
// bytes arrive, before the body is buffered) and its body. The streaming
// Decoder (decoder.h) frames the stream and calls these. Internal to the
// codec.
#ifndef MQLAB_MQTT_PACKET_DECODER_H_
#define MQLAB_MQTT_PACKET_DECODER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "mqtt/decoder.h"
#include "mqtt/packet.h"
#include "mqtt/varint.h"

namespace mqlab::mqtt::internal {

struct FixedHeader {
  PacketType type = PacketType::kConnect;
  uint8_t flags = 0;  // The low 4 bits of the first byte.
  uint32_t remaining_length = 0;
  uint8_t size = 0;  // Bytes of the fixed header: 2 to 5.
  // False for a non-minimal Remaining Length: malformed in 5.0
  // [MQTT-1.5.5-1], accepted in 3.1.1.
  bool minimal_length = true;
  size_t packet_size() const { return size + size_t{remaining_length}; }
};

enum class HeaderStatus { kOk, kNeedMore, kError };

// Bit B % 64 of kValidFirstBytes[V][B / 64] is set when a fixed header may
// begin with byte B (packet type and flags) on a stream whose version is V
// (0: unset, 1: 3.1.1, 2: 5.0).
extern const std::array<std::array<uint64_t, 4>, 3> kValidFirstBytes;

// The part of ParseFixedHeader that is not inline: a first byte that
// kValidFirstBytes refuses (for its rule), and a Remaining Length that is
// incomplete, too long or not minimal.
HeaderStatus ParseFixedHeaderSlow(Bytes bytes, std::optional<Version> version,
                                  uint64_t offset, FixedHeader* header,
                                  DecodeError* error);

// Parses the fixed header at the front of `bytes`, checking the packet type,
// the flags and (when `version` is unset) that the packet is a CONNECT as
// soon as the first byte is there. `offset` is the stream offset of bytes[0].
// Inline: the decoder calls it for every packet.
inline HeaderStatus ParseFixedHeader(Bytes bytes,
                                     std::optional<Version> version,
                                     uint64_t offset, FixedHeader* header,
                                     DecodeError* error) {
  if (bytes.empty()) return HeaderStatus::kNeedMore;
  const uint8_t first = bytes[0];
  const size_t version_index = !version.has_value()         ? 0
                               : *version == Version::kV311 ? 1
                                                            : 2;
  const VarintDecoding length =
      DecodeVarint(bytes.data() + 1, bytes.size() - 1);
  if ((kValidFirstBytes[version_index][first / 64] >> (first % 64) & 1) == 0 ||
      length.status != VarintDecoding::Status::kOk || !length.minimal) {
    return ParseFixedHeaderSlow(bytes, version, offset, header, error);
  }
  header->type = static_cast<PacketType>(first >> 4);
  header->flags = first & 0x0F;
  header->remaining_length = length.value;
  header->size = static_cast<uint8_t>(1 + length.size);
  header->minimal_length = true;
  return HeaderStatus::kOk;
}

// Decodes `packet` (exactly header.packet_size() bytes, fixed header
// included). A CONNECT is decoded by its own Protocol Level; every other
// packet needs `version`.
bool DecodeWholePacket(Bytes packet, const FixedHeader& header,
                       std::optional<Version> version, uint64_t offset,
                       Packet* out, DecodeError* error);

}  // namespace mqlab::mqtt::internal

#endif  // MQLAB_MQTT_PACKET_DECODER_H_
