// The subscriptions a client holds according to the server's answers: a
// filter enters when a SUBACK grants it and leaves when an UNSUBACK removes
// it (or a re-subscription is refused). When a CONNACK says the session is
// not present, the client subscribes to all of them again, in the order they
// were first granted. Bounded by ClientOptions::max_subscriptions (the client
// refuses a Subscribe that could pass it); lookups scan the table.
#ifndef MQLAB_CLIENT_SUBSCRIPTION_TABLE_H_
#define MQLAB_CLIENT_SUBSCRIPTION_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mqtt/packet.h"

namespace mqlab::client {

class SubscriptionTable {
 public:
  struct Entry {
    std::string topic_filter;
    mqtt::SubscriptionOptions options;
    uint32_t subscription_identifier = 0;  // 0: none.
  };

  // Adds the filter, or replaces its options as a new SUBSCRIBE for the same
  // filter does on the server [MQTT-3.8.4-3].
  void Upsert(std::string_view topic_filter,
              const mqtt::SubscriptionOptions& options,
              uint32_t subscription_identifier);
  void Erase(std::string_view topic_filter);
  bool Contains(std::string_view topic_filter) const;

  const std::vector<Entry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }

 private:
  std::vector<Entry> entries_;  // In the order first granted.
};

}  // namespace mqlab::client

#endif  // MQLAB_CLIENT_SUBSCRIPTION_TABLE_H_
