#include "broker/timer_queue.h"

#include <cstdint>
#include <vector>

#include "base/random.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mqlab::broker {
namespace {

using ::testing::ElementsAre;

std::vector<uint64_t> PopAll(TimerQueue& timers, Time now) {
  std::vector<uint64_t> payloads;
  uint64_t payload;
  while (timers.PopDue(now, &payload)) payloads.push_back(payload);
  return payloads;
}

TEST(TimerQueueTest, EmptyQueueHasNoDeadline) {
  TimerQueue timers;
  EXPECT_EQ(timers.NextDeadline(), kInfiniteFuture);
  uint64_t payload;
  EXPECT_FALSE(timers.PopDue(kInfiniteFuture, &payload));
}

TEST(TimerQueueTest, PopsInDeadlineOrderThenScheduleOrder) {
  TimerQueue timers;
  timers.Schedule(30, 1);
  timers.Schedule(10, 2);
  timers.Schedule(20, 3);
  timers.Schedule(10, 4);  // Same instant as 2: after it.
  EXPECT_EQ(timers.NextDeadline(), 10);
  EXPECT_THAT(PopAll(timers, 15), ElementsAre(2, 4));
  EXPECT_THAT(PopAll(timers, 100), ElementsAre(3, 1));
  EXPECT_EQ(timers.size(), 0u);
}

TEST(TimerQueueTest, CancelLeavesNothingBehind) {
  TimerQueue timers;
  const TimerId a = timers.Schedule(10, 1);
  timers.Schedule(20, 2);
  timers.Cancel(a);
  EXPECT_EQ(timers.size(), 1u);
  EXPECT_EQ(timers.NextDeadline(), 20);
  EXPECT_THAT(PopAll(timers, 100), ElementsAre(2));
}

TEST(TimerQueueTest, RescheduleMovesEitherWayAndGoesLastAtItsInstant) {
  TimerQueue timers;
  const TimerId a = timers.Schedule(10, 1);
  timers.Schedule(50, 2);
  timers.Reschedule(a, 50);
  EXPECT_THAT(PopAll(timers, 50), ElementsAre(2, 1));
  const TimerId b = timers.Schedule(100, 3);
  timers.Schedule(60, 4);
  timers.Reschedule(b, 5);
  EXPECT_THAT(PopAll(timers, 200), ElementsAre(3, 4));
}

// Against a sorted reference, under random schedules and cancels.
TEST(TimerQueueTest, MatchesAReferenceUnderRandomOperations) {
  Random random(7);
  TimerQueue timers;
  struct Live {
    TimerId id;
    Time deadline;
    uint64_t order;
    uint64_t payload;
  };
  std::vector<Live> live;
  uint64_t order = 0;
  Time now = 0;
  for (int step = 0; step < 20000; ++step) {
    const uint64_t choice = random.Below(10);
    if (choice < 5) {
      const Time deadline = now + static_cast<Time>(random.Below(100));
      const uint64_t payload = static_cast<uint64_t>(step);
      live.push_back(
          {timers.Schedule(deadline, payload), deadline, order++, payload});
    } else if (choice < 7 && !live.empty()) {
      const size_t i = random.Below(live.size());
      timers.Cancel(live[i].id);
      live.erase(live.begin() + static_cast<ptrdiff_t>(i));
    } else if (choice < 8 && !live.empty()) {
      const size_t i = random.Below(live.size());
      live[i].deadline = now + static_cast<Time>(random.Below(100));
      live[i].order = order++;
      timers.Reschedule(live[i].id, live[i].deadline);
    } else {
      now += static_cast<Time>(random.Below(20));
      std::sort(live.begin(), live.end(), [](const Live& a, const Live& b) {
        return a.deadline != b.deadline ? a.deadline < b.deadline
                                        : a.order < b.order;
      });
      std::vector<uint64_t> expected;
      while (!live.empty() && live.front().deadline <= now) {
        expected.push_back(live.front().payload);
        live.erase(live.begin());
      }
      ASSERT_EQ(PopAll(timers, now), expected) << "step " << step;
    }
    ASSERT_EQ(timers.size(), live.size());
  }
}

}  // namespace
}  // namespace mqlab::broker
