// A readable, field-by-field text form of MQTT packets, for `mqlab decode`,
// logs and test failure messages. Example:
//
//   PUBLISH dup=0 qos=1 retain=0
//     topic: "vehicles/vehicle01/position"
//     packet_id: 7
//     properties:
//       Content Type (0x03): "application/geo+json"
//     payload: 58 bytes, text: "{\"type\":\"Point\",...}"
//
// Strings are quoted with C escapes for control and invalid bytes; payloads
// and binary data print as text when they are printable UTF-8, else as hex,
// and both are cut after PrintOptions' limits with a note of what was left
// out.
#ifndef MQLAB_MQTT_PRINTER_H_
#define MQLAB_MQTT_PRINTER_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <type_traits>
#include <variant>

#include "mqtt/packet.h"

namespace mqlab::mqtt {

struct PrintOptions {
  // Most bytes of a payload (or binary property) shown.
  size_t maximum_payload_bytes = 256;
  // Spaces before every line (the first line included).
  size_t indent = 0;
};

std::string PacketToString(const Packet& packet,
                           const PrintOptions& options = {});

// One line: "PUBLISH qos=1 topic=\"a/b\" 100 bytes" and the like.
std::string PacketSummary(const Packet& packet);

// GoogleTest printers: failure messages show packets field by field.
void PrintTo(const Packet& packet, std::ostream* os);
template <typename T>
requires(!std::is_same_v<T, Packet> &&
         std::is_constructible_v<Packet, std::in_place_type_t<T>,
                                 const T&>) void PrintTo(const T& packet,
                                                         std::ostream* os) {
  PrintTo(Packet(std::in_place_type<T>, packet), os);
}
void PrintTo(const Properties& properties, std::ostream* os);
void PrintTo(const UserProperty& property, std::ostream* os);
void PrintTo(const Subscription& subscription, std::ostream* os);

}  // namespace mqlab::mqtt

#endif  // MQLAB_MQTT_PRINTER_H_
