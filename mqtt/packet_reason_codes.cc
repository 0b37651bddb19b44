#include "mqtt/packet_reason_codes.h"

#include <algorithm>

namespace mqlab::mqtt {
namespace {

using R = ReasonCode;

constexpr ReasonCode kConnack[] = {
    R::kSuccess,
    R::kUnspecifiedError,
    R::kMalformedPacket,
    R::kProtocolError,
    R::kImplementationSpecificError,
    R::kUnsupportedProtocolVersion,
    R::kClientIdentifierNotValid,
    R::kBadUserNameOrPassword,
    R::kNotAuthorized,
    R::kServerUnavailable,
    R::kServerBusy,
    R::kBanned,
    R::kBadAuthenticationMethod,
    R::kTopicNameInvalid,
    R::kPacketTooLarge,
    R::kQuotaExceeded,
    R::kPayloadFormatInvalid,
    R::kRetainNotSupported,
    R::kQosNotSupported,
    R::kUseAnotherServer,
    R::kServerMoved,
    R::kConnectionRateExceeded,
};
// PUBACK and PUBREC share their list.
constexpr ReasonCode kPubackPubrec[] = {
    R::kSuccess,
    R::kNoMatchingSubscribers,
    R::kUnspecifiedError,
    R::kImplementationSpecificError,
    R::kNotAuthorized,
    R::kTopicNameInvalid,
    R::kPacketIdentifierInUse,
    R::kQuotaExceeded,
    R::kPayloadFormatInvalid,
};
// PUBREL and PUBCOMP share theirs.
constexpr ReasonCode kPubrelPubcomp[] = {R::kSuccess,
                                         R::kPacketIdentifierNotFound};
constexpr ReasonCode kSuback[] = {
    R::kSuccess,
    R::kGrantedQos1,
    R::kGrantedQos2,
    R::kUnspecifiedError,
    R::kImplementationSpecificError,
    R::kNotAuthorized,
    R::kTopicFilterInvalid,
    R::kPacketIdentifierInUse,
    R::kQuotaExceeded,
    R::kSharedSubscriptionsNotSupported,
    R::kSubscriptionIdentifiersNotSupported,
    R::kWildcardSubscriptionsNotSupported,
};
// [MQTT-3.9.3-2] (3.1.1): only these return codes exist.
constexpr ReasonCode kSubackV311[] = {R::kSuccess, R::kGrantedQos1,
                                      R::kGrantedQos2, R::kUnspecifiedError};
constexpr ReasonCode kUnsuback[] = {
    R::kSuccess,
    R::kNoSubscriptionExisted,
    R::kUnspecifiedError,
    R::kImplementationSpecificError,
    R::kNotAuthorized,
    R::kTopicFilterInvalid,
    R::kPacketIdentifierInUse,
};
constexpr ReasonCode kDisconnect[] = {
    R::kSuccess,
    R::kDisconnectWithWillMessage,
    R::kUnspecifiedError,
    R::kMalformedPacket,
    R::kProtocolError,
    R::kImplementationSpecificError,
    R::kNotAuthorized,
    R::kServerBusy,
    R::kServerShuttingDown,
    R::kKeepAliveTimeout,
    R::kSessionTakenOver,
    R::kTopicFilterInvalid,
    R::kTopicNameInvalid,
    R::kReceiveMaximumExceeded,
    R::kTopicAliasInvalid,
    R::kPacketTooLarge,
    R::kMessageRateTooHigh,
    R::kQuotaExceeded,
    R::kAdministrativeAction,
    R::kPayloadFormatInvalid,
    R::kRetainNotSupported,
    R::kQosNotSupported,
    R::kUseAnotherServer,
    R::kServerMoved,
    R::kSharedSubscriptionsNotSupported,
    R::kConnectionRateExceeded,
    R::kMaximumConnectTime,
    R::kSubscriptionIdentifiersNotSupported,
    R::kWildcardSubscriptionsNotSupported,
};
constexpr ReasonCode kAuth[] = {R::kSuccess, R::kContinueAuthentication,
                                R::kReAuthenticate};

}  // namespace

std::span<const ReasonCode> AllowedReasonCodes(PacketType type,
                                               Version version) {
  if (version == Version::kV311) {
    if (type == PacketType::kSuback) return kSubackV311;
    return {};
  }
  switch (type) {
    case PacketType::kConnack:
      return kConnack;
    case PacketType::kPuback:
    case PacketType::kPubrec:
      return kPubackPubrec;
    case PacketType::kPubrel:
    case PacketType::kPubcomp:
      return kPubrelPubcomp;
    case PacketType::kSuback:
      return kSuback;
    case PacketType::kUnsuback:
      return kUnsuback;
    case PacketType::kDisconnect:
      return kDisconnect;
    case PacketType::kAuth:
      return kAuth;
    default:
      return {};
  }
}

bool IsReasonCodeAllowed(PacketType type, Version version, ReasonCode code) {
  const std::span<const ReasonCode> allowed = AllowedReasonCodes(type, version);
  return std::binary_search(allowed.begin(), allowed.end(), code);
}

}  // namespace mqlab::mqtt
