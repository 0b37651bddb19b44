#include "sim/scheduler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "base/random.h"

namespace mqlab::sim {
namespace {

using ::testing::HasSubstr;

TEST(SchedulerTest, RunsEventsInTimeOrder) {
  Scheduler scheduler;
  std::vector<int> order;
  std::vector<Time> times;
  auto record = [&](int tag) {
    order.push_back(tag);
    times.push_back(scheduler.now());
  };
  scheduler.At(30, [&record] { record(3); });
  scheduler.At(10, [&record] { record(1); });
  scheduler.At(20, [&record] { record(2); });
  ASSERT_TRUE(scheduler.RunUntil(100).ok());
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(times, (std::vector<Time>{10, 20, 30}));
  EXPECT_EQ(scheduler.now(), 100);
  EXPECT_EQ(scheduler.events_run(), 3u);
}

TEST(SchedulerTest, TiesRunInSchedulingOrder) {
  Scheduler scheduler;
  std::vector<int> order;
  for (int i = 0; i < 100; ++i) {
    scheduler.At(5, [&order, i] { order.push_back(i); });
  }
  ASSERT_TRUE(scheduler.RunUntil(5).ok());
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[i], i);
}

TEST(SchedulerTest, EventsScheduledForNowByAnEventRunAfterThoseAlreadyDue) {
  Scheduler scheduler;
  std::vector<int> order;
  scheduler.At(1, [&] {
    order.push_back(1);
    scheduler.After(0, [&order] { order.push_back(3); });
  });
  scheduler.At(1, [&order] { order.push_back(2); });
  ASSERT_TRUE(scheduler.RunUntil(1).ok());
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(SchedulerTest, RunUntilStopsAtTheEndAndKeepsLaterEvents) {
  Scheduler scheduler;
  int runs = 0;
  scheduler.At(10, [&runs] { ++runs; });
  scheduler.At(11, [&runs] { ++runs; });
  ASSERT_TRUE(scheduler.RunUntil(10).ok());
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(scheduler.pending(), 1u);
  EXPECT_EQ(scheduler.NextEventTime(), 11);
  ASSERT_TRUE(scheduler.RunUntil(kInfiniteFuture).ok());
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(scheduler.now(), 11);  // Idle: time stays at the last event.
}

TEST(SchedulerTest, CancelledEventsDoNotRun) {
  Scheduler scheduler;
  int runs = 0;
  const TimerId first = scheduler.At(10, [&runs] { runs += 1; });
  scheduler.At(20, [&runs] { runs += 10; });
  EXPECT_TRUE(scheduler.IsPending(first));
  EXPECT_TRUE(scheduler.Cancel(first));
  EXPECT_FALSE(scheduler.IsPending(first));
  EXPECT_FALSE(scheduler.Cancel(first));
  ASSERT_TRUE(scheduler.RunUntil(100).ok());
  EXPECT_EQ(runs, 10);
}

TEST(SchedulerTest, IdsOfEventsThatRanDoNotCancelTheirSlotsNextEvent) {
  Scheduler scheduler;
  int runs = 0;
  const TimerId ran = scheduler.At(1, [] {});
  ASSERT_TRUE(scheduler.RunUntil(1).ok());
  // The next event reuses the freed slot; the old id must not reach it.
  const TimerId next = scheduler.At(2, [&runs] { ++runs; });
  EXPECT_NE(ran, next);
  EXPECT_FALSE(scheduler.Cancel(ran));
  EXPECT_FALSE(scheduler.Cancel(kNoTimer));
  ASSERT_TRUE(scheduler.RunUntil(2).ok());
  EXPECT_EQ(runs, 1);
}

TEST(SchedulerTest, AnEventMayCancelAnotherDueAtTheSameTime) {
  Scheduler scheduler;
  int runs = 0;
  TimerId second = kNoTimer;
  scheduler.At(5, [&] { EXPECT_TRUE(scheduler.Cancel(second)); });
  second = scheduler.At(5, [&runs] { ++runs; });
  ASSERT_TRUE(scheduler.RunUntil(5).ok());
  EXPECT_EQ(runs, 0);
}

TEST(SchedulerTest, RescheduleMovesTheEventAndRequeuesItsTie) {
  Scheduler scheduler;
  std::vector<int> order;
  const TimerId moved = scheduler.At(50, [&order] { order.push_back(1); });
  scheduler.At(20, [&order] { order.push_back(2); });
  EXPECT_TRUE(scheduler.Reschedule(moved, 20));
  ASSERT_TRUE(scheduler.RunUntil(100).ok());
  // Rescheduled after the other event for t=20 was scheduled: it runs second.
  EXPECT_EQ(order, (std::vector<int>{2, 1}));
  EXPECT_FALSE(scheduler.Reschedule(moved, 200));
  EXPECT_EQ(scheduler.pending(), 0u);
}

TEST(SchedulerTest, AfterSaturatesAtTheInfiniteFuture) {
  Scheduler scheduler;
  int runs = 0;
  scheduler.At(10,
               [&] { scheduler.After(kInfiniteFuture, [&runs] { ++runs; }); });
  ASSERT_TRUE(scheduler.RunUntil(1000).ok());
  EXPECT_EQ(scheduler.NextEventTime(), kInfiniteFuture);
  EXPECT_EQ(runs, 0);
}

TEST(SchedulerTest, CrossingThePendingBoundStopsTheRun) {
  Scheduler scheduler(SchedulerLimits{.max_pending_events = 3});
  for (int i = 0; i < 3; ++i) EXPECT_NE(scheduler.At(i, [] {}), kNoTimer);
  EXPECT_EQ(scheduler.At(7, [] {}), kNoTimer);
  const absl::Status status = scheduler.RunUntil(100);
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(status.message()), HasSubstr("max_pending_events=3"));
  EXPECT_EQ(scheduler.events_run(), 0u);
  // Sticky: the run stays failed.
  EXPECT_EQ(scheduler.RunUntil(200).code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_FALSE(scheduler.Step());
}

TEST(SchedulerTest, CrossingTheRunLengthBoundStopsTheRun) {
  Scheduler scheduler(SchedulerLimits{.max_events = 10});
  // An event that always schedules its successor: an endless run.
  struct Ticker {
    Scheduler* scheduler;
    int* ticks;
    void operator()() const {
      ++*ticks;
      scheduler->After(kMillisecond, *this);
    }
  };
  int ticks = 0;
  scheduler.At(0, Ticker{&scheduler, &ticks});
  const absl::Status status = scheduler.RunUntil(kInfiniteFuture);
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(status.message()), HasSubstr("max_events=10"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("t=9ms"));
  EXPECT_EQ(ticks, 10);
}

TEST(SchedulerTest, FailStopsAfterTheRunningEvent) {
  Scheduler scheduler;
  int runs = 0;
  scheduler.At(1, [&] {
    ++runs;
    scheduler.Fail(absl::InternalError("checker: violation"));
  });
  scheduler.At(2, [&runs] { ++runs; });
  const absl::Status status = scheduler.RunUntil(10);
  EXPECT_EQ(status, absl::InternalError("checker: violation"));
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(scheduler.now(), 1);
}

// Property: against a simple reference (sort by time, then by scheduling
// order), random schedules, cancels and reschedules run in the same order.
TEST(SchedulerTest, MatchesAReferenceUnderRandomOperations) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Random random(seed);
    Scheduler scheduler;
    struct Expected {
      Time time;
      uint64_t order;
      int tag;
      bool live;
    };
    std::vector<Expected> expected;
    std::vector<TimerId> ids;
    std::vector<int> ran;
    uint64_t order = 0;
    for (int i = 0; i < 2000; ++i) {
      const uint64_t op = random.Below(10);
      if (op < 6 || ids.empty()) {
        const Time when = random.Between(0, 500);
        const int tag = static_cast<int>(expected.size());
        ids.push_back(scheduler.At(when, [&ran, tag] { ran.push_back(tag); }));
        expected.push_back({when, order++, tag, true});
      } else if (op < 8) {
        const size_t victim = random.Below(ids.size());
        EXPECT_EQ(scheduler.Cancel(ids[victim]), expected[victim].live);
        expected[victim].live = false;
      } else {
        const size_t victim = random.Below(ids.size());
        const Time when = random.Between(0, 500);
        EXPECT_EQ(scheduler.Reschedule(ids[victim], when),
                  expected[victim].live);
        if (expected[victim].live) {
          expected[victim].time = when;
          expected[victim].order = order++;
        }
      }
    }
    std::vector<Expected> live;
    for (const Expected& e : expected) {
      if (e.live) live.push_back(e);
    }
    std::sort(live.begin(), live.end(), [](const auto& a, const auto& b) {
      return a.time < b.time || (a.time == b.time && a.order < b.order);
    });
    ASSERT_TRUE(scheduler.RunUntil(1000).ok());
    ASSERT_EQ(ran.size(), live.size()) << "seed " << seed;
    for (size_t i = 0; i < live.size(); ++i) {
      EXPECT_EQ(ran[i], live[i].tag) << "seed " << seed << " position " << i;
    }
  }
}

