#include "mqtt/packet_decoder.h"

#include <array>

#include "mqtt/packet_reason_codes.h"
#include "mqtt/property.h"
#include "mqtt/property_decoder.h"
#include "mqtt/topic.h"
#include "mqtt/varint.h"
#include "mqtt/wire_reader.h"

namespace mqlab::mqtt::internal {
namespace {

constexpr VersionedRule kReservedFlagsRule = {
    "[MQTT-2.1.3-1] reserved fixed header flags must be 0000",
    "[MQTT-2.2.2-1] reserved fixed header flags must be 0000"};
constexpr VersionedRule kNonZeroPacketIdRule = {
    "[MQTT-2.2.1-3] a Packet Identifier must be non-zero",
    "[MQTT-2.3.1-1] a Packet Identifier must be non-zero"};
constexpr std::string_view kTrailingBytesRule =
    "[MQTT 5.0 2.1.4] bytes are left after the packet's last field (its "
    "Remaining Length is too long)";
constexpr std::string_view kMissingPropertyLengthRule =
    "[MQTT-2.2.2-1] the Property Length must be present (0 when there are no "
    "properties)";

constexpr std::string_view ExpectedFlagsRule(PacketType type, Version version) {
  switch (type) {
    case PacketType::kPubrel:
      return "[MQTT-3.6.1-1] PUBREL fixed header flags must be 0010";
    case PacketType::kSubscribe:
      return "[MQTT-3.8.1-1] SUBSCRIBE fixed header flags must be 0010";
    case PacketType::kUnsubscribe:
      return "[MQTT-3.10.1-1] UNSUBSCRIBE fixed header flags must be 0010";
    case PacketType::kDisconnect:
      if (version == Version::kV5) {
        return "[MQTT-3.14.1-1] DISCONNECT fixed header flags must be 0000";
      }
      break;
    case PacketType::kAuth:
      return "[MQTT-3.15.1-1] AUTH fixed header flags must be 0000";
    default:
      break;
  }
  return kReservedFlagsRule.For(version);
}

bool ReadPacketId(WireReader& r, uint16_t* packet_id) {
  const uint8_t* start = r.position();
  if (!r.ReadU16(packet_id)) return false;
  if (*packet_id == 0) {
    return r.FailAt(start, ReasonCode::kProtocolError,
                    kNonZeroPacketIdRule.For(r.version()));
  }
  return true;
}

bool ExpectEnd(WireReader& r) {
  return r.done() || r.Malformed(kTrailingBytesRule);
}

bool ReadReasonCode(WireReader& r, PacketType type, std::string_view rule,
                    ReasonCode* code) {
  const uint8_t* start = r.position();
  uint8_t byte;
  if (!r.ReadByte(&byte)) return false;
  *code = static_cast<ReasonCode>(byte);
  if (!IsReasonCodeAllowed(type, r.version(), *code)) {
    return r.FailAt(start, ReasonCode::kProtocolError, rule);
  }
  return true;
}

bool ReadPropertiesIfV5(WireReader& r, PacketType type,
                        Properties* properties) {
  if (r.version() != Version::kV5) return true;
  if (r.done()) return r.Malformed(kMissingPropertyLengthRule);
  return ReadProperties(r, PropertyScope{type}, properties);
}

bool DecodeConnect(WireReader& r, const FixedHeader& header, Connect* c) {
  const uint8_t* name_start = r.position();
  Bytes name;
  if (!r.ReadBinary(&name)) return false;
  const std::string_view protocol_name(
      reinterpret_cast<const char*>(name.data()), name.size());
  const uint8_t* level_start = r.position();
  uint8_t level;
  if (!r.ReadByte(&level)) return false;
  if (protocol_name == "MQIsdp") {
    return r.FailAt(name_start, ReasonCode::kUnsupportedProtocolVersion,
                    "[MQTT-3.1.2-1] MQTT 3.1 (protocol name \"MQIsdp\") is "
                    "not supported: the protocol name must be \"MQTT\"");
  }
  if (protocol_name != "MQTT") {
    return r.FailAt(name_start, ReasonCode::kUnsupportedProtocolVersion,
                    "[MQTT-3.1.2-1] the protocol name must be \"MQTT\"");
  }
  if (level != 4 && level != 5) {
    return r.FailAt(level_start, ReasonCode::kUnsupportedProtocolVersion,
                    "[MQTT-3.1.2-2] the Protocol Level must be 4 (3.1.1) or 5 "
                    "(5.0)");
  }
  const Version version = static_cast<Version>(level);
  r.set_version(version);
  c->version = version;
  if (version == Version::kV5 && !header.minimal_length) {
    return r.FailAt(name_start - header.size + 1, ReasonCode::kMalformedPacket,
                    "[MQTT-1.5.5-1] the Remaining Length must use the minimum "
                    "number of bytes");
  }
  const uint8_t* flags_start = r.position();
  uint8_t flags;
  if (!r.ReadByte(&flags)) return false;
  const auto fail_flags = [&](std::string_view rule) {
    return r.FailAt(flags_start, ReasonCode::kMalformedPacket, rule);
  };
  if ((flags & 0x01) != 0) {
    return fail_flags(
        "[MQTT-3.1.2-3] the reserved flag of the Connect Flags must be 0");
  }
  c->clean_start = (flags & 0x02) != 0;
  const bool will_flag = (flags & 0x04) != 0;
  const uint8_t will_qos = (flags >> 3) & 0x03;
  const bool will_retain = (flags & 0x20) != 0;
  const bool password_flag = (flags & 0x40) != 0;
  const bool username_flag = (flags & 0x80) != 0;
  if (!will_flag && will_qos != 0) {
    return fail_flags(
        VersionedRule{"[MQTT-3.1.2-11] without the Will Flag, "
                      "Will QoS must be 0",
                      "[MQTT-3.1.2-13] without the Will Flag, "
                      "Will QoS must be 0"}
            .For(version));
  }
  if (will_flag && will_qos == 3) {
    return fail_flags(
        VersionedRule{"[MQTT-3.1.2-12] Will QoS must be 0, 1 "
                      "or 2, not 3",
                      "[MQTT-3.1.2-14] Will QoS must be 0, 1 "
                      "or 2, not 3"}
            .For(version));
  }
  if (!will_flag && will_retain) {
    return fail_flags(
        VersionedRule{"[MQTT-3.1.2-13] without the Will Flag, "
                      "Will Retain must be 0",
                      "[MQTT-3.1.2-15] without the Will Flag, "
                      "Will Retain must be 0"}
            .For(version));
  }
  if (version == Version::kV311 && password_flag && !username_flag) {
    return fail_flags(
        "[MQTT-3.1.2-22] without the User Name Flag, the Password Flag must "
        "be 0");
  }
  if (!r.ReadU16(&c->keep_alive)) return false;
  if (!ReadPropertiesIfV5(r, PacketType::kConnect, &c->properties)) {
    return false;
  }
  if (!r.ReadString(&c->client_id)) return false;
  if (will_flag) {
    Will& will = c->will.emplace();
    will.qos = static_cast<Qos>(will_qos);
    will.retain = will_retain;
    if (version == Version::kV5 &&
        !ReadProperties(r, PropertyScope{PacketType::kConnect, true},
                        &will.properties)) {
      return false;
    }
    const uint8_t* topic_start = r.position();
    if (!r.ReadString(&will.topic)) return false;
    if (const std::string_view rule = TopicNameViolation(will.topic);
        !rule.empty()) {
      return r.FailAt(topic_start, ReasonCode::kMalformedPacket, rule);
    }
    if (!r.ReadBinary(&will.payload)) return false;
  }
  if (username_flag && !r.ReadString(&c->username.emplace())) return false;
  if (password_flag && !r.ReadBinary(&c->password.emplace())) return false;
  return ExpectEnd(r);
}

bool DecodeConnack(WireReader& r, Connack* c) {
  const uint8_t* flags_start = r.position();
  uint8_t flags;
  if (!r.ReadByte(&flags)) return false;
  if ((flags & 0xFE) != 0) {
    return r.FailAt(flags_start, ReasonCode::kMalformedPacket,
                    "[MQTT-3.2.2-1] (3.1.1: 3.2.2.1) bits 7-1 of the Connect "
                    "Acknowledge Flags are reserved and must be 0");
  }
  c->session_present = (flags & 0x01) != 0;
  const uint8_t* code_start = r.position();
  uint8_t code;
  if (!r.ReadByte(&code)) return false;
  if (r.version() == Version::kV311) {
    if (code > static_cast<uint8_t>(ConnectReturnCode::kNotAuthorized)) {
      return r.FailAt(code_start, ReasonCode::kMalformedPacket,
                      "[MQTT 3.1.1 3.2.2.3] CONNACK return codes 6-255 are "
                      "reserved");
    }
    c->reason_code =
        FromConnectReturnCode(static_cast<ConnectReturnCode>(code));
  } else {
    c->reason_code = static_cast<ReasonCode>(code);
    if (!IsReasonCodeAllowed(PacketType::kConnack, Version::kV5,
                             c->reason_code)) {
      return r.FailAt(code_start, ReasonCode::kProtocolError,
                      "[MQTT-3.2.2-8] the CONNACK must carry one of the "
                      "Connect Reason Codes");
    }
  }
  if (c->session_present && code != 0) {
    return r.FailAt(flags_start, ReasonCode::kProtocolError,
                    VersionedRule{"[MQTT-3.2.2-6] Session Present must be 0 "
                                  "with a non-zero Reason Code",
                                  "[MQTT-3.2.2-4] Session Present must be 0 "
                                  "with a non-zero return code"}
                        .For(r.version()));
  }
  return ReadPropertiesIfV5(r, PacketType::kConnack, &c->properties) &&
         ExpectEnd(r);
}

// The topic rules for a PUBLISH whose topic is not plain ASCII (the fast
// path's test failed): empty with or without an alias, wildcards, U+0000.
bool CheckTopicName(WireReader& r, const uint8_t* topic_start,
                    const Publish& p) {
  if (p.topic.empty()) {
    if (r.version() == Version::kV311) {
      return r.FailAt(topic_start, ReasonCode::kMalformedPacket,
                      "[MQTT-4.7.3-1] a topic name must be at least one "
                      "character long");
    }
    if (!p.properties.topic_alias.has_value()) {
      return r.FailAt(topic_start, ReasonCode::kProtocolError,
                      "[MQTT 5.0 3.3.2.3.4] a zero-length Topic Name needs a "
                      "Topic Alias");
    }
    return true;
  }
  if (const std::string_view rule = TopicNameViolation(p.topic);
      !rule.empty()) {
    return r.FailAt(topic_start, ReasonCode::kMalformedPacket, rule);
  }
  return true;
}

bool DecodePublish(WireReader& r, const FixedHeader& header, Publish* p) {
  p->dup = (header.flags & 0x08) != 0;
  p->retain = (header.flags & 0x01) != 0;
  p->qos = static_cast<Qos>((header.flags >> 1) & 0x03);
  // The flags were checked by ParseFixedHeader.
  const uint8_t* topic_start = r.position();
  if (!r.ReadUncheckedString(&p->topic)) return false;
  const bool plain_topic = internal::IsPlainTopicName(p->topic);
  if (!plain_topic && !r.CheckString(topic_start, p->topic)) return false;
  if (p->qos != Qos::kAtMostOnce && !ReadPacketId(r, &p->packet_id)) {
    return false;
  }
  if (!ReadPropertiesIfV5(r, PacketType::kPublish, &p->properties)) {
    return false;
  }
  if (!plain_topic && !CheckTopicName(r, topic_start, *p)) return false;
  p->payload = r.ReadRest();
  return true;
}

template <PacketType kType>
bool DecodePublishResponse(WireReader& r, PublishResponse<kType>* p) {
  if (!ReadPacketId(r, &p->packet_id)) return false;
  if (r.version() == Version::kV311 || r.done()) return ExpectEnd(r);
  std::string_view rule;
  switch (kType) {
    case PacketType::kPuback:
      rule =
          "[MQTT-3.4.2-1] the PUBACK must carry one of the PUBACK Reason "
          "Codes";
      break;
    case PacketType::kPubrec:
      rule =
          "[MQTT-3.5.2-1] the PUBREC must carry one of the PUBREC Reason "
          "Codes";
      break;
    case PacketType::kPubrel:
      rule =
          "[MQTT-3.6.2-1] the PUBREL must carry one of the PUBREL Reason "
          "Codes";
      break;
    default:
      rule =
          "[MQTT-3.7.2-1] the PUBCOMP must carry one of the PUBCOMP Reason "
          "Codes";
      break;
  }
  if (!ReadReasonCode(r, kType, rule, &p->reason_code)) return false;
  // A Remaining Length of 3 means no properties (3.4.2.2.1).
  if (r.done()) return true;
  return ReadProperties(r, PropertyScope{kType}, &p->properties) &&
         ExpectEnd(r);
}

bool ReadTopicFilter(WireReader& r, std::string_view* filter) {
  const uint8_t* start = r.position();
  if (!r.ReadString(filter)) return false;
  if (const std::string_view rule = TopicFilterViolation(*filter);
      !rule.empty()) {
    return r.FailAt(start, ReasonCode::kMalformedPacket, rule);
  }
  if (r.version() == Version::kV5) {
    if (const std::string_view rule = SharedSubscriptionViolation(*filter);
        !rule.empty()) {
      return r.FailAt(start, ReasonCode::kMalformedPacket, rule);
    }
  }
  return true;
}

bool DecodeSubscribe(WireReader& r, Subscribe* s) {
  if (!ReadPacketId(r, &s->packet_id) ||
      !ReadPropertiesIfV5(r, PacketType::kSubscribe, &s->properties)) {
    return false;
  }
  const bool v5 = r.version() == Version::kV5;
  if (r.done()) {
    return r.Fail(ReasonCode::kProtocolError,
                  VersionedRule{"[MQTT-3.8.3-2] a SUBSCRIBE must contain at "
                                "least one Topic Filter",
                                "[MQTT-3.8.3-3] a SUBSCRIBE must contain at "
                                "least one Topic Filter"}
                      .For(r.version()));
  }
  const Bytes payload(r.position(), r.remaining());
  size_t count = 0;
  while (!r.done()) {
    const uint8_t* filter_start = r.position();
    std::string_view filter;
    if (!ReadTopicFilter(r, &filter)) return false;
    const uint8_t* options_start = r.position();
    uint8_t options;
    if (!r.ReadByte(&options)) return false;
    const auto fail = [&](ReasonCode code, std::string_view rule) {
      return r.FailAt(options_start, code, rule);
    };
    if (!v5) {
      if ((options & 0xFC) != 0) {
        return fail(ReasonCode::kMalformedPacket,
                    "[MQTT-3-8.3-4] bits 7-2 of the requested QoS byte are "
                    "reserved and must be 0");
      }
      if ((options & 0x03) == 3) {
        return fail(ReasonCode::kMalformedPacket,
                    "[MQTT-3-8.3-4] the requested QoS must be 0, 1 or 2");
      }
    } else {
      if ((options & 0xC0) != 0) {
        return fail(ReasonCode::kMalformedPacket,
                    "[MQTT-3.8.3-5] bits 7-6 of the Subscription Options are "
                    "reserved and must be 0");
      }
      if ((options & 0x03) == 3) {
        return fail(ReasonCode::kProtocolError,
                    "[MQTT 5.0 3.8.3.1] Maximum QoS 3 is a Protocol Error");
      }
      if (((options >> 4) & 0x03) == 3) {
        return fail(ReasonCode::kProtocolError,
                    "[MQTT 5.0 3.8.3.1] Retain Handling 3 is a Protocol "
                    "Error");
      }
      if ((options & 0x04) != 0 && IsSharedSubscriptionFilter(filter)) {
        return r.FailAt(filter_start, ReasonCode::kProtocolError,
                        "[MQTT-3.8.3-4] No Local must not be set on a Shared "
                        "Subscription");
      }
    }
    ++count;
  }
  s->subscriptions = Subscriptions::FromWire(payload, count);
  return true;
}

bool ReadReasonCodeList(WireReader& r, PacketType type,
                        const VersionedRule& rule, std::string_view empty_rule,
                        Bytes* codes) {
  if (r.done()) return r.Fail(ReasonCode::kProtocolError, empty_rule);
  *codes = Bytes(r.position(), r.remaining());
  while (!r.done()) {
    ReasonCode code;
    if (!ReadReasonCode(r, type, rule.For(r.version()), &code)) return false;
  }
  return true;
}

bool DecodeSuback(WireReader& r, Suback* s) {
  return ReadPacketId(r, &s->packet_id) &&
         ReadPropertiesIfV5(r, PacketType::kSuback, &s->properties) &&
         ReadReasonCodeList(
             r, PacketType::kSuback,
             {"[MQTT-3.9.3-2] the SUBACK must carry Subscribe Reason Codes",
              "[MQTT-3.9.3-2] SUBACK return codes other than 0x00, 0x01, 0x02 "
              "and 0x80 are reserved"},
             "[MQTT 5.0 3.9.3] a SUBACK carries one Reason Code per Topic "
             "Filter, so at least one",
             &s->reason_codes);
}

bool DecodeUnsubscribe(WireReader& r, Unsubscribe* u) {
  if (!ReadPacketId(r, &u->packet_id) ||
      !ReadPropertiesIfV5(r, PacketType::kUnsubscribe, &u->properties)) {
    return false;
  }
  if (r.done()) {
    return r.Fail(ReasonCode::kProtocolError,
                  "[MQTT-3.10.3-2] an UNSUBSCRIBE must contain at least one "
                  "Topic Filter");
  }
  const Bytes payload(r.position(), r.remaining());
  size_t count = 0;
  while (!r.done()) {
    std::string_view filter;
    if (!ReadTopicFilter(r, &filter)) return false;
    ++count;
  }
  u->topic_filters = TopicFilters::FromWire(payload, count);
  return true;
}

bool DecodeUnsuback(WireReader& r, Unsuback* u) {
  if (!ReadPacketId(r, &u->packet_id)) return false;
  if (r.version() == Version::kV311) return ExpectEnd(r);
  return ReadPropertiesIfV5(r, PacketType::kUnsuback, &u->properties) &&
         ReadReasonCodeList(r, PacketType::kUnsuback,
                            {"[MQTT-3.11.3-2] the UNSUBACK must carry "
                             "Unsubscribe Reason Codes",
                             ""},
                            "[MQTT 5.0 3.11.3] an UNSUBACK carries one Reason "
                            "Code per Topic Filter, so at least one",
                            &u->reason_codes);
}

// DISCONNECT and AUTH: an optional reason code, then optional properties.
template <typename T>
bool DecodeReasonAndProperties(WireReader& r, PacketType type,
                               std::string_view rule, T* packet) {
  if (r.done()) return true;  // Success, no properties.
  if (!ReadReasonCode(r, type, rule, &packet->reason_code)) return false;
  if (r.done()) return true;
  return ReadProperties(r, PropertyScope{type}, &packet->properties) &&
         ExpectEnd(r);
}

// *packet as a default T for the decoder to fill. When it holds a T already
// (a stream of PUBLISH packets), assigning a default T resets the members
// one by one; emplace would zero the whole 424 bytes of a PUBLISH first,
// with `rep stos` (14 ns against 6 ns here, a quarter of a small PUBLISH's
// decoding).
template <typename T>
T& ResetTo(Packet* packet) {
  if (T* held = std::get_if<T>(packet)) {
    *held = T{};
    return *held;
  }
  return packet->emplace<T>();
}

bool DecodeEmpty(WireReader& r, PacketType type) {
  if (r.done()) return true;
  switch (type) {
    case PacketType::kPingreq:
      return r.Malformed(
          "[MQTT 5.0 3.12] a PINGREQ has no variable header "
          "and no payload");
    case PacketType::kPingresp:
      return r.Malformed(
          "[MQTT 5.0 3.13] a PINGRESP has no variable header "
          "and no payload");
    default:
      return r.Malformed(
          "[MQTT 3.1.1 3.14] a 3.1.1 DISCONNECT has no "
          "variable header and no payload");
  }
}

}  // namespace

namespace {

// What a fixed header's first byte breaks when the stream's version is
// `version`, or an empty rule: the one statement of these rules, which also
// builds kValidFirstBytes.
struct FirstByteViolation {
  ReasonCode reason_code = ReasonCode::kMalformedPacket;
  std::string_view rule;
};

constexpr FirstByteViolation CheckFirstByte(uint8_t first,
                                            std::optional<Version> version) {
  const uint8_t type_value = first >> 4;
  const uint8_t flags = first & 0x0F;
  const Version rules_version = version.value_or(Version::kV5);
  if (type_value == 0) {
    return {ReasonCode::kMalformedPacket,
            "[MQTT 5.0 2.1.2] packet type 0 is reserved"};
  }
  if (type_value == 15 && rules_version == Version::kV311) {
    return {ReasonCode::kMalformedPacket,
            "[MQTT 3.1.1 2.2.1] packet type 15 is reserved (AUTH is MQTT 5.0 "
            "only)"};
  }
  const auto type = static_cast<PacketType>(type_value);
  if (!version.has_value() && type != PacketType::kConnect) {
    return {ReasonCode::kProtocolError,
            "[MQTT-3.1.0-1] the first packet from the Client must be CONNECT"};
  }
  if (type == PacketType::kPublish) {
    const uint8_t qos = (flags >> 1) & 0x03;
    if (qos == 3) {
      return {ReasonCode::kMalformedPacket,
              "[MQTT-3.3.1-4] a PUBLISH must not have both QoS bits set"};
    }
    if (qos == 0 && (flags & 0x08) != 0) {
      return {ReasonCode::kMalformedPacket,
              "[MQTT-3.3.1-2] the DUP flag must be 0 for QoS 0"};
    }
    return {};
  }
  const bool two = type == PacketType::kPubrel ||
                   type == PacketType::kSubscribe ||
                   type == PacketType::kUnsubscribe;
  if (flags != (two ? 0x02 : 0x00)) {
    return {ReasonCode::kMalformedPacket,
            ExpectedFlagsRule(type, rules_version)};
  }
  return {};
}

constexpr std::array<std::array<uint64_t, 4>, 3> MakeValidFirstBytes() {
  constexpr std::optional<Version> kVersions[] = {std::nullopt, Version::kV311,
                                                  Version::kV5};
  std::array<std::array<uint64_t, 4>, 3> valid{};
  for (size_t v = 0; v < 3; ++v) {
    for (unsigned byte = 0; byte < 256; ++byte) {
      if (CheckFirstByte(static_cast<uint8_t>(byte), kVersions[v])
              .rule.empty()) {
        valid[v][byte / 64] |= uint64_t{1} << (byte % 64);
      }
    }
  }
  return valid;
}

}  // namespace

constexpr std::array<std::array<uint64_t, 4>, 3> kValidFirstBytes =
    MakeValidFirstBytes();

HeaderStatus ParseFixedHeaderSlow(Bytes bytes, std::optional<Version> version,
                                  uint64_t offset, FixedHeader* header,
                                  DecodeError* error) {
  const auto fail = [&](ReasonCode code, uint64_t at, std::string_view rule) {
    error->reason_code = code;
    error->offset = offset + at;
    error->rule = rule;
    return HeaderStatus::kError;
  };
  const FirstByteViolation violation = CheckFirstByte(bytes[0], version);
  if (!violation.rule.empty()) {
    return fail(violation.reason_code, 0, violation.rule);
  }
  const VarintDecoding length =
      DecodeVarint(bytes.data() + 1, bytes.size() - 1);
  switch (length.status) {
    case VarintDecoding::Status::kNeedMore:
      return HeaderStatus::kNeedMore;
    case VarintDecoding::Status::kTooLong:
      return fail(ReasonCode::kMalformedPacket, 1,
                  "[MQTT 5.0 1.5.5] the Remaining Length has at most 4 bytes");
    case VarintDecoding::Status::kOk:
      break;
  }
  if (!length.minimal && version == Version::kV5) {
    return fail(ReasonCode::kMalformedPacket, 1,
                "[MQTT-1.5.5-1] the Remaining Length must use the minimum "
                "number of bytes");
  }
  // Valid after all: a non-minimal Remaining Length in 3.1.1.
  header->type = static_cast<PacketType>(bytes[0] >> 4);
  header->flags = bytes[0] & 0x0F;
  header->remaining_length = length.value;
  header->size = static_cast<uint8_t>(1 + length.size);
  header->minimal_length = length.minimal;
  return HeaderStatus::kOk;
}

bool DecodeWholePacket(Bytes packet, const FixedHeader& header,
                       std::optional<Version> version, uint64_t offset,
                       Packet* out, DecodeError* error) {
  const uint8_t* begin = packet.data();
  WireReader r(begin + header.size, begin + packet.size(), begin, offset,
               version.value_or(Version::kV5), error);
  switch (header.type) {
    case PacketType::kConnect:
      return DecodeConnect(r, header, &ResetTo<Connect>(out));
    case PacketType::kConnack:
      return DecodeConnack(r, &ResetTo<Connack>(out));
    case PacketType::kPublish:
      return DecodePublish(r, header, &ResetTo<Publish>(out));
    case PacketType::kPuback:
      return DecodePublishResponse(r, &ResetTo<Puback>(out));
    case PacketType::kPubrec:
      return DecodePublishResponse(r, &ResetTo<Pubrec>(out));
    case PacketType::kPubrel:
      return DecodePublishResponse(r, &ResetTo<Pubrel>(out));
    case PacketType::kPubcomp:
      return DecodePublishResponse(r, &ResetTo<Pubcomp>(out));
    case PacketType::kSubscribe:
      return DecodeSubscribe(r, &ResetTo<Subscribe>(out));
    case PacketType::kSuback:
      return DecodeSuback(r, &ResetTo<Suback>(out));
    case PacketType::kUnsubscribe:
      return DecodeUnsubscribe(r, &ResetTo<Unsubscribe>(out));
    case PacketType::kUnsuback:
      return DecodeUnsuback(r, &ResetTo<Unsuback>(out));
    case PacketType::kPingreq:
      ResetTo<Pingreq>(out);
      return DecodeEmpty(r, header.type);
    case PacketType::kPingresp:
      ResetTo<Pingresp>(out);
      return DecodeEmpty(r, header.type);
    case PacketType::kDisconnect: {
      Disconnect& disconnect = ResetTo<Disconnect>(out);
      if (r.version() == Version::kV311) return DecodeEmpty(r, header.type);
      return DecodeReasonAndProperties(
          r, PacketType::kDisconnect,
          "[MQTT-3.14.2-1] the DISCONNECT must carry one of the DISCONNECT "
          "Reason Codes",
          &disconnect);
    }
    case PacketType::kAuth:
      return DecodeReasonAndProperties(
          r, PacketType::kAuth,
          "[MQTT-3.15.2-1] the AUTH must carry one of the Authenticate Reason "
          "Codes",
          &ResetTo<Auth>(out));
  }
  return r.Malformed("[MQTT 5.0 2.1.2] reserved packet type");
}

}  // namespace mqlab::mqtt::internal
