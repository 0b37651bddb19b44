#include "sim/behaviours/session_churn.h"

#include "sim/virtual_fleet.h"
#include "sim/virtual_session.h"

namespace mqlab::sim {

ReconnectLoop::ReconnectLoop(VirtualSession* session, Duration interval,
                             bool overlap, Random random)
    : Behaviour(session),
      interval_(interval),
      overlap_(overlap),
      random_(random) {}

ReconnectLoop::~ReconnectLoop() {
  session().fleet().scheduler().Cancel(timer_);
}

void ReconnectLoop::Start() { ScheduleNext(); }

void ReconnectLoop::Stop() {
  session().fleet().scheduler().Cancel(timer_);
  timer_ = kNoTimer;
}

void ReconnectLoop::ScheduleNext() {
  const Duration delay =
      random_.Between(interval_ - interval_ / 2, interval_ + interval_ / 2);
  timer_ = session().fleet().scheduler().After(delay, [this] {
    timer_ = kNoTimer;
    session().Reconnect(overlap_);
    ScheduleNext();
  });
}

OfflinePeriods::OfflinePeriods(VirtualSession* session, Duration every,
                               Duration offline_for)
    : Behaviour(session), every_(every), offline_for_(offline_for) {}

OfflinePeriods::~OfflinePeriods() {
  Scheduler& scheduler = session().fleet().scheduler();
  scheduler.Cancel(offline_timer_);
  scheduler.Cancel(online_timer_);
}

void OfflinePeriods::Start() {
  offline_timer_ = session().fleet().scheduler().After(every_, [this] {
    offline_timer_ = kNoTimer;
    GoOffline();
  });
}

void OfflinePeriods::Stop() {
  Scheduler& scheduler = session().fleet().scheduler();
  scheduler.Cancel(offline_timer_);
  offline_timer_ = kNoTimer;
  if (online_timer_ != kNoTimer) {
    scheduler.Cancel(online_timer_);
    online_timer_ = kNoTimer;
    session().GoOnline();
  }
}

void OfflinePeriods::GoOffline() {
  Scheduler& scheduler = session().fleet().scheduler();
  // Still away from the last period (offline_for >= every): skip this one.
  if (online_timer_ == kNoTimer) {
    session().GoOffline();
    online_timer_ = scheduler.After(offline_for_, [this] {
      online_timer_ = kNoTimer;
      session().GoOnline();
    });
  }
  offline_timer_ = scheduler.After(every_, [this] {
    offline_timer_ = kNoTimer;
    GoOffline();
  });
}

}  // namespace mqlab::sim
