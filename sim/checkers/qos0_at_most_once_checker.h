// QoS 0 at most once: a message published at QoS 0 reaches each session at
// most once ("duplicate"). (Event Grid delivers one copy per subscribing
// session, at the highest QoS of its matching subscriptions, so overlapping
// filters do not excuse a second copy.) Messages published at QoS 1 may
// arrive again after a lost acknowledgement and are not judged here.
//
// What was published and received is kept as runs of sequence numbers
// (sim/checkers/first_deliveries.h), so every duplicate is caught however
// late. The violation says when the first copy arrived for the last
// kRecentPerPair first deliveries of each (publisher, session); an older
// first copy is reported as having come before the oldest of those.
#ifndef MQLAB_SIM_CHECKERS_QOS0_AT_MOST_ONCE_CHECKER_H_
#define MQLAB_SIM_CHECKERS_QOS0_AT_MOST_ONCE_CHECKER_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "sim/checkers/checker.h"
#include "sim/checkers/first_deliveries.h"

namespace mqlab::sim {

class Qos0AtMostOnceChecker : public Checker {
 public:
  // Runs of published and of received sequence numbers tracked at most.
  static constexpr size_t kMaxRuns = 32'000'000;
  // First deliveries remembered with their time, per (publisher, session).
  static constexpr size_t kRecentPerPair = 4;

  explicit Qos0AtMostOnceChecker(const CheckerContext& context)
      : Checker(CheckerKind::kQos0AtMostOnce, context) {}

  void OnPublishSent(const PublishSent& sent, const ObservedIds& ids) override;
  void OnMessageReceived(const MessageReceived& received,
                         const ObservedIds& ids) override;
  void Finish(Time) override {}

 private:
  // The pair's last first deliveries (sequence, time), oldest overwritten.
  struct Recent {
    std::array<std::pair<uint64_t, Time>, kRecentPerPair> first{};
    uint32_t next = 0;  // Deliveries recorded so far.
  };

  FirstDeliveries<Recent> deliveries_{mqtt::Qos::kAtMostOnce};
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_QOS0_AT_MOST_ONCE_CHECKER_H_
