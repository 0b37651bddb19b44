// The grammar's client packets (fuzz/mqtt_session.proto) as bytes: a small
// MQTT serializer written apart from mqtt/encoder, so that it can write what
// the encoder never would (wrong flags, non-minimal or too long varints, cut
// or padded bodies, duplicate properties, properties on the wrong packet,
// bad UTF-8). Shared by codec_proto and broker_session.
#ifndef MQLAB_FUZZ_SESSION_WIRE_H_
#define MQLAB_FUZZ_SESSION_WIRE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/mqtt_session.pb.h"

namespace mqlab::fuzz {

// What the grammar leaves to its context: the stream's protocol version and
// the defaults of fields a packet leaves unset.
struct PacketContext {
  int version = 5;  // 4 (3.1.1) or 5: the level every packet but CONNECT uses.
  std::string client_name;      // Default ClientId and Username.
  std::string other_name;       // Username of USERNAME_OF_OTHER.
  uint16_t next_packet_id = 1;  // For a PUBLISH, SUBSCRIBE, UNSUBSCRIBE.
  uint16_t last_received_packet_id = 1;  // For a PUBACK ... PUBCOMP.
};

// The values the serializer writes where the grammar is open (defaults,
// repeats capped at what a Two Byte length can say), computed once for the
// serializer and the codec oracle alike.
struct ResolvedConnect {
  int level = 5;
  std::string protocol_name;
  std::string client_id;
  bool has_username = false;
  std::string username;
};
ResolvedConnect Resolve(const Connect& connect, const PacketContext& context);
std::string ResolvedPayload(const Publish& publish);
uint16_t ResolvedPacketId(const Packet& packet, const PacketContext& context);
// The four bits of the first byte: the packet's own flags, or faults'.
uint8_t FirstByteFlags(const Packet& packet);
// 1..15, the MQTT packet type.
uint8_t PacketTypeOf(const Packet& packet);

// Where a cut body may still be a valid packet, for the oracle.
struct BodyLayout {
  size_t fields_size = 0;  // The body without faults' trailing bytes.
  // A cut at one of these offsets leaves a packet of another meaning
  // (optional parts left out, fewer filters): the oracle cannot say.
  std::vector<size_t> open_cuts;
  // A cut at or after this offset only shortens the payload (PUBLISH).
  size_t payload_start = SIZE_MAX;
  // Bytes after the last field are surely refused (trailing bytes), rather
  // than read as more fields.
  bool closed_end = true;
  bool has_property_block = false;  // A (first) Property Length was written.
};

struct EncodedPacket {
  std::vector<uint8_t> bytes;  // Fixed header and body as sent.
  BodyLayout layout;
  size_t body_size = 0;          // After faults' trailing bytes and cut.
  uint32_t declared_length = 0;  // The Remaining Length written.
  size_t length_bytes = 0;       // Bytes of that varint.
  bool incomplete = false;       // faults.remaining_length_excess > 0.
};

// `packet` as bytes, CONNECT in its own level, the rest in context.version.
EncodedPacket EncodePacket(const Packet& packet, const PacketContext& context);

// Helpers shared with the oracle: the Variable Byte Integer a field holds
// (values above 268,435,455 keep their low 28 bits), and byte, two-byte
// fields' low bits.
uint32_t VarintValue(uint32_t value);
// Longest string or binary value the serializer writes (a Two Byte length).
inline constexpr size_t kMaximumFieldSize = 65535;
std::string Capped(const std::string& value);

}  // namespace mqlab::fuzz

#endif  // MQLAB_FUZZ_SESSION_WIRE_H_
