#include "mqtt/property.h"

#include <array>

namespace mqlab::mqtt {
namespace {

constexpr uint16_t kWillScope = 1;
constexpr uint16_t In(PacketType type) {
  return static_cast<uint16_t>(1u << static_cast<unsigned>(type));
}

using T = PacketType;
constexpr uint16_t kAckPackets =
    In(T::kPuback) | In(T::kPubrec) | In(T::kPubrel) | In(T::kPubcomp);
constexpr uint16_t kEveryBlock =
    kWillScope | In(T::kConnect) | In(T::kConnack) | In(T::kPublish) |
    kAckPackets | In(T::kSubscribe) | In(T::kSuback) | In(T::kUnsubscribe) |
    In(T::kUnsuback) | In(T::kDisconnect) | In(T::kAuth);

constexpr PropertyInfo kProperties[] = {
    {PropertyId::kPayloadFormatIndicator, PropertyType::kByte,
     "Payload Format Indicator", kWillScope | In(T::kPublish)},
    {PropertyId::kMessageExpiryInterval, PropertyType::kFourByteInteger,
     "Message Expiry Interval", kWillScope | In(T::kPublish)},
    {PropertyId::kContentType, PropertyType::kUtf8String, "Content Type",
     kWillScope | In(T::kPublish)},
    {PropertyId::kResponseTopic, PropertyType::kUtf8String, "Response Topic",
     kWillScope | In(T::kPublish)},
    {PropertyId::kCorrelationData, PropertyType::kBinaryData,
     "Correlation Data", kWillScope | In(T::kPublish)},
    {PropertyId::kSubscriptionIdentifier, PropertyType::kVariableByteInteger,
     "Subscription Identifier", In(T::kPublish) | In(T::kSubscribe)},
    {PropertyId::kSessionExpiryInterval, PropertyType::kFourByteInteger,
     "Session Expiry Interval",
     In(T::kConnect) | In(T::kConnack) | In(T::kDisconnect)},
    {PropertyId::kAssignedClientIdentifier, PropertyType::kUtf8String,
     "Assigned Client Identifier", In(T::kConnack)},
    {PropertyId::kServerKeepAlive, PropertyType::kTwoByteInteger,
     "Server Keep Alive", In(T::kConnack)},
    {PropertyId::kAuthenticationMethod, PropertyType::kUtf8String,
     "Authentication Method", In(T::kConnect) | In(T::kConnack) | In(T::kAuth)},
    {PropertyId::kAuthenticationData, PropertyType::kBinaryData,
     "Authentication Data", In(T::kConnect) | In(T::kConnack) | In(T::kAuth)},
    {PropertyId::kRequestProblemInformation, PropertyType::kByte,
     "Request Problem Information", In(T::kConnect)},
    {PropertyId::kWillDelayInterval, PropertyType::kFourByteInteger,
     "Will Delay Interval", kWillScope},
    {PropertyId::kRequestResponseInformation, PropertyType::kByte,
     "Request Response Information", In(T::kConnect)},
    {PropertyId::kResponseInformation, PropertyType::kUtf8String,
     "Response Information", In(T::kConnack)},
    {PropertyId::kServerReference, PropertyType::kUtf8String,
     "Server Reference", In(T::kConnack) | In(T::kDisconnect)},
    {PropertyId::kReasonString, PropertyType::kUtf8String, "Reason String",
     In(T::kConnack) | kAckPackets | In(T::kSuback) | In(T::kUnsuback) |
         In(T::kDisconnect) | In(T::kAuth)},
    {PropertyId::kReceiveMaximum, PropertyType::kTwoByteInteger,
     "Receive Maximum", In(T::kConnect) | In(T::kConnack)},
    {PropertyId::kTopicAliasMaximum, PropertyType::kTwoByteInteger,
     "Topic Alias Maximum", In(T::kConnect) | In(T::kConnack)},
    {PropertyId::kTopicAlias, PropertyType::kTwoByteInteger, "Topic Alias",
     In(T::kPublish)},
    {PropertyId::kMaximumQos, PropertyType::kByte, "Maximum QoS",
     In(T::kConnack)},
    {PropertyId::kRetainAvailable, PropertyType::kByte, "Retain Available",
     In(T::kConnack)},
    {PropertyId::kUserProperty, PropertyType::kUtf8StringPair, "User Property",
     kEveryBlock},
    {PropertyId::kMaximumPacketSize, PropertyType::kFourByteInteger,
     "Maximum Packet Size", In(T::kConnect) | In(T::kConnack)},
    {PropertyId::kWildcardSubscriptionAvailable, PropertyType::kByte,
     "Wildcard Subscription Available", In(T::kConnack)},
    {PropertyId::kSubscriptionIdentifierAvailable, PropertyType::kByte,
     "Subscription Identifier Available", In(T::kConnack)},
    {PropertyId::kSharedSubscriptionAvailable, PropertyType::kByte,
     "Shared Subscription Available", In(T::kConnack)},
};

// kProperties indexed by identifier byte, for O(1) lookups while decoding.
constexpr std::array<const PropertyInfo*, 256> MakeIndex() {
  std::array<const PropertyInfo*, 256> index{};
  for (const PropertyInfo& info : kProperties) {
    index[static_cast<uint8_t>(info.id)] = &info;
  }
  return index;
}

// An identifier of 64 or more would not compile here (a shift past the
// width is not a constant expression).
constexpr uint64_t Bit(PropertyId id) {
  return uint64_t{1} << static_cast<unsigned>(id);
}

// Table 2-4 by scope; repeatable: User Property anywhere, Subscription
// Identifier in a PUBLISH.
constexpr std::array<PropertyScopeMasks, 16> MakeScopeMasks() {
  std::array<PropertyScopeMasks, 16> masks{};
  for (const PropertyInfo& info : kProperties) {
    for (unsigned scope = 0; scope < masks.size(); ++scope) {
      if ((info.allowed_scopes & (1u << scope)) != 0) {
        masks[scope].allowed |= Bit(info.id);
      }
    }
  }
  for (PropertyScopeMasks& scope : masks) {
    scope.repeatable = scope.allowed & Bit(PropertyId::kUserProperty);
  }
  masks[static_cast<size_t>(T::kPublish)].repeatable |=
      Bit(PropertyId::kSubscriptionIdentifier);
  return masks;
}

}  // namespace

namespace internal {
constexpr std::array<const PropertyInfo*, 256> kPropertyIndex = MakeIndex();
constexpr std::array<PropertyScopeMasks, 16> kPropertyScopeMasks =
    MakeScopeMasks();
}  // namespace internal

std::string_view PropertyName(PropertyId id) {
  const PropertyInfo* info = FindProperty(static_cast<uint8_t>(id));
  return info == nullptr ? std::string_view() : info->name;
}

}  // namespace mqlab::mqtt
