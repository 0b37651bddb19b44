// Per publisher-subscriber order, which mqlab promises (Event Grid's page
// does not): for each publishing session P and receiving session S, the
// first deliveries to S of P's QoS 1 messages arrive in the order P
// published them. Precisely: taking, in arrival order, each QoS 1 message
// of P the first time S receives it, the sequence numbers (message tags)
// strictly increase. Gaps are allowed (expiry, a session's end, a refused
// message); a message received again (redelivery after a lost PUBACK,
// DUP set or not) is not a first delivery and may come at any point.
// Violation: "reordered".
#ifndef MQLAB_SIM_CHECKERS_PUBLISHER_ORDER_CHECKER_H_
#define MQLAB_SIM_CHECKERS_PUBLISHER_ORDER_CHECKER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "sim/checkers/checker.h"

namespace mqlab::sim {

class PublisherOrderChecker : public Checker {
 public:
  static constexpr size_t kMaxMessages = 8'000'000;
  static constexpr size_t kMaxDeliveries = 32'000'000;

  explicit PublisherOrderChecker(const CheckerContext& context)
      : Checker(CheckerKind::kPublisherOrder, context) {}

  void OnPublishSent(const PublishSent& sent, const ObservedIds& ids) override;
  void OnMessageReceived(const MessageReceived& received,
                         const ObservedIds& ids) override;
  void Finish(Time) override {}

 private:
  struct Latest {
    uint64_t sequence = 0;
    Time time = 0;
  };

  absl::flat_hash_set<uint64_t> qos1_messages_;
  // (message, receiving session) pairs received at least once.
  absl::flat_hash_set<std::pair<uint64_t, uint32_t>> delivered_;
  // (publisher, receiving session) -> the highest first delivery so far.
  absl::flat_hash_map<std::pair<uint32_t, uint32_t>, Latest> latest_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_PUBLISHER_ORDER_CHECKER_H_
