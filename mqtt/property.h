// What the codec knows about each MQTT 5.0 property (section 2.2.2.2, table
// 2-4): its data type, its name, which packets may carry it and whether it may
// appear more than once.
#ifndef MQLAB_MQTT_PROPERTY_H_
#define MQLAB_MQTT_PROPERTY_H_

#include <array>
#include <cstdint>
#include <string_view>

#include "mqtt/packet.h"

namespace mqlab::mqtt {

enum class PropertyType : uint8_t {
  kByte,
  kTwoByteInteger,
  kFourByteInteger,
  kVariableByteInteger,
  kBinaryData,
  kUtf8String,
  kUtf8StringPair,
};

// Where a property block sits: in a packet of a type, or in a CONNECT's Will
// Properties (which allow a different set than the CONNECT's own).
struct PropertyScope {
  PacketType packet_type;
  bool will = false;
};

struct PropertyInfo {
  PropertyId id;
  PropertyType type;
  std::string_view name;
  // Bit 0: Will Properties; bit N: packets of type N.
  uint16_t allowed_scopes;
};

namespace internal {
// Properties indexed by identifier byte (nullptr where a byte names none).
extern const std::array<const PropertyInfo*, 256> kPropertyIndex;
}  // namespace internal

// The property with identifier `id`, or nullptr for a byte that names none.
inline const PropertyInfo* FindProperty(uint8_t id) {
  return internal::kPropertyIndex[id];
}

// The identifiers a property block in `scope` may carry (table 2-4) and those
// it may repeat, as bit N for identifier N (every identifier is below 64), so
// that the decoder tests each property with one mask.
struct PropertyScopeMasks {
  uint64_t allowed = 0;
  uint64_t repeatable = 0;
};

namespace internal {
// [0]: Will Properties; [N]: packets of type N.
extern const std::array<PropertyScopeMasks, 16> kPropertyScopeMasks;
}  // namespace internal

inline const PropertyScopeMasks& MasksOf(PropertyScope scope) {
  return internal::kPropertyScopeMasks[scope.will ? 0
                                                  : static_cast<size_t>(
                                                        scope.packet_type)];
}

// True when a property block in `scope` may carry `id` (table 2-4).
inline bool IsPropertyAllowed(PropertyId id, PropertyScope scope) {
  const auto bit = static_cast<unsigned>(id);
  return bit < 64 && (MasksOf(scope).allowed >> bit & 1) != 0;
}

// True when `id` may appear more than once in a block in `scope`: User
// Property anywhere, Subscription Identifier in PUBLISH (one per matching
// subscription). Any other repetition is a Protocol Error (section 2.2.2.2).
inline bool IsPropertyRepeatable(PropertyId id, PropertyScope scope) {
  const auto bit = static_cast<unsigned>(id);
  return bit < 64 && (MasksOf(scope).repeatable >> bit & 1) != 0;
}

}  // namespace mqlab::mqtt

#endif  // MQLAB_MQTT_PROPERTY_H_
