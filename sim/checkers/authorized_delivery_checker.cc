#include "sim/checkers/authorized_delivery_checker.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"

namespace mqlab::sim {

void AuthorizedDeliveryChecker::OnSubscribeResult(const SubscribeResult& result,
                                                  const ObservedIds& ids) {
  const std::string_view auth = AuthenticationName(result.client);
  const bool may = context().authorization->MaySubscribe(auth, result.filter);
  if (mqtt::IsSuccess(result.reason_code)) {
    if (!may) {
      Report({.rule = "granted-unauthorized-filter",
              .time = result.time,
              .sessions = {std::string(result.client_id)},
              .messages = {},
              .detail = absl::StrCat(
                  "session ", ToAbsl(result.client_id), " of ", ToAbsl(auth),
                  " was granted ", ToAbsl(result.filter),
                  ", which no subscriber permission of its groups covers")});
    }
    if (ids.session >= granted_.size()) granted_.resize(ids.session + 1);
    std::vector<uint32_t>& filters = granted_[ids.session];
    if (std::find(filters.begin(), filters.end(), ids.filter) ==
            filters.end() &&
        filters.size() < kMaxFiltersPerSession) {
      filters.push_back(ids.filter);
    }
    return;
  }
  if (result.reason_code == mqtt::ReasonCode::kNotAuthorized && may) {
    Report({.rule = "refused-authorized-filter",
            .time = result.time,
            .sessions = {std::string(result.client_id)},
            .messages = {},
            .detail = absl::StrCat(
                "session ", ToAbsl(result.client_id), " of ", ToAbsl(auth),
                " was refused ", ToAbsl(result.filter),
                " as not authorized (0x87), but a subscriber permission of "
                "its groups covers it")});
  }
}

bool AuthorizedDeliveryChecker::MayReceive(uint32_t client, uint32_t topic) {
  bool fresh = false;
  bool& may = may_receive_.Find(client, topic, &fresh);
  if (fresh) {
    for (const std::string& grant :
         context()
             .authorization->GrantsFor(AuthenticationName(client))
             .subscribe) {
      if (ReferenceMatches(grant, names().topic(topic))) may = true;
    }
  }
  return may;
}

bool AuthorizedDeliveryChecker::WasSubscribed(uint32_t session,
                                              uint32_t topic) {
  if (session >= granted_.size()) return false;
  const std::vector<uint32_t>& filters = granted_[session];
  bool fresh = false;
  Subscribed& verdict = subscribed_.Find(session, topic, &fresh);
  // Granted filters only grow: a match stays a match, and only filters
  // granted since the last look can turn a miss into one.
  for (; !verdict.matched && verdict.filters_seen < filters.size();
       ++verdict.filters_seen) {
    verdict.matched = ReferenceMatches(
        names().filter(filters[verdict.filters_seen]), names().topic(topic));
  }
  return verdict.matched;
}

void AuthorizedDeliveryChecker::OnMessageReceived(
    const MessageReceived& received, const ObservedIds& ids) {
  const uint32_t topic = ids.topic;
  if (!MayReceive(received.client, topic)) {
    Report({.rule = "delivered-to-unauthorized",
            .time = received.time,
            .sessions = {std::string(received.client_id)},
            .messages = {received.tag},
            .detail = absl::StrCat(
                "session ", ToAbsl(received.client_id), " of ",
                ToAbsl(AuthenticationName(received.client)), " received ",
                received.tag_check == TagCheck::kUntagged
                    ? std::string("a message")
                    : MessageTagName(received.tag),
                " on ", ToAbsl(received.topic),
                ", which no subscriber permission of its groups matches")});
    return;
  }
  if (WasSubscribed(ids.session, topic)) return;
  Report({.rule = "delivered-without-subscription",
          .time = received.time,
          .sessions = {std::string(received.client_id)},
          .messages = {received.tag},
          .detail = absl::StrCat("session ", ToAbsl(received.client_id),
                                 " received ", ToAbsl(received.topic),
                                 ", which no filter it was ever granted "
                                 "matches")});
}

}  // namespace mqlab::sim
