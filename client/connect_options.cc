#include "client/connect_options.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "base/check.h"
#include "mqtt/decoder.h"
#include "mqtt/encoder.h"
#include "mqtt/topic.h"
#include "mqtt/utf8.h"
#include "mqtt/varint.h"

namespace mqlab::client {
namespace {

constexpr uint8_t kCleanStartFlag = 0x02;
// Protocol Name ("\0\4MQTT") and Protocol Level precede the Connect Flags.
constexpr size_t kBytesBeforeFlags = 7;

absl::Status FieldError(std::string_view field, std::string_view expected) {
  return absl::InvalidArgumentError(std::string("ConnectOptions.")
                                        .append(field)
                                        .append(": ")
                                        .append(expected));
}

absl::Status CheckString(std::string_view field, std::string_view text) {
  if (text.size() > 65'535) {
    return FieldError(
        field, "at most 65,535 bytes, got " + std::to_string(text.size()));
  }
  switch (mqtt::CheckUtf8(text)) {
    case mqtt::Utf8Error::kNone:
      return absl::OkStatus();
    case mqtt::Utf8Error::kIllFormed:
      return FieldError(field, "well-formed UTF-8 [MQTT-1.5.4-1]");
    case mqtt::Utf8Error::kNullCharacter:
      return FieldError(field, "no U+0000 [MQTT-1.5.4-2]");
  }
  return absl::OkStatus();
}

absl::Status CheckUserProperties(std::string_view field,
                                 const mqtt::UserProperties& properties) {
  for (const mqtt::UserProperty property : properties) {
    if (absl::Status s = CheckString(field, property.key); !s.ok()) return s;
    if (absl::Status s = CheckString(field, property.value); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CheckZeroOrOne(std::string_view field,
                            const std::optional<uint8_t>& value) {
  if (value.has_value() && *value > 1) {
    return FieldError(field, "0 or 1, got " + std::to_string(*value));
  }
  return absl::OkStatus();
}

// The Will Properties of table 2-4 only; MQTT 3.1.1 has none.
absl::Status CheckWill(const mqtt::Will& will, mqtt::Version version) {
  if (static_cast<uint8_t>(will.qos) > 2) {
    return FieldError("will.qos", "0, 1 or 2 [MQTT-3.1.2-12]");
  }
  if (absl::Status s = CheckString("will.topic", will.topic); !s.ok()) {
    return s;
  }
  if (const std::string_view rule = mqtt::TopicNameViolation(will.topic);
      !rule.empty()) {
    return FieldError("will.topic", rule);
  }
  if (will.payload.size() > 65'535) {
    return FieldError("will.payload", "at most 65,535 bytes");
  }
  const mqtt::Properties& p = will.properties;
  const mqtt::Properties will_properties_only{
      .payload_format_indicator = p.payload_format_indicator,
      .message_expiry_interval = p.message_expiry_interval,
      .content_type = p.content_type,
      .response_topic = p.response_topic,
      .correlation_data = p.correlation_data,
      .will_delay_interval = p.will_delay_interval,
      .user_properties = p.user_properties,
  };
  if (!(p == will_properties_only)) {
    return FieldError("will.properties",
                      "only Will Properties (Payload Format Indicator, "
                      "Message Expiry Interval, Content Type, Response "
                      "Topic, Correlation Data, Will Delay Interval, User "
                      "Property; MQTT 5.0 table 2-4)");
  }
  if (version == mqtt::Version::kV311 && !(p == mqtt::Properties{})) {
    return FieldError("will.properties", "none: MQTT 3.1.1 has no properties");
  }
  if (absl::Status s =
          CheckZeroOrOne("will.properties.payload_format_indicator",
                         p.payload_format_indicator);
      !s.ok()) {
    return s;
  }
  if (p.content_type.has_value()) {
    if (absl::Status s =
            CheckString("will.properties.content_type", *p.content_type);
        !s.ok()) {
      return s;
    }
  }
  if (p.response_topic.has_value()) {
    if (absl::Status s =
            CheckString("will.properties.response_topic", *p.response_topic);
        !s.ok()) {
      return s;
    }
    if (const std::string_view rule =
            mqtt::TopicNameViolation(*p.response_topic);
        !rule.empty()) {
      return FieldError("will.properties.response_topic", rule);
    }
  }
  return CheckUserProperties("will.properties.user_properties",
                             p.user_properties);
}

// The MQTT 5.0 fields a 3.1.1 CONNECT has no room for.
absl::Status CheckV311(const ConnectOptions& options) {
  const std::pair<bool, std::string_view> v5_only[] = {
      {options.session_expiry_interval.has_value(), "session_expiry_interval"},
      {options.receive_maximum.has_value(), "receive_maximum"},
      {options.maximum_packet_size.has_value(), "maximum_packet_size"},
      {options.topic_alias_maximum.has_value(), "topic_alias_maximum"},
      {options.request_response_information.has_value(),
       "request_response_information"},
      {options.request_problem_information.has_value(),
       "request_problem_information"},
      {!options.user_properties.empty(), "user_properties"},
      {options.authentication_method.has_value(), "authentication_method"},
      {options.authentication_data.has_value(), "authentication_data"},
  };
  for (const auto& [set, field] : v5_only) {
    if (set) return FieldError(field, "unset: it is MQTT 5.0 only");
  }
  if (options.password.has_value() && !options.username.has_value()) {
    return FieldError("password",
                      "unset without a username in MQTT 3.1.1 "
                      "[MQTT-3.1.2-22]");
  }
  return absl::OkStatus();
}

absl::Status CheckOptions(const ConnectOptions& options,
                          mqtt::Version version) {
  if (version == mqtt::Version::kV311) {
    if (absl::Status s = CheckV311(options); !s.ok()) return s;
  }
  if (absl::Status s = CheckString("client_id", options.client_id); !s.ok()) {
    return s;
  }
  if (options.username.has_value()) {
    if (absl::Status s = CheckString("username", *options.username); !s.ok()) {
      return s;
    }
  }
  if (options.password.has_value() && options.password->size() > 65'535) {
    return FieldError("password", "at most 65,535 bytes");
  }
  if (options.will.has_value()) {
    if (absl::Status s = CheckWill(*options.will, version); !s.ok()) return s;
  }
  if (options.receive_maximum == 0) {
    return FieldError("receive_maximum",
                      "1 to 65,535 (0 is a Protocol Error, MQTT 5.0 "
                      "3.1.2.11.3)");
  }
  if (options.maximum_packet_size == 0) {
    return FieldError("maximum_packet_size",
                      "1 to 268,435,460 (0 is a Protocol Error, MQTT 5.0 "
                      "3.1.2.11.4)");
  }
  if (absl::Status s = CheckZeroOrOne("request_response_information",
                                      options.request_response_information);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckZeroOrOne("request_problem_information",
                                      options.request_problem_information);
      !s.ok()) {
    return s;
  }
  if (options.authentication_method.has_value()) {
    if (absl::Status s = CheckString("authentication_method",
                                     *options.authentication_method);
        !s.ok()) {
      return s;
    }
  }
  return CheckUserProperties("user_properties", mqtt::UserProperties::FromList(
                                                    options.user_properties));
}

}  // namespace

absl::StatusOr<ConnectPacket> BuildConnectPacket(
    const ConnectOptions& options, mqtt::Version version,
    uint32_t max_incoming_packet_size) {
  if (absl::Status s = CheckOptions(options, version); !s.ok()) return s;

  mqtt::Connect connect{
      .version = version,
      .clean_start = options.clean_start,
      .keep_alive = options.keep_alive_seconds,
      .client_id = options.client_id,
      .will = options.will,
      .username = options.username,
      .password = options.password,
  };
  mqtt::Properties& p = connect.properties;
  p.session_expiry_interval = options.session_expiry_interval;
  p.receive_maximum = options.receive_maximum;
  p.maximum_packet_size = options.maximum_packet_size;
  p.topic_alias_maximum = options.topic_alias_maximum;
  p.request_response_information = options.request_response_information;
  p.request_problem_information = options.request_problem_information;
  p.user_properties = mqtt::UserProperties::FromList(options.user_properties);
  p.authentication_method = options.authentication_method;
  p.authentication_data = options.authentication_data;

  ConnectPacket packet;
  if (!mqtt::Encode(connect, version, &packet.bytes)) {
    return absl::InvalidArgumentError(
        "ConnectOptions: the CONNECT does not fit the wire format (a field "
        "over 65,535 bytes or a packet over 268,435,460 bytes)");
  }
  const mqtt::VarintDecoding length =
      mqtt::DecodeVarint(packet.bytes.data() + 1, packet.bytes.size() - 1);
  MQLAB_CHECK(length.status == mqtt::VarintDecoding::Status::kOk);
  packet.flags_offset = 1 + length.size + kBytesBeforeFlags;
  MQLAB_CHECK(packet.flags_offset < packet.bytes.size());
  packet.keep_alive_seconds = options.keep_alive_seconds;
  packet.session_expiry_interval = options.session_expiry_interval.value_or(0);
  packet.receive_maximum = options.receive_maximum.value_or(65'535);
  packet.maximum_packet_size =
      options.maximum_packet_size.value_or(max_incoming_packet_size);
  packet.topic_alias_maximum = options.topic_alias_maximum.value_or(0);
  packet.has_authentication_method = options.authentication_method.has_value();
  return packet;
}

void SetCleanStart(ConnectPacket* packet, bool clean_start) {
  uint8_t& flags = packet->bytes[packet->flags_offset];
  flags = clean_start ? (flags | kCleanStartFlag) : (flags & ~kCleanStartFlag);
}

}  // namespace mqlab::client
