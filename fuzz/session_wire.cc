#include "fuzz/session_wire.h"

#include <algorithm>

namespace mqlab::fuzz {
namespace {

// Highest value of a Variable Byte Integer (MQTT 5.0 1.5.5).
constexpr uint32_t kVarintMaximum = 268'435'455;
// Extra varint bytes faults may ask for: enough to pass the 4-byte limit.
constexpr uint32_t kMaximumPadding = 4;
// Repeats of a ClientId or payload: up to a Two Byte length.
constexpr uint32_t kMaximumRepeat = 4096;

// A Variable Byte Integer's bytes: 4 at most, plus the padding.
constexpr size_t kLongestVarint = 4 + kMaximumPadding;

size_t VarintBytes(uint32_t value, uint32_t padding,
                   uint8_t (&bytes)[kLongestVarint]) {
  size_t size = 0;
  do {
    uint8_t byte = value % 128;
    value /= 128;
    if (value > 0 || padding > 0) byte |= 0x80;
    bytes[size++] = byte;
  } while (value > 0);
  for (uint32_t i = 1; i < padding; ++i) bytes[size++] = 0x80;
  if (padding > 0) bytes[size++] = 0x00;
  return size;
}

class Writer {
 public:
  explicit Writer(std::vector<uint8_t>* out) : out_(out) {}
  void Byte(uint32_t value) { out_->push_back(static_cast<uint8_t>(value)); }
  void U16(uint32_t value) {
    Byte(value >> 8);
    Byte(value);
  }
  void U32(uint32_t value) {
    U16(value >> 16);
    U16(value);
  }
  // A Variable Byte Integer with `padding` extra (non-minimal) bytes.
  void Varint(uint32_t value, uint32_t padding = 0) {
    uint8_t bytes[kLongestVarint];
    const size_t size = VarintBytes(value, padding, bytes);
    out_->insert(out_->end(), bytes, bytes + size);
  }
  void Text(const std::string& value) {
    const std::string capped = Capped(value);
    U16(static_cast<uint32_t>(capped.size()));
    out_->insert(out_->end(), capped.begin(), capped.end());
  }
  void Raw(const std::string& value) {
    out_->insert(out_->end(), value.begin(), value.end());
  }
  size_t size() const { return out_->size(); }

