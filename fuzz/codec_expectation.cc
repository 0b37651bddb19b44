#include "fuzz/codec_expectation.h"

#include <algorithm>
#include <cstdio>
#include <initializer_list>

namespace mqlab::fuzz {
namespace {

constexpr uint8_t kMalformed = 0x81;
constexpr uint8_t kProtocolError = 0x82;
constexpr uint8_t kUnsupportedVersion = 0x84;
constexpr uint8_t kTopicAliasInvalid = 0x94;
constexpr uint8_t kPacketTooLarge = 0x95;

// Where a property block is: MQTT 5.0 2.2.2.2's table has one column per
// packet type and one for Will Properties.
enum class Scope {
  kConnect,
  kWill,
  kPublish,
  kPuback,
  kPubrec,
  kPubrel,
  kPubcomp,
  kSubscribe,
  kUnsubscribe,
  kDisconnect,
  kAuth
};

bool Allowed(Scope scope, PropertyId id) {
  const auto in = [&](std::initializer_list<Scope> scopes) {
    return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
  };
  using S = Scope;
  switch (id) {
    case PAYLOAD_FORMAT_INDICATOR:
    case MESSAGE_EXPIRY_INTERVAL:
    case CONTENT_TYPE:
    case RESPONSE_TOPIC:
    case CORRELATION_DATA:
      return in({S::kPublish, S::kWill});
    case SUBSCRIPTION_IDENTIFIER:
      return in({S::kPublish, S::kSubscribe});
    case SESSION_EXPIRY_INTERVAL:
      return in({S::kConnect, S::kDisconnect});
    case AUTHENTICATION_METHOD:
    case AUTHENTICATION_DATA:
      return in({S::kConnect, S::kAuth});
    case REQUEST_PROBLEM_INFORMATION:
    case REQUEST_RESPONSE_INFORMATION:
    case RECEIVE_MAXIMUM:
    case TOPIC_ALIAS_MAXIMUM:
    case MAXIMUM_PACKET_SIZE:
      return in({S::kConnect});
    case WILL_DELAY_INTERVAL:
      return in({S::kWill});
    case SERVER_REFERENCE:
      return in({S::kDisconnect});
    case REASON_STRING:
      return in({S::kPuback, S::kPubrec, S::kPubrel, S::kPubcomp,
                 S::kDisconnect, S::kAuth});
    case TOPIC_ALIAS:
      return in({S::kPublish});
    case USER_PROPERTY:
      return true;
    // CONNACK only: never in a client's packet.
    case ASSIGNED_CLIENT_IDENTIFIER:
    case SERVER_KEEP_ALIVE:
    case RESPONSE_INFORMATION:
    case MAXIMUM_QOS:
    case RETAIN_AVAILABLE:
    case WILDCARD_SUBSCRIPTION_AVAILABLE:
    case SUBSCRIPTION_IDENTIFIER_AVAILABLE:
    case SHARED_SUBSCRIPTION_AVAILABLE:
    case PROPERTY_NONE:
      return false;
  }
  return false;
}

// MQTT 5.0 2.2.2.2: only User Property may appear more than once, and
// Subscription Identifier in a PUBLISH (the server's, one per matching
// subscription).
bool Repeatable(Scope scope, PropertyId id) {
  return id == USER_PROPERTY ||
         (id == SUBSCRIPTION_IDENTIFIER && scope == Scope::kPublish);
}

// Topic Names and Filters (MQTT 5.0 4.7, 4.8.2).
bool HasWildcard(const std::string& name) {
  return name.find_first_of("+#") != std::string::npos;
}

bool IsValidFilter(const std::string& filter) {
  if (filter.empty()) return false;
  size_t level_start = 0;
  while (true) {
    const size_t end = std::min(filter.find('/', level_start), filter.size());
    const std::string level = filter.substr(level_start, end - level_start);
    if (level.find('#') != std::string::npos &&
        (level != "#" || end != filter.size())) {
      return false;
    }
    if (level.find('+') != std::string::npos && level != "+") return false;
    if (end == filter.size()) return true;
    level_start = end + 1;
  }
}

bool IsValidSharedFilter(const std::string& filter) {
  const std::string prefix = "$share/";
  if (filter.compare(0, prefix.size(), prefix) != 0) return true;
  const size_t slash = filter.find('/', prefix.size());
  if (slash == std::string::npos) return false;
  const std::string share_name =
      filter.substr(prefix.size(), slash - prefix.size());
  return !share_name.empty() && !HasWildcard(share_name) &&
         slash + 1 < filter.size();
}

bool IsShared(const std::string& filter) {
  return filter.compare(0, 7, "$share/") == 0;
}

class Judge {
 public:
  void Break(uint8_t code, std::string rule) {
    codes_.push_back(code);
    rules_.push_back(std::move(rule));
  }
  void Utf8(const std::string& text, const char* what) {
    if (!IsValidMqttUtf8(text)) {
      Break(kMalformed, std::string("[MQTT-1.5.4-1/2] ") + what +
                            " must be well-formed UTF-8 without U+0000");
    }
  }
  void Properties(const fuzz::Properties& p, Scope scope);
  bool broken() const { return !codes_.empty(); }
  Expectation Refusal() const {
    Expectation e;
    e.outcome = Expectation::Outcome::kRefuse;
    e.reason_codes = codes_;
    e.rules = rules_;
    return e;
  }

