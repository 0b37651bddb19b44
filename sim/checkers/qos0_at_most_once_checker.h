// QoS 0 at most once: a message published at QoS 0 reaches each session at
// most once ("duplicate"). (Event Grid delivers one copy per subscribing
// session, at the highest QoS of its matching subscriptions, so overlapping
// filters do not excuse a second copy.) Messages published at QoS 1 may
// arrive again after a lost acknowledgement and are not judged here.
#ifndef MQLAB_SIM_CHECKERS_QOS0_AT_MOST_ONCE_CHECKER_H_
#define MQLAB_SIM_CHECKERS_QOS0_AT_MOST_ONCE_CHECKER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "sim/checkers/checker.h"

namespace mqlab::sim {

class Qos0AtMostOnceChecker : public Checker {
 public:
  // QoS 0 messages, and (message, session) deliveries, tracked at most.
  static constexpr size_t kMaxMessages = 8'000'000;
  static constexpr size_t kMaxDeliveries = 32'000'000;

  explicit Qos0AtMostOnceChecker(const CheckerContext& context)
      : Checker(CheckerKind::kQos0AtMostOnce, context) {}

  void OnPublishSent(const PublishSent& sent, const ObservedIds& ids) override;
  void OnMessageReceived(const MessageReceived& received,
                         const ObservedIds& ids) override;
  void Finish(Time) override {}

 private:
  absl::flat_hash_set<uint64_t> qos0_messages_;
  // (message, session number) -> first delivery.
  absl::flat_hash_map<std::pair<uint64_t, uint32_t>, Time> deliveries_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_QOS0_AT_MOST_ONCE_CHECKER_H_
