// Packet dispatch: which packet goes where, the protocol errors of packets a
// client must not send, malformed input, PINGREQ and the client's DISCONNECT.
#include <variant>

#include "base/check.h"
#include "broker/broker_impl.h"

namespace mqlab::broker {

void Broker::Impl::OnPacket(Connection& connection, mqtt::Packet& packet) {
  if (connection.state == Connection::State::kAwaitingConnect) {
    // The decoder refuses anything but CONNECT first [MQTT-3.1.0-1].
    OnConnect(connection, std::get<mqtt::Connect>(packet));
    return;
  }
  switch (mqtt::TypeOf(packet)) {
    case mqtt::PacketType::kPublish:
      OnPublish(connection, std::get<mqtt::Publish>(packet));
      return;
    case mqtt::PacketType::kPuback:
      OnPuback(connection, std::get<mqtt::Puback>(packet));
      return;
    case mqtt::PacketType::kSubscribe:
      OnSubscribe(connection, std::get<mqtt::Subscribe>(packet));
      return;
    case mqtt::PacketType::kUnsubscribe:
      OnUnsubscribe(connection, std::get<mqtt::Unsubscribe>(packet));
      return;
    case mqtt::PacketType::kPingreq:
      Send(connection, mqtt::Pingresp{});
      return;
    case mqtt::PacketType::kDisconnect:
      OnClientDisconnect(connection, std::get<mqtt::Disconnect>(packet));
      return;
    case mqtt::PacketType::kConnect:
      ProtocolViolation(connection, mqtt::ReasonCode::kProtocolError,
                        "[MQTT-3.1.0-2] a second CONNECT is a Protocol Error");
      return;
    case mqtt::PacketType::kAuth:
      ProtocolViolation(connection, mqtt::ReasonCode::kProtocolError,
                        "[MQTT 5.0 4.12] AUTH needs an Authentication Method "
                        "in CONNECT, which Event Grid refuses");
      return;
    case mqtt::PacketType::kPubrec:
    case mqtt::PacketType::kPubrel:
    case mqtt::PacketType::kPubcomp:
      ProtocolViolation(connection, mqtt::ReasonCode::kProtocolError,
                        "[MQTT 5.0 4.3.3] no QoS 2 exchange exists: the "
                        "broker's Maximum QoS is 1");
      return;
    case mqtt::PacketType::kConnack:
    case mqtt::PacketType::kSuback:
    case mqtt::PacketType::kUnsuback:
    case mqtt::PacketType::kPingresp:
      ProtocolViolation(connection, mqtt::ReasonCode::kProtocolError,
                        "[MQTT 5.0 2.1.2] only a Server sends CONNACK, "
                        "SUBACK, UNSUBACK and PINGRESP");
      return;
  }
}

void Broker::Impl::ProtocolViolation(Connection& connection,
                                     mqtt::ReasonCode reason_code,
                                     std::string_view detail) {
  Disconnect(connection, reason_code, DisconnectionReason::kClientError,
             detail);
}

void Broker::Impl::OnDecodeError(Connection& connection,
                                 const mqtt::DecodeError& error) {
  if (connection.state == Connection::State::kConnected) {
    // 0x84 (an unsupported protocol) comes only from a CONNECT, here a
    // second one: a Protocol Error whatever it holds [MQTT-3.1.0-2], and
    // 0x84 is no DISCONNECT reason code (MQTT 5.0 3.14.2.1). Found by the
    // broker_session fuzzer (corpora/broker_session/regressions/).
    if (error.reason_code == mqtt::ReasonCode::kUnsupportedProtocolVersion) {
      ProtocolViolation(connection, mqtt::ReasonCode::kProtocolError,
                        "[MQTT-3.1.0-2] a second CONNECT is a Protocol Error");
      return;
    }
    ProtocolViolation(connection, error.reason_code, error.rule);
    return;
  }
  // Before CONNACK nothing but a CONNACK may be sent [MQTT-3.2.0-1], and
  // only where the client's version is known.
  DisconnectionReason reason = DisconnectionReason::kClientError;
  if (error.reason_code == mqtt::ReasonCode::kUnsupportedProtocolVersion) {
    // 3.1.1's return code 1, which any version's client understands.
    connection.version = mqtt::Version::kV311;
    Send(connection, mqtt::Connack{.reason_code = error.reason_code});
  } else if (error.rule == mqtt::kAuthenticationDataWithoutMethodRule) {
    // The seed: Authentication Data gets CONNACK 0x87 (a v5-only field).
    connection.version = mqtt::Version::kV5;
    Send(connection,
         mqtt::Connack{.reason_code = mqtt::ReasonCode::kNotAuthorized});
    reason = DisconnectionReason::kClientAuthenticationError;
  }
  Event event = MakeEvent(EventKind::kConnectRefused, &connection, nullptr);
  event.reason = reason;
  event.reason_code = error.reason_code;
  event.detail = error.rule;
  Report(event);
  ++stats_.connects_refused;
  EndConnection(connection, {.reason_code = error.reason_code,
                             .reason = reason,
                             .detail = error.rule,
                             .send_disconnect = false});
}

void Broker::Impl::OnClientDisconnect(Connection& connection,
                                      const mqtt::Disconnect& disconnect) {
  Session& session = *connection.session;
  const mqtt::Properties& properties = disconnect.properties;
  if (!properties.user_properties.empty()) {
    // Event Grid refuses User Properties on DISCONNECT: the request fails,
    // so it is not an orderly disconnect and keeps nothing it asked for.
    EndConnection(
        connection,
        {.reason_code = mqtt::ReasonCode::kImplementationSpecificError,
         .reason = DisconnectionReason::kClientError,
         .detail = "User Properties are not allowed on DISCONNECT",
         .send_disconnect = false});
    return;
  }
  if (properties.session_expiry_interval.has_value()) {
    if (session.expiry_seconds == 0 &&
        *properties.session_expiry_interval != 0) {
      ProtocolViolation(connection, mqtt::ReasonCode::kProtocolError,
                        "[MQTT-3.14.2-2] a DISCONNECT must not set a Session "
                        "Expiry Interval when the CONNECT's was 0");
      return;
    }
    session.expiry_seconds =
        GrantedSessionExpiry(*properties.session_expiry_interval != 0, limits_);
  }
  EndConnection(connection,
                {.reason_code = disconnect.reason_code,
                 .reason = DisconnectionReason::kClientInitiatedDisconnect,
                 .send_disconnect = false});
}

}  // namespace mqlab::broker
