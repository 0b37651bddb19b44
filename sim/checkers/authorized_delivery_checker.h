// Authorized delivery, judged with the checkers' own authorization model
// (sim/reference_authorization.h):
//  - a SUBACK grants only filters the subscriber may subscribe to
//    ("granted-unauthorized-filter") and refuses as Not authorized (0x87)
//    only filters it may not ("refused-authorized-filter");
//  - a session receives a message only on a topic its client may receive
//    (some subscribe grant matches it: "delivered-to-unauthorized"), and
//    only on a topic some filter the session was granted matches
//    ("delivered-without-subscription").
#ifndef MQLAB_SIM_CHECKERS_AUTHORIZED_DELIVERY_CHECKER_H_
#define MQLAB_SIM_CHECKERS_AUTHORIZED_DELIVERY_CHECKER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "sim/checkers/checker.h"

namespace mqlab::sim {

class AuthorizedDeliveryChecker : public Checker {
 public:
  // Distinct (client, topic) pairs whose authorization is remembered; past
  // it, the cache is cleared (a cost, never a different verdict).
  static constexpr size_t kMaxCachedVerdicts = 1'000'000;
  // Distinct filters remembered per session (Event Grid allows 50).
  static constexpr size_t kMaxFiltersPerSession = 1024;

  explicit AuthorizedDeliveryChecker(const CheckerContext& context)
      : Checker(CheckerKind::kAuthorizedDelivery, context) {}

  void Observe(const Observation& observation) override;
  void Finish(Time) override {}

 private:
  void OnSubscribeResult(const SubscribeResult& result);
  void OnReceived(const MessageReceived& received);
  bool MayReceive(uint32_t client, const std::string& topic);

  // Session -> every filter it was ever granted.
  absl::flat_hash_map<std::string, std::vector<std::string>> granted_;
  absl::flat_hash_map<std::pair<uint32_t, std::string>, bool> may_receive_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_AUTHORIZED_DELIVERY_CHECKER_H_
