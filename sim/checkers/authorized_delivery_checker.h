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

#include "sim/checkers/checker.h"
#include "sim/checkers/verdict_cache.h"

namespace mqlab::sim {

class AuthorizedDeliveryChecker : public Checker {
 public:
  // Distinct filters remembered per session (Event Grid allows 50).
  static constexpr size_t kMaxFiltersPerSession = 1024;

  explicit AuthorizedDeliveryChecker(const CheckerContext& context)
      : Checker(CheckerKind::kAuthorizedDelivery, context) {}

  void OnSubscribeResult(const SubscribeResult& result,
                         const ObservedIds& ids) override;
  void OnMessageReceived(const MessageReceived& received,
                         const ObservedIds& ids) override;
  void Finish(Time) override {}

 private:
  struct Subscribed {
    uint32_t filters_seen = 0;  // Of the session's granted filters.
    bool matched = false;
  };

  bool MayReceive(uint32_t client, uint32_t topic);
  bool WasSubscribed(uint32_t session, uint32_t topic);

  // By session number: every filter number it was ever granted (in order;
  // they only grow).
  std::vector<std::vector<uint32_t>> granted_;
  // (client, topic): whether a subscribe grant of the client matches the
  // topic.
  VerdictCache<bool> may_receive_;
  // (session, topic): whether a filter granted to the session matches.
  VerdictCache<Subscribed> subscribed_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_AUTHORIZED_DELIVERY_CHECKER_H_
