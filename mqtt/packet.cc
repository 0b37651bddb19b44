#include "mqtt/packet.h"

#include <algorithm>

#include "base/check.h"
#include "mqtt/property.h"
#include "mqtt/varint.h"
#include "mqtt/wire.h"

namespace mqlab::mqtt {
namespace {

using internal::LoadU16;

std::string_view StringAt(const uint8_t* at) {
  return {reinterpret_cast<const char*>(at + 2), LoadU16(at)};
}

// Position after the validated property whose identifier byte is at `at`.
const uint8_t* SkipProperty(const uint8_t* at) {
  const PropertyInfo* info = FindProperty(*at);
  MQLAB_CHECK_MSG(info != nullptr, "property block was not validated");
  const uint8_t* value = at + 1;
  switch (info->type) {
    case PropertyType::kByte:
      return value + 1;
    case PropertyType::kTwoByteInteger:
      return value + 2;
    case PropertyType::kFourByteInteger:
      return value + 4;
    case PropertyType::kVariableByteInteger:
      return value + DecodeVarint(value, kMaximumVarintSize).size;
    case PropertyType::kBinaryData:
    case PropertyType::kUtf8String:
      return value + 2 + LoadU16(value);
    case PropertyType::kUtf8StringPair: {
      const uint8_t* second = value + 2 + LoadU16(value);
      return second + 2 + LoadU16(second);
    }
  }
  MQLAB_CHECK_MSG(false, "unknown property type");
  return nullptr;
}

const uint8_t* FindPropertyFrom(const uint8_t* at, const uint8_t* end,
                                PropertyId id) {
  while (at < end && *at != static_cast<uint8_t>(id)) at = SkipProperty(at);
  return at < end ? at : end;
}

bool BytesEqual(Bytes a, Bytes b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

bool OptionalBytesEqual(const std::optional<Bytes>& a,
                        const std::optional<Bytes>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a.has_value() || BytesEqual(*a, *b);
}

}  // namespace

namespace internal {

const uint8_t* UserPropertyCursor::First(const uint8_t* begin,
                                         const uint8_t* end) {
  return FindPropertyFrom(begin, end, PropertyId::kUserProperty);
}
const uint8_t* UserPropertyCursor::Next(const uint8_t* at, const uint8_t* end) {
  return First(SkipProperty(at), end);
}
UserProperty UserPropertyCursor::Read(const uint8_t* at) {
  const std::string_view key = StringAt(at + 1);
  return {key, StringAt(at + 1 + 2 + key.size())};
}

const uint8_t* SubscriptionIdentifierCursor::First(const uint8_t* begin,
                                                   const uint8_t* end) {
  return FindPropertyFrom(begin, end, PropertyId::kSubscriptionIdentifier);
}
const uint8_t* SubscriptionIdentifierCursor::Next(const uint8_t* at,
                                                  const uint8_t* end) {
  return First(SkipProperty(at), end);
}
uint32_t SubscriptionIdentifierCursor::Read(const uint8_t* at) {
  return DecodeVarint(at + 1, kMaximumVarintSize).value;
}

const uint8_t* SubscriptionCursor::Next(const uint8_t* at, const uint8_t*) {
  return at + 2 + LoadU16(at) + 1;
}
Subscription SubscriptionCursor::Read(const uint8_t* at) {
  Subscription subscription;
  subscription.topic_filter = StringAt(at);
  const uint8_t options = at[2 + subscription.topic_filter.size()];
  subscription.options.maximum_qos = static_cast<Qos>(options & 0x03);
  subscription.options.no_local = (options & 0x04) != 0;
  subscription.options.retain_as_published = (options & 0x08) != 0;
  subscription.options.retain_handling = (options >> 4) & 0x03;
  return subscription;
}

const uint8_t* TopicFilterCursor::Next(const uint8_t* at, const uint8_t*) {
  return at + 2 + LoadU16(at);
}
std::string_view TopicFilterCursor::Read(const uint8_t* at) {
  return StringAt(at);
}

}  // namespace internal

std::string_view PacketTypeName(PacketType type) {
  switch (type) {
    case PacketType::kConnect:
      return "CONNECT";
    case PacketType::kConnack:
      return "CONNACK";
    case PacketType::kPublish:
      return "PUBLISH";
    case PacketType::kPuback:
      return "PUBACK";
    case PacketType::kPubrec:
      return "PUBREC";
    case PacketType::kPubrel:
      return "PUBREL";
    case PacketType::kPubcomp:
      return "PUBCOMP";
    case PacketType::kSubscribe:
      return "SUBSCRIBE";
    case PacketType::kSuback:
      return "SUBACK";
    case PacketType::kUnsubscribe:
      return "UNSUBSCRIBE";
    case PacketType::kUnsuback:
      return "UNSUBACK";
    case PacketType::kPingreq:
      return "PINGREQ";
    case PacketType::kPingresp:
      return "PINGRESP";
    case PacketType::kDisconnect:
      return "DISCONNECT";
    case PacketType::kAuth:
      return "AUTH";
  }
  return "RESERVED";
}

bool operator==(const Properties& a, const Properties& b) {
  return a.payload_format_indicator == b.payload_format_indicator &&
         a.message_expiry_interval == b.message_expiry_interval &&
         a.content_type == b.content_type &&
         a.response_topic == b.response_topic &&
         OptionalBytesEqual(a.correlation_data, b.correlation_data) &&
         a.subscription_identifiers == b.subscription_identifiers &&
         a.session_expiry_interval == b.session_expiry_interval &&
         a.assigned_client_identifier == b.assigned_client_identifier &&
         a.server_keep_alive == b.server_keep_alive &&
         a.authentication_method == b.authentication_method &&
         OptionalBytesEqual(a.authentication_data, b.authentication_data) &&
         a.request_problem_information == b.request_problem_information &&
         a.will_delay_interval == b.will_delay_interval &&
         a.request_response_information == b.request_response_information &&
         a.response_information == b.response_information &&
         a.server_reference == b.server_reference &&
         a.reason_string == b.reason_string &&
         a.receive_maximum == b.receive_maximum &&
         a.topic_alias_maximum == b.topic_alias_maximum &&
         a.topic_alias == b.topic_alias && a.maximum_qos == b.maximum_qos &&
         a.retain_available == b.retain_available &&
         a.user_properties == b.user_properties &&
         a.maximum_packet_size == b.maximum_packet_size &&
         a.wildcard_subscription_available ==
             b.wildcard_subscription_available &&
         a.subscription_identifier_available ==
             b.subscription_identifier_available &&
         a.shared_subscription_available == b.shared_subscription_available;
}

bool operator==(const Will& a, const Will& b) {
  return a.qos == b.qos && a.retain == b.retain &&
         a.properties == b.properties && a.topic == b.topic &&
         BytesEqual(a.payload, b.payload);
}

bool operator==(const Connect& a, const Connect& b) {
  return a.version == b.version && a.clean_start == b.clean_start &&
         a.keep_alive == b.keep_alive && a.properties == b.properties &&
         a.client_id == b.client_id && a.will == b.will &&
         a.username == b.username && OptionalBytesEqual(a.password, b.password);
}

bool operator==(const Connack& a, const Connack& b) {
  return a.session_present == b.session_present &&
         a.reason_code == b.reason_code && a.properties == b.properties;
}

bool operator==(const Publish& a, const Publish& b) {
  return a.dup == b.dup && a.qos == b.qos && a.retain == b.retain &&
         a.topic == b.topic && a.packet_id == b.packet_id &&
         a.properties == b.properties && BytesEqual(a.payload, b.payload);
}

bool operator==(const Subscribe& a, const Subscribe& b) {
  return a.packet_id == b.packet_id && a.properties == b.properties &&
         a.subscriptions == b.subscriptions;
}

bool operator==(const Suback& a, const Suback& b) {
  return a.packet_id == b.packet_id && a.properties == b.properties &&
         BytesEqual(a.reason_codes, b.reason_codes);
}

bool operator==(const Unsubscribe& a, const Unsubscribe& b) {
  return a.packet_id == b.packet_id && a.properties == b.properties &&
         a.topic_filters == b.topic_filters;
}

bool operator==(const Unsuback& a, const Unsuback& b) {
  return a.packet_id == b.packet_id && a.properties == b.properties &&
         BytesEqual(a.reason_codes, b.reason_codes);
}

}  // namespace mqlab::mqtt
