// MQTT packet encoder. Writes what it is given: validation of content (topic
// rules, allowed properties) belongs to the decoder and to the broker and
// client that build packets; the encoder refuses only what the wire format
// cannot express (a string over 65,535 bytes, a packet over the protocol's
// maximum, a 3.1.1 CONNACK code 3.1.1 lacks, an AUTH in 3.1.1).
//
// What 3.1.1 has no field for is left out: properties, and the reason codes
// of PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK and DISCONNECT; SUBACK
// failures (>= 0x80) become 0x80 and CONNACK codes go through
// ToConnectReturnCode. A CONNECT's Protocol Level is `version`, whatever
// Connect::version says. In 5.0 the PUBACK family, DISCONNECT and AUTH take
// their short forms when the reason code is Success and there are no
// properties. Properties are written in identifier order (User Properties and
// Subscription Identifiers in their list order).
#ifndef MQLAB_MQTT_ENCODER_H_
#define MQLAB_MQTT_ENCODER_H_

#include <cstddef>
#include <optional>
#include <vector>

#include "mqtt/packet.h"

namespace mqlab::mqtt {

// The encoded size of `packet` (fixed header included), or nullopt when it
// cannot be expressed in `version`.
std::optional<size_t> EncodedSize(const Packet& packet, Version version);

// Appends the encoded packet to *out. Returns false (and appends nothing)
// when it cannot be expressed in `version`.
bool Encode(const Packet& packet, Version version, std::vector<uint8_t>* out);

// Appends everything of a PUBLISH but its payload, so that a driver can send
// a large payload from where it lies (scatter/gather) instead of copying it.
// The remaining length written counts the payload.
bool EncodePublishHeader(const Publish& publish, Version version,
                         std::vector<uint8_t>* out);

}  // namespace mqlab::mqtt

#endif  // MQLAB_MQTT_ENCODER_H_
