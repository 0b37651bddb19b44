// A plain subscriber: holds its filters (on every link of the session) and
// consumes what arrives; the link records each message for the checkers.
#ifndef MQLAB_SIM_BEHAVIOURS_SUBSCRIBER_H_
#define MQLAB_SIM_BEHAVIOURS_SUBSCRIBER_H_

#include "sim/behaviour.h"
#include "sim/behaviours/subscription_keeper.h"
#include "sim/scenario.pb.h"

namespace mqlab::sim {

class Subscriber : public Behaviour {
 public:
  Subscriber(VirtualSession* session, const scenario::Subscriber& spec);

  void Start() override;
  void Stop() override;
  void OnConnected(ClientLink& link,
                   const client::ConnackEvent& event) override;

 private:
  SubscriptionKeeper keeper_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_BEHAVIOURS_SUBSCRIBER_H_
