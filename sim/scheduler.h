// The simulator's event loop: one thread, integer virtual time.
//
// Events run in (time, sequence) order, the sequence being the order in which
// they were scheduled (or last rescheduled): events due at the same instant
// run in the order they were scheduled, and every run of the same inputs is
// the same run. Pending events wait in a hierarchical timing wheel over the
// bits of their time (see Scheduler's private section). Scheduling,
// cancelling and rescheduling take a few steps whatever the number pending;
// finding the earliest bucket takes two bit scans, and an event is moved at
// most once per wheel level on its way down (at most ten times; in simulator
// runs about once). Cancelled and moved events leave nothing behind.
//
// Bounds: at most `max_pending_events` events wait at once and at most
// `max_events` run in the scheduler's life. Crossing either stops the run:
// the event that would cross is not scheduled (or not run), and RunUntil
// returns RESOURCE_EXHAUSTED naming the bound, the virtual time and the count.
// The harness may also stop a run with its own error (Fail).
#ifndef MQLAB_SIM_SCHEDULER_H_
#define MQLAB_SIM_SCHEDULER_H_

#include <array>
#include <cstdint>
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
  // The hard cap a TimerId's 24 bits of slot index allow.
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

  // Time of the next pending event; kInfiniteFuture when none. Walks the
  // earliest bucket: for tests and tools, not for every event.
  Time NextEventTime() const;
  uint32_t pending() const { return pending_; }
  uint64_t events_run() const { return events_run_; }
  const SchedulerLimits& limits() const { return limits_; }

 private:
  static constexpr int kSlotBits = 24;
  static constexpr uint64_t kSlotMask = (uint64_t{1} << kSlotBits) - 1;
  static constexpr uint64_t kMaxGeneration = uint64_t{1} << 40;
  static constexpr uint32_t kNoSlot = ~uint32_t{0};
  static constexpr uint32_t kNoBucket = ~uint32_t{0};

  // The wheel. A time is read as kLevels digits of kDigitBits bits. Level L
  // holds the events whose time first differs from base_ in digit L, in the
  // bucket of that digit, so each level-0 bucket is one instant, a level-L
  // bucket spans 2^(6L) ns, every level-L event is earlier than every
  // level-(L+1) one and the buckets of a level are in time order: the first
  // occupied bucket of the lowest occupied level holds the earliest event.
  // A bucket is a list of slots in sequence order, since events are appended
  // when scheduled and a cascade (see Cascade) moves a whole bucket into
  // empty ones. Far-future events (keep-alive timers) wait untouched on high
  // levels until the wheel reaches them.
  static constexpr int kDigitBits = 6;
  static constexpr uint32_t kDigits = 1u << kDigitBits;  // Buckets a level.
  static constexpr int kLevels = (63 + kDigitBits - 1) / kDigitBits;
  static constexpr uint32_t kBuckets = kLevels * kDigits;

  struct Slot {
    EventCallback callback;
    // Changes every time the slot is freed, which makes TimerIds unique.
    uint64_t generation;
  };
  // A pending slot's time and neighbours in its bucket; a free slot's next
  // free slot. Kept apart from the callbacks, 16 bytes each, so that a
  // cascade touches few cache lines.
  struct Link {
    Time time;
    uint32_t next;
    uint32_t prev;
  };
  struct Bucket {
    // First and last slot; meaningful while the bucket's bit is set.
    uint32_t head;
    uint32_t tail;
  };

  // The slot `timer` names while it is pending, or -1.
  int64_t PendingSlot(TimerId timer) const;
  [[gnu::noinline]] uint32_t AddSlot();
  void FreeSlot(uint32_t slot);
  // The bucket an event at `time` belongs in, given base_.
  uint32_t BucketOf(Time time) const;
  // Appends a slot whose time is set to a bucket.
  void Append(uint32_t slot, uint32_t bucket);
  void Remove(uint32_t slot, uint32_t bucket);
  void ClearBit(uint32_t bucket);
  // The bucket whose head is the next event, cascading as needed; kNoBucket,
  // and base_ left at or before `end`, when no event is due by `end`.
  uint32_t FrontBucket(Time end);
  // Makes `start`, the bucket's earliest possible time, base_ and moves the
  // bucket's events down to where they belong relative to it.
  void Cascade(uint32_t bucket, Time start);
  void RunFront(uint32_t bucket);

  SchedulerLimits limits_;
  Time now_ = 0;
  // No pending event is earlier than base_, and base_ <= now_ whenever an
  // event may be scheduled.
  Time base_ = 0;
  uint64_t events_run_ = 0;
  absl::Status status_;
  uint32_t pending_ = 0;
  uint32_t occupied_levels_ = 0;                 // Bit L: occupied_[L] != 0.
  std::array<uint64_t, kLevels> occupied_ = {};  // Bit d: bucket d not empty.
  std::array<Bucket, kBuckets> buckets_ = {};
  std::vector<Slot> slots_;
  std::vector<Link> links_;  // links_[slot] goes with slots_[slot].
  uint32_t free_slot_ = kNoSlot;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_SCHEDULER_H_