// The simplest correct scheduler: a list scanned for the earliest (time,
// sequence). The real one must run the same events in the same order.
class ReferenceScheduler {
 public:
  Time now() const { return now_; }
  int At(Time when, std::function<void()> callback) {
    events_.push_back({when, sequence_++, std::move(callback), true});
    return static_cast<int>(events_.size() - 1);
  }
  bool Cancel(int id) {
    if (id < 0 || !events_[id].live) return false;
    events_[id].live = false;
    return true;
  }
  bool Reschedule(int id, Time when) {
    if (id < 0 || !events_[id].live) return false;
    events_[id].time = when;
    events_[id].sequence = sequence_++;
    return true;
  }
  Time NextEventTime() const {
    Time next = kInfiniteFuture;
    for (const Event& e : events_) {
      if (e.live) next = std::min(next, e.time);
    }
    return next;
  }
  uint32_t pending() const {
    return static_cast<uint32_t>(std::count_if(
        events_.begin(), events_.end(), [](const Event& e) { return e.live; }));
  }
  void RunUntil(Time end) {
    while (true) {
      int best = -1;
      for (size_t i = 0; i < events_.size(); ++i) {
        const Event& e = events_[i];
        if (!e.live || e.time > end) continue;
        if (best < 0 || e.time < events_[best].time ||
            (e.time == events_[best].time &&
             e.sequence < events_[best].sequence)) {
          best = static_cast<int>(i);
        }
      }
      if (best < 0) break;
      events_[best].live = false;
      now_ = events_[best].time;
      std::function<void()> callback = events_[best].callback;
      callback();
    }
    now_ = end;
  }

