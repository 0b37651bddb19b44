#include "mqtt/printer.h"

#include <cstdio>
#include <string_view>

#include "mqtt/property.h"
#include "mqtt/reason_code.h"
#include "mqtt/utf8.h"

namespace mqlab::mqtt {
namespace {

constexpr size_t kIndentStep = 2;

void AppendHexByte(uint8_t byte, std::string* out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  out->push_back(kDigits[byte >> 4]);
  out->push_back(kDigits[byte & 0x0F]);
}

// `text` in double quotes with C escapes for quotes, backslashes, control
// characters and bytes that are not valid UTF-8.
void AppendQuoted(std::string_view text, std::string* out) {
  const bool valid = CheckUtf8(text) == Utf8Error::kNone;
  out->push_back('"');
  for (const char c : text) {
    const auto byte = static_cast<uint8_t>(c);
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (byte < 0x20 || byte == 0x7F || (byte >= 0x80 && !valid)) {
          *out += "\\x";
          AppendHexByte(byte, out);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

bool IsPrintableText(Bytes bytes) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()),
                              bytes.size());
  if (CheckUtf8(text) != Utf8Error::kNone) return false;
  for (const char c : text) {
    const auto byte = static_cast<uint8_t>(c);
    if ((byte < 0x20 && c != '\n' && c != '\r' && c != '\t') || byte == 0x7F) {
      return false;
    }
  }
  return true;
}

// "N bytes, text: "..."" or "N bytes, hex: 0a 1b ...", cut at `limit`.
void AppendData(Bytes bytes, size_t limit, std::string* out) {
  *out += std::to_string(bytes.size());
  *out += bytes.size() == 1 ? " byte" : " bytes";
  if (bytes.empty()) return;
  const bool text = IsPrintableText(bytes);
  size_t shown = std::min(bytes.size(), text ? limit : limit / 4);
  if (text) {
    // Do not cut a multi-byte character in two.
    while (shown < bytes.size() && shown > 0 && (bytes[shown] & 0xC0) == 0x80) {
      --shown;
    }
    *out += ", text: ";
    AppendQuoted(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), shown),
        out);
  } else {
    *out += ", hex:";
    for (size_t i = 0; i < shown; ++i) {
      out->push_back(' ');
      AppendHexByte(bytes[i], out);
    }
  }
  if (shown < bytes.size()) {
    *out += " ... (";
    *out += std::to_string(bytes.size() - shown);
    *out += " more)";
  }
}

std::string ReasonCodeText(ReasonCode code) {
  std::string text = "0x";
  AppendHexByte(static_cast<uint8_t>(code), &text);
  const std::string_view name = ReasonCodeName(code);
  text += " ";
  text += name.empty() ? "(unknown)" : name;
  return text;
}

class Printer {
 public:
  Printer(const PrintOptions& options, std::string* out)
      : options_(options), out_(out), depth_(0) {}

  void Headline(std::string_view text) {
    Indent();
    *out_ += text;
    *out_ += '\n';
    ++depth_;
  }
  void Line(std::string_view name, std::string_view value) {
    Indent();
    *out_ += name;
    *out_ += ": ";
    *out_ += value;
    *out_ += '\n';
  }
  void Number(std::string_view name, uint64_t value) {
    Line(name, std::to_string(value));
  }
  void Flag(std::string_view name, bool value) {
    Line(name, value ? "1" : "0");
  }
  void String(std::string_view name, std::string_view value) {
    std::string quoted;
    AppendQuoted(value, &quoted);
    Line(name, quoted);
  }
  void Data(std::string_view name, Bytes value) {
    std::string text;
    AppendData(value, options_.maximum_payload_bytes, &text);
    Line(name, text);
  }
  void Reason(ReasonCode code) { Line("reason_code", ReasonCodeText(code)); }
  void ReasonCodes(Bytes codes) {
    Line("reason_codes", std::to_string(codes.size()));
    ++depth_;
    for (const uint8_t code : codes) {
      Indent();
      *out_ += ReasonCodeText(static_cast<ReasonCode>(code));
      *out_ += '\n';
    }
    --depth_;
  }

