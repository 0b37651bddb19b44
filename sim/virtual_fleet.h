// The workload of a simulator run (sim/workload.h): the broker on its host
// (sim/broker_adapter.h) and every virtual client of the fleet, one
// VirtualSession per session, carrying out the scenario's behaviours, and
// the faults that need them (broker restarts, client crashes, admin
// deletions and disablings).
//
// Start() builds the namespace the broker serves (sim/served_namespace.h),
// starts the broker, and powers each client's device on at its population's
// connect_after plus a uniform draw within connect_spread (from the client's
// stream "client/<name>").
//
// Admin faults and the client-deletion behaviour go through the broker's
// admin API. Deleting a client orphans its sessions (the ClientDeleted
// observation tells the checkers); a restore registers it again. The client
// wants its sessions connected again once restored and, for persistent
// sessions, once the orphaned session has expired (its name stays blocked
// until then).
#ifndef MQLAB_SIM_VIRTUAL_FLEET_H_
#define MQLAB_SIM_VIRTUAL_FLEET_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "broker/namespace_config.h"
#include "sim/broker_adapter.h"
#include "sim/client_link.h"
#include "sim/message_tag.h"
#include "sim/virtual_session.h"
#include "sim/workload.h"

namespace mqlab::sim {

class VirtualFleet : public Workload {
 public:
  explicit VirtualFleet(const World& world);
  ~VirtualFleet() override;

  absl::Status Start() override;
  void RestartBroker(Duration downtime) override;
  void CrashClient(uint32_t client, Duration restart_after) override;
  void DeleteClient(uint32_t client, Duration restore_after) override;
  void DisableClient(uint32_t client, Duration restore_after) override;

  // --- For sessions and behaviours. ---
  const World& world() const { return world_; }
  Scheduler& scheduler() const { return *world_.scheduler; }
  Time now() const { return world_.scheduler->now(); }
  LinkEnvironment* environment() { return &environment_; }
  const broker::Limits& limits() const { return served_.limits; }
  // The session named `client_id`, or null.
  VirtualSession* FindSession(std::string_view client_id) const;
  VirtualSession& session(uint32_t index) const { return *sessions_[index]; }
  // The response topic a requester session waits on for answers from
  // `responder` (a 3.1.1 request carries no Response Topic: its payload's
  // tag names the requesting session). nullopt for a tag of no requester.
  std::optional<std::string> ResponseTopicFor(
      const MessageTag& request, const VirtualSession& responder) const;
  // Destroys `link` once the current event is over (it may be on the stack).
  void Retire(std::unique_ptr<ClientLink> link);
  // Records a trace record of a client action.
  void TraceAction(uint32_t client, uint64_t action, std::string_view detail);

 private:
  struct Device {
    std::string resource_name;  // Its client resource in the namespace.
    bool down = false;          // Crashed, not restarted.
    // Deleted: the resource to register again.
    std::optional<broker::ClientResource> deleted;
    bool disabled = false;
    TimerId restart = kNoTimer;
  };

  absl::Status Build();
  void PowerOn(uint32_t client);
  void HoldClient(uint32_t client);
  // Releases the client's holds at `at` (now if earlier).
  void ReleaseClientAt(uint32_t client, Time at);
  broker::TransportIdentity IdentityOf(uint64_t client) const;

  World world_;
  LinkEnvironment environment_;
  broker::NamespaceConfig served_;
  std::unique_ptr<BrokerAdapter> broker_;
  std::vector<Device> devices_;  // By fleet client index.
  std::vector<std::unique_ptr<VirtualSession>> sessions_;     // By fleet index.
  absl::flat_hash_map<std::string, uint32_t> session_by_id_;  // Lookups only.
  std::vector<std::unique_ptr<ClientLink>> retired_;
  TimerId reap_timer_ = kNoTimer;
  TimerId broker_start_ = kNoTimer;
};

// A WorkloadFactory of VirtualFleets (what `mqlab run` plays).
WorkloadFactory VirtualFleetWorkload();

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_VIRTUAL_FLEET_H_
