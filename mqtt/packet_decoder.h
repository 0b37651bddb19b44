// Decoding of one whole packet: its fixed header (checked as soon as its
// bytes arrive, before the body is buffered) and its body. The streaming
// Decoder (decoder.h) frames the stream and calls these. Internal to the
// codec.
#ifndef MQLAB_MQTT_PACKET_DECODER_H_
#define MQLAB_MQTT_PACKET_DECODER_H_

#include <cstddef>
#include <cstdint>
#include <optional>

#include "mqtt/decoder.h"
#include "mqtt/packet.h"

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

// Parses the fixed header at the front of `bytes`, checking the packet type,
// the flags and (when `version` is unset) that the packet is a CONNECT as
// soon as the first byte is there. `offset` is the stream offset of bytes[0].
HeaderStatus ParseFixedHeader(Bytes bytes, std::optional<Version> version,
                              uint64_t offset, FixedHeader* header,
                              DecodeError* error);

// Decodes `packet` (exactly header.packet_size() bytes, fixed header
// included). A CONNECT is decoded by its own Protocol Level; every other
// packet needs `version`.
bool DecodeWholePacket(Bytes packet, const FixedHeader& header,
                       std::optional<Version> version, uint64_t offset,
                       Packet* out, DecodeError* error);

}  // namespace mqlab::mqtt::internal

#endif  // MQLAB_MQTT_PACKET_DECODER_H_
