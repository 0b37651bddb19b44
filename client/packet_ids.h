// Packet Identifiers of one client.
//
// Every exchange the client starts and tracks (a QoS 1 PUBLISH, a SUBSCRIBE,
// an UNSUBSCRIBE) holds a slot in [0, slot_count). Its identifier is
// 1 + slot + slot_count * generation, so the slot is found again from an
// acknowledgement by one division (no map, no allocation), and a reused slot
// gets a new identifier: a late or repeated acknowledgement for the earlier
// use names an identifier nobody holds, and is counted as unmatched instead
// of completing the wrong exchange.
#ifndef MQLAB_CLIENT_PACKET_IDS_H_
#define MQLAB_CLIENT_PACKET_IDS_H_

#include <cstdint>

#include "base/check.h"

namespace mqlab::client {

// Largest Packet Identifier [MQTT-2.2.1-3]: two bytes, never 0.
inline constexpr uint32_t kMaximumPacketId = 65'535;

class PacketIdScheme {
 public:
  explicit PacketIdScheme(uint32_t slot_count) : slot_count_(slot_count) {
    MQLAB_CHECK(slot_count >= 1 && slot_count <= kMaximumPacketId);
  }

  uint32_t slot_count() const { return slot_count_; }

  uint16_t IdFor(uint32_t slot, uint16_t generation) const {
    MQLAB_CHECK(slot < slot_count_ && generation < Generations(slot));
    return static_cast<uint16_t>(1 + slot + slot_count_ * generation);
  }

  uint32_t SlotOf(uint16_t id) const {
    MQLAB_CHECK(id != 0);
    return (id - 1u) % slot_count_;
  }

  // The generation after `generation`, wrapping before the identifier would
  // pass 65,535.
  uint16_t NextGeneration(uint32_t slot, uint16_t generation) const {
    const uint32_t next = generation + 1u;
    return next < Generations(slot) ? static_cast<uint16_t>(next) : 0;
  }

 private:
  // How many generations keep slot `slot`'s identifier within 65,535.
  uint32_t Generations(uint32_t slot) const {
    return (kMaximumPacketId - 1 - slot) / slot_count_ + 1;
  }

  uint32_t slot_count_;
};

}  // namespace mqlab::client

#endif  // MQLAB_CLIENT_PACKET_IDS_H_
