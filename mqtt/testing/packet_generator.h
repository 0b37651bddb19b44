// Random valid MQTT packets of every type and both versions, for round-trip
// property tests, fuzz seed corpora and the simulator's probes. Every packet
// generated is one the decoder accepts (in its version) and encodes back to a
// packet that compares equal; the choices come from a mqlab::Random, so a
// seed reproduces the same packets.
#ifndef MQLAB_MQTT_TESTING_PACKET_GENERATOR_H_
#define MQLAB_MQTT_TESTING_PACKET_GENERATOR_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/random.h"
#include "mqtt/packet.h"
#include "mqtt/property.h"

namespace mqlab::mqtt::testing {

// Owns the memory that generated (or hand-built) packets refer to. Entries
// never move, so the views stay valid as long as the storage lives.
class PacketStorage {
 public:
  std::string_view String(std::string text);
  Bytes Data(std::vector<uint8_t> bytes);
  std::span<const UserProperty> List(std::vector<UserProperty> items);
  std::span<const Subscription> List(std::vector<Subscription> items);
  std::span<const std::string_view> List(std::vector<std::string_view> items);
  std::span<const uint32_t> List(std::vector<uint32_t> items);

 private:
  std::deque<std::string> strings_;
  std::deque<std::vector<uint8_t>> data_;
  std::deque<std::vector<UserProperty>> user_properties_;
  std::deque<std::vector<Subscription>> subscriptions_;
  std::deque<std::vector<std::string_view>> topic_filters_;
  std::deque<std::vector<uint32_t>> subscription_identifiers_;
};

struct PacketGeneratorOptions {
  size_t maximum_string_size = 24;  // Characters of names and strings.
  size_t maximum_payload_size = 96;
  size_t maximum_list_size = 4;  // Filters, user properties, reason codes.
  double property_chance = 0.3;  // Of each property a packet may carry.
};

class PacketGenerator {
 public:
  PacketGenerator(Random* random, PacketStorage* storage,
                  const PacketGeneratorOptions& options = {});

  // A valid packet of `type` in `version` (AUTH needs kV5).
  Packet Generate(PacketType type, Version version);
  // A valid packet of a type `version` has.
  Packet Generate(Version version);

  // The parts, for tests that build their own packets.
  std::string_view Text(size_t minimum_size = 0);
  std::string_view TopicName();
  std::string_view TopicFilter(Version version);
  Bytes Data(size_t maximum_size);
  Properties RandomProperties(PropertyScope scope);

 private:
  uint16_t PacketId();
  Connect MakeConnect(Version version);
  Connack MakeConnack(Version version);
  Publish MakePublish(Version version);
  Subscribe MakeSubscribe(Version version);
  Bytes ReasonCodes(PacketType type, Version version);
  ReasonCode AnyReasonCode(PacketType type, Version version);

  Random* random_;
  PacketStorage* storage_;
  PacketGeneratorOptions options_;
};

}  // namespace mqlab::mqtt::testing

#endif  // MQLAB_MQTT_TESTING_PACKET_GENERATOR_H_
