// The broker's timers (connect timeout, keep-alive, session expiry) on the
// caller's clock: an indexed binary min-heap keyed by (deadline, sequence
// number), so that timers due at the same instant run in the order they were
// scheduled, whatever the heap's shape. Each timer knows its heap position,
// so cancelling or moving one costs O(log n) and leaves nothing behind: the
// queue never holds more timers than its owners keep alive.
#ifndef MQLAB_BROKER_TIMER_QUEUE_H_
#define MQLAB_BROKER_TIMER_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/time.h"

namespace mqlab::broker {

// A scheduled timer. 0 is "no timer".
using TimerId = uint32_t;
inline constexpr TimerId kNoTimer = 0;

class TimerQueue {
 public:
  TimerQueue() = default;
  TimerQueue(const TimerQueue&) = delete;
  TimerQueue& operator=(const TimerQueue&) = delete;

  // Schedules a timer that carries `payload` (the owner's tag) at `deadline`.
  TimerId Schedule(Time deadline, uint64_t payload);
  // Moves a pending timer to `deadline`; it then runs after timers already
  // scheduled for that instant.
  void Reschedule(TimerId timer, Time deadline);
  // Forgets a pending timer. The id may be reused by a later Schedule.
  void Cancel(TimerId timer);

  // The earliest deadline, or kInfiniteFuture when nothing is pending.
  Time NextDeadline() const;
  // Removes the earliest timer due at or before `now` and gives its payload;
  // false when none is due. The timer's id is free again afterwards.
  bool PopDue(Time now, uint64_t* payload);

  size_t size() const { return heap_.size(); }

 private:
  struct Slot {
    Time deadline = 0;
    uint64_t sequence = 0;
    uint64_t payload = 0;
    uint32_t heap_index = 0;  // Position in heap_ while pending.
    bool pending = false;
  };

  bool Before(uint32_t a_slot, uint32_t b_slot) const;
  void Place(size_t heap_index, uint32_t slot);
  void SiftUp(size_t heap_index);
  void SiftDown(size_t heap_index);
  void RemoveAt(size_t heap_index);
  Slot& SlotOf(TimerId timer);

  std::vector<Slot> slots_;
  std::vector<uint32_t> free_slots_;
  std::vector<uint32_t> heap_;  // Slot indices.
  uint64_t next_sequence_ = 0;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_TIMER_QUEUE_H_
