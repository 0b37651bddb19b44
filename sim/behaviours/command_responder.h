// Answers commands (Azure's command sample, the vehicle's side): subscribed
// to its request filter, it answers each request after its processing time
// with a tagged response carrying the request's Correlation Data and a User
// Property "status" (MQTT 5), on the request's Response Topic. A request
// without one (from, or delivered to, an MQTT 3.1.1 client) is answered on
// the response topic of the requesting session, which the request's tag
// names (VirtualFleet::ResponseTopicFor).
//
// Bound: at most kMaxPendingAnswers requests wait for their processing time;
// a request beyond is not answered (its requester times out).
#ifndef MQLAB_SIM_BEHAVIOURS_COMMAND_RESPONDER_H_
#define MQLAB_SIM_BEHAVIOURS_COMMAND_RESPONDER_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "sim/behaviour.h"
#include "sim/behaviours/subscription_keeper.h"
#include "sim/scenario.pb.h"
#include "sim/scheduler.h"

namespace mqlab::sim {

class CommandResponder : public Behaviour {
 public:
  static constexpr size_t kMaxPendingAnswers = 1000;

  CommandResponder(VirtualSession* session,
                   const scenario::CommandResponder& spec);
  ~CommandResponder() override;

  void Start() override;
  void Stop() override;
  void OnConnected(ClientLink& link,
                   const client::ConnackEvent& event) override;
  void OnMessage(ClientLink& link, const client::MessageEvent& event) override;

 private:
  struct Answer {
    Time due = 0;
    std::string topic;
    std::vector<uint8_t> correlation_data;
    bool has_correlation_data = false;
  };
  void AnswerDue();

  SubscriptionKeeper keeper_;
  mqtt::Qos qos_;
  Duration processing_time_;
  std::string status_;
  bool started_ = false;
  std::deque<Answer> answers_;  // In due order.
  TimerId timer_ = kNoTimer;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_BEHAVIOURS_COMMAND_RESPONDER_H_
