// Packets a client tracks until the server answers them, in the order they
// were made: a QoS 1 PUBLISH until its PUBACK, a SUBSCRIBE or UNSUBSCRIBE
// until its SUBACK or UNSUBACK. First come those sent on the current
// connection (in flight), then those waiting to be sent (for a connection,
// for the server's Receive Maximum to allow one more, for the transport to
// drain). Each holds its packet encoded with its Packet Identifier, which is
// what a retransmission on a new connection needs (a PUBLISH is encoded
// without a Topic Alias, and only its DUP flag changes).
//
// Storage: one slot per packet, kept for reuse after the answer so that the
// steady state allocates nothing (a slot keeps up to kRetainedPacketCapacity
// bytes of buffer; larger buffers are freed). The slots are linked in order;
// an answer finds its slot through the Packet Identifier (PacketIdScheme), in
// constant time.
#ifndef MQLAB_CLIENT_PACKET_QUEUE_H_
#define MQLAB_CLIENT_PACKET_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/functional/function_ref.h"
#include "client/packet_ids.h"

namespace mqlab::client {

class PacketQueue {
 public:
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
  static constexpr size_t kRetainedPacketCapacity = 4096;

  // Slots [first_slot, first_slot + capacity) of `ids` (which must outlive
  // the queue); at most `max_bytes` of encoded packets.
  PacketQueue(const PacketIdScheme* ids, uint32_t first_slot, uint32_t capacity,
              uint64_t max_bytes);

  // Takes a slot for a new packet at the end of the order, not yet sent, and
  // returns it; kNone when `capacity` packets are pending. `tag` and `kind`
  // are the caller's (a message id, a request id and its kind). The caller
  // encodes the packet, with packet_id(slot), into packet(slot), then calls
  // Commit (or Remove to give the slot back).
  uint32_t Add(uint64_t tag, uint8_t kind);
  std::vector<uint8_t>& packet(uint32_t slot) { return At(slot).packet; }
  // Accounts the encoded packet; false (and the slot is removed) when it
  // would pass max_bytes.
  bool Commit(uint32_t slot);
  // Forgets the packet (answered, failed, or refused before Commit). With
  // `take`, the packet's bytes are swapped into *take first (views into them
  // stay valid), and the slot keeps *take's old buffer.
  void Remove(uint32_t slot, std::vector<uint8_t>* take = nullptr);

  const std::vector<uint8_t>& packet(uint32_t slot) const {
    return At(slot).packet;
  }
  uint16_t packet_id(uint32_t slot) const { return At(slot).packet_id; }
  uint64_t tag(uint32_t slot) const { return At(slot).tag; }
  uint8_t kind(uint32_t slot) const { return At(slot).kind; }
  bool sent_before(uint32_t slot) const { return At(slot).sent_before; }

  // The oldest packet, or kNone; the one after `slot`, or kNone.
  uint32_t First() const { return head_; }
  uint32_t Next(uint32_t slot) const { return At(slot).next; }
  // The oldest packet not sent on the current connection, or kNone.
  uint32_t FirstUnsent() const { return first_unsent_; }
  // Marks FirstUnsent() as sent on the current connection. Returns true when
  // it was sent on an earlier one (a PUBLISH then needs its DUP flag).
  bool MarkSent(uint32_t slot);
  // The packet sent on the current connection with Packet Identifier
  // `packet_id`, or kNone.
  uint32_t FindInFlight(uint16_t packet_id) const;
  // The connection ended: every packet counts as unsent again.
  void MarkAllUnsent();
  // Removes every packet sent on some connection, calling `removed` with
  // each one's tag, in order.
  void RemoveSentBefore(absl::FunctionRef<void(uint64_t tag)> removed);
  // Removes every packet of `kind`.
  void RemoveKind(uint8_t kind);

  uint32_t in_flight() const { return in_flight_; }
  uint32_t size() const { return size_; }
  uint64_t bytes() const { return bytes_; }
  bool empty() const { return size_ == 0; }

 private:
  struct Entry {
    std::vector<uint8_t> packet;
    uint64_t tag = 0;
    uint32_t committed_size = 0;  // Bytes accounted by Commit.
    uint32_t previous = kNone;
    uint32_t next = kNone;
    uint16_t generation = 0;
    uint16_t packet_id = 0;  // 0: the slot is free.
    uint8_t kind = 0;
    bool committed = false;
    bool sent = false;         // On the current connection.
    bool sent_before = false;  // On any connection.
  };

  Entry& At(uint32_t slot) { return entries_[slot - first_slot_]; }
  const Entry& At(uint32_t slot) const { return entries_[slot - first_slot_]; }
  void Unlink(uint32_t slot);

  const PacketIdScheme* ids_;
  uint32_t first_slot_;
  uint32_t capacity_;
  uint64_t max_bytes_;
  std::vector<Entry> entries_;        // Grows to the most pending at once.
  std::vector<uint32_t> free_slots_;  // Reused last-in first-out.
  uint32_t head_ = kNone;
  uint32_t tail_ = kNone;
  uint32_t first_unsent_ = kNone;
  uint32_t size_ = 0;
  uint32_t in_flight_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace mqlab::client

#endif  // MQLAB_CLIENT_PACKET_QUEUE_H_
