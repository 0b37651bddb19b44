// What the server's CONNACK allows the client (MQTT 5.0 section 3.2.2.3),
// with the protocol's defaults for what it leaves out and for MQTT 3.1.1,
// which announces nothing.
#ifndef MQLAB_CLIENT_SERVER_LIMITS_H_
#define MQLAB_CLIENT_SERVER_LIMITS_H_

#include <cstdint>

#include "mqtt/decoder.h"
#include "mqtt/packet.h"

namespace mqlab::client {

struct ServerLimits {
  uint16_t receive_maximum = 65'535;
  uint32_t maximum_packet_size = mqtt::kProtocolMaximumPacketSize;
  uint16_t topic_alias_maximum = 0;
  mqtt::Qos maximum_qos = mqtt::Qos::kExactlyOnce;
  bool retain_available = true;
  bool wildcard_subscription_available = true;
  bool subscription_identifier_available = true;
  bool shared_subscription_available = true;
  // In effect for the connection: the server's Server Keep Alive, or what
  // the client asked for.
  uint16_t keep_alive_seconds = 0;
  // MQTT 5.0: the server's Session Expiry Interval, or what the client asked
  // for.
  uint32_t session_expiry_interval = 0;
};

// The limits of a connection accepted by `connack`; `keep_alive_seconds` and
// `session_expiry_interval` are what the CONNECT asked for.
ServerLimits ServerLimitsFromConnack(const mqtt::Connack& connack,
                                     mqtt::Version version,
                                     uint16_t keep_alive_seconds,
                                     uint32_t session_expiry_interval);

}  // namespace mqlab::client

#endif  // MQLAB_CLIENT_SERVER_LIMITS_H_
