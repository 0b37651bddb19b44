// Decoding and validation of an MQTT 5.0 property block (section 2.2.2).
// Internal to the codec.
#ifndef MQLAB_MQTT_PROPERTY_DECODER_H_
#define MQLAB_MQTT_PROPERTY_DECODER_H_

#include "mqtt/packet.h"
#include "mqtt/property.h"
#include "mqtt/wire_reader.h"

namespace mqlab::mqtt::internal {

// Reads a Property Length and the properties after it into *properties
// (whose fields must be unset). Refuses identifiers that name no property or
// that `scope` does not allow (0x81), repetitions of non-repeatable
// properties (0x82) and values the specification calls a Protocol Error.
bool ReadProperties(WireReader& reader, PropertyScope scope,
                    Properties* properties);

}  // namespace mqlab::mqtt::internal

#endif  // MQLAB_MQTT_PROPERTY_DECODER_H_