 private:
  struct Event {
    Time time;
    uint64_t sequence;
    std::function<void()> callback;
    bool live;
  };
  Time now_ = 0;
  uint64_t sequence_ = 0;
  std::vector<Event> events_;
};

// Events that, when they run, schedule (often for the current instant),
// cancel and reschedule others, all decided by their tag and the seed. A
// delay that is not zero is 1..20 ns shifted left by 6 bits (a wheel digit)
// up to `scales` - 1 times.
template <typename SchedulerType, typename Id>
class Workload {
 public:
  Workload(SchedulerType* scheduler, uint64_t seed, Id none, int scales = 1)
      : scheduler_(scheduler), seed_(seed), none_(none), scales_(scales) {}

  void Start() {
    for (int i = 0; i < 200; ++i) Add(static_cast<Time>(i % 3));
  }
  // What an owner does between runs: schedule, cancel or move something.
  void Poke(uint64_t round) {
    Random random(seed_ * 7'919 + round);
    Act(random);
  }
  const std::vector<int>& ran() const { return ran_; }

 private:
  void Add(Time when) {
    const int tag = static_cast<int>(ids_.size());
    ids_.push_back(none_);
    ids_[tag] = Schedule(when, tag);
  }
  Id Schedule(Time when, int tag) {
    return scheduler_->At(when, [this, tag] { Run(tag); });
  }
  void Run(int tag) {
    ran_.push_back(tag);
    Random random(seed_ * 1'000'003 + static_cast<uint64_t>(tag));
    const int operations = static_cast<int>(random.Below(6));
    for (int i = 0; i < operations; ++i) Act(random);
  }
  void Act(Random& random) {
    if (ids_.size() > 3000) return;
    const uint64_t scale = random.Below(static_cast<uint64_t>(scales_));
    const Time when =
        scheduler_->now() +
        (random.Chance(0.5) ? 0 : random.Between(1, 20) << (6 * scale));
    switch (random.Below(4)) {
      case 0:
      case 1:
        Add(when);
        break;
      case 2:
        scheduler_->Cancel(ids_[random.Below(ids_.size())]);
        break;
      default:
        scheduler_->Reschedule(ids_[random.Below(ids_.size())], when);
        break;
    }
  }

  SchedulerType* scheduler_;
  uint64_t seed_;
  Id none_;
  int scales_;
  std::vector<Id> ids_;
  std::vector<int> ran_;
};

TEST(SchedulerTest, MatchesAReferenceWhenEventsScheduleEventsForNow) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    Scheduler scheduler;
    Workload<Scheduler, TimerId> real(&scheduler, seed, kNoTimer);
    real.Start();
    ASSERT_TRUE(scheduler.RunUntil(100'000).ok());
    ReferenceScheduler reference;
    Workload<ReferenceScheduler, int> expected(&reference, seed, -1);
    expected.Start();
    reference.RunUntil(100'000);
    ASSERT_GT(expected.ran().size(), 100u) << "seed " << seed;
    ASSERT_EQ(real.ran(), expected.ran()) << "seed " << seed;
    EXPECT_EQ(scheduler.pending(), 0u);
  }
}

// Delays from nanoseconds to about two months (nine wheel levels), runs
// that stop between events at every scale, and owners acting between runs.
TEST(SchedulerTest, MatchesAReferenceAcrossTimeScales) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Scheduler scheduler;
    Workload<Scheduler, TimerId> real(&scheduler, seed, kNoTimer, 9);
    real.Start();
    ReferenceScheduler reference;
    Workload<ReferenceScheduler, int> expected(&reference, seed, -1, 9);
    expected.Start();
    Random ends(seed);
    Time end = 0;
    for (uint64_t round = 0; round < 200; ++round) {
      end += static_cast<Duration>(ends.Below(20) << (6 * ends.Below(9)));
      ASSERT_TRUE(scheduler.RunUntil(end).ok());
      reference.RunUntil(end);
      ASSERT_EQ(real.ran(), expected.ran()) << "seed " << seed;
      ASSERT_EQ(scheduler.pending(), reference.pending()) << "seed " << seed;
      ASSERT_EQ(scheduler.NextEventTime(), reference.NextEventTime())
          << "seed " << seed;
      real.Poke(round);
      expected.Poke(round);
    }
    ASSERT_TRUE(scheduler.RunUntil(Time{1} << 62).ok());
    reference.RunUntil(Time{1} << 62);
    ASSERT_GT(expected.ran().size(), 1000u) << "seed " << seed;
    ASSERT_EQ(real.ran(), expected.ran()) << "seed " << seed;
    EXPECT_EQ(scheduler.pending(), 0u);
  }
}

