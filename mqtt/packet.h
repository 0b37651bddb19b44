// MQTT control packets of versions 3.1.1 and 5.0 as plain values.
//
// A decoded packet refers into the bytes it was decoded from (topics,
// payloads, property strings, the lists of a SUBSCRIBE): decoding copies
// nothing and allocates nothing, and the packet is valid only as long as those
// bytes are. A packet built for encoding refers to the caller's memory the same
// way. The list types below (user properties, subscriptions, topic filters)
// therefore have two forms: a view of already-validated wire bytes (made by
// the decoder) and a view of the caller's array (made by code that encodes);
// both iterate and compare alike. They are one template, ListView, so that the
// two forms are written once.
#ifndef MQLAB_MQTT_PACKET_H_
#define MQLAB_MQTT_PACKET_H_

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string_view>
#include <variant>

#include "mqtt/reason_code.h"

namespace mqlab::mqtt {

using Bytes = std::span<const uint8_t>;

enum class Version : uint8_t {
  kV311 = 4,  // Protocol level 4.
  kV5 = 5,    // Protocol level 5.
};

enum class PacketType : uint8_t {
  kConnect = 1,
  kConnack = 2,
  kPublish = 3,
  kPuback = 4,
  kPubrec = 5,
  kPubrel = 6,
  kPubcomp = 7,
  kSubscribe = 8,
  kSuback = 9,
  kUnsubscribe = 10,
  kUnsuback = 11,
  kPingreq = 12,
  kPingresp = 13,
  kDisconnect = 14,
  kAuth = 15,  // MQTT 5.0 only.
};

std::string_view PacketTypeName(PacketType type);  // "PUBLISH"

enum class Qos : uint8_t {
  kAtMostOnce = 0,
  kAtLeastOnce = 1,
  kExactlyOnce = 2
};

// Property identifiers (MQTT 5.0 section 2.2.2.2).
enum class PropertyId : uint8_t {
  kPayloadFormatIndicator = 0x01,
  kMessageExpiryInterval = 0x02,
  kContentType = 0x03,
  kResponseTopic = 0x08,
  kCorrelationData = 0x09,
  kSubscriptionIdentifier = 0x0B,
  kSessionExpiryInterval = 0x11,
  kAssignedClientIdentifier = 0x12,
  kServerKeepAlive = 0x13,
  kAuthenticationMethod = 0x15,
  kAuthenticationData = 0x16,
  kRequestProblemInformation = 0x17,
  kWillDelayInterval = 0x18,
  kRequestResponseInformation = 0x19,
  kResponseInformation = 0x1A,
  kServerReference = 0x1C,
  kReasonString = 0x1F,
  kReceiveMaximum = 0x21,
  kTopicAliasMaximum = 0x22,
  kTopicAlias = 0x23,
  kMaximumQos = 0x24,
  kRetainAvailable = 0x25,
  kUserProperty = 0x26,
  kMaximumPacketSize = 0x27,
  kWildcardSubscriptionAvailable = 0x28,
  kSubscriptionIdentifierAvailable = 0x29,
  kSharedSubscriptionAvailable = 0x2A,
};

std::string_view PropertyName(PropertyId id);  // "Message Expiry Interval"

struct UserProperty {
  std::string_view key{};
  std::string_view value{};
  friend bool operator==(const UserProperty&, const UserProperty&) = default;
};

struct SubscriptionOptions {
  Qos maximum_qos = Qos::kAtMostOnce;
  bool no_local = false;             // MQTT 5.0.
  bool retain_as_published = false;  // MQTT 5.0.
  uint8_t retain_handling = 0;       // MQTT 5.0: 0, 1 or 2.
  friend bool operator==(const SubscriptionOptions&,
                         const SubscriptionOptions&) = default;
};

struct Subscription {
  std::string_view topic_filter{};
  SubscriptionOptions options{};
  friend bool operator==(const Subscription&, const Subscription&) = default;
};

namespace internal {

// How each list's wire form is walked. The bytes were validated by the
// decoder, so the cursors trust their layout. First returns the first entry
// at or after `begin` (or `end`), Next the entry after `at` (or `end`), Read
// the entry at `at`.
struct UserPropertyCursor {  // 0x26 entries of a property block.
  static const uint8_t* First(const uint8_t* begin, const uint8_t* end);
  static const uint8_t* Next(const uint8_t* at, const uint8_t* end);
  static UserProperty Read(const uint8_t* at);
};
struct SubscriptionIdentifierCursor {  // 0x0B entries of a property block.
  static const uint8_t* First(const uint8_t* begin, const uint8_t* end);
  static const uint8_t* Next(const uint8_t* at, const uint8_t* end);
  static uint32_t Read(const uint8_t* at);
};
struct SubscriptionCursor {  // A SUBSCRIBE payload: filter, options byte.
  static const uint8_t* First(const uint8_t* begin, const uint8_t*) {
    return begin;
  }
  static const uint8_t* Next(const uint8_t* at, const uint8_t* end);
  static Subscription Read(const uint8_t* at);
};
struct TopicFilterCursor {  // An UNSUBSCRIBE payload: filters.
  static const uint8_t* First(const uint8_t* begin, const uint8_t*) {
    return begin;
  }
  static const uint8_t* Next(const uint8_t* at, const uint8_t* end);
  static std::string_view Read(const uint8_t* at);
};

}  // namespace internal

// A list of T in one of two forms that iterate and compare alike: a view of
// the caller's array (FromList, for packets built to be encoded) or a view of
// validated wire bytes (FromWire, made by the decoder, which walks them with
// WireCursor so that decoding needs no storage for the list).
template <typename T, typename WireCursor>
class ListView {
 public:
  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = T;

