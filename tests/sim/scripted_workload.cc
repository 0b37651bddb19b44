#include "tests/sim/scripted_workload.h"

#include <memory>

namespace mqlab::sim::testing {

int ScriptedWorkload::restarts_ = 0;

ScriptedWorkload::ScriptedWorkload(const World& world, int violation_needs)
    : world_(world), violation_needs_(violation_needs) {}

absl::Status ScriptedWorkload::Start() {
  world_.scheduler->At(kSecond, [this] {
    Emit(ClientIntent{world_.scheduler->now(), 0,
                      world_.fleet->sessions[0].client_id, true});
  });
  world_.scheduler->At(2 * kSecond, [this] {
    ConnectAttempt attempt;
    attempt.time = world_.scheduler->now();
    attempt.connection = 1;
    attempt.client_id = world_.fleet->sessions[0].client_id;
    Emit(attempt);
  });
  world_.scheduler->At(3 * kSecond, [this] {
    Emit(ConnackReceived{world_.scheduler->now(), 1});
  });
  return absl::OkStatus();
}

void ScriptedWorkload::RestartBroker(Duration) { ++restarts_; }

void ScriptedWorkload::CrashClient(uint32_t client, Duration) {
  if (++crashes_ < violation_needs_) return;
  BrokerEventSeen event;
  event.time = world_.scheduler->now();
  event.kind = broker::EventKind::kConnected;
  event.connection = 1000 + 2 * crashes_;
  event.client_id = world_.fleet->clients[client].authentication_name;
  Emit(event);
  event.connection += 1;
  Emit(event);
}

void ScriptedWorkload::Emit(const Observation& observation) {
  world_.observations->Observe(observation);
}

WorkloadFactory Scripted(int violation_needs) {
  return [violation_needs](
             const World& world) -> absl::StatusOr<std::unique_ptr<Workload>> {
    return std::make_unique<ScriptedWorkload>(world, violation_needs);
  };
}

}  // namespace mqlab::sim::testing