TEST(SchedulerTest, EventsForNowCountAsPendingAndCanBeMoved) {
  Scheduler scheduler;
  std::vector<int> order;
  const TimerId now = scheduler.At(0, [&order] { order.push_back(1); });
  scheduler.At(0, [&order] { order.push_back(2); });
  EXPECT_EQ(scheduler.pending(), 2u);
  EXPECT_EQ(scheduler.NextEventTime(), 0);
  EXPECT_TRUE(scheduler.Reschedule(now, 5));  // Moved later.
  EXPECT_EQ(scheduler.pending(), 2u);
  ASSERT_TRUE(scheduler.RunUntil(0).ok());
  EXPECT_EQ(order, (std::vector<int>{2}));
  ASSERT_TRUE(scheduler.RunUntil(5).ok());
  EXPECT_EQ(order, (std::vector<int>{2, 1}));
  // Many events for now, most cancelled: only the others run.
  std::vector<TimerId> ids;
  int runs = 0;
  for (int i = 0; i < 10'000; ++i) {
    ids.push_back(scheduler.At(5, [&runs] { ++runs; }));
    if (i % 10 != 0) {
      EXPECT_TRUE(scheduler.Cancel(ids.back()));
    }
  }
  EXPECT_EQ(scheduler.pending(), 1000u);
  ASSERT_TRUE(scheduler.RunUntil(5).ok());
  EXPECT_EQ(runs, 1000);
}

