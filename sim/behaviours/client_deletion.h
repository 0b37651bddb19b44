// The admin API deletes or disables the client's resource `after` its first
// connection, while its sessions live, and registers or enables it again
// `restore_after` that (if set). What follows (connections ended, session
// names blocked, the client coming back) is VirtualFleet's DeleteClient and
// DisableClient, shared with the fault plan's admin faults.
#ifndef MQLAB_SIM_BEHAVIOURS_CLIENT_DELETION_H_
#define MQLAB_SIM_BEHAVIOURS_CLIENT_DELETION_H_

#include "sim/behaviour.h"
#include "sim/scenario.pb.h"
#include "sim/scheduler.h"

namespace mqlab::sim {

class ClientDeletion : public Behaviour {
 public:
  ClientDeletion(VirtualSession* session,
                 scenario::ClientDeletion::Action action, Duration after,
                 Duration restore_after);
  ~ClientDeletion() override;
  void Start() override;
  void Stop() override;

 private:
  scenario::ClientDeletion::Action action_;
  Duration after_;
  Duration restore_after_;  // 0: never.
  TimerId timer_ = kNoTimer;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_BEHAVIOURS_CLIENT_DELETION_H_
