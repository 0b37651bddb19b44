// Topic Aliases (MQTT 5.0 section 3.3.2.3.4), both directions. A mapping
// lives for one network connection: both tables are reset when one starts.
#ifndef MQLAB_CLIENT_TOPIC_ALIASES_H_
#define MQLAB_CLIENT_TOPIC_ALIASES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "client/client_options.h"
#include "mqtt/reason_code.h"

namespace mqlab::client {

// The client's aliases for the topics it publishes to, assigned by a
// TopicAliasPolicy within `capacity` (the smaller of the server's Topic Alias
// Maximum and ClientOptions::max_topic_aliases). Lookups scan the table,
// which is small by construction.
class OutgoingTopicAliases {
 public:
  // What a PUBLISH to a topic carries.
  struct Choice {
    uint16_t alias = 0;      // 0: no Topic Alias property.
    bool send_topic = true;  // false: an empty Topic Name (alias known).
  };

  // Forgets every mapping (a new connection).
  void Reset(TopicAliasPolicy policy, uint16_t capacity);

  // The choice for a PUBLISH to `topic` whose form without an alias is
  // `spare_bytes` under the server's Maximum Packet Size, recording a new
  // mapping when the policy makes one. An alias is used only where the
  // aliased PUBLISH surely fits too (kMaximumAliasGrowth).
  Choice Choose(std::string_view topic, uint64_t spare_bytes);

  // The most an alias can add to a PUBLISH: the 3-byte property, and one
  // byte each to the Property Length and Remaining Length encodings.
  static constexpr uint64_t kMaximumAliasGrowth = 5;

  // False when no alias can be used on this connection.
  bool active() const { return policy_ != TopicAliasPolicy::kNone; }
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string topic;
    uint64_t last_use = 0;
  };

  TopicAliasPolicy policy_ = TopicAliasPolicy::kNone;
  uint16_t capacity_ = 0;
  uint64_t clock_ = 0;          // Use counter for least-recently-used.
  std::vector<Entry> entries_;  // Alias n is entries_[n - 1].
};

// The server's aliases for the topics it sends to the client, within the
// Topic Alias Maximum the client sent in CONNECT.
class IncomingTopicAliases {
 public:
  struct Resolution {
    // The topic the PUBLISH is for; empty when `rule` is set.
    std::string_view topic{};
    mqtt::ReasonCode reason_code = mqtt::ReasonCode::kSuccess;
    std::string_view rule{};  // The statement the server broke, if any.
  };

  void Reset(uint16_t maximum);

  // Resolves a PUBLISH's Topic Name and Topic Alias (alias 0: none; the
  // decoder already refused a Topic Alias property of 0). A non-empty topic
  // with an alias (re)binds the alias.
  Resolution Resolve(std::string_view topic, uint16_t alias);

 private:
  uint16_t maximum_ = 0;
  std::vector<std::string> topics_;  // Alias n is topics_[n - 1]; grown on use.
};

}  // namespace mqlab::client

#endif  // MQLAB_CLIENT_TOPIC_ALIASES_H_
