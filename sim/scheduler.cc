#include "sim/scheduler.h"

#include "absl/strings/str_cat.h"
#include "sim/duration_text.h"

namespace mqlab::sim {

Scheduler::Scheduler(SchedulerLimits limits)
    : limits_(limits), heap_(kRoot, Entry{0}) {
  MQLAB_CHECK(limits_.max_pending_events > 0);
  MQLAB_CHECK(limits_.max_pending_events <=
              SchedulerLimits::kMaxPendingEventsCap);
}

TimerId Scheduler::Schedule(Time when, EventCallback callback) {
  MQLAB_CHECK_MSG(when >= now_, "an event cannot be scheduled in the past");
  MQLAB_CHECK(static_cast<bool>(callback));
  if (!status_.ok()) return kNoTimer;
  if (pending() >= limits_.max_pending_events) {
    Fail(absl::ResourceExhaustedError(absl::StrCat(
        "scheduler: more than max_pending_events=", limits_.max_pending_events,
        " events pending at t=", FormatDuration(now_))));
    return kNoTimer;
  }
  if (!CheckSequence()) return kNoTimer;
  uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.push_back(Slot{EventCallback(), 1, 0});
    positions_.push_back(0);
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  slots_[slot].callback = callback;
  Place(slot, when);
  return (slots_[slot].generation << kSlotBits) | slot;
}

bool Scheduler::Cancel(TimerId timer) {
  const int64_t slot = PendingSlot(timer);
  if (slot < 0) return false;
  Unplace(static_cast<uint32_t>(slot));
  FreeSlot(static_cast<uint32_t>(slot));
  return true;
}

bool Scheduler::Reschedule(TimerId timer, Time when) {
  MQLAB_CHECK_MSG(when >= now_, "an event cannot be scheduled in the past");
  const int64_t slot = PendingSlot(timer);
  if (slot < 0 || !status_.ok() || !CheckSequence()) return false;
  Unplace(static_cast<uint32_t>(slot));
  Place(static_cast<uint32_t>(slot), when);
  return true;
}

bool Scheduler::IsPending(TimerId timer) const {
  return PendingSlot(timer) >= 0;
}

absl::Status Scheduler::RunUntil(Time end) {
  MQLAB_CHECK(end >= now_);
  while (status_.ok() && (now_live_ > 0 || (heap_.size() > kRoot &&
                                            TimeOf(heap_[kRoot]) <= end))) {
    if (events_run_ >= limits_.max_events) {
      Fail(absl::ResourceExhaustedError(absl::StrCat(
          "scheduler: run longer than max_events=", limits_.max_events,
          " at t=", FormatDuration(now_))));
      break;
    }
    RunFront();
  }
  if (!status_.ok()) return status_;
  if (end != kInfiniteFuture) now_ = end;
  return absl::OkStatus();
}

bool Scheduler::Step() {
  if (!status_.ok() || pending() == 0) return false;
  if (events_run_ >= limits_.max_events) {
    Fail(absl::ResourceExhaustedError(absl::StrCat(
        "scheduler: run longer than max_events=", limits_.max_events,
        " at t=", FormatDuration(now_))));
    return false;
  }
  RunFront();
  return true;
}

void Scheduler::Fail(absl::Status error) {
  MQLAB_CHECK(!error.ok());
  if (status_.ok()) status_ = std::move(error);
}

int64_t Scheduler::PendingSlot(TimerId timer) const {
  const uint64_t slot = timer & kSlotMask;
  if (timer == kNoTimer || slot >= slots_.size()) return -1;
  // A freed slot's generation has moved on, so an id of an event that ran or
  // was cancelled no longer matches.
  if (slots_[slot].generation != timer >> kSlotBits) return -1;
  return static_cast<int64_t>(slot);
}

uint64_t Scheduler::NextOrder(uint32_t slot) {
  const uint64_t sequence = sequence_++;
  slots_[slot].sequence = sequence;
  return (sequence << kSlotBits) | slot;
}

bool Scheduler::CheckSequence() {
  if (sequence_ < kMaxSequence) return true;
  Fail(absl::ResourceExhaustedError(absl::StrCat(
      "scheduler: 2^40 events scheduled (sequence numbers exhausted) at t=",
      FormatDuration(now_))));
  return false;
}

void Scheduler::Place(uint32_t slot, Time when) {
  const uint64_t order = NextOrder(slot);
  if (when == now_) {
    positions_[slot] = kInNowQueue;
    // Cancelled and moved events leave stale entries behind; drop them
    // before they outnumber the live ones (the queue stays bounded).
    if (now_queue_.size() - now_head_ > 2 * size_t{now_live_} + 1024) {
      size_t kept = 0;
      for (size_t i = now_head_; i < now_queue_.size(); ++i) {
        const NowEntry entry = now_queue_[i];
        if (positions_[entry.slot] == kInNowQueue &&
            slots_[entry.slot].sequence == entry.sequence) {
          now_queue_[kept++] = entry;
        }
      }
      now_queue_.resize(kept);
      now_head_ = 0;
    }
    now_queue_.push_back(NowEntry{slot, slots_[slot].sequence});
    ++now_live_;
    return;
  }
  const auto index = static_cast<uint32_t>(heap_.size());
  heap_.emplace_back();
  SiftUp(index, MakeEntry(when, order));
}

void Scheduler::Unplace(uint32_t slot) {
  const uint32_t index = positions_[slot];
  if (index == kInNowQueue) {
    // Its FIFO entry goes stale: the slot is freed or placed again with a
    // new sequence number.
    --now_live_;
    positions_[slot] = 0;
    return;
  }
  RemoveAt(index);
}

void Scheduler::FreeSlot(uint32_t slot) {
  Slot& s = slots_[slot];
  // Generations have 40 bits; skipping 0 keeps every id distinct from
  // kNoTimer.
  s.generation = s.generation + 1 == kMaxGeneration ? 1 : s.generation + 1;
  positions_[slot] = 0;
  free_slots_.push_back(slot);
}

void Scheduler::SiftUp(uint32_t index, Entry entry) {
  while (index > kRoot) {
    const uint32_t parent = Parent(index);
    if (entry >= heap_[parent]) break;
    heap_[index] = heap_[parent];
    positions_[SlotOf(heap_[index])] = index;
    index = parent;
  }
  heap_[index] = entry;
  positions_[SlotOf(entry)] = index;
}

void Scheduler::SiftDown(uint32_t index, Entry entry) {
  const auto size = static_cast<uint32_t>(heap_.size());
  while (true) {
    const uint32_t first_child = FirstChild(index);
    if (first_child >= size) break;
    const uint32_t end_child = first_child + 4 < size ? first_child + 4 : size;
    // Which child is earliest is a coin toss: select without branches.
    uint32_t earliest = first_child;
    Entry earliest_entry = heap_[first_child];
    for (uint32_t child = first_child + 1; child < end_child; ++child) {
      const Entry candidate = heap_[child];
      const bool earlier = candidate < earliest_entry;
      earliest = earlier ? child : earliest;
      earliest_entry = earlier ? candidate : earliest_entry;
    }
    if (earliest_entry >= entry) break;
    heap_[index] = earliest_entry;
    positions_[SlotOf(earliest_entry)] = index;
    index = earliest;
  }
  heap_[index] = entry;
  positions_[SlotOf(entry)] = index;
}

void Scheduler::RemoveAt(uint32_t index) {
  const Entry last = heap_.back();
  heap_.pop_back();
  if (index == heap_.size()) return;
  if (index > kRoot && last < heap_[Parent(index)]) {
    SiftUp(index, last);
  } else {
    SiftDown(index, last);
  }
}

void Scheduler::RunFront() {
  uint32_t slot;
  // The heap's events due now were scheduled before the FIFO's (an event
  // for the current instant goes to the FIFO), so they run first.
  if (heap_.size() > kRoot &&
      (now_live_ == 0 || TimeOf(heap_[kRoot]) == now_)) {
    const Entry front = heap_[kRoot];
    slot = SlotOf(front);
    RemoveAt(kRoot);
    now_ = TimeOf(front);
    if (now_live_ == 0) {
      now_queue_.clear();  // Only stale entries are left.
      now_head_ = 0;
    }
  } else {
    while (true) {
      const NowEntry entry = now_queue_[now_head_++];
      if (positions_[entry.slot] == kInNowQueue &&
          slots_[entry.slot].sequence == entry.sequence) {
        slot = entry.slot;
        break;
      }
    }
    if (now_head_ == now_queue_.size()) {
      now_queue_.clear();
      now_head_ = 0;
    }
    --now_live_;
  }
  // Copied out and the slot freed first: the callback may schedule (and reuse
  // the slot) or cancel anything.
  const EventCallback callback = slots_[slot].callback;
  FreeSlot(slot);
  ++events_run_;
  callback();
}

}  // namespace mqlab::sim
