// Which reason codes each MQTT 5.0 packet type may carry (sections 3.2.2.2,
// 3.4.2.1, 3.5.2.1, 3.6.2.1, 3.7.2.1, 3.9.3, 3.11.3, 3.14.2.1, 3.15.2.1), and
// the return codes of MQTT 3.1.1's SUBACK.
#ifndef MQLAB_MQTT_PACKET_REASON_CODES_H_
#define MQLAB_MQTT_PACKET_REASON_CODES_H_

#include <span>

#include "mqtt/packet.h"
#include "mqtt/reason_code.h"

namespace mqlab::mqtt {

// The codes a packet of `type` may carry in `version`, in ascending order;
// empty for types that carry none (CONNECT, PUBLISH, SUBSCRIBE, UNSUBSCRIBE,
// PINGREQ, PINGRESP, and in 3.1.1 everything but SUBACK and CONNACK, whose
// return codes are mapped through ToConnectReturnCode).
std::span<const ReasonCode> AllowedReasonCodes(PacketType type,
                                               Version version);

bool IsReasonCodeAllowed(PacketType type, Version version, ReasonCode code);

}  // namespace mqlab::mqtt

#endif  // MQLAB_MQTT_PACKET_REASON_CODES_H_
