// Variable Byte Integer (MQTT 5.0 section 1.5.5, 3.1.1 section 2.2.3): the
// encoding of the Remaining Length, the Property Length and the Subscription
// Identifier, 7 bits a byte, least significant group first, at most 4 bytes.
#ifndef MQLAB_MQTT_VARINT_H_
#define MQLAB_MQTT_VARINT_H_

#include <cstddef>
#include <cstdint>

namespace mqlab::mqtt {

// Largest value 4 bytes can carry.
inline constexpr uint32_t kMaximumVarint = 268'435'455;
inline constexpr size_t kMaximumVarintSize = 4;

// Eight bytes, so that it is returned in a register: as a 12-byte struct it
// went through the stack, and the decoder's loads of it missed store
// forwarding (about a tenth of a small PUBLISH's decoding time).
struct VarintDecoding {
  enum class Status : uint8_t {
    kOk,
    kNeedMore,  // The bytes end before the last byte of the integer.
    kTooLong,   // A 4th byte has its continuation bit set.
  };
  uint32_t value = 0;
  Status status = Status::kNeedMore;
  uint8_t size = 0;  // Bytes used (kOk only).
  // False for an encoding longer than needed ("0x80 0x00" for 0). MQTT 5.0
  // forbids these [MQTT-1.5.5-1]; 3.1.1 says nothing, so the caller decides.
  bool minimal = true;
};

VarintDecoding DecodeMultiByteVarint(const uint8_t* data, size_t size);

// Inline for the one- and two-byte cases, which nearly all lengths are
// (packets up to 16 KiB).
inline VarintDecoding DecodeVarint(const uint8_t* data, size_t size) {
  if (size > 0 && data[0] < 0x80) {
    return {.value = data[0],
            .status = VarintDecoding::Status::kOk,
            .size = 1,
            .minimal = true};
  }
  if (size > 1 && data[1] < 0x80) {
    return {.value = static_cast<uint32_t>((data[0] & 0x7F) | (data[1] << 7)),
            .status = VarintDecoding::Status::kOk,
            .size = 2,
            .minimal = data[1] != 0};
  }
  return DecodeMultiByteVarint(data, size);
}

// Bytes the minimal encoding of `value` (<= kMaximumVarint) takes: 1 to 4.
constexpr size_t VarintSize(uint32_t value) {
  return value < 128 ? 1 : value < 16'384 ? 2 : value < 2'097'152 ? 3 : 4;
}

// Writes the minimal encoding of `value` (<= kMaximumVarint) at `out` and
// returns the position after it.
uint8_t* WriteVarint(uint32_t value, uint8_t* out);

}  // namespace mqlab::mqtt

#endif  // MQLAB_MQTT_VARINT_H_
