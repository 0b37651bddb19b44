#include "sim/scheduler.h"

#include <algorithm>
#include <bit>

#include "absl/strings/str_cat.h"
#include "sim/duration_text.h"

namespace mqlab::sim {

Scheduler::Scheduler(SchedulerLimits limits) : limits_(limits) {
  MQLAB_CHECK(limits_.max_pending_events > 0);
  MQLAB_CHECK(limits_.max_pending_events <=
              SchedulerLimits::kMaxPendingEventsCap);
}

TimerId Scheduler::Schedule(Time when, EventCallback callback) {
  MQLAB_CHECK_MSG(when >= now_, "an event cannot be scheduled in the past");
  MQLAB_CHECK(static_cast<bool>(callback));
  if (!status_.ok()) return kNoTimer;
  if (pending_ >= limits_.max_pending_events) {
    Fail(absl::ResourceExhaustedError(absl::StrCat(
        "scheduler: more than max_pending_events=", limits_.max_pending_events,
        " events pending at t=", FormatDuration(now_))));
    return kNoTimer;
  }
  uint32_t slot = free_slot_;
  if (slot == kNoSlot) {
    slot = AddSlot();
  } else {
    free_slot_ = links_[slot].next;
  }
  slots_[slot].callback = callback;
  links_[slot].time = when;
  Append(slot, BucketOf(when));
  ++pending_;
  return (slots_[slot].generation << kSlotBits) | slot;
}

bool Scheduler::Cancel(TimerId timer) {
  const int64_t slot = PendingSlot(timer);
  if (slot < 0) return false;
  const auto s = static_cast<uint32_t>(slot);
  Remove(s, BucketOf(links_[s].time));
  FreeSlot(s);
  --pending_;
  return true;
}

bool Scheduler::Reschedule(TimerId timer, Time when) {
  MQLAB_CHECK_MSG(when >= now_, "an event cannot be scheduled in the past");
  const int64_t slot = PendingSlot(timer);
  if (slot < 0 || !status_.ok()) return false;
  const auto s = static_cast<uint32_t>(slot);
  Remove(s, BucketOf(links_[s].time));
  // Appended: after every event already scheduled, as a new one would be.
  links_[s].time = when;
  Append(s, BucketOf(when));
  return true;
}

bool Scheduler::IsPending(TimerId timer) const {
  return PendingSlot(timer) >= 0;
}

absl::Status Scheduler::RunUntil(Time end) {
  MQLAB_CHECK(end >= now_);
  while (status_.ok()) {
    const uint32_t front = FrontBucket(end);
    if (front == kNoBucket) break;
    if (events_run_ >= limits_.max_events) {
      Fail(absl::ResourceExhaustedError(absl::StrCat(
          "scheduler: run longer than max_events=", limits_.max_events,
          " at t=", FormatDuration(now_))));
      break;
    }
    RunFront(front);
  }
  if (!status_.ok()) return status_;
  if (end != kInfiniteFuture) now_ = end;
  return absl::OkStatus();
}

bool Scheduler::Step() {
  if (!status_.ok() || pending_ == 0) return false;
  if (events_run_ >= limits_.max_events) {
    Fail(absl::ResourceExhaustedError(absl::StrCat(
        "scheduler: run longer than max_events=", limits_.max_events,
        " at t=", FormatDuration(now_))));
    return false;
  }
  const uint32_t front = FrontBucket(kInfiniteFuture);
  MQLAB_CHECK(front != kNoBucket);
  RunFront(front);
  return true;
}

void Scheduler::Fail(absl::Status error) {
  MQLAB_CHECK(!error.ok());
  if (status_.ok()) status_ = std::move(error);
}

Time Scheduler::NextEventTime() const {
  if (pending_ == 0) return kInfiniteFuture;
  const int level = std::countr_zero(occupied_levels_);
  const Bucket& bucket =
      buckets_[level * kDigits +
               static_cast<uint32_t>(std::countr_zero(occupied_[level]))];
  Time earliest = kInfiniteFuture;
  for (uint32_t slot = bucket.head; slot != kNoSlot; slot = links_[slot].next) {
    earliest = std::min(earliest, links_[slot].time);
  }
  return earliest;
}

int64_t Scheduler::PendingSlot(TimerId timer) const {
  const uint64_t slot = timer & kSlotMask;
  if (timer == kNoTimer || slot >= slots_.size()) return -1;
  // A freed slot's generation has moved on, so an id of an event that ran or
  // was cancelled no longer matches.
  if (slots_[slot].generation != timer >> kSlotBits) return -1;
  return static_cast<int64_t>(slot);
}

uint32_t Scheduler::AddSlot() {
  slots_.push_back(Slot{EventCallback(), 1});
  links_.push_back(Link{0, kNoSlot, kNoSlot});
  return static_cast<uint32_t>(slots_.size() - 1);
}

void Scheduler::FreeSlot(uint32_t slot) {
  Slot& s = slots_[slot];
  // Generations have 40 bits; skipping 0 keeps every id distinct from
  // kNoTimer.
  s.generation = s.generation + 1 == kMaxGeneration ? 1 : s.generation + 1;
  links_[slot].next = free_slot_;
  free_slot_ = slot;
}

inline uint32_t Scheduler::BucketOf(Time time) const {
  // The highest bit in which `time` differs from base_ names the level
  // (level 0 when they are equal). Times are never earlier than base_.
  const uint64_t differs = static_cast<uint64_t>(time ^ base_) | 1;
  const int level = (63 - std::countl_zero(differs)) / kDigitBits;
  return level * kDigits +
         (static_cast<uint32_t>(time >> (level * kDigitBits)) & (kDigits - 1));
}

inline void Scheduler::Append(uint32_t slot, uint32_t bucket) {
  const uint32_t level = bucket / kDigits;
  const uint64_t bit = uint64_t{1} << (bucket % kDigits);
  Bucket& b = buckets_[bucket];
  Link& link = links_[slot];
  link.next = kNoSlot;
  if ((occupied_[level] & bit) == 0) {
    occupied_[level] |= bit;
    occupied_levels_ |= 1u << level;
    link.prev = kNoSlot;
    b.head = slot;
  } else {
    link.prev = b.tail;
    links_[b.tail].next = slot;
  }
  b.tail = slot;
}

inline void Scheduler::Remove(uint32_t slot, uint32_t bucket) {
  const Link& link = links_[slot];
  Bucket& b = buckets_[bucket];
  if (link.prev == kNoSlot) {
    b.head = link.next;
  } else {
    links_[link.prev].next = link.next;
  }
  if (link.next == kNoSlot) {
    b.tail = link.prev;
  } else {
    links_[link.next].prev = link.prev;
  }
  if (b.head == kNoSlot) ClearBit(bucket);
}

inline void Scheduler::ClearBit(uint32_t bucket) {
  const uint32_t level = bucket / kDigits;
  occupied_[level] &= ~(uint64_t{1} << (bucket % kDigits));
  if (occupied_[level] == 0) occupied_levels_ &= ~(1u << level);
}

uint32_t Scheduler::FrontBucket(Time end) {
  while (pending_ > 0) {
    const int level = std::countr_zero(occupied_levels_);
    const uint32_t digit =
        static_cast<uint32_t>(std::countr_zero(occupied_[level]));
    const uint32_t bucket = level * kDigits + digit;
    const Bucket& b = buckets_[bucket];
    // The head is the earliest event when the bucket is one instant, or
    // when it is alone: an event at the same time would share its bucket.
    // Popping a lone event in place spares a sparse wheel most cascades.
    if (level == 0 || b.head == b.tail) {
      return links_[b.head].time > end ? kNoBucket : bucket;
    }
    const int shift = level * kDigitBits;
    const int above = shift + kDigitBits;
    const Time start = (above >= 63 ? 0 : base_ >> above << above) |
                       (static_cast<Time>(digit) << shift);
    // base_ may not pass `end`: events may still be scheduled there.
    if (start > end) return kNoBucket;
    Cascade(bucket, start);
  }
  return kNoBucket;
}

void Scheduler::Cascade(uint32_t bucket, Time start) {
  // Every event of the bucket agrees with `start` from the bucket's digit
  // up, so it moves to a lower level; those are empty (the bucket is the
  // earliest), and the events go in bucket order, so every bucket stays in
  // sequence order. The other buckets keep their events: base_ moves within
  // digits they already differ from it in.
  const uint32_t head = buckets_[bucket].head;
  ClearBit(bucket);
  base_ = start;
  for (uint32_t slot = head; slot != kNoSlot;) {
    const uint32_t next = links_[slot].next;
    Append(slot, BucketOf(links_[slot].time));
    slot = next;
  }
}

void Scheduler::RunFront(uint32_t bucket) {
  const uint32_t slot = buckets_[bucket].head;
  Remove(slot, bucket);
  now_ = links_[slot].time;
  // Copied out and the slot freed first: the callback may schedule (and reuse
  // the slot) or cancel anything.
  const EventCallback callback = slots_[slot].callback;
  FreeSlot(slot);
  --pending_;
  ++events_run_;
  callback();
}

}  // namespace mqlab::sim
