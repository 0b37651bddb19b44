#include "client/packet_queue.h"

#include "base/check.h"

namespace mqlab::client {

PacketQueue::PacketQueue(const PacketIdScheme* ids, uint32_t first_slot,
                         uint32_t capacity, uint64_t max_bytes)
    : ids_(ids),
      first_slot_(first_slot),
      capacity_(capacity),
      max_bytes_(max_bytes) {
  MQLAB_CHECK(capacity >= 1);
  MQLAB_CHECK(uint64_t{first_slot} + capacity <= ids->slot_count());
}

uint32_t PacketQueue::Add(uint64_t tag, uint8_t kind) {
  uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else if (entries_.size() < capacity_) {
    slot = first_slot_ + static_cast<uint32_t>(entries_.size());
    entries_.emplace_back();
  } else {
    return kNone;
  }
  Entry& entry = At(slot);
  MQLAB_CHECK(entry.packet_id == 0);
  entry.packet_id = ids_->IdFor(slot, entry.generation);
  entry.tag = tag;
  entry.kind = kind;
  entry.committed = false;
  entry.sent = false;
  entry.sent_before = false;
  entry.packet.clear();
  entry.previous = tail_;
  entry.next = kNone;
  if (tail_ != kNone) {
    At(tail_).next = slot;
  } else {
    head_ = slot;
  }
  tail_ = slot;
  if (first_unsent_ == kNone) first_unsent_ = slot;
  ++size_;
  return slot;
}

bool PacketQueue::Commit(uint32_t slot) {
  Entry& entry = At(slot);
  MQLAB_CHECK(entry.packet_id != 0 && !entry.committed);
  if (bytes_ + entry.packet.size() > max_bytes_) {
    Remove(slot);
    return false;
  }
  entry.committed = true;
  entry.committed_size = static_cast<uint32_t>(entry.packet.size());
  bytes_ += entry.committed_size;
  return true;
}

void PacketQueue::Unlink(uint32_t slot) {
  Entry& entry = At(slot);
  if (entry.previous != kNone) {
    At(entry.previous).next = entry.next;
  } else {
    head_ = entry.next;
  }
  if (entry.next != kNone) {
    At(entry.next).previous = entry.previous;
  } else {
    tail_ = entry.previous;
  }
  if (first_unsent_ == slot) first_unsent_ = entry.next;
}

void PacketQueue::Remove(uint32_t slot, std::vector<uint8_t>* take) {
  Entry& entry = At(slot);
  MQLAB_CHECK(entry.packet_id != 0);
  Unlink(slot);
  if (take != nullptr) take->swap(entry.packet);
  if (entry.committed) bytes_ -= entry.committed_size;
  if (entry.sent) --in_flight_;
  --size_;
  entry.packet_id = 0;
  entry.generation = ids_->NextGeneration(slot, entry.generation);
  if (entry.packet.capacity() > kRetainedPacketCapacity) {
    std::vector<uint8_t>().swap(entry.packet);
  }
  free_slots_.push_back(slot);
}

bool PacketQueue::MarkSent(uint32_t slot) {
  MQLAB_CHECK(slot == first_unsent_);
  Entry& entry = At(slot);
  MQLAB_CHECK(entry.committed);
  const bool resend = entry.sent_before;
  entry.sent = true;
  entry.sent_before = true;
  ++in_flight_;
  first_unsent_ = entry.next;
  return resend;
}

uint32_t PacketQueue::FindInFlight(uint16_t packet_id) const {
  if (packet_id == 0) return kNone;
  const uint32_t slot = ids_->SlotOf(packet_id);
  if (slot < first_slot_ || slot - first_slot_ >= entries_.size()) {
    return kNone;
  }
  const Entry& entry = At(slot);
  return entry.packet_id == packet_id && entry.sent ? slot : kNone;
}

void PacketQueue::MarkAllUnsent() {
  for (uint32_t slot = head_; slot != kNone; slot = At(slot).next) {
    At(slot).sent = false;
  }
  in_flight_ = 0;
  first_unsent_ = head_;
}

void PacketQueue::RemoveSentBefore(
    absl::FunctionRef<void(uint64_t tag)> removed) {
  for (uint32_t slot = head_; slot != kNone;) {
    const uint32_t next = At(slot).next;
    if (At(slot).sent_before) {
      const uint64_t tag = At(slot).tag;
      Remove(slot);
      removed(tag);
    }
    slot = next;
  }
}

void PacketQueue::RemoveKind(uint8_t kind) {
  for (uint32_t slot = head_; slot != kNone;) {
    const uint32_t next = At(slot).next;
    if (At(slot).kind == kind) Remove(slot);
    slot = next;
  }
}

}  // namespace mqlab::client
