// Lifecycle events: what the broker tells its observers (the simulator's
// checkers, the server's log, the tests). Events are reported synchronously,
// in the order they happen; string views are valid only during the call.
#ifndef MQLAB_BROKER_EVENTS_H_
#define MQLAB_BROKER_EVENTS_H_

#include <cstdint>
#include <string_view>

#include "base/time.h"
#include "broker/identity.h"
#include "mqtt/reason_code.h"

namespace mqlab::broker {

// The disconnection reasons Event Grid reports.
enum class DisconnectionReason : uint8_t {
  kNone = 0,
  kClientAuthenticationError,
  kClientAuthorizationError,
  kClientError,
  kClientInitiatedDisconnect,
  kConnectionLost,
  kIpForbidden,
  kQuotaExceeded,
  kServerError,
  kServerInitiatedDisconnect,
  kSessionOverflow,
  kSessionTakenOver,
};

// "SessionTakenOver", as Event Grid spells it.
std::string_view DisconnectionReasonName(DisconnectionReason reason);

enum class EventKind : uint8_t {
  // CONNACK success sent.
  kConnected,
  // A connection that never got a session: its CONNECT was answered with a
  // failure (or closed without CONNACK), it sent something else or malformed
  // bytes first, or no CONNECT came in time.
  kConnectRefused,
  // A connected session's connection ended (reason says why).
  kDisconnected,
  kSessionCreated,
  kSessionResumed,
  // An offline session reached its expiry.
  kSessionExpired,
  // The session's queue of unacknowledged QoS 1 messages crossed its limit:
  // the session ended.
  kSessionOverflow,
  // A CONNECT of the same authentication name took the session over from
  // its connection.
  kSessionTakenOver,
  // A session ended before expiring: Clean Start discarded it ("clean-start")
  // or its Session Expiry Interval was 0 and its connection ended
  // ("session-expiry-zero").
  kSessionDeleted,
  // A topic filter was refused or removed (reason_code says why).
  kSubscriptionDenied,
  // A PUBLISH was refused for lack of permission.
  kPublishDenied,
  // A limit was crossed (detail names it; reason_code is the reaction's).
  kLimitExceeded,
  // A message was not delivered to a session (detail says why:
  // "expired", "qos0-write-blocked", "qos0-offline", ...).
  kMessageDropped,
};

std::string_view EventKindName(EventKind kind);

struct Event {
  EventKind kind = EventKind::kConnected;
  Time time = 0;
  ConnectionId connection = 0;             // 0 when no connection is involved.
  std::string_view session{};              // ClientId; may be empty.
  std::string_view authentication_name{};  // May be empty.
  DisconnectionReason reason = DisconnectionReason::kNone;
  mqtt::ReasonCode reason_code = mqtt::ReasonCode::kSuccess;
  std::string_view topic{};   // Topic or filter, when one is involved.
  std::string_view detail{};  // Which limit, which rule; static text.
};

// Called synchronously from inside the broker's methods; an observer must
// not call back into the broker.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void OnEvent(const Event& event) = 0;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_EVENTS_H_
