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
// cancel and reschedule others, all decided by their tag and the seed.
template <typename SchedulerType, typename Id>
class Workload {
 public:
  Workload(SchedulerType* scheduler, uint64_t seed, Id none)
      : scheduler_(scheduler), seed_(seed), none_(none) {}

  void Start() {
    for (int i = 0; i < 200; ++i) Add(static_cast<Time>(i % 3));
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
    if (ids_.size() > 3000) return;
    Random random(seed_ * 1'000'003 + static_cast<uint64_t>(tag));
    const int operations = static_cast<int>(random.Below(6));
    for (int i = 0; i < operations; ++i) {
      const Time when =
          scheduler_->now() + (random.Chance(0.5) ? 0 : random.Between(1, 20));
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
  }

  SchedulerType* scheduler_;
  uint64_t seed_;
  Id none_;
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

TEST(SchedulerTest, EventsForNowCountAsPendingAndCanBeMoved) {
  Scheduler scheduler;
  std::vector<int> order;
  const TimerId now = scheduler.At(0, [&order] { order.push_back(1); });
  scheduler.At(0, [&order] { order.push_back(2); });
  EXPECT_EQ(scheduler.pending(), 2u);
  EXPECT_EQ(scheduler.NextEventTime(), 0);
  EXPECT_TRUE(scheduler.Reschedule(now, 5));  // Out of the FIFO, later.
  EXPECT_EQ(scheduler.pending(), 2u);
  ASSERT_TRUE(scheduler.RunUntil(0).ok());
  EXPECT_EQ(order, (std::vector<int>{2}));
  ASSERT_TRUE(scheduler.RunUntil(5).ok());
  EXPECT_EQ(order, (std::vector<int>{2, 1}));
  // Many events for now, most cancelled: the stale entries are dropped.
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

}  // namespace
}  // namespace mqlab::sim
