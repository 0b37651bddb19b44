// The topic aliases a v5 client set on one connection (client to server
// only: Event Grid assigns none outbound). Aliases live as long as the
// connection [MQTT-3.3.2-7]; the table allocates on the first alias used and
// holds at most Topic Alias Maximum topics.
#ifndef MQLAB_BROKER_TOPIC_ALIAS_TABLE_H_
#define MQLAB_BROKER_TOPIC_ALIAS_TABLE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mqlab::broker {

class TopicAliasTable {
 public:
  explicit TopicAliasTable(uint16_t maximum = 0) : maximum_(maximum) {}

  enum class Result : uint8_t {
    kOk,
    // 0 (the decoder refuses it) or above the maximum the broker announced:
    // 0x94 Topic Alias invalid [MQTT-3.3.2-9].
    kOutOfRange,
    // An empty topic with an alias that was never set: 0x82 Protocol Error
    // [MQTT 5.0 3.3.2.3.4].
    kUnset,
  };

  // Applies a PUBLISH's Topic Alias: a non-empty *topic sets the alias; an
  // empty one is replaced by the topic the alias stands for (a view into the
  // table, valid until the alias is set again).
  Result Apply(uint16_t alias, std::string_view* topic);

 private:
  uint16_t maximum_;
  std::vector<std::string> topics_;  // Index alias - 1; "" when unset.
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_TOPIC_ALIAS_TABLE_H_