 private:
  std::vector<uint8_t>* out_;
};

// Writes property `id` of `p` (the first element of a repeated one);
// false when it is not set.
bool WriteProperty(Writer& w, const Properties& p, PropertyId id) {
  const auto byte = [&](bool has, uint32_t value) {
    if (!has) return false;
    w.Byte(id);
    w.Byte(value);
    return true;
  };
  const auto two = [&](bool has, uint32_t value) {
    if (!has) return false;
    w.Byte(id);
    w.U16(value);
    return true;
  };
  const auto four = [&](bool has, uint32_t value) {
    if (!has) return false;
    w.Byte(id);
    w.U32(value);
    return true;
  };
  const auto text = [&](bool has, const std::string& value) {
    if (!has) return false;
    w.Byte(id);
    w.Text(value);
    return true;
  };
  switch (id) {
    case PAYLOAD_FORMAT_INDICATOR:
      return byte(p.has_payload_format_indicator(),
                  p.payload_format_indicator());
    case MESSAGE_EXPIRY_INTERVAL:
      return four(p.has_message_expiry_interval(), p.message_expiry_interval());
    case CONTENT_TYPE:
      return text(p.has_content_type(), p.content_type());
    case RESPONSE_TOPIC:
      return text(p.has_response_topic(), p.response_topic());
    case CORRELATION_DATA:
      return text(p.has_correlation_data(), p.correlation_data());
    case SUBSCRIPTION_IDENTIFIER:
      if (p.subscription_identifier_size() == 0) return false;
      w.Byte(id);
      w.Varint(VarintValue(p.subscription_identifier(0)));
      return true;
    case SESSION_EXPIRY_INTERVAL:
      return four(p.has_session_expiry_interval(), p.session_expiry_interval());
    case ASSIGNED_CLIENT_IDENTIFIER:
      return text(p.has_assigned_client_identifier(),
                  p.assigned_client_identifier());
    case SERVER_KEEP_ALIVE:
      return two(p.has_server_keep_alive(), p.server_keep_alive());
    case AUTHENTICATION_METHOD:
      return text(p.has_authentication_method(), p.authentication_method());
    case AUTHENTICATION_DATA:
      return text(p.has_authentication_data(), p.authentication_data());
    case REQUEST_PROBLEM_INFORMATION:
      return byte(p.has_request_problem_information(),
                  p.request_problem_information());
    case WILL_DELAY_INTERVAL:
      return four(p.has_will_delay_interval(), p.will_delay_interval());
    case REQUEST_RESPONSE_INFORMATION:
      return byte(p.has_request_response_information(),
                  p.request_response_information());
    case RESPONSE_INFORMATION:
      return text(p.has_response_information(), p.response_information());
    case SERVER_REFERENCE:
      return text(p.has_server_reference(), p.server_reference());
    case REASON_STRING:
      return text(p.has_reason_string(), p.reason_string());
    case RECEIVE_MAXIMUM:
      return two(p.has_receive_maximum(), p.receive_maximum());
    case TOPIC_ALIAS_MAXIMUM:
      return two(p.has_topic_alias_maximum(), p.topic_alias_maximum());
    case TOPIC_ALIAS:
      return two(p.has_topic_alias(), p.topic_alias());
    case MAXIMUM_QOS:
      return byte(p.has_maximum_qos(), p.maximum_qos());
    case RETAIN_AVAILABLE:
      return byte(p.has_retain_available(), p.retain_available());
    case USER_PROPERTY:
      if (p.user_property_size() == 0) return false;
      w.Byte(id);
      w.Text(p.user_property(0).key());
      w.Text(p.user_property(0).value());
      return true;
    case MAXIMUM_PACKET_SIZE:
      return four(p.has_maximum_packet_size(), p.maximum_packet_size());
    case WILDCARD_SUBSCRIPTION_AVAILABLE:
      return byte(p.has_wildcard_subscription_available(),
                  p.wildcard_subscription_available());
    case SUBSCRIPTION_IDENTIFIER_AVAILABLE:
      return byte(p.has_subscription_identifier_available(),
                  p.subscription_identifier_available());
    case SHARED_SUBSCRIPTION_AVAILABLE:
      return byte(p.has_shared_subscription_available(),
                  p.shared_subscription_available());
    case PROPERTY_NONE:
      return false;
  }
  return false;
}

// Every property identifier, in order (a table: asking the enum's
// descriptor for each packet showed in profiles).
constexpr PropertyId kPropertyIds[] = {
    PAYLOAD_FORMAT_INDICATOR,
    MESSAGE_EXPIRY_INTERVAL,
    CONTENT_TYPE,
    RESPONSE_TOPIC,
    CORRELATION_DATA,
    SUBSCRIPTION_IDENTIFIER,
    SESSION_EXPIRY_INTERVAL,
    ASSIGNED_CLIENT_IDENTIFIER,
    SERVER_KEEP_ALIVE,
    AUTHENTICATION_METHOD,
    AUTHENTICATION_DATA,
    REQUEST_PROBLEM_INFORMATION,
    WILL_DELAY_INTERVAL,
    REQUEST_RESPONSE_INFORMATION,
    RESPONSE_INFORMATION,
    SERVER_REFERENCE,
    REASON_STRING,
    RECEIVE_MAXIMUM,
    TOPIC_ALIAS_MAXIMUM,
    TOPIC_ALIAS,
    MAXIMUM_QOS,
    RETAIN_AVAILABLE,
    USER_PROPERTY,
    MAXIMUM_PACKET_SIZE,
    WILDCARD_SUBSCRIPTION_AVAILABLE,
    SUBSCRIPTION_IDENTIFIER_AVAILABLE,
    SHARED_SUBSCRIPTION_AVAILABLE,
};

// The block's properties in identifier order, the repeated ones whole,
// then the duplicates.
void WritePropertyBlock(std::vector<uint8_t>* out, const Properties& p) {
  Writer w(out);
  for (const PropertyId id : kPropertyIds) {
    if (id == SUBSCRIPTION_IDENTIFIER) {
      for (const uint32_t value : p.subscription_identifier()) {
        w.Byte(id);
        w.Varint(VarintValue(value));
      }
    } else if (id == USER_PROPERTY) {
      for (const UserProperty& property : p.user_property()) {
        w.Byte(id);
        w.Text(property.key());
        w.Text(property.value());
      }
    } else {
      WriteProperty(w, p, id);
    }
  }
  for (const int id : p.duplicate()) {
    WriteProperty(w, p, static_cast<PropertyId>(id));
  }
}

// The block goes to the end of the output, then its length is put in
// front of it (no block buffer of its own: allocations are what an ASan
// build pays most for).
void WriteProperties(std::vector<uint8_t>* out, const Properties& p,
                     uint32_t padding) {
  const size_t start = out->size();
  WritePropertyBlock(out, p);
  uint8_t length[kLongestVarint];
  const size_t size =
      VarintBytes(static_cast<uint32_t>(out->size() - start), padding, length);
  out->insert(out->begin() + static_cast<std::ptrdiff_t>(start), length,
              length + size);
}

std::string FilterText(const Subscription& s) {
  if (!s.has_share_name()) return s.filter();
  return "$share/" + s.share_name() + "/" + s.filter();
}

}  // namespace

uint32_t VarintValue(uint32_t value) { return value & kVarintMaximum; }

std::string Capped(const std::string& value) {
  return value.size() <= kMaximumFieldSize ? value
                                           : value.substr(0, kMaximumFieldSize);
}

ResolvedConnect Resolve(const Connect& connect, const PacketContext& context) {
  ResolvedConnect r;
  r.level = connect.has_protocol_level() ? connect.protocol_level() & 0xFF
                                         : static_cast<int>(connect.version());
  r.protocol_name =
      connect.has_protocol_name() ? connect.protocol_name() : "MQTT";
  if (!connect.empty_client_id()) {
    const std::string base =
        connect.has_client_id() ? connect.client_id() : context.client_name;
    const uint32_t repeat =
        std::clamp<uint32_t>(connect.client_id_repeat(), 1, kMaximumRepeat);
    for (uint32_t i = 0; i < repeat && r.client_id.size() <= kMaximumFieldSize;
         ++i) {
      r.client_id += base;
    }
    r.client_id = Capped(r.client_id);
  }
  switch (connect.username_source()) {
    case USERNAME_OF_CLIENT:
      r.has_username = true;
      r.username = context.client_name;
      break;
    case USERNAME_ABSENT:
      break;
    case USERNAME_GIVEN:
      r.has_username = true;
      r.username = Capped(connect.username());
      break;
    case USERNAME_OF_OTHER:
      r.has_username = true;
      r.username = context.other_name;
      break;
  }
  return r;
}

std::string ResolvedPayload(const Publish& publish) {
  std::string payload;
  const uint32_t repeat =
      std::clamp<uint32_t>(publish.payload_repeat(), 1, kMaximumRepeat);
  for (uint32_t i = 0; i < repeat && payload.size() <= kMaximumFieldSize; ++i) {
    payload += publish.payload();
  }
  return payload;
}

uint16_t ResolvedPacketId(const Packet& packet, const PacketContext& context) {
  switch (packet.kind_case()) {
    case Packet::kPublish:
      return packet.publish().has_packet_id() ? packet.publish().packet_id()
                                              : context.next_packet_id;
    case Packet::kSubscribe:
      return packet.subscribe().has_packet_id() ? packet.subscribe().packet_id()
                                                : context.next_packet_id;
    case Packet::kUnsubscribe:
      return packet.unsubscribe().has_packet_id()
                 ? packet.unsubscribe().packet_id()
                 : context.next_packet_id;
    case Packet::kPublishResponse:
      return packet.publish_response().has_packet_id()
                 ? packet.publish_response().packet_id()
                 : context.last_received_packet_id;
    default:
      return 0;
  }
}

uint8_t PacketTypeOf(const Packet& packet) {
  switch (packet.kind_case()) {
    case Packet::kConnect:
      return 1;
    case Packet::kPublish:
      return 3;
    case Packet::kPublishResponse:
      return static_cast<uint8_t>(packet.publish_response().kind());
    case Packet::kSubscribe:
      return 8;
    case Packet::kUnsubscribe:
      return 10;
    case Packet::kDisconnect:
      return 14;
    case Packet::kAuth:
      return 15;
    case Packet::kPingreq:
    case Packet::KIND_NOT_SET:
      return 12;  // An empty packet action is a PINGREQ.
  }
  return 12;
}

uint8_t FirstByteFlags(const Packet& packet) {
  if (packet.faults().has_first_byte_flags()) {
    return packet.faults().first_byte_flags() & 0x0F;
  }
  switch (PacketTypeOf(packet)) {
    case 3: {
      const Publish& p = packet.publish();
      return static_cast<uint8_t>((p.dup() ? 0x08 : 0) | ((p.qos() & 3) << 1) |
                                  (p.retain() ? 0x01 : 0));
    }
    case 6:
    case 8:
    case 10:
      return 0x02;
    default:
      return 0x00;
  }
}

EncodedPacket EncodePacket(const Packet& packet, const PacketContext& context) {
  EncodedPacket encoded;
  std::vector<uint8_t> body;
  Writer w(&body);
  BodyLayout& layout = encoded.layout;
  const WireFaults& faults = packet.faults();
  const uint32_t property_padding =
      std::min(faults.property_length_padding(), kMaximumPadding);
  const bool v5 = context.version == 5;
  const uint8_t type = PacketTypeOf(packet);
  const uint16_t packet_id = ResolvedPacketId(packet, context) & 0xFFFF;
  // Reason code and properties, both optional (v5 PUBACK ... PUBCOMP,
  // DISCONNECT, AUTH): a cut before either leaves a shorter valid form.
  const auto reason_and_properties = [&](bool has_reason, uint32_t reason,
                                         bool has_properties,
                                         const Properties& properties) {
    layout.open_cuts.push_back(w.size());
    if (has_reason || has_properties) w.Byte(has_reason ? reason : 0);
    layout.open_cuts.push_back(w.size());
    if (has_properties) {
      WriteProperties(&body, properties, property_padding);
      layout.has_property_block = true;
    }
    layout.closed_end = has_properties;
  };
  switch (packet.kind_case()) {
    case Packet::kConnect: {
      const Connect& c = packet.connect();
      const ResolvedConnect r = Resolve(c, context);
      w.Text(r.protocol_name);
      w.Byte(r.level);
      const bool has_will = c.has_will();
      const uint32_t will_qos =
          (has_will ? c.will().qos() : c.will_qos_without_will()) & 3;
      const bool will_retain =
          has_will ? c.will().retain() : c.will_retain_without_will();
      w.Byte((r.has_username ? 0x80 : 0) | (c.has_password() ? 0x40 : 0) |
             (will_retain ? 0x20 : 0) | (will_qos << 3) |
             (has_will ? 0x04 : 0) | (c.clean_start() ? 0x02 : 0) |
             (c.reserved_flag() ? 0x01 : 0));
      w.U16(c.keep_alive());
      if (r.level == 5) {
        WriteProperties(&body, c.properties(), property_padding);
        layout.has_property_block = true;
      }
      w.Text(r.client_id);
      if (has_will) {
        if (r.level == 5) WriteProperties(&body, c.will().properties(), 0);
        w.Text(c.will().topic());
        w.Text(c.will().payload());
      }
      if (r.has_username) w.Text(r.username);
      if (c.has_password()) w.Text(c.password());
      break;
    }
    case Packet::kPublish: {
      const Publish& p = packet.publish();
      w.Text(p.topic());
      if (((FirstByteFlags(packet) >> 1) & 3) != 0) w.U16(packet_id);
      if (v5) {
        WriteProperties(&body, p.properties(), property_padding);
        layout.has_property_block = true;
      }
      layout.payload_start = w.size();
      w.Raw(ResolvedPayload(p));
      layout.closed_end = false;
      break;
    }
    case Packet::kPublishResponse: {
      const PublishResponse& p = packet.publish_response();
      w.U16(packet_id);
      if (v5) {
        reason_and_properties(p.has_reason_code(), p.reason_code(),
                              p.has_properties(), p.properties());
      }
      break;
    }
    case Packet::kSubscribe: {
      const Subscribe& s = packet.subscribe();
      w.U16(packet_id);
      if (v5) {
        WriteProperties(&body, s.properties(), property_padding);
        layout.has_property_block = true;
      }
      layout.open_cuts.push_back(w.size());
      for (const Subscription& entry : s.subscription()) {
        w.Text(FilterText(entry));
        if (v5) {
          w.Byte((entry.qos() & 3) | (entry.no_local() ? 0x04 : 0) |
                 (entry.retain_as_published() ? 0x08 : 0) |
                 ((entry.retain_handling() & 3) << 4) |
                 ((entry.reserved_bits() & 3) << 6));
        } else {
          w.Byte((entry.qos() & 3) | ((entry.reserved_bits() & 0x3F) << 2));
        }
        layout.open_cuts.push_back(w.size());
      }
      layout.closed_end = false;
      break;
    }
    case Packet::kUnsubscribe: {
      const Unsubscribe& u = packet.unsubscribe();
      w.U16(packet_id);
      if (v5) {
        WriteProperties(&body, u.properties(), property_padding);
        layout.has_property_block = true;
      }
      layout.open_cuts.push_back(w.size());
      for (const std::string& filter : u.filter()) {
        w.Text(filter);
        layout.open_cuts.push_back(w.size());
      }
      layout.closed_end = false;
      break;
    }
    case Packet::kDisconnect:
      if (v5) {
        const Disconnect& d = packet.disconnect();
        reason_and_properties(d.has_reason_code(), d.reason_code(),
                              d.has_properties(), d.properties());
      }
      break;
    case Packet::kAuth: {
      const Auth& a = packet.auth();
      reason_and_properties(a.has_reason_code(), a.reason_code(),
                            a.has_properties(), a.properties());
      break;
    }
    case Packet::kPingreq:
    case Packet::KIND_NOT_SET:
      break;
  }
  layout.fields_size = body.size();
  w.Raw(faults.trailing());
  if (faults.has_truncate_body() && faults.truncate_body() < body.size()) {
    body.resize(faults.truncate_body());
  }
  encoded.body_size = body.size();
  const uint32_t excess =
      std::min<uint32_t>(faults.remaining_length_excess(),
                         kVarintMaximum - static_cast<uint32_t>(body.size()));
  encoded.incomplete = excess > 0;
  encoded.declared_length = static_cast<uint32_t>(body.size()) + excess;
  Writer header(&encoded.bytes);
  header.Byte((type << 4) | FirstByteFlags(packet));
  header.Varint(encoded.declared_length,
                std::min(faults.remaining_length_padding(), kMaximumPadding));
  encoded.length_bytes = encoded.bytes.size() - 1;
  encoded.bytes.insert(encoded.bytes.end(), body.begin(), body.end());
  return encoded;
}

}  // namespace mqlab::fuzz