  void PropertiesBlock(std::string_view name, const Properties& p) {
    if (p == Properties{}) return;
    Indent();
    *out_ += name;
    *out_ += ":\n";
    ++depth_;
    const auto label = [](PropertyId id) {
      std::string text(PropertyName(id));
      text += " (0x";
      AppendHexByte(static_cast<uint8_t>(id), &text);
      text += ")";
      return text;
    };
    const auto number = [&](PropertyId id, const auto& value) {
      if (value.has_value()) Number(label(id), *value);
    };
    const auto string = [&](PropertyId id,
                            const std::optional<std::string_view>& value) {
      if (value.has_value()) String(label(id), *value);
    };
    const auto data = [&](PropertyId id, const std::optional<Bytes>& value) {
      if (value.has_value()) Data(label(id), *value);
    };
    number(PropertyId::kPayloadFormatIndicator, p.payload_format_indicator);
    number(PropertyId::kMessageExpiryInterval, p.message_expiry_interval);
    string(PropertyId::kContentType, p.content_type);
    string(PropertyId::kResponseTopic, p.response_topic);
    data(PropertyId::kCorrelationData, p.correlation_data);
    for (const uint32_t id : p.subscription_identifiers) {
      Number(label(PropertyId::kSubscriptionIdentifier), id);
    }
    number(PropertyId::kSessionExpiryInterval, p.session_expiry_interval);
    string(PropertyId::kAssignedClientIdentifier, p.assigned_client_identifier);
    number(PropertyId::kServerKeepAlive, p.server_keep_alive);
    string(PropertyId::kAuthenticationMethod, p.authentication_method);
    data(PropertyId::kAuthenticationData, p.authentication_data);
    number(PropertyId::kRequestProblemInformation,
           p.request_problem_information);
    number(PropertyId::kWillDelayInterval, p.will_delay_interval);
    number(PropertyId::kRequestResponseInformation,
           p.request_response_information);
    string(PropertyId::kResponseInformation, p.response_information);
    string(PropertyId::kServerReference, p.server_reference);
    string(PropertyId::kReasonString, p.reason_string);
    number(PropertyId::kReceiveMaximum, p.receive_maximum);
    number(PropertyId::kTopicAliasMaximum, p.topic_alias_maximum);
    number(PropertyId::kTopicAlias, p.topic_alias);
    number(PropertyId::kMaximumQos, p.maximum_qos);
    number(PropertyId::kRetainAvailable, p.retain_available);
    for (const UserProperty& user_property : p.user_properties) {
      std::string value;
      AppendQuoted(user_property.key, &value);
      value += " = ";
      AppendQuoted(user_property.value, &value);
      Line(label(PropertyId::kUserProperty), value);
    }
    number(PropertyId::kMaximumPacketSize, p.maximum_packet_size);
    number(PropertyId::kWildcardSubscriptionAvailable,
           p.wildcard_subscription_available);
    number(PropertyId::kSubscriptionIdentifierAvailable,
           p.subscription_identifier_available);
    number(PropertyId::kSharedSubscriptionAvailable,
           p.shared_subscription_available);
    --depth_;
  }

