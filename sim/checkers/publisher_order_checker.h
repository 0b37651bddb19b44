// Per publisher-subscriber order, which mqlab promises (Event Grid's page
// does not): for each publishing session P and receiving session S, the
// first deliveries to S of P's QoS 1 messages arrive in the order P
// published them. Precisely: taking, in arrival order, each QoS 1 message
// of P the first time S receives it, the sequence numbers (message tags)
// strictly increase. Gaps are allowed (expiry, a session's end, a refused
// message); a message received again (redelivery after a lost PUBACK,
// DUP set or not) is not a first delivery and may come at any point.
// Violation: "reordered".
//
// What was published and received is kept as runs of sequence numbers
// (sim/checkers/first_deliveries.h): one run per pair while a session gets a
// publisher's messages without gaps.
#ifndef MQLAB_SIM_CHECKERS_PUBLISHER_ORDER_CHECKER_H_
#define MQLAB_SIM_CHECKERS_PUBLISHER_ORDER_CHECKER_H_

#include <cstddef>
#include <cstdint>

#include "sim/checkers/checker.h"
#include "sim/checkers/first_deliveries.h"

namespace mqlab::sim {

class PublisherOrderChecker : public Checker {
 public:
  // Runs of published and of received sequence numbers tracked at most
  // (sim/checkers/first_deliveries.h).
  static constexpr size_t kMaxRuns = 32'000'000;

  explicit PublisherOrderChecker(const CheckerContext& context)
      : Checker(CheckerKind::kPublisherOrder, context) {}

  void OnPublishSent(const PublishSent& sent, const ObservedIds& ids) override;
  void OnMessageReceived(const MessageReceived& received,
                         const ObservedIds& ids) override;
  void Finish(Time) override {}

 private:
  // Per (publisher, receiving session): the highest first delivery so far.
  struct Latest {
    uint64_t sequence = 0;
    Time time = 0;
  };

  FirstDeliveries<Latest> deliveries_{mqtt::Qos::kAtLeastOnce};
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_PUBLISHER_ORDER_CHECKER_H_