    Iterator() = default;
    T operator*() const {
      return item_ != nullptr ? *item_ : WireCursor::Read(at_);
    }
    Iterator& operator++() {
      if (item_ != nullptr) {
        ++item_;
      } else {
        at_ = WireCursor::Next(at_, wire_end_);
      }
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++*this;
      return before;
    }
    friend bool operator==(const Iterator& a, const Iterator& b) {
      return a.item_ == b.item_ && a.at_ == b.at_;
    }

   private:
    friend class ListView;
    const T* item_ = nullptr;
    const uint8_t* at_ = nullptr;
    const uint8_t* wire_end_ = nullptr;
  };
  using iterator = Iterator;
  using const_iterator = Iterator;
  using value_type = T;

  ListView() = default;
  static ListView FromList(std::span<const T> list) {
    ListView view;
    view.list_ = list;
    view.size_ = list.size();
    return view;
  }
  // `wire` must be bytes the decoder validated, holding `count` entries.
  static ListView FromWire(Bytes wire, size_t count) {
    ListView view;
    view.wire_ = wire;
    view.size_ = count;
    return view;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  Iterator begin() const {
    Iterator it;
    if (size_ == 0) return it;
    if (!list_.empty()) {
      it.item_ = list_.data();
    } else {
      it.wire_end_ = wire_.data() + wire_.size();
      it.at_ = WireCursor::First(wire_.data(), it.wire_end_);
    }
    return it;
  }
  Iterator end() const {
    Iterator it;
    if (size_ == 0) return it;
    if (!list_.empty()) {
      it.item_ = list_.data() + list_.size();
    } else {
      it.wire_end_ = wire_.data() + wire_.size();
      it.at_ = it.wire_end_;
    }
    return it;
  }

  friend bool operator==(const ListView& a, const ListView& b) {
    if (a.size_ != b.size_) return false;
    Iterator b_it = b.begin();
    for (const T& item : a) {
      if (!(item == *b_it)) return false;
      ++b_it;
    }
    return true;
  }

 private:
  std::span<const T> list_;
  Bytes wire_;
  size_t size_ = 0;
};

// The User Property (0x26) entries of one property block, in wire order.
// Decoded form: a view of the whole validated property block.
using UserProperties = ListView<UserProperty, internal::UserPropertyCursor>;

// The Subscription Identifier (0x0B) entries of a property block (a PUBLISH
// from the server may carry several), in wire order.
using SubscriptionIdentifiers =
    ListView<uint32_t, internal::SubscriptionIdentifierCursor>;

// The topic filters of a SUBSCRIBE with their options, in order. Decoded
// form: a view of the validated SUBSCRIBE payload.
using Subscriptions = ListView<Subscription, internal::SubscriptionCursor>;

// The topic filters of an UNSUBSCRIBE, in order.
using TopicFilters = ListView<std::string_view, internal::TopicFilterCursor>;

// Every member below has a default member initializer so that designated
// initializers (Puback{.packet_id = 7}) compile cleanly under -Wextra.
//
// The properties of one packet (or of a Will). Which ones a packet type may
// carry is the codec's business: the decoder refuses the others, the encoder
// writes only what is set. MQTT 3.1.1 packets have no properties.
struct Properties {
  std::optional<uint8_t> payload_format_indicator{};
  std::optional<uint32_t> message_expiry_interval{};
  std::optional<std::string_view> content_type{};
  std::optional<std::string_view> response_topic{};
  std::optional<Bytes> correlation_data{};
  SubscriptionIdentifiers subscription_identifiers{};
  std::optional<uint32_t> session_expiry_interval{};
  std::optional<std::string_view> assigned_client_identifier{};
  std::optional<uint16_t> server_keep_alive{};
  std::optional<std::string_view> authentication_method{};
  std::optional<Bytes> authentication_data{};
  std::optional<uint8_t> request_problem_information{};
  std::optional<uint32_t> will_delay_interval{};
  std::optional<uint8_t> request_response_information{};
  std::optional<std::string_view> response_information{};
  std::optional<std::string_view> server_reference{};
  std::optional<std::string_view> reason_string{};
  std::optional<uint16_t> receive_maximum{};
  std::optional<uint16_t> topic_alias_maximum{};
  std::optional<uint16_t> topic_alias{};
  std::optional<uint8_t> maximum_qos{};
  std::optional<uint8_t> retain_available{};
  UserProperties user_properties{};
  std::optional<uint32_t> maximum_packet_size{};
  std::optional<uint8_t> wildcard_subscription_available{};
  std::optional<uint8_t> subscription_identifier_available{};
  std::optional<uint8_t> shared_subscription_available{};

