// MQTT 5.0 reason codes (section 2.4) and the MQTT 3.1.1 return codes they
// correspond to.
#ifndef MQLAB_MQTT_REASON_CODE_H_
#define MQLAB_MQTT_REASON_CODE_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace mqlab::mqtt {

enum class ReasonCode : uint8_t {
  kSuccess = 0x00,  // Also Normal disconnection and Granted QoS 0.
  kGrantedQos1 = 0x01,
  kGrantedQos2 = 0x02,
  kDisconnectWithWillMessage = 0x04,
  kNoMatchingSubscribers = 0x10,
  kNoSubscriptionExisted = 0x11,
  kContinueAuthentication = 0x18,
  kReAuthenticate = 0x19,
  kUnspecifiedError = 0x80,
  kMalformedPacket = 0x81,
  kProtocolError = 0x82,
  kImplementationSpecificError = 0x83,
  kUnsupportedProtocolVersion = 0x84,
  kClientIdentifierNotValid = 0x85,
  kBadUserNameOrPassword = 0x86,
  kNotAuthorized = 0x87,
  kServerUnavailable = 0x88,
  kServerBusy = 0x89,
  kBanned = 0x8A,
  kServerShuttingDown = 0x8B,
  kBadAuthenticationMethod = 0x8C,
  kKeepAliveTimeout = 0x8D,
  kSessionTakenOver = 0x8E,
  kTopicFilterInvalid = 0x8F,
  kTopicNameInvalid = 0x90,
  kPacketIdentifierInUse = 0x91,
  kPacketIdentifierNotFound = 0x92,
  kReceiveMaximumExceeded = 0x93,
  kTopicAliasInvalid = 0x94,
  kPacketTooLarge = 0x95,
  kMessageRateTooHigh = 0x96,
  kQuotaExceeded = 0x97,
  kAdministrativeAction = 0x98,
  kPayloadFormatInvalid = 0x99,
  kRetainNotSupported = 0x9A,
  kQosNotSupported = 0x9B,
  kUseAnotherServer = 0x9C,
  kServerMoved = 0x9D,
  kSharedSubscriptionsNotSupported = 0x9E,
  kConnectionRateExceeded = 0x9F,
  kMaximumConnectTime = 0xA0,
  kSubscriptionIdentifiersNotSupported = 0xA1,
  kWildcardSubscriptionsNotSupported = 0xA2,
};

// The specification's name for `code` ("Malformed Packet"), or "" when the
// byte is no reason code at all.
std::string_view ReasonCodeName(ReasonCode code);

// True when `code` is one of the values listed above.
bool IsKnownReasonCode(uint8_t code);

// True for codes below 0x80 (success and its variants).
constexpr bool IsSuccess(ReasonCode code) {
  return static_cast<uint8_t>(code) < 0x80;
}

// MQTT 3.1.1 CONNACK return codes (section 3.2.2.3).
enum class ConnectReturnCode : uint8_t {
  kAccepted = 0,
  kUnacceptableProtocolVersion = 1,
  kIdentifierRejected = 2,
  kServerUnavailable = 3,
  kBadUserNameOrPassword = 4,
  kNotAuthorized = 5,
};

// The 3.1.1 return code that carries `code`'s meaning, or nullopt where 3.1.1
// has none (the server then closes the connection without a CONNACK). Each
// return code's own reason code (FromConnectReturnCode) maps back to it;
// Server busy maps to Server unavailable and Banned to Not authorized.
std::optional<ConnectReturnCode> ToConnectReturnCode(ReasonCode code);
ReasonCode FromConnectReturnCode(ConnectReturnCode code);

}  // namespace mqlab::mqtt

#endif  // MQLAB_MQTT_REASON_CODE_H_
