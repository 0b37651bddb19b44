// Keeps a session subscribed to a set of filters: once started, it
// subscribes on every link of the session that connects (a fresh link after
// a crash or a takeover remembers nothing; subscribing again to a filter the
// session holds only replaces it, [MQTT-3.8.4-3]). The client library itself
// subscribes again when a resumed session turns out not present.
#ifndef MQLAB_SIM_BEHAVIOURS_SUBSCRIPTION_KEEPER_H_
#define MQLAB_SIM_BEHAVIOURS_SUBSCRIPTION_KEEPER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "mqtt/packet.h"
#include "sim/client_link.h"

namespace mqlab::sim {

class SubscriptionKeeper {
 public:
  // At most 10 filters (one SUBSCRIBE, Event Grid's maximum).
  SubscriptionKeeper(std::vector<std::string> filters, mqtt::Qos qos,
                     bool no_local);

  // Subscribes on `link` (if connected) and on every link connecting later.
  void Start(ClientLink* link);
  // Unsubscribes on `link` (if connected); no more subscribing.
  void Stop(ClientLink* link);
  // A link of the session connected.
  void OnConnected(ClientLink& link);

  const std::vector<std::string>& filters() const { return filters_; }

 private:
  void Subscribe(ClientLink& link);

  std::vector<std::string> filters_;
  mqtt::Qos qos_;
  bool no_local_;
  bool started_ = false;
  uint64_t subscribed_link_ = 0;  // Serial of the link last subscribed on.
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_BEHAVIOURS_SUBSCRIPTION_KEEPER_H_
