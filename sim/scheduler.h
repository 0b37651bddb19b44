// The simulator's event loop: one thread, integer virtual time.
//
// Events run in (time, sequence) order: the sequence number is taken when an
// event is scheduled (or rescheduled), so events due at the same instant run
// in the order they were scheduled and every run of the same inputs is the
// same run. Timers are cancellable and reschedulable in O(log n) (an indexed
// 4-ary heap), so owners that move a deadline often (keep-alive, the broker's
// NextDeadline) leave no tombstones behind. Events scheduled for the current
// instant (a write's transmission, a notification) skip the heap: they wait
// in a FIFO that runs after the heap's events due now, which were all
// scheduled earlier, so the order is the same.
//
// Bounds: at most `max_pending_events` events wait at once and at most
// `max_events` run in the scheduler's life. Crossing either stops the run:
// the event that would cross is not scheduled (or not run), and RunUntil
// returns RESOURCE_EXHAUSTED naming the bound, the virtual time and the count.
// The harness may also stop a run with its own error (Fail).
#ifndef MQLAB_SIM_SCHEDULER_H_
#define MQLAB_SIM_SCHEDULER_H_

#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "base/check.h"
#include "base/time.h"
#include "sim/event_callback.h"

namespace mqlab::sim {

// Names one scheduled event; kNoTimer names none. An id stays unique for the
// scheduler's life: cancelling an event that already ran is a no-op.
using TimerId = uint64_t;
inline constexpr TimerId kNoTimer = 0;

struct SchedulerLimits {
  // The hard cap the heap's packed entries allow (24 bits of slot index).
  static constexpr uint32_t kMaxPendingEventsCap = 1u << 24;

  // Events waiting at once, at most kMaxPendingEventsCap.
  uint32_t max_pending_events = 1u << 22;
  // Events run in the scheduler's life (the run length).
  uint64_t max_events = uint64_t{1} << 36;
};

class Scheduler {
 public:
  explicit Scheduler(SchedulerLimits limits = {});
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // The current virtual time: the time of the event running, or the end of
  // the last RunUntil.
  Time now() const { return now_; }

  // Schedules `callback` (see EventCallback) at `when` >= now(). Returns
  // kNoTimer, schedules nothing and fails the run when the pending bound is
  // crossing.
  template <typename F>
  TimerId At(Time when, F&& callback) {
    return Schedule(when, EventCallback(std::forward<F>(callback)));
  }
  // Schedules `callback` `delay` >= 0 after now() (saturating at
  // kInfiniteFuture, which never comes).
  template <typename F>
  TimerId After(Duration delay, F&& callback) {
    MQLAB_CHECK(delay >= 0);
    const Time when =
        delay > kInfiniteFuture - now_ ? kInfiniteFuture : now_ + delay;
    return Schedule(when, EventCallback(std::forward<F>(callback)));
  }
  TimerId Schedule(Time when, EventCallback callback);

  // Removes a pending event. False when `timer` already ran, was cancelled or
  // is kNoTimer.
  bool Cancel(TimerId timer);
  // Moves a pending event to `when` >= now(); it then runs after the events
  // already scheduled for that instant. False (and nothing scheduled) when
  // `timer` is not pending.
  bool Reschedule(TimerId timer, Time when);
  bool IsPending(TimerId timer) const;

  // Runs every event due at or before `end` in order, then sets now() to
  // `end` (unless `end` is kInfiniteFuture: then it runs until no event is
  // left and now() stays at the last event's time). Returns the run's error
  // (a crossed bound or Fail's status), sticky: once failed, later calls
  // return the same error and run nothing.
  absl::Status RunUntil(Time end);
  // Runs the next event if one is pending and the run has not failed.
  bool Step();

  // Stops the run: RunUntil returns `error` (not OK) after the running event.
  void Fail(absl::Status error);
  const absl::Status& status() const { return status_; }

  // Time of the next pending event; kInfiniteFuture when none.
  Time NextEventTime() const {
    if (now_live_ > 0) return now_;
    return heap_.size() == kRoot ? kInfiniteFuture : TimeOf(heap_[kRoot]);
  }
  uint32_t pending() const {
    return static_cast<uint32_t>(heap_.size() - kRoot) + now_live_;
  }
  uint64_t events_run() const { return events_run_; }
  const SchedulerLimits& limits() const { return limits_; }

