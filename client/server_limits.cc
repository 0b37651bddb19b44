#include "client/server_limits.h"

namespace mqlab::client {

ServerLimits ServerLimitsFromConnack(const mqtt::Connack& connack,
                                     mqtt::Version version,
                                     uint16_t keep_alive_seconds,
                                     uint32_t session_expiry_interval) {
  ServerLimits limits;
  limits.keep_alive_seconds = keep_alive_seconds;
  if (version == mqtt::Version::kV311) return limits;
  const mqtt::Properties& p = connack.properties;
  limits.receive_maximum = p.receive_maximum.value_or(65'535);
  limits.maximum_packet_size =
      p.maximum_packet_size.value_or(mqtt::kProtocolMaximumPacketSize);
  limits.topic_alias_maximum = p.topic_alias_maximum.value_or(0);
  limits.maximum_qos = static_cast<mqtt::Qos>(p.maximum_qos.value_or(2));
  limits.retain_available = p.retain_available.value_or(1) != 0;
  limits.wildcard_subscription_available =
      p.wildcard_subscription_available.value_or(1) != 0;
  limits.subscription_identifier_available =
      p.subscription_identifier_available.value_or(1) != 0;
  limits.shared_subscription_available =
      p.shared_subscription_available.value_or(1) != 0;
  limits.keep_alive_seconds = p.server_keep_alive.value_or(keep_alive_seconds);
  limits.session_expiry_interval =
      p.session_expiry_interval.value_or(session_expiry_interval);
  return limits;
}

}  // namespace mqlab::client
