// The facts the checkers judge: what the virtual clients sent and received
// and what the broker reported, recorded by the harness as they happen, in
// virtual-time order. They describe behaviour seen from outside the broker
// (the client side of every connection, plus the broker's lifecycle events
// as reported through broker/events.h), never the broker's internal state,
// so that checkers share no code with the broker.
//
// Identities: `client` is the fleet index of a virtual client (sim/fleet.h);
// `client_id` is the ClientId a connection used (its session's name; a
// client may name another client's session, e.g. a takeover attempt);
// `connection` numbers a client's connection attempts run-wide from 1 (the
// harness's numbering, not the broker's ConnectionId); messages are known
// by the tag their payload carries (sim/message_tag.h).
//
// Names (ClientIds, topics, filters, authentication names, details) are
// views, valid while the sink's Observe runs: the recorder hands over what it
// has at hand (the CONNECT's bytes, the client event's topic) without
// copying, and a consumer that keeps a name copies or numbers it
// (sim/checkers/observed_names.h).
#ifndef MQLAB_SIM_OBSERVATIONS_H_
#define MQLAB_SIM_OBSERVATIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "base/time.h"
#include "broker/events.h"
#include "mqtt/packet.h"
#include "mqtt/reason_code.h"
#include "sim/message_tag.h"
#include "sim/scenario.pb.h"

