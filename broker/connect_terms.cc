#include "broker/connect_terms.h"

#include "mqtt/decoder.h"

namespace mqlab::broker {

std::optional<ConnectRefusal> CheckConnectFeatures(
    const mqtt::Connect& connect) {
  const mqtt::Properties& properties = connect.properties;
  if (properties.authentication_method.has_value()) {
    return ConnectRefusal{
        mqtt::ReasonCode::kBadAuthenticationMethod,
        DisconnectionReason::kClientAuthenticationError,
        "Authentication Method: Event Grid authenticates by client "
        "certificate only"};
  }
  if (connect.will.has_value()) {
    return ConnectRefusal{mqtt::ReasonCode::kImplementationSpecificError,
                          DisconnectionReason::kClientError,
                          "Will Message: not supported by Event Grid"};
  }
  if (!properties.user_properties.empty()) {
    return ConnectRefusal{mqtt::ReasonCode::kImplementationSpecificError,
                          DisconnectionReason::kClientError,
                          "User Properties are not allowed on CONNECT"};
  }
  if (connect.client_id.empty()) {
    return ConnectRefusal{mqtt::ReasonCode::kClientIdentifierNotValid,
                          DisconnectionReason::kClientError,
                          "ClientId is required: it names the session, and "
                          "Event Grid assigns none"};
  }
  return std::nullopt;
}

uint32_t GrantedSessionExpiry(bool outlives_connection, const Limits& limits) {
  return outlives_connection ? limits.session_expiry_seconds : 0;
}

ConnectTerms NegotiateConnectTerms(const mqtt::Connect& connect,
                                   const Limits& limits) {
  ConnectTerms terms;
  const mqtt::Properties& properties = connect.properties;
  if (connect.version == mqtt::Version::kV5) {
    const bool outlives_connection =
        properties.session_expiry_interval.value_or(0) != 0;
    terms.session_expiry_seconds =
        GrantedSessionExpiry(outlives_connection, limits);
    terms.report_session_expiry = outlives_connection;
    terms.client_receive_maximum = properties.receive_maximum.value_or(65535);
    terms.topic_alias_maximum = limits.topic_alias_maximum;
  } else {
    terms.session_expiry_seconds =
        GrantedSessionExpiry(!connect.clean_start, limits);
  }
  if (connect.keep_alive == 0 ||
      connect.keep_alive > limits.maximum_keep_alive_seconds) {
    terms.keep_alive_seconds = limits.maximum_keep_alive_seconds;
    terms.report_keep_alive = connect.version == mqtt::Version::kV5;
  } else {
    terms.keep_alive_seconds = connect.keep_alive;
  }
  terms.client_maximum_packet_size =
      properties.maximum_packet_size.value_or(mqtt::kProtocolMaximumPacketSize);
  return terms;
}

Duration KeepAliveTimeout(uint16_t keep_alive_seconds) {
  return keep_alive_seconds * 3 * kSecond / 2;
}

mqtt::Connack AcceptedConnack(const ConnectTerms& terms, const Limits& limits,
                              bool session_present) {
  mqtt::Connack connack{.session_present = session_present};
  mqtt::Properties& p = connack.properties;
  if (terms.report_session_expiry) {
    p.session_expiry_interval = terms.session_expiry_seconds;
  }
  if (terms.report_keep_alive) p.server_keep_alive = terms.keep_alive_seconds;
  p.receive_maximum = limits.receive_maximum;
  p.maximum_qos = 1;
  p.retain_available = 0;
  p.maximum_packet_size = limits.maximum_packet_size;
  if (terms.topic_alias_maximum != 0) {
    p.topic_alias_maximum = terms.topic_alias_maximum;
  }
  p.wildcard_subscription_available = 1;
  p.subscription_identifier_available = 0;
  p.shared_subscription_available = 0;
  return connack;
}

}  // namespace mqlab::broker
