#include "broker/events.h"

namespace mqlab::broker {

std::string_view DisconnectionReasonName(DisconnectionReason reason) {
  switch (reason) {
    case DisconnectionReason::kNone:
      return "None";
    case DisconnectionReason::kClientAuthenticationError:
      return "ClientAuthenticationError";
    case DisconnectionReason::kClientAuthorizationError:
      return "ClientAuthorizationError";
    case DisconnectionReason::kClientError:
      return "ClientError";
    case DisconnectionReason::kClientInitiatedDisconnect:
      return "ClientInitiatedDisconnect";
    case DisconnectionReason::kConnectionLost:
      return "ConnectionLost";
    case DisconnectionReason::kIpForbidden:
      return "IpForbidden";
    case DisconnectionReason::kQuotaExceeded:
      return "QuotaExceeded";
    case DisconnectionReason::kServerError:
      return "ServerError";
    case DisconnectionReason::kServerInitiatedDisconnect:
      return "ServerInitiatedDisconnect";
    case DisconnectionReason::kSessionOverflow:
      return "SessionOverflow";
    case DisconnectionReason::kSessionTakenOver:
      return "SessionTakenOver";
  }
  return "Unknown";
}

std::string_view EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kConnected:
      return "connected";
    case EventKind::kConnectRefused:
      return "connect-refused";
    case EventKind::kDisconnected:
      return "disconnected";
    case EventKind::kSessionCreated:
      return "session-created";
    case EventKind::kSessionResumed:
      return "session-resumed";
    case EventKind::kSessionExpired:
      return "session-expired";
    case EventKind::kSessionOverflow:
      return "session-overflow";
    case EventKind::kSessionTakenOver:
      return "session-taken-over";
    case EventKind::kSessionDeleted:
      return "session-deleted";
    case EventKind::kSubscriptionDenied:
      return "subscription-denied";
    case EventKind::kPublishDenied:
      return "publish-denied";
    case EventKind::kLimitExceeded:
      return "limit-exceeded";
    case EventKind::kMessageDropped:
      return "message-dropped";
  }
  return "unknown";
}

}  // namespace mqlab::broker