 private:
  std::vector<uint8_t> codes_;
  std::vector<std::string> rules_;
};

void Judge::Properties(const fuzz::Properties& p, Scope scope) {
  // Which properties the block holds, how often (the serializer writes each
  // set field, the repeated ones whole, then `duplicate`).
  int count[64] = {};
  const auto has = [&](PropertyId id) -> int {
    switch (id) {
      case PAYLOAD_FORMAT_INDICATOR:
        return p.has_payload_format_indicator();
      case MESSAGE_EXPIRY_INTERVAL:
        return p.has_message_expiry_interval();
      case CONTENT_TYPE:
        return p.has_content_type();
      case RESPONSE_TOPIC:
        return p.has_response_topic();
      case CORRELATION_DATA:
        return p.has_correlation_data();
      case SUBSCRIPTION_IDENTIFIER:
        return p.subscription_identifier_size();
      case SESSION_EXPIRY_INTERVAL:
        return p.has_session_expiry_interval();
      case ASSIGNED_CLIENT_IDENTIFIER:
        return p.has_assigned_client_identifier();
      case SERVER_KEEP_ALIVE:
        return p.has_server_keep_alive();
      case AUTHENTICATION_METHOD:
        return p.has_authentication_method();
      case AUTHENTICATION_DATA:
        return p.has_authentication_data();
      case REQUEST_PROBLEM_INFORMATION:
        return p.has_request_problem_information();
      case WILL_DELAY_INTERVAL:
        return p.has_will_delay_interval();
      case REQUEST_RESPONSE_INFORMATION:
        return p.has_request_response_information();
      case RESPONSE_INFORMATION:
        return p.has_response_information();
      case SERVER_REFERENCE:
        return p.has_server_reference();
      case REASON_STRING:
        return p.has_reason_string();
      case RECEIVE_MAXIMUM:
        return p.has_receive_maximum();
      case TOPIC_ALIAS_MAXIMUM:
        return p.has_topic_alias_maximum();
      case TOPIC_ALIAS:
        return p.has_topic_alias();
      case MAXIMUM_QOS:
        return p.has_maximum_qos();
      case RETAIN_AVAILABLE:
        return p.has_retain_available();
      case USER_PROPERTY:
        return p.user_property_size();
      case MAXIMUM_PACKET_SIZE:
        return p.has_maximum_packet_size();
      case WILDCARD_SUBSCRIPTION_AVAILABLE:
        return p.has_wildcard_subscription_available();
      case SUBSCRIPTION_IDENTIFIER_AVAILABLE:
        return p.has_subscription_identifier_available();
      case SHARED_SUBSCRIPTION_AVAILABLE:
        return p.has_shared_subscription_available();
      case PROPERTY_NONE:
        return 0;
    }
    return 0;
  };
  for (int i = 0; i < PropertyId_descriptor()->value_count(); ++i) {
    const auto id =
        static_cast<PropertyId>(PropertyId_descriptor()->value(i)->number());
    count[id] = has(id);
  }
  for (const int id : p.duplicate()) {
    if (count[id] > 0) ++count[id];
  }
  for (int id = 1; id < 64; ++id) {
    if (count[id] == 0) continue;
    const auto property = static_cast<PropertyId>(id);
    if (!Allowed(scope, property)) {
      char rule[96];
      std::snprintf(rule, sizeof(rule),
                    "[MQTT 5.0 2.2.2.2] property 0x%02X is not allowed here",
                    id);
      Break(kMalformed, rule);
      continue;
    }
    if (count[id] > 1 && !Repeatable(scope, property)) {
      Break(kProtocolError, "[MQTT 5.0 2.2.2.2] a property appears twice");
    }
    const auto boolean = [&](uint32_t value, const char* what) {
      if ((value & 0xFF) > 1) {
        Break(kProtocolError, std::string(what) + " must be 0 or 1");
      }
    };
    switch (property) {
      case PAYLOAD_FORMAT_INDICATOR:
        boolean(p.payload_format_indicator(), "Payload Format Indicator");
        break;
      case CONTENT_TYPE:
        Utf8(Capped(p.content_type()), "Content Type");
        break;
      case RESPONSE_TOPIC: {
        const std::string topic = Capped(p.response_topic());
        Utf8(topic, "Response Topic");
        if (topic.empty() || HasWildcard(topic)) {
          Break(kProtocolError,
                "[MQTT-3.3.2-14] the Response Topic must be a Topic Name");
        }
        break;
      }
      case SUBSCRIPTION_IDENTIFIER:
        for (const uint32_t value : p.subscription_identifier()) {
          if (VarintValue(value) == 0) {
            Break(kProtocolError,
                  "[MQTT 5.0 3.8.2.1.2] a Subscription Identifier of 0");
          }
        }
        break;
      case AUTHENTICATION_METHOD:
        Utf8(Capped(p.authentication_method()), "Authentication Method");
        break;
      case REQUEST_PROBLEM_INFORMATION:
        boolean(p.request_problem_information(), "Request Problem Information");
        break;
      case REQUEST_RESPONSE_INFORMATION:
        boolean(p.request_response_information(),
                "Request Response Information");
        break;
      case SERVER_REFERENCE:
        Utf8(Capped(p.server_reference()), "Server Reference");
        break;
      case REASON_STRING:
        Utf8(Capped(p.reason_string()), "Reason String");
        break;
      case RECEIVE_MAXIMUM:
        if ((p.receive_maximum() & 0xFFFF) == 0) {
          Break(kProtocolError, "[MQTT 5.0 3.1.2.11.3] Receive Maximum 0");
        }
        break;
      case TOPIC_ALIAS:
        if ((p.topic_alias() & 0xFFFF) == 0) {
          Break(kTopicAliasInvalid, "[MQTT-3.3.2-8] Topic Alias 0");
        }
        break;
      case USER_PROPERTY:
        for (const UserProperty& user : p.user_property()) {
          Utf8(Capped(user.key()), "a User Property's name");
          Utf8(Capped(user.value()), "a User Property's value");
        }
        break;
      case MAXIMUM_PACKET_SIZE:
        if (p.maximum_packet_size() == 0) {
          Break(kProtocolError, "[MQTT 5.0 3.1.2.11.4] Maximum Packet Size 0");
        }
        break;
      default:
        break;
    }
  }
  if (count[AUTHENTICATION_DATA] > 0 && count[AUTHENTICATION_METHOD] == 0 &&
      Allowed(scope, AUTHENTICATION_DATA)) {
    Break(kProtocolError,
          "[MQTT 5.0 3.1.2.11.10] Authentication Data without a Method");
  }
}

bool ReasonCodeAllowed(uint8_t type, uint32_t code) {
  const auto in = [&](std::initializer_list<uint32_t> codes) {
    return std::find(codes.begin(), codes.end(), code) != codes.end();
  };
  switch (type) {
    case 4:  // PUBACK, MQTT 5.0 3.4.2.1
    case 5:  // PUBREC, 3.5.2.1
      return in({0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99});
    case 6:  // PUBREL, 3.6.2.1
    case 7:  // PUBCOMP, 3.7.2.1
      return in({0x00, 0x92});
    case 14:  // DISCONNECT, 3.14.2.1
      return in({0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8D,
                 0x8E, 0x8F, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99,
                 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2});
    case 15:  // AUTH, 3.15.2.1
      return in({0x00, 0x18, 0x19});
    default:
      return false;
  }
}

Scope ScopeOfResponse(uint8_t type) {
  switch (type) {
    case 4:
      return Scope::kPuback;
    case 5:
      return Scope::kPubrec;
    case 6:
      return Scope::kPubrel;
    default:
      return Scope::kPubcomp;
  }
}

void JudgeFilter(Judge& judge, const std::string& filter, bool v5) {
  judge.Utf8(filter, "a Topic Filter");
  if (!IsValidFilter(filter)) {
    judge.Break(kMalformed, "[MQTT 5.0 4.7.1] an invalid Topic Filter");
  }
  if (v5 && !IsValidSharedFilter(filter)) {
    judge.Break(kMalformed, "[MQTT 5.0 4.8.2] an invalid shared filter");
  }
}

// The body's rules. A CONNECT of an unsupported protocol is judged no
// further than its name and level (its layout is unknown past them).
void JudgeBody(Judge& judge, const Packet& packet, const PacketContext& context,
               const EncodedPacket& encoded) {
  const bool v5 = context.version == 5;
  const uint8_t type = PacketTypeOf(packet);
  const uint16_t packet_id = ResolvedPacketId(packet, context);
  const auto check_packet_id = [&] {
    if (packet_id == 0) {
      judge.Break(kProtocolError, "[MQTT-2.2.1-3] Packet Identifier 0");
    }
  };
  switch (packet.kind_case()) {
    case Packet::kConnect: {
      const Connect& c = packet.connect();
      const ResolvedConnect r = Resolve(c, context);
      if (r.protocol_name != "MQTT" || (r.level != 4 && r.level != 5)) {
        judge.Break(kUnsupportedVersion,
                    "[MQTT-3.1.2-1/2] protocol name MQTT, level 4 or 5");
        return;
      }
      const bool connect_v5 = r.level == 5;
      if (connect_v5 && encoded.length_bytes > 1 &&
          encoded.declared_length < (1u << (7 * (encoded.length_bytes - 1)))) {
        judge.Break(kMalformed, "[MQTT-1.5.5-1] a non-minimal length");
      }
      const bool has_will = c.has_will();
      const uint32_t will_qos =
          (has_will ? c.will().qos() : c.will_qos_without_will()) & 3;
      const bool will_retain =
          has_will ? c.will().retain() : c.will_retain_without_will();
      if (c.reserved_flag()) {
        judge.Break(kMalformed, "[MQTT-3.1.2-3] the reserved Connect flag");
      }
      if (!has_will && will_qos != 0) {
        judge.Break(kMalformed, "[MQTT-3.1.2-11] Will QoS without a Will");
      }
      if (has_will && will_qos == 3) {
        judge.Break(kMalformed, "[MQTT-3.1.2-12] Will QoS 3");
      }
      if (!has_will && will_retain) {
        judge.Break(kMalformed, "[MQTT-3.1.2-13] Will Retain without a Will");
      }
      if (!connect_v5 && c.has_password() && !r.has_username) {
        judge.Break(kMalformed, "[MQTT-3.1.2-22] a Password without User Name");
      }
      if (connect_v5) judge.Properties(c.properties(), Scope::kConnect);
      judge.Utf8(r.client_id, "the ClientId");
      if (has_will) {
        if (connect_v5) judge.Properties(c.will().properties(), Scope::kWill);
        const std::string topic = Capped(c.will().topic());
        judge.Utf8(topic, "the Will Topic");
        if (topic.empty() || HasWildcard(topic)) {
          judge.Break(kMalformed,
                      "[MQTT-3.1.3-... ] the Will Topic must be a "
                      "Topic Name");
        }
      }
      if (r.has_username) judge.Utf8(r.username, "the User Name");
      return;
    }
    case Packet::kPublish: {
      const Publish& p = packet.publish();
      const std::string topic = Capped(p.topic());
      judge.Utf8(topic, "the Topic Name");
      if (((FirstByteFlags(packet) >> 1) & 3) != 0) check_packet_id();
      if (v5) judge.Properties(p.properties(), Scope::kPublish);
      if (topic.empty()) {
        if (!v5) {
          judge.Break(kMalformed, "[MQTT-4.7.3-1] an empty Topic Name");
        } else if (!p.properties().has_topic_alias()) {
          judge.Break(kProtocolError,
                      "[MQTT 5.0 3.3.2.3.4] an empty Topic Name needs an "
                      "alias");
        }
      }
      if (HasWildcard(topic)) {
        judge.Break(kMalformed, "[MQTT-3.3.2-2] a wildcard in a Topic Name");
      }
      return;
    }
    case Packet::kPublishResponse: {
      const PublishResponse& p = packet.publish_response();
      check_packet_id();
      if (!v5) return;
      const bool has_reason = p.has_reason_code() || p.has_properties();
      if (has_reason && !ReasonCodeAllowed(type, p.reason_code() & 0xFF)) {
        judge.Break(kProtocolError,
                    "[MQTT 5.0 3.4-3.7] a reason code the "
                    "packet cannot carry");
      }
      if (p.has_properties()) {
        judge.Properties(p.properties(), ScopeOfResponse(type));
      }
      return;
    }
    case Packet::kSubscribe: {
      const Subscribe& s = packet.subscribe();
      check_packet_id();
      if (v5) judge.Properties(s.properties(), Scope::kSubscribe);
      if (s.subscription_size() == 0) {
        judge.Break(kProtocolError, "[MQTT-3.8.3-2] no Topic Filter");
      }
      for (const Subscription& entry : s.subscription()) {
        const std::string filter =
            Capped(entry.has_share_name()
                       ? "$share/" + entry.share_name() + "/" + entry.filter()
                       : entry.filter());
        JudgeFilter(judge, filter, v5);
        const uint32_t qos = entry.qos() & 3;
        if (!v5) {
          if ((entry.reserved_bits() & 0x3F) != 0 || qos == 3) {
            judge.Break(kMalformed, "[MQTT-3-8.3-4] requested QoS byte");
          }
          continue;
        }
        if ((entry.reserved_bits() & 3) != 0) {
          judge.Break(kMalformed, "[MQTT-3.8.3-5] reserved option bits");
        }
        if (qos == 3) judge.Break(kProtocolError, "[MQTT 5.0 3.8.3.1] QoS 3");
        if ((entry.retain_handling() & 3) == 3) {
          judge.Break(kProtocolError, "[MQTT 5.0 3.8.3.1] Retain Handling 3");
        }
        if (entry.no_local() && IsShared(filter)) {
          judge.Break(kProtocolError,
                      "[MQTT-3.8.3-4] No Local on a shared subscription");
        }
      }
      return;
    }
    case Packet::kUnsubscribe: {
      const Unsubscribe& u = packet.unsubscribe();
      check_packet_id();
      if (v5) judge.Properties(u.properties(), Scope::kUnsubscribe);
      if (u.filter_size() == 0) {
        judge.Break(kProtocolError, "[MQTT-3.10.3-2] no Topic Filter");
      }
      for (const std::string& filter : u.filter()) {
        JudgeFilter(judge, Capped(filter), v5);
      }
      return;
    }
    case Packet::kDisconnect:
    case Packet::kAuth: {
      if (!v5) return;
      const bool is_auth = packet.kind_case() == Packet::kAuth;
      const bool has_reason = is_auth ? packet.auth().has_reason_code()
                                      : packet.disconnect().has_reason_code();
      const bool has_properties = is_auth
                                      ? packet.auth().has_properties()
                                      : packet.disconnect().has_properties();
      const uint32_t reason = is_auth ? packet.auth().reason_code()
                                      : packet.disconnect().reason_code();
      if ((has_reason || has_properties) &&
          !ReasonCodeAllowed(type, has_reason ? reason & 0xFF : 0)) {
        judge.Break(kProtocolError,
                    "[MQTT 5.0 3.14.2.1/3.15.2.1] a reason "
                    "code the packet cannot carry");
      }
      if (has_properties) {
        judge.Properties(is_auth ? packet.auth().properties()
                                 : packet.disconnect().properties(),
                         is_auth ? Scope::kAuth : Scope::kDisconnect);
      }
      return;
    }
    case Packet::kPingreq:
    case Packet::KIND_NOT_SET:
      return;
  }
}

Expectation Exactly(uint8_t code, std::string rule) {
  Expectation e;
  e.outcome = Expectation::Outcome::kRefuse;
  e.reason_codes = {code};
  e.rules = {std::move(rule)};
  return e;
}

size_t MinimalVarintSize(uint32_t value) {
  size_t size = 1;
  while (value >= 128) {
    value /= 128;
    ++size;
  }
  return size;
}

}  // namespace

bool IsValidMqttUtf8(const std::string& text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<uint8_t>(text[i]);
    if (byte == 0) return false;
    if (byte < 0x80) {
      ++i;
      continue;
    }
    size_t length;
    uint32_t code;
    if ((byte & 0xE0) == 0xC0) {
      length = 2;
      code = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
      code = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
      code = byte & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<uint8_t>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kSmallest[length] || code > 0x10FFFF ||
        (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

Expectation ExpectDecode(const Packet& packet, const PacketContext& context,
                         const EncodedPacket& encoded,
                         uint32_t maximum_packet_size) {
  // The fixed header, judged in the order it is read: the first error is
  // the one reported.
  const uint8_t type = PacketTypeOf(packet);
  const uint8_t flags = FirstByteFlags(packet);
  if (type == 15 && context.version == 4) {
    return Exactly(kMalformed, "[MQTT 3.1.1 2.2.1] packet type 15");
  }
  if (type == 3) {
    const uint8_t qos = (flags >> 1) & 3;
    if (qos == 3) return Exactly(kMalformed, "[MQTT-3.3.1-4] QoS 3");
    if (qos == 0 && (flags & 0x08) != 0) {
      return Exactly(kMalformed, "[MQTT-3.3.1-2] DUP with QoS 0");
    }
  } else if (flags != ((type == 6 || type == 8 || type == 10) ? 2 : 0)) {
    return Exactly(kMalformed, "[MQTT-2.1.3-1] reserved flags");
  }
  if (encoded.length_bytes > 4) {
    return Exactly(kMalformed, "[MQTT 5.0 1.5.5] a 5-byte Remaining Length");
  }
  if (context.version == 5 &&
      encoded.length_bytes > MinimalVarintSize(encoded.declared_length)) {
    return Exactly(kMalformed, "[MQTT-1.5.5-1] a non-minimal length");
  }
  if (1 + encoded.length_bytes + uint64_t{encoded.declared_length} >
      maximum_packet_size) {
    return Exactly(kPacketTooLarge, "[MQTT 5.0 3.1.2.11.4] too large");
  }
  if (encoded.incomplete) {
    Expectation e;
    e.outcome = Expectation::Outcome::kNeedMore;
    return e;
  }
  // The body, judged as a set: any of its violations may be the one read
  // first.
  Judge judge;
  const BodyLayout& layout = encoded.layout;
  const size_t kept = encoded.body_size;
  if (kept < layout.fields_size) {
    if (kept < layout.payload_start) {
      if (std::find(layout.open_cuts.begin(), layout.open_cuts.end(), kept) !=
          layout.open_cuts.end()) {
        return Expectation{.outcome = Expectation::Outcome::kUnknown};
      }
      judge.Break(kMalformed, "[MQTT 5.0 1.5] a field cut short");
    }
  } else if (kept > layout.fields_size && layout.payload_start == SIZE_MAX) {
    if (!layout.closed_end) {
      return Expectation{.outcome = Expectation::Outcome::kUnknown};
    }
    judge.Break(kMalformed, "[MQTT 5.0 2.1.4] bytes after the last field");
  }
  if (packet.faults().property_length_padding() > 0 &&
      layout.has_property_block && (context.version == 5 || type == 1)) {
    judge.Break(kMalformed, "[MQTT-1.5.5-1] a non-minimal Property Length");
  }
  JudgeBody(judge, packet, context, encoded);
  if (judge.broken()) return judge.Refusal();
  return Expectation{};
}

std::string CompareDecode(const Expectation& expected,
                          mqtt::Decoder::Status status,
                          const mqtt::DecodeError& error) {
  using Outcome = Expectation::Outcome;
  using Status = mqtt::Decoder::Status;
  const auto codes = [&] {
    std::string text;
    for (size_t i = 0; i < expected.reason_codes.size(); ++i) {
      char code[8];
      std::snprintf(code, sizeof(code), "0x%02X ", expected.reason_codes[i]);
      text += code + expected.rules[i] + "; ";
    }
    return text;
  };
  char got[16];
  std::snprintf(got, sizeof(got), "0x%02X",
                static_cast<unsigned>(error.reason_code));
  switch (expected.outcome) {
    case Outcome::kUnknown:
      return "";
    case Outcome::kAccept:
      if (status == Status::kPacket) return "";
      if (status == Status::kNeedMore)
        return "expected a packet, got need-more";
      return std::string("expected a packet, got error ") + got + " " +
             std::string(error.rule);
    case Outcome::kNeedMore:
      if (status == Status::kNeedMore) return "";
      return status == Status::kPacket
                 ? "expected need-more, got a packet"
                 : std::string("expected need-more, got error ") + got + " " +
                       std::string(error.rule);
    case Outcome::kRefuse:
      if (status == Status::kPacket) {
        return "expected a refusal (" + codes() + "), got a packet";
      }
      if (status == Status::kNeedMore) {
        return "expected a refusal (" + codes() + "), got need-more";
      }
      if (std::find(expected.reason_codes.begin(), expected.reason_codes.end(),
                    static_cast<uint8_t>(error.reason_code)) ==
          expected.reason_codes.end()) {
        return "expected one of (" + codes() + "), got " + got + " " +
               std::string(error.rule);
      }
      return "";
  }
  return "";
}

}  // namespace mqlab::fuzz
