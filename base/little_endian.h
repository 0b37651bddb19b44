// Loads and stores of little-endian integers, one instruction each on
// little-endian hosts (GCC does not merge byte-by-byte loops into one store).
// For byte formats that must be the same on every host: trace records,
// message tags.
#ifndef MQLAB_BASE_LITTLE_ENDIAN_H_
#define MQLAB_BASE_LITTLE_ENDIAN_H_

#include <bit>
#include <cstdint>
#include <cstring>

namespace mqlab {

inline uint64_t ToLittleEndian64(uint64_t value) {
  if constexpr (std::endian::native == std::endian::big) {
    return __builtin_bswap64(value);
  }
  return value;
}

inline void StoreLittleEndian64(uint64_t value, void* out) {
  value = ToLittleEndian64(value);
  std::memcpy(out, &value, sizeof(value));
}

inline uint64_t LoadLittleEndian64(const void* in) {
  uint64_t value;
  std::memcpy(&value, in, sizeof(value));
  return ToLittleEndian64(value);
}

}  // namespace mqlab

#endif  // MQLAB_BASE_LITTLE_ENDIAN_H_
