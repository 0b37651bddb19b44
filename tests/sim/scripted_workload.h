// A stand-in workload for tests of the run plumbing (runner, replay, shrink,
// the commands): it plays no MQTT, only records observations, so that a
// violation depends on the fault plan in a known way:
//  - at 1 s, client 0 wants its session connected; at 2 s it sends CONNECT
//    (connection 1) and at 3 s gets CONNACK Success;
//  - every client-crash fault makes the broker "report" the crashed client's
//    session connected twice: a single-connection-per-session violation
//    ("broker-reports-two") when `violation_needs` crashes have happened
//    (so a run needs that many crash faults to fail);
//  - broker restarts are counted.
#ifndef MQLAB_TESTS_SIM_SCRIPTED_WORKLOAD_H_
#define MQLAB_TESTS_SIM_SCRIPTED_WORKLOAD_H_

#include <cstdint>

#include "sim/workload.h"

namespace mqlab::sim::testing {

class ScriptedWorkload : public Workload {
 public:
  ScriptedWorkload(const World& world, int violation_needs);

  absl::Status Start() override;
  void RestartBroker(Duration downtime) override;
  void CrashClient(uint32_t client, Duration restart_after) override;
  void DeleteClient(uint32_t, Duration) override {}
  void DisableClient(uint32_t, Duration) override {}

  static int restarts() { return restarts_; }

 private:
  void Emit(const Observation& observation);

  World world_;
  int violation_needs_;
  int crashes_ = 0;
  static int restarts_;
};

// A factory of ScriptedWorkloads.
WorkloadFactory Scripted(int violation_needs = 1);

}  // namespace mqlab::sim::testing

#endif  // MQLAB_TESTS_SIM_SCRIPTED_WORKLOAD_H_
