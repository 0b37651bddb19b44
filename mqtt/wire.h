// Big-endian integer loads and stores of the MQTT wire format (section 1.5),
// shared by the decoder, the encoder and the list cursors. Internal to the
// codec.
#ifndef MQLAB_MQTT_WIRE_H_
#define MQLAB_MQTT_WIRE_H_

#include <cstdint>

namespace mqlab::mqtt::internal {

inline uint16_t LoadU16(const uint8_t* p) {
  return static_cast<uint16_t>((p[0] << 8) | p[1]);
}

inline uint32_t LoadU32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) |
         (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | p[3];
}

inline uint8_t* StoreU16(uint16_t value, uint8_t* out) {
  out[0] = static_cast<uint8_t>(value >> 8);
  out[1] = static_cast<uint8_t>(value);
  return out + 2;
}

inline uint8_t* StoreU32(uint32_t value, uint8_t* out) {
  out[0] = static_cast<uint8_t>(value >> 24);
  out[1] = static_cast<uint8_t>(value >> 16);
  out[2] = static_cast<uint8_t>(value >> 8);
  out[3] = static_cast<uint8_t>(value);
  return out + 4;
}

}  // namespace mqlab::mqtt::internal

#endif  // MQLAB_MQTT_WIRE_H_
