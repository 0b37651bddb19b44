// Behaviours that end and start a session's connections on purpose:
//  - ReconnectLoop: every interval (drawn uniformly within half of it
//    either way) the client reconnects with its own ClientId: with overlap a
//    second connection takes the live session over before the first is
//    dropped (the broker ends the first with "session taken over"); without,
//    it disconnects and connects again at once.
//  - OfflinePeriods: every `every` the client disconnects, keeping its
//    session, and stays away for `offline_for` (its offline queue fills;
//    past the broker's limit the session ends in overflow).
#ifndef MQLAB_SIM_BEHAVIOURS_SESSION_CHURN_H_
#define MQLAB_SIM_BEHAVIOURS_SESSION_CHURN_H_

#include "base/random.h"
#include "base/time.h"
#include "sim/behaviour.h"
#include "sim/scheduler.h"

namespace mqlab::sim {

class ReconnectLoop : public Behaviour {
 public:
  ReconnectLoop(VirtualSession* session, Duration interval, bool overlap,
                Random random);
  ~ReconnectLoop() override;
  void Start() override;
  void Stop() override;

 private:
  void ScheduleNext();

  Duration interval_;
  bool overlap_;
  Random random_;
  TimerId timer_ = kNoTimer;
};

class OfflinePeriods : public Behaviour {
 public:
  OfflinePeriods(VirtualSession* session, Duration every, Duration offline_for);
  ~OfflinePeriods() override;
  void Start() override;
  void Stop() override;

 private:
  void GoOffline();

  Duration every_;
  Duration offline_for_;
  TimerId offline_timer_ = kNoTimer;
  TimerId online_timer_ = kNoTimer;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_BEHAVIOURS_SESSION_CHURN_H_