namespace mqlab::sim {

// A client sent CONNECT on a new connection.
struct ConnectAttempt {
  Time time = 0;
  uint64_t connection = 0;
  uint32_t client = 0;
  std::string_view client_id;
  mqtt::Version version = mqtt::Version::kV5;
  bool clean_start = true;  // Clean Start (5.0) / Clean Session (3.1.1).
  // The session outlives the connection: Session Expiry Interval > 0 (5.0)
  // or Clean Session 0 (3.1.1).
  bool persistent = false;
};

// The CONNACK of a connection arrived.
struct ConnackReceived {
  Time time = 0;
  uint64_t connection = 0;
  // Success, or why the broker refused (3.1.1 return codes mapped through
  // mqtt::FromConnectReturnCode).
  mqtt::ReasonCode reason_code = mqtt::ReasonCode::kSuccess;
  bool session_present = false;
};

enum class ConnectionEnd : uint8_t {
  kClientDisconnect,  // The client ended it on purpose (DISCONNECT or close).
  kServerDisconnect,  // The broker sent DISCONNECT (5.0; reason_code).
  kRefused,           // After a CONNACK with a failure code.
  kTransportClosed,   // The network closed it (reset, EOF, timeout).
  kKeepAliveTimeout,  // The client heard nothing for too long.
  kConnackTimeout,    // No CONNACK in time.
  kProtocolError,     // The client found the broker broke the protocol.
  kCrashed,           // A client-crash fault: the device died.
};
std::string_view ConnectionEndName(ConnectionEnd end);

// A connection of a client is over (or never opened).
struct ConnectionEnded {
  Time time = 0;
  uint64_t connection = 0;
  ConnectionEnd how = ConnectionEnd::kTransportClosed;
  // kServerDisconnect: the DISCONNECT's reason code; kProtocolError: the
  // code the client found broken.
  mqtt::ReasonCode reason_code = mqtt::ReasonCode::kSuccess;
  // The connection's own session (Fleet::sessions): the publisher its
  // messages' tags name, whose unacknowledged ones it may send again.
  uint32_t publisher = 0;
};

// The application published a message (QoS 0: written to a connection;
// QoS 1: accepted by the client, sent at once or queued).
struct PublishSent {
  Time time = 0;
  uint32_t client = 0;
  std::string_view client_id;  // The publishing session.
  MessageTag tag;
  std::string_view topic;
  mqtt::Qos qos = mqtt::Qos::kAtMostOnce;
  // MQTT 5.0 Message Expiry Interval, when the message carries one.
  std::optional<Duration> message_expiry;
};

// The PUBACK of a QoS 1 message arrived.
struct PublishAcknowledged {
  Time time = 0;
  MessageTag tag;
  mqtt::ReasonCode reason_code = mqtt::ReasonCode::kSuccess;
};

// The client gave a QoS 1 message up unacknowledged (the session that held
// it is gone): it may or may not have been delivered.
struct PublishAbandoned {
  Time time = 0;
  MessageTag tag;
};

// A session received an application message.
struct MessageReceived {
  Time time = 0;
  uint64_t connection = 0;
  uint32_t client = 0;
  std::string_view client_id;  // The receiving session.
  std::string_view topic;
  mqtt::Qos qos = mqtt::Qos::kAtMostOnce;  // As delivered.
  bool dup = false;
  TagCheck tag_check = TagCheck::kUntagged;
  MessageTag tag;  // Valid unless kUntagged.
};

// The SUBACK's answer for one filter of a SUBSCRIBE.
struct SubscribeResult {
  Time time = 0;
  uint32_t client = 0;
  std::string_view client_id;
  std::string_view filter;
  mqtt::Qos requested_qos = mqtt::Qos::kAtMostOnce;
  bool no_local = false;
  // Granted QoS 0 / 1 (0x00, 0x01), or the failure (3.1.1: 0x80).
  mqtt::ReasonCode reason_code = mqtt::ReasonCode::kSuccess;
};

// A session sent UNSUBSCRIBE for a filter (the subscription may end from
// now on).
struct UnsubscribeSent {
  Time time = 0;
  uint32_t client = 0;
  std::string_view client_id;
  std::string_view filter;
};

// A lifecycle event the broker reported (broker/events.h), copied.
struct BrokerEventSeen {
  Time time = 0;
  broker::EventKind kind = broker::EventKind::kConnected;
  uint64_t connection = 0;  // The broker's ConnectionId; 0 when none.
  std::string_view client_id;
  std::string_view authentication_name;
  broker::DisconnectionReason reason = broker::DisconnectionReason::kNone;
  mqtt::ReasonCode reason_code = mqtt::ReasonCode::kSuccess;
  std::string_view topic;
  std::string_view detail;
};

// The fault plan restarted the broker: its state is gone.
struct BrokerRestarted {
  Time time = 0;
  Duration downtime = 0;
};

// The admin API deleted a client's resource: its sessions are orphaned
// (nobody may resume them, nothing is delivered to them) until they expire.
struct ClientDeleted {
  Time time = 0;
  uint32_t client = 0;
};

// Whether a client means one of its sessions to be connected from now on
// (the liveness checker's input): false while it is deliberately offline,
// crashed without restart, deleted or disabled, or probing limits.
struct ClientIntent {
  Time time = 0;
  uint32_t client = 0;
  std::string_view client_id;
  bool wants_connected = false;
};

// What the broker did about a limit probe.
enum class ProbeReaction : uint8_t {
  kConnack,           // A CONNACK (reason_code).
  kSuback,            // A SUBACK (reason_code of the probing filter).
  kPuback,            // A PUBACK (reason_code).
  kServerDisconnect,  // A DISCONNECT (reason_code).
  kClosed,            // The connection closed with no packet.
  kNothing,           // Nothing within the probe's wait: not enforced.
};
std::string_view ProbeReactionName(ProbeReaction reaction);

struct LimitProbeOutcome {
  Time time = 0;  // The reaction (or the end of the wait for one).
  uint32_t client = 0;
  std::string_view client_id;
  scenario::LimitProbe::Kind kind = scenario::LimitProbe::KIND_UNSPECIFIED;
  mqtt::Version version = mqtt::Version::kV5;
  ProbeReaction reaction = ProbeReaction::kNothing;
  mqtt::ReasonCode reason_code = mqtt::ReasonCode::kSuccess;
  // The connection ended after the reaction.
  bool connection_closed = false;
  // A value the reaction carried that the rule judges (KEEP_ALIVE_TOO_LONG:
  // the CONNACK's Server Keep Alive).
  std::optional<int64_t> value;
  Time started = 0;  // The probe's connection was asked for.
  Time ended = 0;    // The outcome was settled (the grace after a reaction).
};

using Observation =
    std::variant<ConnectAttempt, ConnackReceived, ConnectionEnded, PublishSent,
                 PublishAcknowledged, PublishAbandoned, MessageReceived,
                 SubscribeResult, UnsubscribeSent, BrokerEventSeen,
                 BrokerRestarted, ClientDeleted, ClientIntent,
                 LimitProbeOutcome>;

Time TimeOf(const Observation& observation);
// One line for logs and violation context: "t=1.5s connack #3 0x00
// session-present".
std::string DescribeObservation(const Observation& observation);

// Where the harness records observations (the runner fans them out to the
// checkers and the run's statistics).
class ObservationSink {
 public:
  virtual ~ObservationSink() = default;
  virtual void Observe(const Observation& observation) = 0;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_OBSERVATIONS_H_
