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

// True when a property block in `scope` may carry `id` (table 2-4).
bool IsPropertyAllowed(PropertyId id, PropertyScope scope);
inline bool IsPropertyAllowed(const PropertyInfo& info, PropertyScope scope) {
  const unsigned bit =
      scope.will ? 1u : 1u << static_cast<unsigned>(scope.packet_type);
  return (info.allowed_scopes & bit) != 0;
}

// True when `id` may appear more than once in a block in `scope`: User
// Property anywhere, Subscription Identifier in PUBLISH (one per matching
// subscription). Any other repetition is a Protocol Error (section 2.2.2.2).
bool IsPropertyRepeatable(PropertyId id, PropertyScope scope);

}  // namespace mqlab::mqtt

#endif  // MQLAB_MQTT_PROPERTY_H_
