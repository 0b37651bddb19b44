#include "broker/timer_queue.h"

#include "base/check.h"

namespace mqlab::broker {

TimerQueue::Slot& TimerQueue::SlotOf(TimerId timer) {
  MQLAB_CHECK(timer != kNoTimer && timer <= slots_.size());
  Slot& slot = slots_[timer - 1];
  MQLAB_CHECK_MSG(slot.pending, "the timer is not pending");
  return slot;
}

TimerId TimerQueue::Schedule(Time deadline, uint64_t payload) {
  uint32_t slot_index;
  if (!free_slots_.empty()) {
    slot_index = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot_index = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[slot_index];
  slot.deadline = deadline;
  slot.sequence = next_sequence_++;
  slot.payload = payload;
  slot.pending = true;
  heap_.push_back(slot_index);
  slot.heap_index = static_cast<uint32_t>(heap_.size() - 1);
  SiftUp(heap_.size() - 1);
  return slot_index + 1;
}

void TimerQueue::Reschedule(TimerId timer, Time deadline) {
  Slot& slot = SlotOf(timer);
  slot.deadline = deadline;
  slot.sequence = next_sequence_++;
  // The key may have moved either way.
  SiftUp(slot.heap_index);
  SiftDown(slot.heap_index);
}

void TimerQueue::Cancel(TimerId timer) {
  Slot& slot = SlotOf(timer);
  RemoveAt(slot.heap_index);
}

Time TimerQueue::NextDeadline() const {
  return heap_.empty() ? kInfiniteFuture : slots_[heap_.front()].deadline;
}

bool TimerQueue::PopDue(Time now, uint64_t* payload) {
  if (heap_.empty() || slots_[heap_.front()].deadline > now) return false;
  *payload = slots_[heap_.front()].payload;
  RemoveAt(0);
  return true;
}

bool TimerQueue::Before(uint32_t a_slot, uint32_t b_slot) const {
  const Slot& a = slots_[a_slot];
  const Slot& b = slots_[b_slot];
  return a.deadline != b.deadline ? a.deadline < b.deadline
                                  : a.sequence < b.sequence;
}

void TimerQueue::Place(size_t heap_index, uint32_t slot) {
  heap_[heap_index] = slot;
  slots_[slot].heap_index = static_cast<uint32_t>(heap_index);
}

void TimerQueue::SiftUp(size_t heap_index) {
  const uint32_t moving = heap_[heap_index];
  while (heap_index > 0) {
    const size_t parent = (heap_index - 1) / 2;
    if (!Before(moving, heap_[parent])) break;
    Place(heap_index, heap_[parent]);
    heap_index = parent;
  }
  Place(heap_index, moving);
}

void TimerQueue::SiftDown(size_t heap_index) {
  const uint32_t moving = heap_[heap_index];
  const size_t size = heap_.size();
  while (true) {
    size_t child = 2 * heap_index + 1;
    if (child >= size) break;
    if (child + 1 < size && Before(heap_[child + 1], heap_[child])) ++child;
    if (!Before(heap_[child], moving)) break;
    Place(heap_index, heap_[child]);
    heap_index = child;
  }
  Place(heap_index, moving);
}

void TimerQueue::RemoveAt(size_t heap_index) {
  const uint32_t removed = heap_[heap_index];
  slots_[removed].pending = false;
  free_slots_.push_back(removed);
  const uint32_t last = heap_.back();
  heap_.pop_back();
  if (heap_index == heap_.size()) return;
  Place(heap_index, last);
  SiftUp(heap_index);
  SiftDown(slots_[last].heap_index);
}

}  // namespace mqlab::broker