  void Print(const Connect& c) {
    Headline(c.version == Version::kV5
                 ? "CONNECT protocol=MQTT 5.0 (level 5)"
                 : "CONNECT protocol=MQTT 3.1.1 (level 4)");
    Flag("clean_start", c.clean_start);
    Number("keep_alive", c.keep_alive);
    PropertiesBlock("properties", c.properties);
    String("client_id", c.client_id);
    if (c.will.has_value()) {
      Headline("will:");
      Number("qos", static_cast<uint8_t>(c.will->qos));
      Flag("retain", c.will->retain);
      PropertiesBlock("properties", c.will->properties);
      String("topic", c.will->topic);
      Data("payload", c.will->payload);
      --depth_;
    }
    if (c.username.has_value()) String("username", *c.username);
    if (c.password.has_value()) Data("password", *c.password);
  }
  void Print(const Connack& c) {
    Headline("CONNACK");
    Flag("session_present", c.session_present);
    Reason(c.reason_code);
    PropertiesBlock("properties", c.properties);
  }
  void Print(const Publish& p) {
    Headline("PUBLISH dup=" + std::to_string(p.dup) +
             " qos=" + std::to_string(static_cast<int>(p.qos)) +
             " retain=" + std::to_string(p.retain));
    String("topic", p.topic);
    if (p.qos != Qos::kAtMostOnce) Number("packet_id", p.packet_id);
    PropertiesBlock("properties", p.properties);
    Data("payload", p.payload);
  }
  template <PacketType kType>
  void Print(const PublishResponse<kType>& p) {
    Headline(PacketTypeName(kType));
    Number("packet_id", p.packet_id);
    Reason(p.reason_code);
    PropertiesBlock("properties", p.properties);
  }
  void Print(const Subscribe& s) {
    Headline("SUBSCRIBE");
    Number("packet_id", s.packet_id);
    PropertiesBlock("properties", s.properties);
    Line("subscriptions", std::to_string(s.subscriptions.size()));
    ++depth_;
    for (const Subscription& subscription : s.subscriptions) {
      Indent();
      AppendSubscription(subscription, out_);
      *out_ += '\n';
    }
    --depth_;
  }
  void Print(const Suback& s) {
    Headline("SUBACK");
    Number("packet_id", s.packet_id);
    PropertiesBlock("properties", s.properties);
    ReasonCodes(s.reason_codes);
  }
  void Print(const Unsubscribe& u) {
    Headline("UNSUBSCRIBE");
    Number("packet_id", u.packet_id);
    PropertiesBlock("properties", u.properties);
    Line("topic_filters", std::to_string(u.topic_filters.size()));
    ++depth_;
    for (const std::string_view filter : u.topic_filters) {
      Indent();
      AppendQuoted(filter, out_);
      *out_ += '\n';
    }
    --depth_;
  }
  void Print(const Unsuback& u) {
    Headline("UNSUBACK");
    Number("packet_id", u.packet_id);
    PropertiesBlock("properties", u.properties);
    if (!u.reason_codes.empty()) ReasonCodes(u.reason_codes);
  }
  void Print(const Pingreq&) { Headline("PINGREQ"); }
  void Print(const Pingresp&) { Headline("PINGRESP"); }
  void Print(const Disconnect& d) {
    Headline("DISCONNECT");
    Reason(d.reason_code);
    PropertiesBlock("properties", d.properties);
  }
  void Print(const Auth& a) {
    Headline("AUTH");
    Reason(a.reason_code);
    PropertiesBlock("properties", a.properties);
  }

  static void AppendSubscription(const Subscription& s, std::string* out) {
    AppendQuoted(s.topic_filter, out);
    *out += " qos=" + std::to_string(static_cast<int>(s.options.maximum_qos));
    *out += " no_local=" + std::to_string(s.options.no_local);
    *out +=
        " retain_as_published=" + std::to_string(s.options.retain_as_published);
    *out += " retain_handling=" + std::to_string(s.options.retain_handling);
  }

 private:
  void Indent() { out_->append(options_.indent + depth_ * kIndentStep, ' '); }

  const PrintOptions& options_;
  std::string* out_;
  size_t depth_;
};

}  // namespace

std::string PacketToString(const Packet& packet, const PrintOptions& options) {
  std::string out;
  Printer printer(options, &out);
  std::visit([&](const auto& p) { printer.Print(p); }, packet);
  return out;
}

std::string PacketSummary(const Packet& packet) {
  std::string out(PacketTypeName(TypeOf(packet)));
  if (const auto* publish = std::get_if<Publish>(&packet)) {
    out += " qos=" + std::to_string(static_cast<int>(publish->qos));
    if (publish->qos != Qos::kAtMostOnce) {
      out += " packet_id=" + std::to_string(publish->packet_id);
    }
    out += " topic=";
    AppendQuoted(publish->topic, &out);
    out += " " + std::to_string(publish->payload.size()) + " bytes";
  }
  return out;
}

void PrintTo(const Packet& packet, std::ostream* os) {
  *os << "\n" << PacketToString(packet, {.indent = 2});
}

void PrintTo(const Properties& properties, std::ostream* os) {
  const PrintOptions options{.indent = 2};
  std::string out;
  Printer printer(options, &out);
  printer.PropertiesBlock("properties", properties);
  *os << "\n" << out;
}

void PrintTo(const UserProperty& property, std::ostream* os) {
  std::string text;
  AppendQuoted(property.key, &text);
  text += " = ";
  AppendQuoted(property.value, &text);
  *os << text;
}

void PrintTo(const Subscription& subscription, std::ostream* os) {
  std::string text;
  Printer::AppendSubscription(subscription, &text);
  *os << text;
}

}  // namespace mqlab::mqtt
