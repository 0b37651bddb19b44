// Streaming MQTT decoder: bytes in, packets out, one at a time.
//
// Input may arrive split at any byte or with many packets in one buffer. A
// packet that lies whole in the caller's input is decoded in place (its
// fields refer into that input); only a packet split across calls is gathered
// into the decoder's own buffer, which is reused and bounded by
// maximum_packet_size. A fixed header that announces more than
// maximum_packet_size is refused (0x95) before any of the body is buffered.
// The hot path allocates nothing.
#ifndef MQLAB_MQTT_DECODER_H_
#define MQLAB_MQTT_DECODER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "mqtt/packet.h"
#include "mqtt/reason_code.h"

namespace mqlab::mqtt {

namespace internal {
struct FixedHeader;
}  // namespace internal

// Largest packet the protocol can express: a 4-byte remaining length of
// 268,435,455 plus the 5-byte fixed header.
inline constexpr uint32_t kProtocolMaximumPacketSize = 268'435'460;

// Why bytes were refused.
struct DecodeError {
  // The MQTT 5.0 reason code the input deserves: 0x81 Malformed Packet,
  // 0x82 Protocol Error, 0x84 Unsupported Protocol Version, 0x95 Packet Too
  // Large, ...
  ReasonCode reason_code = ReasonCode::kMalformedPacket;
  // Offset of the offending byte, counted from the start of the stream.
  uint64_t offset = 0;
  // The rule broken, citing the specification's normative statement, e.g.
  // "[MQTT-1.5.4-2] a UTF-8 string must not contain U+0000". Static storage.
  std::string_view rule;
};

// The rule of a CONNECT that carries Authentication Data without an
// Authentication Method (a Protocol Error). DecodeError::rule is this very
// text for that error, so that a server can answer it its own way (Event
// Grid answers CONNACK 0x87 Not authorized).
inline constexpr std::string_view kAuthenticationDataWithoutMethodRule =
    "[MQTT 5.0 3.1.2.11.10] Authentication Data without an Authentication "
    "Method is a Protocol Error";

struct DecoderOptions {
  // Packets larger than this (whole packet, fixed header included) are
  // refused with 0x95 as soon as their fixed header is complete. Event Grid's
  // limit is 512 KiB. It also bounds the decoder's buffer.
  uint32_t maximum_packet_size = kProtocolMaximumPacketSize;
  // The protocol version of the stream. Unset: the first CONNECT decides
  // (a server's decoder); until then only CONNECT can be decoded (anything
  // else: 0x82, [MQTT-3.1.0-1]). A CONNECT is always decoded by its own
  // Protocol Level; a CONNECT for MQTT 3.1 ("MQIsdp", level 3) or another
  // unknown version is refused with 0x84 and the version stays unset (the
  // broker then answers with the 3.1.1 CONNACK return code 1).
  std::optional<Version> version;
};

class Decoder {
 public:
  enum class Status {
    kPacket,    // *packet holds the next packet.
    kNeedMore,  // All of the input was consumed; feed more bytes.
    kError,     // *error says why; the stream cannot continue.
  };

  explicit Decoder(const DecoderOptions& options = {});

  // Starts a new stream with `options`, keeping the buffer's memory (a
  // driver that reuses decoders for new connections, a fuzz loop).
  void Reset(const DecoderOptions& options);

  // Consumes bytes from the front of *input (advancing it) until a packet is
  // complete, the input is exhausted, or the bytes break a rule. A packet
  // returned refers into *input's memory or into the decoder's buffer and
  // stays valid until the next call or until that memory changes. After
  // kError every further call returns the same error.
  //
  // Reason codes: 0x81 for bytes that break the format, 0x82 for values the
  // protocol forbids (a duplicate property, a zero Packet Identifier, a
  // reason code the packet type cannot carry, ...), 0x84 for an unsupported
  // protocol, 0x94 for Topic Alias 0, 0x95 for an oversize packet.
  Status Next(Bytes* input, Packet* packet, DecodeError* error);

  // The version decoded packets follow (set by options or the first CONNECT).
  std::optional<Version> version() const { return version_; }
  void set_version(Version version) { version_ = version; }
  void set_maximum_packet_size(uint32_t size) { maximum_packet_size_ = size; }

  // Bytes consumed since the stream began.
  uint64_t stream_offset() const { return stream_offset_; }
  // Size of the packet last returned, fixed header included.
  size_t last_packet_size() const { return last_packet_size_; }

 private:
  // Keeps *error, which the failing step filled, for every further call.
  Status Fail(const DecodeError* error);
  // Next for a packet that began in an earlier call: gathers it in partial_.
  // Out of line, so that the fast path stays small.
  Status NextFromBuffer(Bytes* input, Packet* packet, DecodeError* error);
  // Decodes the whole packet `packet_bytes` and learns the version from a
  // first CONNECT.
  Status Finish(Bytes packet_bytes, const internal::FixedHeader& header,
                uint64_t offset, Packet* packet, DecodeError* error);

  uint32_t maximum_packet_size_;
  std::optional<Version> version_;
  uint64_t stream_offset_ = 0;
  size_t last_packet_size_ = 0;
  // A packet split across calls; it grows to the largest such packet (at
  // most maximum_packet_size_) and keeps its capacity.
  std::vector<uint8_t> partial_;
  // partial_ holds the packet last returned, to be dropped on the next call.
  bool partial_returned_ = false;
  std::optional<DecodeError> failed_;
};

// Decodes exactly one packet whose bytes (fixed header included) are all of
// `bytes`. `stream_offset` is added to error offsets. For tests and tools.
Decoder::Status DecodePacket(Bytes bytes, Version version, Packet* packet,
                             DecodeError* error, uint64_t stream_offset = 0);

}  // namespace mqlab::mqtt

#endif  // MQLAB_MQTT_DECODER_H_
