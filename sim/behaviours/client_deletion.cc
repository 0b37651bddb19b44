#include "sim/behaviours/client_deletion.h"

#include "sim/virtual_fleet.h"
#include "sim/virtual_session.h"

namespace mqlab::sim {

ClientDeletion::ClientDeletion(VirtualSession* session,
                               scenario::ClientDeletion::Action action,
                               Duration after, Duration restore_after)
    : Behaviour(session),
      action_(action),
      after_(after),
      restore_after_(restore_after) {}

ClientDeletion::~ClientDeletion() {
  session().fleet().scheduler().Cancel(timer_);
}

void ClientDeletion::Start() {
  timer_ = session().fleet().scheduler().After(after_, [this] {
    timer_ = kNoTimer;
    const uint32_t client = session().fleet_client().index;
    if (action_ == scenario::ClientDeletion::DELETE) {
      session().fleet().DeleteClient(client, restore_after_);
    } else {
      session().fleet().DisableClient(client, restore_after_);
    }
  });
}

void ClientDeletion::Stop() {
  session().fleet().scheduler().Cancel(timer_);
  timer_ = kNoTimer;
}

}  // namespace mqlab::sim
