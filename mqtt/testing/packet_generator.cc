#include "mqtt/testing/packet_generator.h"

#include "base/check.h"
#include "mqtt/packet_reason_codes.h"
#include "mqtt/varint.h"

namespace mqlab::mqtt::testing {
namespace {

// Characters strings are drawn from: ASCII and multi-byte UTF-8 (2, 3 and 4
// bytes), none of them '/', '+', '#' or U+0000.
constexpr std::string_view kCharacters[] = {
    "a", "b", "c", "x", "y", "z", "0", "1",  "9",  "-", "_",   ".",
    " ", "$", "A", "Z", "é", "ß", "€", "世", "界", "😀", "\x7f"};
constexpr std::string_view kLevelCharacters[] = {"a", "b", "c", "v",  "0", "1",
                                                 "-", "_", "é", "世", "😀"};

template <typename T, size_t N>
const T& Pick(Random* random, const T (&items)[N]) {
  return items[random->Below(N)];
}

}  // namespace

std::string_view PacketStorage::String(std::string text) {
  return strings_.emplace_back(std::move(text));
}
Bytes PacketStorage::Data(std::vector<uint8_t> bytes) {
  return data_.emplace_back(std::move(bytes));
}
std::span<const UserProperty> PacketStorage::List(
    std::vector<UserProperty> items) {
  return user_properties_.emplace_back(std::move(items));
}
std::span<const Subscription> PacketStorage::List(
    std::vector<Subscription> items) {
  return subscriptions_.emplace_back(std::move(items));
}
std::span<const std::string_view> PacketStorage::List(
    std::vector<std::string_view> items) {
  return topic_filters_.emplace_back(std::move(items));
}
std::span<const uint32_t> PacketStorage::List(std::vector<uint32_t> items) {
  return subscription_identifiers_.emplace_back(std::move(items));
}

PacketGenerator::PacketGenerator(Random* random, PacketStorage* storage,
                                 const PacketGeneratorOptions& options)
    : random_(random), storage_(storage), options_(options) {}

std::string_view PacketGenerator::Text(size_t minimum_size) {
  const size_t size =
      minimum_size +
      random_->Below(options_.maximum_string_size - minimum_size + 1);
  std::string text;
  for (size_t i = 0; i < size; ++i) text += Pick(random_, kCharacters);
  return storage_->String(std::move(text));
}

std::string_view PacketGenerator::TopicName() {
  std::string topic;
  const size_t levels = 1 + random_->Below(4);
  for (size_t level = 0; level < levels; ++level) {
    if (level > 0) topic += '/';
    const size_t size = random_->Below(6);  // Empty levels are valid.
    for (size_t i = 0; i < size; ++i) topic += Pick(random_, kLevelCharacters);
  }
  if (topic.empty()) topic = "t";
  return storage_->String(std::move(topic));
}

std::string_view PacketGenerator::TopicFilter(Version version) {
  std::string filter;
  if (version == Version::kV5 && random_->Chance(0.1)) {
    filter = "$share/";
    filter += Pick(random_, kLevelCharacters);
    filter += "/";
  }
  const size_t levels = 1 + random_->Below(4);
  for (size_t level = 0; level < levels; ++level) {
    if (level > 0) filter += '/';
    if (level + 1 == levels && random_->Chance(0.2)) {
      filter += '#';
      break;
    }
    if (random_->Chance(0.2)) {
      filter += '+';
      continue;
    }
    const size_t size = 1 + random_->Below(5);
    for (size_t i = 0; i < size; ++i) {
      filter += Pick(random_, kLevelCharacters);
    }
  }
  return storage_->String(std::move(filter));
}

Bytes PacketGenerator::Data(size_t maximum_size) {
  std::vector<uint8_t> bytes(random_->Below(maximum_size + 1));
  const bool text = random_->Chance(0.5);
  for (uint8_t& byte : bytes) {
    byte = static_cast<uint8_t>(text ? 0x20 + random_->Below(0x5F)
                                     : random_->Below(256));
  }
  return storage_->Data(std::move(bytes));
}

uint16_t PacketGenerator::PacketId() {
  return static_cast<uint16_t>(1 + random_->Below(65535));
}

Properties PacketGenerator::RandomProperties(PropertyScope scope) {
  Properties p;
  const auto chance = [&] { return random_->Chance(options_.property_chance); };
  const auto boolean = [&] { return static_cast<uint8_t>(random_->Below(2)); };
  const auto u16 = [&](uint16_t low) {
    return static_cast<uint16_t>(random_->Between(low, 65535));
  };
  const auto u32 = [&](uint32_t low) {
    return static_cast<uint32_t>(random_->Between(low, 0xFFFFFFFF));
  };
  for (int id = 0; id < 64; ++id) {
    const PropertyInfo* info = FindProperty(static_cast<uint8_t>(id));
    if (info == nullptr || !IsPropertyAllowed(info->id, scope) || !chance()) {
      continue;
    }
    switch (info->id) {
      case PropertyId::kPayloadFormatIndicator:
        p.payload_format_indicator = boolean();
        break;
      case PropertyId::kMessageExpiryInterval:
        p.message_expiry_interval = u32(0);
        break;
      case PropertyId::kContentType:
        p.content_type = Text();
        break;
      case PropertyId::kResponseTopic:
        p.response_topic = TopicName();
        break;
      case PropertyId::kCorrelationData:
        p.correlation_data = Data(16);
        break;
      case PropertyId::kSubscriptionIdentifier: {
        const size_t count =
            IsPropertyRepeatable(info->id, scope) ? 1 + random_->Below(3) : 1;
        std::vector<uint32_t> ids;
        for (size_t i = 0; i < count; ++i) {
          ids.push_back(static_cast<uint32_t>(random_->Between(
              1, random_->Chance(0.5) ? 127 : kMaximumVarint)));
        }
        p.subscription_identifiers =
            SubscriptionIdentifiers::FromList(storage_->List(std::move(ids)));
        break;
      }
      case PropertyId::kSessionExpiryInterval:
        p.session_expiry_interval = u32(0);
        break;
      case PropertyId::kAssignedClientIdentifier:
        p.assigned_client_identifier = Text();
        break;
      case PropertyId::kServerKeepAlive:
        p.server_keep_alive = u16(0);
        break;
      case PropertyId::kAuthenticationMethod:
        p.authentication_method = Text();
        break;
      case PropertyId::kAuthenticationData:
        // Authentication Data needs an Authentication Method (3.1.2.11.10).
        if (!p.authentication_method) p.authentication_method = Text();
        p.authentication_data = Data(16);
        break;
      case PropertyId::kRequestProblemInformation:
        p.request_problem_information = boolean();
        break;
      case PropertyId::kWillDelayInterval:
        p.will_delay_interval = u32(0);
        break;
      case PropertyId::kRequestResponseInformation:
        p.request_response_information = boolean();
        break;
      case PropertyId::kResponseInformation:
        p.response_information = Text();
        break;
      case PropertyId::kServerReference:
        p.server_reference = Text();
        break;
      case PropertyId::kReasonString:
        p.reason_string = Text();
        break;
      case PropertyId::kReceiveMaximum:
        p.receive_maximum = u16(1);
        break;
      case PropertyId::kTopicAliasMaximum:
        p.topic_alias_maximum = u16(0);
        break;
      case PropertyId::kTopicAlias:
        p.topic_alias = u16(1);
        break;
      case PropertyId::kMaximumQos:
        p.maximum_qos = boolean();
        break;
      case PropertyId::kRetainAvailable:
        p.retain_available = boolean();
        break;
      case PropertyId::kUserProperty: {
        std::vector<UserProperty> list(
            1 + random_->Below(options_.maximum_list_size));
        for (UserProperty& entry : list) entry = {Text(), Text()};
        p.user_properties =
            UserProperties::FromList(storage_->List(std::move(list)));
        break;
      }
      case PropertyId::kMaximumPacketSize:
        p.maximum_packet_size = u32(1);
        break;
      case PropertyId::kWildcardSubscriptionAvailable:
        p.wildcard_subscription_available = boolean();
        break;
      case PropertyId::kSubscriptionIdentifierAvailable:
        p.subscription_identifier_available = boolean();
        break;
      case PropertyId::kSharedSubscriptionAvailable:
        p.shared_subscription_available = boolean();
        break;
    }
  }
  return p;
}

ReasonCode PacketGenerator::AnyReasonCode(PacketType type, Version version) {
  const std::span<const ReasonCode> allowed = AllowedReasonCodes(type, version);
  MQLAB_CHECK(!allowed.empty());
  // Success half of the time: the common case, and the short forms.
  if (random_->Chance(0.5)) return allowed.front();
  return allowed[random_->Below(allowed.size())];
}

Bytes PacketGenerator::ReasonCodes(PacketType type, Version version) {
  std::vector<uint8_t> codes(1 + random_->Below(options_.maximum_list_size));
  for (uint8_t& code : codes) {
    code = static_cast<uint8_t>(AnyReasonCode(type, version));
  }
  return storage_->Data(std::move(codes));
}

Connect PacketGenerator::MakeConnect(Version version) {
  Connect c;
  c.version = version;
  c.clean_start = random_->Chance(0.5);
  c.keep_alive = static_cast<uint16_t>(random_->Below(65536));
  const bool v5 = version == Version::kV5;
  if (v5) c.properties = RandomProperties({PacketType::kConnect});
  c.client_id = Text();
  if (random_->Chance(0.3)) {
    Will& will = c.will.emplace();
    will.qos = static_cast<Qos>(random_->Below(3));
    will.retain = random_->Chance(0.5);
    if (v5) will.properties = RandomProperties({PacketType::kConnect, true});
    will.topic = TopicName();
    will.payload = Data(options_.maximum_payload_size);
  }
  if (random_->Chance(0.6)) c.username = Text();
  // 3.1.1 allows a password only with a user name [MQTT-3.1.2-22].
  if (random_->Chance(0.5) && (v5 || c.username.has_value())) {
    c.password = Data(16);
  }
  return c;
}

Connack PacketGenerator::MakeConnack(Version version) {
  Connack c;
  if (version == Version::kV311) {
    c.reason_code = FromConnectReturnCode(
        static_cast<ConnectReturnCode>(random_->Below(6)));
  } else {
    c.reason_code = AnyReasonCode(PacketType::kConnack, version);
    c.properties = RandomProperties({PacketType::kConnack});
  }
  c.session_present =
      c.reason_code == ReasonCode::kSuccess && random_->Chance(0.5);
  return c;
}

Publish PacketGenerator::MakePublish(Version version) {
  Publish p;
  p.qos = static_cast<Qos>(random_->Below(3));
  p.dup = p.qos != Qos::kAtMostOnce && random_->Chance(0.3);
  p.retain = random_->Chance(0.3);
  if (p.qos != Qos::kAtMostOnce) p.packet_id = PacketId();
  p.topic = TopicName();
  if (version == Version::kV5) {
    p.properties = RandomProperties({PacketType::kPublish});
    // An empty topic name stands for a Topic Alias.
    if (p.properties.topic_alias.has_value() && random_->Chance(0.5)) {
      p.topic = {};
    }
  }
  p.payload = Data(options_.maximum_payload_size);
  return p;
}

Subscribe PacketGenerator::MakeSubscribe(Version version) {
  Subscribe s;
  s.packet_id = PacketId();
  const bool v5 = version == Version::kV5;
  if (v5) s.properties = RandomProperties({PacketType::kSubscribe});
  std::vector<Subscription> list(1 +
                                 random_->Below(options_.maximum_list_size));
  for (Subscription& subscription : list) {
    subscription.topic_filter = TopicFilter(version);
    subscription.options.maximum_qos = static_cast<Qos>(random_->Below(3));
    if (v5) {
      // No Local on a shared subscription is a Protocol Error [MQTT-3.8.3-4].
      subscription.options.no_local =
          !subscription.topic_filter.starts_with("$share/") &&
          random_->Chance(0.5);
      subscription.options.retain_as_published = random_->Chance(0.5);
      subscription.options.retain_handling =
          static_cast<uint8_t>(random_->Below(3));
    }
  }
  s.subscriptions = Subscriptions::FromList(storage_->List(std::move(list)));
  return s;
}

Packet PacketGenerator::Generate(PacketType type, Version version) {
  const bool v5 = version == Version::kV5;
  const auto properties = [&](PacketType scope_type) {
    return v5 ? RandomProperties({scope_type}) : Properties{};
  };
  switch (type) {
    case PacketType::kConnect:
      return MakeConnect(version);
    case PacketType::kConnack:
      return MakeConnack(version);
    case PacketType::kPublish:
      return MakePublish(version);
    case PacketType::kPuback:
    case PacketType::kPubrec:
    case PacketType::kPubrel:
    case PacketType::kPubcomp: {
      const uint16_t packet_id = PacketId();
      const ReasonCode code =
          v5 ? AnyReasonCode(type, version) : ReasonCode::kSuccess;
      const Properties p = properties(type);
      switch (type) {
        case PacketType::kPuback:
          return Puback{packet_id, code, p};
        case PacketType::kPubrec:
          return Pubrec{packet_id, code, p};
        case PacketType::kPubrel:
          return Pubrel{packet_id, code, p};
        default:
          return Pubcomp{packet_id, code, p};
      }
    }
    case PacketType::kSubscribe:
      return MakeSubscribe(version);
    case PacketType::kSuback: {
      Suback s;
      s.packet_id = PacketId();
      s.properties = properties(type);
      s.reason_codes = ReasonCodes(type, version);
      return s;
    }
    case PacketType::kUnsubscribe: {
      Unsubscribe u;
      u.packet_id = PacketId();
      u.properties = properties(type);
      std::vector<std::string_view> filters(
          1 + random_->Below(options_.maximum_list_size));
      for (std::string_view& filter : filters) filter = TopicFilter(version);
      u.topic_filters =
          TopicFilters::FromList(storage_->List(std::move(filters)));
      return u;
    }
    case PacketType::kUnsuback: {
      Unsuback u;
      u.packet_id = PacketId();
      if (v5) {
        u.properties = properties(type);
        u.reason_codes = ReasonCodes(type, version);
      }
      return u;
    }
    case PacketType::kPingreq:
      return Pingreq{};
    case PacketType::kPingresp:
      return Pingresp{};
    case PacketType::kDisconnect:
      if (!v5) return Disconnect{};
      return Disconnect{AnyReasonCode(type, version), properties(type)};
    case PacketType::kAuth:
      MQLAB_CHECK_MSG(v5, "AUTH exists only in MQTT 5.0");
      return Auth{AnyReasonCode(type, version), properties(type)};
  }
  MQLAB_CHECK_MSG(false, "unknown packet type");
  return Pingreq{};
}

Packet PacketGenerator::Generate(Version version) {
  const uint64_t type_count = version == Version::kV5 ? 15 : 14;
  return Generate(static_cast<PacketType>(1 + random_->Below(type_count)),
                  version);
}

}  // namespace mqlab::mqtt::testing
