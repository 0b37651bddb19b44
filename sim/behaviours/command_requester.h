// Sends commands (Azure's command sample, the mobile app's side): at a
// steady rate (Poisson), a tagged request to a client of the target
// population drawn uniformly, on the request topic with {target} filled.
// MQTT 5: a request-response exchange of the client library (Response
// Topic, Correlation Data, Content Type), which times out after `timeout`.
// MQTT 3.1.1 has neither: the request is a plain publish and the responder
// finds the response topic from the request's tag.
//
// The requester subscribes to its response topic with "+" in place of
// {target} (which must fill a whole topic level), so it hears every
// target's answers.
#ifndef MQLAB_SIM_BEHAVIOURS_COMMAND_REQUESTER_H_
#define MQLAB_SIM_BEHAVIOURS_COMMAND_REQUESTER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/random.h"
#include "sim/behaviour.h"
#include "sim/behaviours/subscription_keeper.h"
#include "sim/scenario.pb.h"
#include "sim/scheduler.h"

namespace mqlab::sim {

class CommandRequester : public Behaviour {
 public:
  // INVALID_ARGUMENT when the target population is empty or {target} is
  // not a whole level of the response topic.
  static absl::StatusOr<std::unique_ptr<CommandRequester>> Make(
      VirtualSession* session, const scenario::CommandRequester& spec,
      Random random);
  ~CommandRequester() override;

  void Start() override;
  void Stop() override;
  void OnConnected(ClientLink& link,
                   const client::ConnackEvent& event) override;

 private:
  CommandRequester(VirtualSession* session,
                   const scenario::CommandRequester& spec,
                   std::string response_filter,
                   std::vector<const std::string*> targets, Random random);
  void ScheduleNext();
  void SendRequest();

  const scenario::CommandRequester* spec_;
  SubscriptionKeeper keeper_;
  std::vector<const std::string*> targets_;  // Authentication names.
  Random random_;
  mqtt::Qos qos_;
  Duration timeout_;
  uint32_t payload_bytes_;
  TimerId timer_ = kNoTimer;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_BEHAVIOURS_COMMAND_REQUESTER_H_
