#include "mqtt/encoder.h"

#include <cstring>
#include <limits>
#include <type_traits>

#include "base/check.h"
#include "mqtt/decoder.h"
#include "mqtt/varint.h"
#include "mqtt/wire.h"

namespace mqlab::mqtt {
namespace {

constexpr size_t kMaximumFieldSize = std::numeric_limits<uint16_t>::max();

// The encoder walks every packet twice with the same code: once with a
// SizeCounter (which also finds what the wire cannot express) and once with a
// ByteWriter into memory sized by the count.
class SizeCounter {
 public:
  void Byte(uint8_t) { size_ += 1; }
  void U16(uint16_t) { size_ += 2; }
  void U32(uint32_t) { size_ += 4; }
  void Varint(uint32_t value) {
    if (value > kMaximumVarint) {
      ok_ = false;
      return;
    }
    size_ += VarintSize(value);
  }
  void Raw(Bytes bytes) { size_ += bytes.size(); }
  void Binary(Bytes bytes) {
    if (bytes.size() > kMaximumFieldSize) ok_ = false;
    size_ += 2 + bytes.size();
  }
  void String(std::string_view text) {
    Binary(Bytes(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  }
  void Refuse() { ok_ = false; }
  // `size` bytes already counted by another SizeCounter.
  void Counted(size_t size) { size_ += size; }

  size_t size() const { return size_; }
  bool ok() const { return ok_; }

 private:
  size_t size_ = 0;
  bool ok_ = true;
};

// Notes whether a walk would write anything at all.
class PresenceProbe {
 public:
  void Byte(uint8_t) { any_ = true; }
  void U16(uint16_t) { any_ = true; }
  void U32(uint32_t) { any_ = true; }
  void Varint(uint32_t) { any_ = true; }
  void Raw(Bytes) { any_ = true; }
  void Binary(Bytes) { any_ = true; }
  void String(std::string_view) { any_ = true; }

  bool any() const { return any_; }

 private:
  bool any_ = false;
};

class ByteWriter {
 public:
  explicit ByteWriter(uint8_t* at) : at_(at) {}
  void Byte(uint8_t value) { *at_++ = value; }
  void U16(uint16_t value) { at_ = internal::StoreU16(value, at_); }
  void U32(uint32_t value) { at_ = internal::StoreU32(value, at_); }
  void Varint(uint32_t value) { at_ = WriteVarint(value, at_); }
  void Raw(Bytes bytes) {
    if (bytes.empty()) return;  // data() may be null.
    std::memcpy(at_, bytes.data(), bytes.size());
    at_ += bytes.size();
  }
  void Binary(Bytes bytes) {
    U16(static_cast<uint16_t>(bytes.size()));
    Raw(bytes);
  }
  void String(std::string_view text) {
    Binary(Bytes(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  }
  void Refuse() { MQLAB_CHECK_MSG(false, "the size pass accepted the packet"); }

  uint8_t* position() const { return at_; }

 private:
  uint8_t* at_;
};

template <typename Sink>
void PropertyEntries(Sink& s, const Properties& p);

// PropertyEntries writes something for every property present, so a walk
// that writes nothing found none (cheaper than building a Properties{} and
// comparing every field with it, on every packet).
bool IsEmpty(const Properties& properties) {
  PresenceProbe probe;
  PropertyEntries(probe, properties);
  return !probe.any();
}

template <typename Sink>
void PropertyEntries(Sink& s, const Properties& p) {
  const auto id = [&s](PropertyId property) {
    s.Byte(static_cast<uint8_t>(property));
  };
  if (p.payload_format_indicator) {
    id(PropertyId::kPayloadFormatIndicator);
    s.Byte(*p.payload_format_indicator);
  }
  if (p.message_expiry_interval) {
    id(PropertyId::kMessageExpiryInterval);
    s.U32(*p.message_expiry_interval);
  }
  if (p.content_type) {
    id(PropertyId::kContentType);
    s.String(*p.content_type);
  }
  if (p.response_topic) {
    id(PropertyId::kResponseTopic);
    s.String(*p.response_topic);
  }
  if (p.correlation_data) {
    id(PropertyId::kCorrelationData);
    s.Binary(*p.correlation_data);
  }
  for (const uint32_t identifier : p.subscription_identifiers) {
    id(PropertyId::kSubscriptionIdentifier);
    s.Varint(identifier);
  }
  if (p.session_expiry_interval) {
    id(PropertyId::kSessionExpiryInterval);
    s.U32(*p.session_expiry_interval);
  }
  if (p.assigned_client_identifier) {
    id(PropertyId::kAssignedClientIdentifier);
    s.String(*p.assigned_client_identifier);
  }
  if (p.server_keep_alive) {
    id(PropertyId::kServerKeepAlive);
    s.U16(*p.server_keep_alive);
  }
  if (p.authentication_method) {
    id(PropertyId::kAuthenticationMethod);
    s.String(*p.authentication_method);
  }
  if (p.authentication_data) {
    id(PropertyId::kAuthenticationData);
    s.Binary(*p.authentication_data);
  }
  if (p.request_problem_information) {
    id(PropertyId::kRequestProblemInformation);
    s.Byte(*p.request_problem_information);
  }
  if (p.will_delay_interval) {
    id(PropertyId::kWillDelayInterval);
    s.U32(*p.will_delay_interval);
  }
  if (p.request_response_information) {
    id(PropertyId::kRequestResponseInformation);
    s.Byte(*p.request_response_information);
  }
  if (p.response_information) {
    id(PropertyId::kResponseInformation);
    s.String(*p.response_information);
  }
  if (p.server_reference) {
    id(PropertyId::kServerReference);
    s.String(*p.server_reference);
  }
  if (p.reason_string) {
    id(PropertyId::kReasonString);
    s.String(*p.reason_string);
  }
  if (p.receive_maximum) {
    id(PropertyId::kReceiveMaximum);
    s.U16(*p.receive_maximum);
  }
  if (p.topic_alias_maximum) {
    id(PropertyId::kTopicAliasMaximum);
    s.U16(*p.topic_alias_maximum);
  }
  if (p.topic_alias) {
    id(PropertyId::kTopicAlias);
    s.U16(*p.topic_alias);
  }
  if (p.maximum_qos) {
    id(PropertyId::kMaximumQos);
    s.Byte(*p.maximum_qos);
  }
  if (p.retain_available) {
    id(PropertyId::kRetainAvailable);
    s.Byte(*p.retain_available);
  }
  for (const UserProperty& user_property : p.user_properties) {
    id(PropertyId::kUserProperty);
    s.String(user_property.key);
    s.String(user_property.value);
  }
  if (p.maximum_packet_size) {
    id(PropertyId::kMaximumPacketSize);
    s.U32(*p.maximum_packet_size);
  }
  if (p.wildcard_subscription_available) {
    id(PropertyId::kWildcardSubscriptionAvailable);
    s.Byte(*p.wildcard_subscription_available);
  }
  if (p.subscription_identifier_available) {
    id(PropertyId::kSubscriptionIdentifierAvailable);
    s.Byte(*p.subscription_identifier_available);
  }
  if (p.shared_subscription_available) {
    id(PropertyId::kSharedSubscriptionAvailable);
    s.Byte(*p.shared_subscription_available);
  }
}

// Property Length and the properties; nothing in 3.1.1, which has none.
template <typename Sink>
void PropertyBlock(Sink& s, const Properties& properties, Version version) {
  if (version != Version::kV5) return;
  SizeCounter counter;
  PropertyEntries(counter, properties);
  if (!counter.ok() || counter.size() > kMaximumVarint) {
    s.Refuse();
    return;
  }
  s.Varint(static_cast<uint32_t>(counter.size()));
  if constexpr (std::is_same_v<Sink, SizeCounter>) {
    s.Counted(counter.size());  // The size pass needs no second walk.
  } else if (counter.size() > 0) {
    PropertyEntries(s, properties);
  }
}

template <typename Sink>
void Body(Sink& s, const Connect& c, Version version) {
  s.String("MQTT");
  s.Byte(static_cast<uint8_t>(version));
  uint8_t flags = c.clean_start ? 0x02 : 0x00;
  if (c.will.has_value()) {
    flags |=
        0x04 | static_cast<uint8_t>(static_cast<uint8_t>(c.will->qos) << 3);
    if (c.will->retain) flags |= 0x20;
  }
  if (c.password.has_value()) flags |= 0x40;
  if (c.username.has_value()) flags |= 0x80;
  s.Byte(flags);
  s.U16(c.keep_alive);
  PropertyBlock(s, c.properties, version);
  s.String(c.client_id);
  if (c.will.has_value()) {
    PropertyBlock(s, c.will->properties, version);
    s.String(c.will->topic);
    s.Binary(c.will->payload);
  }
  if (c.username.has_value()) s.String(*c.username);
  if (c.password.has_value()) s.Binary(*c.password);
}

template <typename Sink>
void Body(Sink& s, const Connack& c, Version version) {
  s.Byte(c.session_present ? 0x01 : 0x00);
  if (version == Version::kV311) {
    const std::optional<ConnectReturnCode> code =
        ToConnectReturnCode(c.reason_code);
    if (!code.has_value()) {
      s.Refuse();
      return;
    }
    s.Byte(static_cast<uint8_t>(*code));
    return;
  }
  s.Byte(static_cast<uint8_t>(c.reason_code));
  PropertyBlock(s, c.properties, version);
}

// Everything of a PUBLISH's body before the payload.
template <typename Sink>
void PublishHead(Sink& s, const Publish& p, Version version) {
  s.String(p.topic);
  if (p.qos != Qos::kAtMostOnce) s.U16(p.packet_id);
  PropertyBlock(s, p.properties, version);
}

template <typename Sink>
void Body(Sink& s, const Publish& p, Version version) {
  PublishHead(s, p, version);
  s.Raw(p.payload);
}

template <typename Sink, PacketType kType>
void Body(Sink& s, const PublishResponse<kType>& p, Version version) {
  s.U16(p.packet_id);
  if (version == Version::kV311) return;
  const bool no_properties = IsEmpty(p.properties);
  // The short forms (3.4.2.1): the reason code may be left out when it is
  // Success and there are no properties, the Property Length when there are
  // no properties.
  if (p.reason_code == ReasonCode::kSuccess && no_properties) return;
  s.Byte(static_cast<uint8_t>(p.reason_code));
  if (!no_properties) PropertyBlock(s, p.properties, version);
}

template <typename Sink>
void Body(Sink& s, const Subscribe& sub, Version version) {
  s.U16(sub.packet_id);
  PropertyBlock(s, sub.properties, version);
  for (const Subscription& subscription : sub.subscriptions) {
    s.String(subscription.topic_filter);
    const SubscriptionOptions& o = subscription.options;
    uint8_t options = static_cast<uint8_t>(o.maximum_qos);
    if (version == Version::kV5) {
      if (o.no_local) options |= 0x04;
      if (o.retain_as_published) options |= 0x08;
      options |= static_cast<uint8_t>(o.retain_handling << 4);
    }
    s.Byte(options);
  }
}

template <typename Sink>
void Body(Sink& s, const Suback& suback, Version version) {
  s.U16(suback.packet_id);
  PropertyBlock(s, suback.properties, version);
  if (version == Version::kV5) {
    s.Raw(suback.reason_codes);
    return;
  }
  for (const uint8_t code : suback.reason_codes) {
    s.Byte(code >= 0x80 ? 0x80 : code);  // 3.1.1 has one failure code.
  }
}

template <typename Sink>
void Body(Sink& s, const Unsubscribe& u, Version version) {
  s.U16(u.packet_id);
  PropertyBlock(s, u.properties, version);
  for (const std::string_view filter : u.topic_filters) s.String(filter);
}

template <typename Sink>
void Body(Sink& s, const Unsuback& u, Version version) {
  s.U16(u.packet_id);
  if (version == Version::kV311) return;
  PropertyBlock(s, u.properties, version);
  s.Raw(u.reason_codes);
}

template <typename Sink>
void Body(Sink&, const Pingreq&, Version) {}

template <typename Sink>
void Body(Sink&, const Pingresp&, Version) {}

// DISCONNECT and AUTH: nothing at all for Success without properties.
template <typename Sink, typename T>
void ReasonAndProperties(Sink& s, const T& packet, Version version) {
  if (version == Version::kV311) return;
  const bool no_properties = IsEmpty(packet.properties);
  if (packet.reason_code == ReasonCode::kSuccess && no_properties) return;
  s.Byte(static_cast<uint8_t>(packet.reason_code));
  if (!no_properties) PropertyBlock(s, packet.properties, version);
}

template <typename Sink>
void Body(Sink& s, const Disconnect& d, Version version) {
  ReasonAndProperties(s, d, version);
}

template <typename Sink>
void Body(Sink& s, const Auth& a, Version version) {
  if (version == Version::kV311) {
    s.Refuse();  // 3.1.1 has no AUTH.
    return;
  }
  ReasonAndProperties(s, a, version);
}

uint8_t PublishFirstByte(const Publish& publish) {
  return static_cast<uint8_t>(static_cast<uint8_t>(PacketType::kPublish) << 4 |
                              (publish.dup ? 0x08 : 0) |
                              (static_cast<uint8_t>(publish.qos) << 1) |
                              (publish.retain ? 0x01 : 0));
}

uint8_t FirstByte(const Packet& packet) {
  const PacketType type = TypeOf(packet);
  uint8_t flags = 0;
  if (const auto* publish = std::get_if<Publish>(&packet)) {
    return PublishFirstByte(*publish);
  } else if (type == PacketType::kPubrel || type == PacketType::kSubscribe ||
             type == PacketType::kUnsubscribe) {
    flags = 0x02;
  }
  return static_cast<uint8_t>(static_cast<uint8_t>(type) << 4 | flags);
}

// The Remaining Length of `packet`, or nullopt when it cannot be encoded.
std::optional<uint32_t> RemainingLength(const Packet& packet, Version version) {
  SizeCounter counter;
  std::visit([&](const auto& p) { Body(counter, p, version); }, packet);
  if (!counter.ok() || counter.size() > kMaximumVarint) return std::nullopt;
  return static_cast<uint32_t>(counter.size());
}

}  // namespace

std::optional<size_t> EncodedSize(const Packet& packet, Version version) {
  const std::optional<uint32_t> remaining = RemainingLength(packet, version);
  if (!remaining.has_value()) return std::nullopt;
  return 1 + VarintSize(*remaining) + *remaining;
}

bool Encode(const Packet& packet, Version version, std::vector<uint8_t>* out) {
  const std::optional<uint32_t> remaining = RemainingLength(packet, version);
  if (!remaining.has_value()) return false;
  const size_t start = out->size();
  const size_t size = 1 + VarintSize(*remaining) + *remaining;
  out->resize(start + size);
  ByteWriter writer(out->data() + start);
  writer.Byte(FirstByte(packet));
  writer.Varint(*remaining);
  std::visit([&](const auto& p) { Body(writer, p, version); }, packet);
  MQLAB_CHECK(writer.position() == out->data() + start + size);
  return true;
}

bool EncodePublishHeader(const Publish& publish, Version version,
                         std::vector<uint8_t>* out) {
  SizeCounter counter;
  Body(counter, publish, version);
  if (!counter.ok() || counter.size() > kMaximumVarint) return false;
  const uint32_t remaining = static_cast<uint32_t>(counter.size());
  const size_t start = out->size();
  const size_t size =
      1 + VarintSize(remaining) + remaining - publish.payload.size();
  out->resize(start + size);
  ByteWriter writer(out->data() + start);
  writer.Byte(PublishFirstByte(publish));
  writer.Varint(remaining);
  PublishHead(writer, publish, version);
  MQLAB_CHECK(writer.position() == out->data() + start + size);
  return true;
}

}  // namespace mqlab::mqtt