 private:
  static constexpr int kSlotBits = 24;
  static constexpr uint64_t kSlotMask = (uint64_t{1} << kSlotBits) - 1;
  static constexpr uint64_t kMaxSequence = uint64_t{1} << 40;
  static constexpr uint64_t kMaxGeneration = uint64_t{1} << 40;

  // A heap entry: time << 64 | sequence << 24 | slot, so one unsigned
  // comparison orders by time, then by sequence (ties), and the slot rides
  // along. Times are never negative (they start at 0 and only move forward).
  using Entry = unsigned __int128;
  static Entry MakeEntry(Time time, uint64_t order) {
    return (static_cast<Entry>(time) << 64) | order;
  }
  static Time TimeOf(Entry entry) { return static_cast<Time>(entry >> 64); }
  static uint32_t SlotOf(Entry entry) {
    return static_cast<uint32_t>(entry & kSlotMask);
  }

  // The 4-ary heap starts at index kRoot, so that the four children of a
  // node (16 bytes each) share one 64-byte cache line: the children of
  // index i are 4i - 8 .. 4i - 5, its parent (i + 8) / 4.
  static constexpr uint32_t kRoot = 3;
  static uint32_t FirstChild(uint32_t index) { return 4 * index - 8; }
  static uint32_t Parent(uint32_t index) { return (index + 8) / 4; }
  template <typename T>
  struct CacheLineAllocator {
    using value_type = T;
    CacheLineAllocator() = default;
    template <typename U>
    explicit CacheLineAllocator(const CacheLineAllocator<U>&) {}
    T* allocate(size_t n) {
      return static_cast<T*>(
          ::operator new (n * sizeof(T), std::align_val_t{64}));
    }
    void deallocate(T* pointer, size_t) {
      ::operator delete (pointer, std::align_val_t{64});
    }
    friend bool operator==(const CacheLineAllocator&,
                           const CacheLineAllocator&) {
      return true;
    }
  };

  struct Slot {
    EventCallback callback;
    // Changes every time the slot is freed, which makes TimerIds unique.
    uint64_t generation;
    // The sequence number the event was last scheduled with; a FIFO entry
    // with another one is stale (the event was cancelled or moved).
    uint64_t sequence;
  };
  // An event of the current instant, in scheduling order.
  struct NowEntry {
    uint32_t slot;
    uint64_t sequence;
  };
  // positions_[slot]: the heap index of a slot's event, or kInNowQueue.
  // Kept apart from the slots, 4 bytes each, so that sifting through a
  // large heap touches few cache lines.
  static constexpr uint32_t kInNowQueue = ~uint32_t{0};

  // The slot `timer` names while it is pending, or -1.
  int64_t PendingSlot(TimerId timer) const;
  uint64_t NextOrder(uint32_t slot);
  // Queues (or, when `when` is later than now, heaps) an event whose slot is
  // filled and not queued anywhere.
  void Place(uint32_t slot, Time when);
  // Takes a pending event out of the heap or the FIFO.
  void Unplace(uint32_t slot);
  bool CheckSequence();
  void FreeSlot(uint32_t slot);
  void SiftUp(uint32_t index, Entry entry);
  void SiftDown(uint32_t index, Entry entry);
  void RemoveAt(uint32_t index);
  void RunFront();

  SchedulerLimits limits_;
  Time now_ = 0;
  uint64_t sequence_ = 0;
  uint64_t events_run_ = 0;
  absl::Status status_;
  std::vector<Entry, CacheLineAllocator<Entry>> heap_;
  std::vector<NowEntry> now_queue_;  // [now_head_, size) are waiting.
  size_t now_head_ = 0;
  uint32_t now_live_ = 0;  // Entries of now_queue_ that are not stale.
  std::vector<Slot> slots_;
  std::vector<uint32_t> positions_;
  std::vector<uint32_t> free_slots_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_SCHEDULER_H_
