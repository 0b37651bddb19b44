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
  kConnected,          // CONNACK success sent.
  kConnectRefused,     // CONNECT answered with a failure (or closed, 3.1.1).
  kDisconnected,       // A connected session's connection ended.
  kSessionCreated,
  kSessionResumed,
  kSessionExpired,
  kSessionOverflow,    // Offline queue limit crossed: the session ended.
  kSessionTakenOver,   // The same authentication name connected again.
  kSessionDeleted,     // The client resource was deleted or disabled.
  kSubscriptionDenied, // A filter was refused (reason_code says why).
  kPublishDenied,      // A PUBLISH was refused (reason_code says why).
  kLimitExceeded,      // A limit was crossed (detail names it).
  kMessageDropped,     // A message was not delivered (detail says why:
                       // "expired", "qos0-write-blocked", ...).
};

std::string_view EventKindName(EventKind kind);

struct Event {
  EventKind kind;
  Time time = 0;
  ConnectionId connection = 0;          // 0 when no connection is involved.
  std::string_view session;             // ClientId; may be empty.
  std::string_view authentication_name; // May be empty.
  DisconnectionReason reason = DisconnectionReason::kNone;
  mqtt::ReasonCode reason_code = mqtt::ReasonCode::kSuccess;
  std::string_view topic;               // Topic or filter, when one is involved.
  std::string_view detail;              // Which limit, which rule; static text.
};

class Observer {
 public:
  virtual ~Observer() = default;
  virtual void OnEvent(const Event& event) = 0;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_EVENTS_H_
