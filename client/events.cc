#include "client/events.h"

namespace mqlab::client {

std::string_view PublishFailureName(PublishFailure failure) {
  switch (failure) {
    case PublishFailure::kSessionLost:
      return "session-lost";
    case PublishFailure::kPacketTooLarge:
      return "packet-too-large";
    case PublishFailure::kQosNotSupported:
      return "qos-not-supported";
    case PublishFailure::kRetainNotSupported:
      return "retain-not-supported";
  }
  return "?";
}

std::string_view DisconnectCauseName(DisconnectCause cause) {
  switch (cause) {
    case DisconnectCause::kConnectFailed:
      return "connect-failed";
    case DisconnectCause::kConnectTimeout:
      return "connect-timeout";
    case DisconnectCause::kConnackTimeout:
      return "connack-timeout";
    case DisconnectCause::kConnectRefused:
      return "connect-refused";
    case DisconnectCause::kServerDisconnect:
      return "server-disconnect";
    case DisconnectCause::kTransportClosed:
      return "transport-closed";
    case DisconnectCause::kKeepAliveTimeout:
      return "keep-alive-timeout";
    case DisconnectCause::kProtocolError:
      return "protocol-error";
    case DisconnectCause::kClientDisconnect:
      return "client-disconnect";
  }
  return "?";
}

}  // namespace mqlab::client
