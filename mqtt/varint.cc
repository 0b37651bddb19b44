#include "mqtt/varint.h"

#include "base/check.h"

namespace mqlab::mqtt {

VarintDecoding DecodeMultiByteVarint(const uint8_t* data, size_t size) {
  VarintDecoding result;
  uint32_t value = 0;
  for (size_t i = 0; i < kMaximumVarintSize; ++i) {
    if (i == size) return result;  // kNeedMore.
    const uint8_t byte = data[i];
    value |= static_cast<uint32_t>(byte & 0x7F) << (7 * i);
    if ((byte & 0x80) == 0) {
      result.status = VarintDecoding::Status::kOk;
      result.value = value;
      result.size = static_cast<uint8_t>(i + 1);
      result.minimal = i == 0 || byte != 0;
      return result;
    }
  }
  result.status = VarintDecoding::Status::kTooLong;
  return result;
}

uint8_t* WriteVarint(uint32_t value, uint8_t* out) {
  MQLAB_CHECK(value <= kMaximumVarint);
  do {
    uint8_t byte = value & 0x7F;
    value >>= 7;
    if (value != 0) byte |= 0x80;
    *out++ = byte;
  } while (value != 0);
  return out;
}

}  // namespace mqlab::mqtt
