// What the broker says to a CONNECT before it looks at the namespace: the
// features Event Grid refuses (Will, enhanced authentication, User
// Properties, an empty ClientId) and, for a CONNECT it accepts, the terms it
// grants (session expiry, keep-alive) and the CONNACK properties that tell a
// v5 client Event Grid's limits. Pure functions of the packet and Limits.
#ifndef MQLAB_BROKER_CONNECT_TERMS_H_
#define MQLAB_BROKER_CONNECT_TERMS_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/time.h"
#include "broker/events.h"
#include "broker/namespace_config.h"
#include "mqtt/packet.h"

namespace mqlab::broker {

// A CONNECT refused: the v5 CONNACK reason code (3.1.1 answers with
// ToConnectReturnCode's return code, or closes without CONNACK when there is
// none), the disconnection reason reported, and what was wrong (static text).
struct ConnectRefusal {
  mqtt::ReasonCode reason_code;
  DisconnectionReason reason;
  std::string_view detail;
};

// The seed's refusals, checked in this order (the first that applies wins):
// 1. Authentication Method (v5): 0x8C Bad authentication method (Event Grid
//    authenticates by certificate only). Authentication Data without a
//    method never gets here: the decoder refuses it as a Protocol Error, and
//    the broker answers that error with the seed's 0x87 Not authorized.
// 2. A Will: 0x83 Implementation specific error (3.1.1: no return code, so
//    the connection closes without CONNACK: "connection failure").
// 3. User Properties (v5): 0x83.
// 4. An empty ClientId: 0x85 Client Identifier not valid (3.1.1: return code
//    2, identifier rejected); Event Grid assigns no identifiers.
std::optional<ConnectRefusal> CheckConnectFeatures(
    const mqtt::Connect& connect);

// The seed's rule for Session Expiry ("MQTT support in Azure Event Grid",
// https://learn.microsoft.com/azure/event-grid/mqtt-support): a session that
// outlives its connection (a non-zero v5 Session Expiry Interval, in CONNECT
// or DISCONNECT; a 3.1.1 Clean Session 0) expires after the namespace's fixed
// Limits::session_expiry_seconds, whatever the client asked; otherwise it
// ends with the connection (0).
uint32_t GrantedSessionExpiry(bool outlives_connection, const Limits& limits);

// What the broker grants an accepted CONNECT.
struct ConnectTerms {
  // 0: the session ends with the connection. Any non-zero v5 Session Expiry
  // Interval is replaced by Limits::session_expiry_seconds; a 3.1.1 Clean
  // Session 0 gets that value too.
  uint32_t session_expiry_seconds = 0;
  // The v5 CONNACK reports the replaced Session Expiry Interval.
  bool report_session_expiry = false;
  // The keep-alive enforced, in seconds (never 0): the client's value, or
  // Limits::maximum_keep_alive_seconds when the client asked more or asked 0
  // (no keep-alive), which Event Grid's maximum does not allow.
  uint16_t keep_alive_seconds = 0;
  // The v5 CONNACK reports it as Server Keep Alive.
  bool report_keep_alive = false;
  // The client's Receive Maximum (outbound QoS 1 in flight); 65,535 when it
  // sets none (and for 3.1.1, which has none).
  uint16_t client_receive_maximum = 65535;
  // The largest packet the client accepts; the protocol's maximum when it
  // sets none.
  uint32_t client_maximum_packet_size = 0;
  // The highest topic alias the client may set: Limits::topic_alias_maximum
  // for v5 (its CONNACK announces it when not 0); 0 for 3.1.1, which has no
  // aliases.
  uint16_t topic_alias_maximum = 0;
};

ConnectTerms NegotiateConnectTerms(const mqtt::Connect& connect,
                                   const Limits& limits);

// How long a connection may go without a packet before the broker closes it:
// one and a half times the keep-alive [MQTT-3.1.2-22].
Duration KeepAliveTimeout(uint16_t keep_alive_seconds);

// The successful CONNACK. v5 properties: Session Expiry Interval and Server
// Keep Alive when replaced, Receive Maximum, Maximum QoS 1, Retain Available
// 0, Maximum Packet Size, Topic Alias Maximum, Wildcard Subscription
// Available 1, Subscription Identifiers Available 0, Shared Subscription
// Available 0. Never Assigned Client Identifier or Response Information.
mqtt::Connack AcceptedConnack(const ConnectTerms& terms, const Limits& limits,
                              bool session_present);

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_CONNECT_TERMS_H_
