// The scheduler's cost per event: empty events (the callback does only what
// the shape needs to keep the run going), reported as items_per_second.
//
//   bazel run -c opt //bench:sim_scheduler_bench
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "base/random.h"
#include "sim/scheduler.h"

namespace mqlab::sim {
namespace {

// One event that schedules its successor: never more than one pending.
void BM_SelfRescheduling(benchmark::State& state) {
  Scheduler scheduler;
  struct Tick {
    Scheduler* scheduler;
    void operator()() const { scheduler->After(1, *this); }
  };
  scheduler.At(0, Tick{&scheduler});
  const int64_t batch = 1 << 16;
  for (auto _ : state) {
    if (!scheduler.RunUntil(scheduler.now() + batch).ok()) {
      state.SkipWithError("run failed");
    }
  }
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_SelfRescheduling);

// Events for the current instant (a write's transmission, a notification):
// each schedules its successor for now, so they all go through the FIFO.
void BM_SameInstantChain(benchmark::State& state) {
  Scheduler scheduler;
  struct Now {
    Scheduler* scheduler;
    void operator()() const { scheduler->After(0, *this); }
  };
  scheduler.At(0, Now{&scheduler});
  const int64_t batch = 1 << 16;
  for (auto _ : state) {
    for (int64_t i = 0; i < batch; ++i) scheduler.Step();
  }
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_SameInstantChain);

// The classic "hold" model: N events pending; each one that runs schedules a
// successor a random delay later, so N stay pending.
void BM_Hold(benchmark::State& state) {
  const int64_t pending = state.range(0);
  Scheduler scheduler;
  struct Hold {
    Scheduler* scheduler;
    Random* random;
    void operator()() const {
      scheduler->After(1 + static_cast<Duration>(random->Below(1'000'000)),
                       *this);
    }
  };
  Random random(1);
  for (int64_t i = 0; i < pending; ++i) {
    scheduler.At(static_cast<Time>(random.Below(1'000'000)),
                 Hold{&scheduler, &random});
  }
  const int64_t batch = 1 << 16;
  for (auto _ : state) {
    for (int64_t i = 0; i < batch; ++i) scheduler.Step();
  }
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_Hold)->Arg(16)->Arg(1024)->Arg(100'000)->Arg(1'000'000);

// Schedule a batch at random times, then run it all (bursts of deliveries).
void BM_ScheduleThenRun(benchmark::State& state) {
  const int64_t batch = state.range(0);
  Scheduler scheduler;
  Random random(2);
  for (auto _ : state) {
    const Time base = scheduler.now();
    for (int64_t i = 0; i < batch; ++i) {
      scheduler.At(base + static_cast<Time>(random.Below(1'000'000)), [] {});
    }
    if (!scheduler.RunUntil(base + 1'000'000).ok()) {
      state.SkipWithError("run failed");
    }
  }
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_ScheduleThenRun)->Arg(1024)->Arg(100'000);

// A deadline that moves on every event (a keep-alive timer pushed back by
// each packet), among N other pending timers: one Reschedule per item.
void BM_RescheduleAmongPending(benchmark::State& state) {
  const int64_t pending = state.range(0);
  Scheduler scheduler;
  Random random(3);
  std::vector<TimerId> timers;
  for (int64_t i = 0; i < pending; ++i) {
    timers.push_back(scheduler.At(
        static_cast<Time>(1 + random.Below(1'000'000'000)), [] {}));
  }
  for (auto _ : state) {
    const TimerId timer = timers[random.Below(timers.size())];
    benchmark::DoNotOptimize(scheduler.Reschedule(
        timer, static_cast<Time>(1 + random.Below(1'000'000'000))));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RescheduleAmongPending)->Arg(1024)->Arg(100'000);

}  // namespace
}  // namespace mqlab::sim

BENCHMARK_MAIN();
