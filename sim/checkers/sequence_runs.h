// Sets of message sequence numbers kept as runs. A publisher numbers its
// messages 1, 2, 3, ... (sim/message_tag.h), and a session receives a
// publisher's messages mostly in that order, so what a checker must
// remember of every message it ever saw (was it published, at which QoS;
// did this session receive it already) is a few runs of consecutive
// numbers, not an entry per message. Each run may carry a value (what the
// checker needs to know of its messages); neighbouring runs with equal
// values merge.
//
// Adding at the end, the common case, is O(1); elsewhere, O(log runs) plus
// the insertion. The first run is stored inline.
#ifndef MQLAB_SIM_CHECKERS_SEQUENCE_RUNS_H_
#define MQLAB_SIM_CHECKERS_SEQUENCE_RUNS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "absl/container/inlined_vector.h"

namespace mqlab::sim {

// The value of runs that carry none.
struct NoValue {
  friend bool operator==(NoValue, NoValue) { return true; }
};

template <typename Value = NoValue>
class SequenceRuns {
 public:
  // Adds `sequence` with `value`; false, changing nothing, when it is there
  // already.
  bool Insert(uint64_t sequence, const Value& value = {}) {
    if (runs_.empty() || sequence > runs_.back().last + 1) {
      runs_.push_back({sequence, sequence, value});
      return true;
    }
    if (sequence == runs_.back().last + 1) {
      if (runs_.back().value == value) {
        ++runs_.back().last;
      } else {
        runs_.push_back({sequence, sequence, value});
      }
      return true;
    }
    // The first run ending at or after `sequence`.
    const auto next = std::lower_bound(
        runs_.begin(), runs_.end(), sequence,
        [](const Run& run, uint64_t s) { return run.last < s; });
    if (next->first <= sequence) return false;
    const bool joins_previous = next != runs_.begin() &&
                                std::prev(next)->last + 1 == sequence &&
                                std::prev(next)->value == value;
    const bool joins_next = next->first == sequence + 1 && next->value == value;
    if (joins_previous && joins_next) {
      std::prev(next)->last = next->last;
      runs_.erase(next);
    } else if (joins_previous) {
      ++std::prev(next)->last;
    } else if (joins_next) {
      --next->first;
    } else {
      runs_.insert(next, {sequence, sequence, value});
    }
    return true;
  }

  // The value of `sequence`, or null when it is not in the set.
  const Value* Find(uint64_t sequence) const {
    if (runs_.empty()) return nullptr;
    if (sequence >= runs_.back().first) {
      return sequence <= runs_.back().last ? &runs_.back().value : nullptr;
    }
    const auto run =
        std::lower_bound(runs_.begin(), runs_.end(), sequence,
                         [](const Run& r, uint64_t s) { return r.last < s; });
    return run != runs_.end() && run->first <= sequence ? &run->value : nullptr;
  }
  bool Contains(uint64_t sequence) const { return Find(sequence) != nullptr; }

  // Whether every sequence number in [first, last] is in the set with
  // `value`.
  bool Covers(uint64_t first, uint64_t last, const Value& value) const {
    auto run =
        std::lower_bound(runs_.begin(), runs_.end(), first,
                         [](const Run& r, uint64_t s) { return r.last < s; });
    for (uint64_t next = first; run != runs_.end(); ++run) {
      if (run->first > next || !(run->value == value)) return false;
      if (run->last >= last) return true;
      next = run->last + 1;
    }
    return false;
  }

  // The lowest number from 1 up that is not in the set.
  uint64_t FirstMissingFromOne() const {
    return runs_.empty() || runs_.front().first > 1 ? 1
                                                    : runs_.front().last + 1;
  }

  bool empty() const { return runs_.empty(); }
  // The highest sequence number in the set (not empty).
  uint64_t last() const { return runs_.back().last; }
  // Adds every number from last() + 1 to `sequence` to the last run, whose
  // value they take.
  void ExtendTo(uint64_t sequence) { runs_.back().last = sequence; }

  // Runs held: the state's size.
  size_t runs() const { return runs_.size(); }

 private:
  struct Run {
    uint64_t first = 0;
    uint64_t last = 0;
    [[no_unique_address]] Value value;
  };

  absl::InlinedVector<Run, 1> runs_;  // Ordered, disjoint.
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_SEQUENCE_RUNS_H_