// The wheel reads times as 6-bit digits; events on both sides of every digit
// boundary, scheduled out of order and twice each, run in time order and
// ties in scheduling order.
TEST(SchedulerTest, RunsEventsAroundEveryDigitBoundaryInOrder) {
  std::vector<Time> times = {0, kInfiniteFuture - 1, kInfiniteFuture};
  for (int bit = 1; bit < 63; ++bit) {
    const Time boundary = Time{1} << bit;
    times.insert(times.end(), {boundary - 1, boundary, boundary + 1});
  }
  Random random(1);
  for (size_t i = times.size() - 1; i > 0; --i) {
    std::swap(times[i], times[random.Below(i + 1)]);
  }
  Scheduler scheduler;
  struct Ran {
    Time time;
    int tag;
    bool operator==(const Ran&) const = default;
  };
  std::vector<Ran> ran;
  std::vector<Ran> expected;
  for (int copy = 0; copy < 2; ++copy) {
    for (const Time time : times) {
      const int tag = static_cast<int>(expected.size());
      scheduler.At(time, [&ran, &scheduler, tag] {
        ran.push_back({scheduler.now(), tag});
      });
      expected.push_back({time, tag});
    }
  }
  std::stable_sort(expected.begin(), expected.end(),
                   [](const Ran& a, const Ran& b) { return a.time < b.time; });
  EXPECT_EQ(scheduler.NextEventTime(), 0);
  ASSERT_TRUE(scheduler.RunUntil(kInfiniteFuture).ok());
  EXPECT_EQ(ran, expected);
  EXPECT_EQ(scheduler.now(), kInfiniteFuture);
}

// A run that stops short of a far bucket leaves it alone, so events
// scheduled afterwards before it (on any level) still run first.
TEST(SchedulerTest, EventsScheduledAfterAnIdleRunUntilRunBeforeLaterOnes) {
  Scheduler scheduler;
  std::vector<Time> ran;
  auto record = [&ran, &scheduler] { ran.push_back(scheduler.now()); };
  const Time far = 10 * kSecond;
  scheduler.At(far, record);
  scheduler.At(far + 1, record);
  ASSERT_TRUE(scheduler.RunUntil(5 * kSecond).ok());
  EXPECT_TRUE(ran.empty());
  EXPECT_EQ(scheduler.NextEventTime(), far);
  for (const Time when : {far - 1, 6 * kSecond, 5 * kSecond + kMillisecond,
                          5 * kSecond + 1, 5 * kSecond}) {
    scheduler.At(when, record);
  }
  EXPECT_EQ(scheduler.NextEventTime(), 5 * kSecond);
  ASSERT_TRUE(scheduler.RunUntil(far + 1).ok());
  EXPECT_EQ(ran, (std::vector<Time>{5 * kSecond, 5 * kSecond + 1,
                                    5 * kSecond + kMillisecond, 6 * kSecond,
                                    far - 1, far, far + 1}));
}

// An event alone in its bucket runs without the bucket being sorted; one
// scheduled later for the same instant joins it there and runs after it.
TEST(SchedulerTest, AnEventJoinedAtItsInstantAfterAnIdleRunUntilRunsFirst) {
  Scheduler scheduler;
  std::vector<int> order;
  scheduler.At(kMillisecond, [&order] { order.push_back(1); });
  ASSERT_TRUE(scheduler.RunUntil(kMillisecond - 1).ok());
  scheduler.At(kMillisecond, [&order] { order.push_back(2); });
  scheduler.At(kMillisecond - 1, [&order] { order.push_back(0); });
  ASSERT_TRUE(scheduler.RunUntil(kMillisecond).ok());
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2}));
}

// Timers hours to centuries away wait on high levels while near events run.
TEST(SchedulerTest, FarFutureTimersWaitForTheirTime) {
  Scheduler scheduler;
  std::vector<Time> ran;
  auto record = [&ran, &scheduler] { ran.push_back(scheduler.now()); };
  const Time hour = 3600 * kSecond;
  const std::vector<Time> far = {24 * hour, Time{1} << 62, kInfiniteFuture - 1};
  for (const Time when : far) scheduler.At(when, record);
  struct Tick {
    Scheduler* scheduler;
    int* ticks;
    void operator()() const {
      ++*ticks;
      scheduler->After(kSecond, *this);
    }
  };
  int ticks = 0;
  scheduler.At(0, Tick{&scheduler, &ticks});
  ASSERT_TRUE(scheduler.RunUntil(hour).ok());
  EXPECT_EQ(ticks, 3601);
  EXPECT_TRUE(ran.empty());
  ASSERT_TRUE(scheduler.RunUntil(24 * hour).ok());
  EXPECT_EQ(ran, (std::vector<Time>{24 * hour}));
  EXPECT_EQ(scheduler.pending(), 3u);  // The tick and two far timers.
}

