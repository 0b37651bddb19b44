#include "mqtt/property_decoder.h"

#include "mqtt/decoder.h"
#include "mqtt/topic.h"

namespace mqlab::mqtt::internal {
namespace {

constexpr std::string_view kUnknownProperty =
    "[MQTT 5.0 2.2.2.2] the byte is not a property identifier";
constexpr std::string_view kPropertyNotAllowed =
    "[MQTT 5.0 2.2.2.2] this property is not allowed in this packet (table "
    "2-4)";
constexpr std::string_view kDuplicateProperty =
    "[MQTT 5.0 2.2.2.2] a property other than User Property (and Subscription "
    "Identifier in PUBLISH) must not appear more than once";
constexpr std::string_view kPropertyLengthTooLong =
    "[MQTT 5.0 2.2.2.1] the Property Length runs past the end of the packet";

bool ReadBoolean(WireReader& r, std::optional<uint8_t>* value,
                 std::string_view rule) {
  const uint8_t* start = r.position();
  uint8_t byte;
  if (!r.ReadByte(&byte)) return false;
  if (byte > 1) return r.FailAt(start, ReasonCode::kProtocolError, rule);
  *value = byte;
  return true;
}

bool ReadNonZeroU16(WireReader& r, std::optional<uint16_t>* value,
                    ReasonCode code, std::string_view rule) {
  const uint8_t* start = r.position();
  uint16_t v;
  if (!r.ReadU16(&v)) return false;
  if (v == 0) return r.FailAt(start, code, rule);
  *value = v;
  return true;
}

// `kRead` is a template argument so that the read inlines. Always inline
// itself: as a call (gcc outlines the string reads it shares between seven
// properties) it costs more than the read, and makes the block reader live
// in memory.
template <auto kRead, typename T>
[[gnu::always_inline]] inline bool ReadInto(WireReader& r,
                                            std::optional<T>* value) {
  T v;
  if (!(r.*kRead)(&v)) return false;
  *value = v;
  return true;
}

bool ReadOne(WireReader& r, PropertyId id, Properties* p) {
  switch (id) {
    case PropertyId::kPayloadFormatIndicator:
      return ReadBoolean(r, &p->payload_format_indicator,
                         "[MQTT 5.0 3.3.2.3.2] Payload Format Indicator must "
                         "be 0 or 1");
    case PropertyId::kMessageExpiryInterval:
      return ReadInto<&WireReader::ReadU32>(r, &p->message_expiry_interval);
    case PropertyId::kContentType:
      return ReadInto<&WireReader::ReadString>(r, &p->content_type);
    case PropertyId::kResponseTopic: {
      const uint8_t* start = r.position();
      if (!ReadInto<&WireReader::ReadString>(r, &p->response_topic)) {
        return false;
      }
      if (!TopicNameViolation(*p->response_topic).empty()) {
        return r.FailAt(start, ReasonCode::kProtocolError,
                        "[MQTT-3.3.2-14] the Response Topic must be a valid "
                        "topic name without wildcard characters");
      }
      return true;
    }
    case PropertyId::kCorrelationData:
      return ReadInto<&WireReader::ReadBinary>(r, &p->correlation_data);
    case PropertyId::kSubscriptionIdentifier: {
      const uint8_t* start = r.position();
      uint32_t v;
      if (!r.ReadVarint(&v)) return false;
      if (v == 0) {
        return r.FailAt(start, ReasonCode::kProtocolError,
                        "[MQTT 5.0 3.3.2.3.8] a Subscription Identifier must "
                        "be 1 to 268,435,455, not 0");
      }
      return true;  // Listed by the SubscriptionIdentifiers view.
    }
    case PropertyId::kSessionExpiryInterval:
      return ReadInto<&WireReader::ReadU32>(r, &p->session_expiry_interval);
    case PropertyId::kAssignedClientIdentifier:
      return ReadInto<&WireReader::ReadString>(r,
                                               &p->assigned_client_identifier);
    case PropertyId::kServerKeepAlive:
      return ReadInto<&WireReader::ReadU16>(r, &p->server_keep_alive);
    case PropertyId::kAuthenticationMethod:
      return ReadInto<&WireReader::ReadString>(r, &p->authentication_method);
    case PropertyId::kAuthenticationData:
      return ReadInto<&WireReader::ReadBinary>(r, &p->authentication_data);
    case PropertyId::kRequestProblemInformation:
      return ReadBoolean(r, &p->request_problem_information,
                         "[MQTT 5.0 3.1.2.11.7] Request Problem Information "
                         "must be 0 or 1");
    case PropertyId::kWillDelayInterval:
      return ReadInto<&WireReader::ReadU32>(r, &p->will_delay_interval);
    case PropertyId::kRequestResponseInformation:
      return ReadBoolean(r, &p->request_response_information,
                         "[MQTT 5.0 3.1.2.11.6] Request Response Information "
                         "must be 0 or 1");
    case PropertyId::kResponseInformation:
      return ReadInto<&WireReader::ReadString>(r, &p->response_information);
    case PropertyId::kServerReference:
      return ReadInto<&WireReader::ReadString>(r, &p->server_reference);
    case PropertyId::kReasonString:
      return ReadInto<&WireReader::ReadString>(r, &p->reason_string);
    case PropertyId::kReceiveMaximum:
      return ReadNonZeroU16(
          r, &p->receive_maximum, ReasonCode::kProtocolError,
          "[MQTT 5.0 3.1.2.11.3] Receive Maximum must not be 0");
    case PropertyId::kTopicAliasMaximum:
      return ReadInto<&WireReader::ReadU16>(r, &p->topic_alias_maximum);
    case PropertyId::kTopicAlias:
      return ReadNonZeroU16(
          r, &p->topic_alias, ReasonCode::kTopicAliasInvalid,
          "[MQTT-3.3.2-8] a Topic Alias of 0 is not permitted");
    case PropertyId::kMaximumQos:
      return ReadBoolean(r, &p->maximum_qos,
                         "[MQTT 5.0 3.2.2.3.4] Maximum QoS must be 0 or 1");
    case PropertyId::kRetainAvailable:
      return ReadBoolean(r, &p->retain_available,
                         "[MQTT 5.0 3.2.2.3.5] Retain Available must be 0 or "
                         "1");
    case PropertyId::kUserProperty: {
      std::string_view key, value;
      return r.ReadString(&key) && r.ReadString(&value);
    }
    case PropertyId::kMaximumPacketSize: {
      const uint8_t* start = r.position();
      uint32_t v;
      if (!r.ReadU32(&v)) return false;
      if (v == 0) {
        return r.FailAt(start, ReasonCode::kProtocolError,
                        "[MQTT 5.0 3.1.2.11.4] Maximum Packet Size must not "
                        "be 0");
      }
      p->maximum_packet_size = v;
      return true;
    }
    case PropertyId::kWildcardSubscriptionAvailable:
      return ReadBoolean(r, &p->wildcard_subscription_available,
                         "[MQTT 5.0 3.2.2.3.11] Wildcard Subscription "
                         "Available must be 0 or 1");
    case PropertyId::kSubscriptionIdentifierAvailable:
      return ReadBoolean(r, &p->subscription_identifier_available,
                         "[MQTT 5.0 3.2.2.3.12] Subscription Identifier "
                         "Available must be 0 or 1");
    case PropertyId::kSharedSubscriptionAvailable:
      return ReadBoolean(r, &p->shared_subscription_available,
                         "[MQTT 5.0 3.2.2.3.13] Shared Subscription "
                         "Available must be 0 or 1");
  }
  return r.Malformed(kUnknownProperty);
}

}  // namespace

bool ReadProperties(WireReader& reader, PropertyScope scope,
                    Properties* properties) {
  uint32_t length;
  if (!reader.ReadVarint(&length)) return false;
  if (length > reader.remaining()) {
    return reader.Malformed(kPropertyLengthTooLong);
  }
  if (length == 0) return true;
  WireReader block = reader.Take(length);
  const Bytes block_bytes(block.position(), length);
  const PropertyScopeMasks& masks = MasksOf(scope);
  uint64_t seen = 0;  // Bit N: identifier N.
  size_t user_property_count = 0;
  size_t subscription_identifier_count = 0;
  do {
    const uint8_t id_byte = *block.position();
    const uint64_t bit = id_byte < 64 ? uint64_t{1} << id_byte : 0;
    if ((masks.allowed & bit) == 0) {
      return block.Malformed(FindProperty(id_byte) == nullptr
                                 ? kUnknownProperty
                                 : kPropertyNotAllowed);
    }
    if ((seen & bit & ~masks.repeatable) != 0) {
      return block.Fail(ReasonCode::kProtocolError, kDuplicateProperty);
    }
    seen |= bit;
    block.Skip(1);
    const auto id = static_cast<PropertyId>(id_byte);
    if (!ReadOne(block, id, properties)) return false;
    user_property_count += id == PropertyId::kUserProperty;
    subscription_identifier_count += id == PropertyId::kSubscriptionIdentifier;
  } while (!block.done());
  constexpr uint64_t kAuthenticationData =
      uint64_t{1} << static_cast<unsigned>(PropertyId::kAuthenticationData);
  constexpr uint64_t kAuthenticationMethod =
      uint64_t{1} << static_cast<unsigned>(PropertyId::kAuthenticationMethod);
  if ((seen & (kAuthenticationData | kAuthenticationMethod)) ==
      kAuthenticationData) {
    return reader.FailAt(block_bytes.data(), ReasonCode::kProtocolError,
                         kAuthenticationDataWithoutMethodRule);
  }
  if (user_property_count != 0) {
    properties->user_properties =
        UserProperties::FromWire(block_bytes, user_property_count);
  }
  if (subscription_identifier_count != 0) {
    properties->subscription_identifiers = SubscriptionIdentifiers::FromWire(
        block_bytes, subscription_identifier_count);
  }
  return true;
}

}  // namespace mqlab::mqtt::internal