  friend bool operator==(const Properties& a, const Properties& b);
};

struct Will {
  Qos qos = Qos::kAtMostOnce;
  bool retain = false;
  Properties properties{};  // MQTT 5.0 Will Properties.
  std::string_view topic{};
  Bytes payload{};
  friend bool operator==(const Will& a, const Will& b);
};

struct Connect {
  Version version = Version::kV5;  // From the Protocol Level byte.
  bool clean_start = true;         // Clean Session in 3.1.1.
  uint16_t keep_alive = 0;         // Seconds.
  Properties properties{};
  std::string_view client_id{};
  std::optional<Will> will{};
  std::optional<std::string_view> username{};
  std::optional<Bytes> password{};
  friend bool operator==(const Connect& a, const Connect& b);
};

struct Connack {
  bool session_present = false;
  // In 3.1.1 only the codes ToConnectReturnCode maps can be encoded.
  ReasonCode reason_code = ReasonCode::kSuccess;
  Properties properties{};
  friend bool operator==(const Connack& a, const Connack& b);
};

struct Publish {
  bool dup = false;
  Qos qos = Qos::kAtMostOnce;
  bool retain = false;
  // May be empty in MQTT 5.0 when properties.topic_alias is set.
  std::string_view topic{};
  uint16_t packet_id = 0;  // Present on the wire only for QoS 1 and 2.
  Properties properties{};
  Bytes payload{};
  friend bool operator==(const Publish& a, const Publish& b);
};

// PUBACK, PUBREC, PUBREL and PUBCOMP share one shape. In MQTT 5.0 the reason
// code and properties may be omitted on the wire (meaning Success, none).
template <PacketType kType>
struct PublishResponse {
  static constexpr PacketType kPacketType = kType;
  uint16_t packet_id = 0;
  ReasonCode reason_code = ReasonCode::kSuccess;
  Properties properties{};
  friend bool operator==(const PublishResponse&,
                         const PublishResponse&) = default;
};
using Puback = PublishResponse<PacketType::kPuback>;
using Pubrec = PublishResponse<PacketType::kPubrec>;
using Pubrel = PublishResponse<PacketType::kPubrel>;
using Pubcomp = PublishResponse<PacketType::kPubcomp>;

struct Subscribe {
  uint16_t packet_id = 0;
  Properties properties{};
  Subscriptions subscriptions{};
  friend bool operator==(const Subscribe& a, const Subscribe& b);
};

struct Suback {
  uint16_t packet_id = 0;
  Properties properties{};
  // One per filter, each a ReasonCode byte. In 3.1.1 only 0x00, 0x01, 0x02
  // and 0x80 exist; the encoder writes any failure (>= 0x80) as 0x80.
  Bytes reason_codes{};
  friend bool operator==(const Suback& a, const Suback& b);
};

struct Unsubscribe {
  uint16_t packet_id = 0;
  Properties properties{};
  TopicFilters topic_filters{};
  friend bool operator==(const Unsubscribe& a, const Unsubscribe& b);
};

struct Unsuback {
  uint16_t packet_id = 0;
  Properties properties{};
  Bytes reason_codes{};  // MQTT 5.0 only; empty in 3.1.1.
  friend bool operator==(const Unsuback& a, const Unsuback& b);
};

struct Pingreq {
  friend bool operator==(const Pingreq&, const Pingreq&) = default;
};

struct Pingresp {
  friend bool operator==(const Pingresp&, const Pingresp&) = default;
};

struct Disconnect {
  ReasonCode reason_code = ReasonCode::kSuccess;  // MQTT 5.0 only.
  Properties properties{};
  friend bool operator==(const Disconnect&, const Disconnect&) = default;
};

struct Auth {
  ReasonCode reason_code = ReasonCode::kSuccess;
  Properties properties{};
  friend bool operator==(const Auth&, const Auth&) = default;
};

// The alternatives are in PacketType order: index() + 1 is the type's value.
using Packet = std::variant<Connect, Connack, Publish, Puback, Pubrec, Pubrel,
                            Pubcomp, Subscribe, Suback, Unsubscribe, Unsuback,
                            Pingreq, Pingresp, Disconnect, Auth>;

inline PacketType TypeOf(const Packet& packet) {
  return static_cast<PacketType>(packet.index() + 1);
}

}  // namespace mqlab::mqtt

#endif  // MQLAB_MQTT_PACKET_H_