// Cancel and Reschedule find an event wherever it waits: placed on a high
// level, moved down by a cascade, first, in the middle of or last in its
// bucket, or due now.
TEST(SchedulerTest, CancelAndRescheduleFindEventsOnEveryLevel) {
  Scheduler scheduler;
  std::vector<int> order;
  std::vector<TimerId> ids;
  auto add = [&](Time when) {
    const int tag = static_cast<int>(ids.size());
    ids.push_back(scheduler.At(when, [&order, tag] { order.push_back(tag); }));
  };
  // Five events at one instant, far enough for a high level, and two just
  // after it in the same level-1 bucket.
  const Time at = kSecond + 1000;
  for (int i = 0; i < 5; ++i) add(at);                      // Tags 0..4.
  add(at + 1);                                              // 5
  add(at + 2);                                              // 6
  EXPECT_TRUE(scheduler.Cancel(ids[2]));                    // The middle,
  EXPECT_TRUE(scheduler.Cancel(ids[0]));                    // the first
  EXPECT_TRUE(scheduler.Cancel(ids[4]));                    // and the last.
  EXPECT_TRUE(scheduler.Reschedule(ids[5], at));            // Joins last.
  EXPECT_TRUE(scheduler.Reschedule(ids[6], kMillisecond));  // Down to near.
  add(kMillisecond);                                        // 7
  add(2 * kSecond);                                         // 8
  EXPECT_TRUE(scheduler.Reschedule(ids[7], 3 * kSecond));   // Up to far.
  ASSERT_TRUE(scheduler.RunUntil(kMillisecond).ok());
  EXPECT_EQ(order, (std::vector<int>{6}));
  // A run to just before `at` cascades the far bucket down; the events are
  // then found in their new buckets.
  ASSERT_TRUE(scheduler.RunUntil(at - 1).ok());
  EXPECT_TRUE(scheduler.Cancel(ids[3]));
  EXPECT_TRUE(scheduler.Reschedule(ids[1], at));  // Behind 5 now.
  ASSERT_TRUE(scheduler.RunUntil(at).ok());
  EXPECT_EQ(order, (std::vector<int>{6, 5, 1}));
  // Due now, from inside an event: cancelled and moved before it runs.
  add(at + 10);  // 9
  scheduler.At(at + 10, [&] {
    EXPECT_TRUE(scheduler.Cancel(ids[10]));
    add(scheduler.now());  // 11
    add(scheduler.now());  // 12
    EXPECT_TRUE(scheduler.Reschedule(ids[11], scheduler.now()));
  });
  add(at + 10);  // 10
  ASSERT_TRUE(scheduler.RunUntil(4 * kSecond).ok());
  EXPECT_EQ(order, (std::vector<int>{6, 5, 1, 9, 12, 11, 8, 7}));
  EXPECT_EQ(scheduler.pending(), 0u);
}

// The pending bound counts events waiting now: cancelled and run events
// make room, and moving one takes none.
TEST(SchedulerTest, ThePendingBoundCountsWaitingEvents) {
  Scheduler scheduler(SchedulerLimits{.max_pending_events = 2});
  const TimerId first = scheduler.At(kSecond, [] {});
  EXPECT_NE(scheduler.At(1, [] {}), kNoTimer);
  EXPECT_TRUE(scheduler.Reschedule(first, 2 * kSecond));
  ASSERT_TRUE(scheduler.RunUntil(1).ok());
  EXPECT_NE(scheduler.At(3 * kSecond, [] {}), kNoTimer);
  EXPECT_TRUE(scheduler.Cancel(first));
  EXPECT_NE(scheduler.At(2, [] {}), kNoTimer);
  EXPECT_EQ(scheduler.At(3, [] {}), kNoTimer);
  EXPECT_EQ(scheduler.RunUntil(10).code(),
            absl::StatusCode::kResourceExhausted);
}

// A timer moved back and forth a million times across every level leaves
// nothing behind: it runs once, at its last time.
TEST(SchedulerTest, ATimerMovedManyTimesRunsOnce) {
  Scheduler scheduler;
  int runs = 0;
  const TimerId timer = scheduler.At(1, [&runs] { ++runs; });
  Random random(2);
  Time last = 0;
  for (int i = 0; i < 1'000'000; ++i) {
    last = static_cast<Time>(random.Below(uint64_t{1} << random.Below(62)));
    ASSERT_TRUE(scheduler.Reschedule(timer, last));
  }
  EXPECT_EQ(scheduler.pending(), 1u);
  EXPECT_EQ(scheduler.NextEventTime(), last);
  ASSERT_TRUE(scheduler.RunUntil(kInfiniteFuture).ok());
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(scheduler.now(), last);
}

}  // namespace
}  // namespace mqlab::sim
