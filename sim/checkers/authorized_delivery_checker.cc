#include "sim/checkers/authorized_delivery_checker.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"

namespace mqlab::sim {

void AuthorizedDeliveryChecker::Observe(const Observation& observation) {
  if (const auto* result = std::get_if<SubscribeResult>(&observation)) {
    OnSubscribeResult(*result);
  } else if (const auto* received =
                 std::get_if<MessageReceived>(&observation)) {
    OnReceived(*received);
  }
}

void AuthorizedDeliveryChecker::OnSubscribeResult(
    const SubscribeResult& result) {
  const std::string_view auth = AuthenticationName(result.client);
  const bool may = context().authorization->MaySubscribe(auth, result.filter);
  if (mqtt::IsSuccess(result.reason_code)) {
    if (!may) {
      Report({.rule = "granted-unauthorized-filter",
              .time = result.time,
              .sessions = {result.client_id},
              .messages = {},
              .detail = absl::StrCat(
                  "session ", result.client_id, " of ", ToAbsl(auth),
                  " was granted ", result.filter,
                  ", which no subscriber permission of its groups covers")});
    }
    std::vector<std::string>& filters = granted_[result.client_id];
    if (std::find(filters.begin(), filters.end(), result.filter) ==
            filters.end() &&
        filters.size() < kMaxFiltersPerSession) {
      filters.push_back(result.filter);
    }
    return;
  }
  if (result.reason_code == mqtt::ReasonCode::kNotAuthorized && may) {
    Report({.rule = "refused-authorized-filter",
            .time = result.time,
            .sessions = {result.client_id},
            .messages = {},
            .detail = absl::StrCat(
                "session ", result.client_id, " of ", ToAbsl(auth),
                " was refused ", result.filter,
                " as not authorized (0x87), but a subscriber permission of "
                "its groups covers it")});
  }
}

bool AuthorizedDeliveryChecker::MayReceive(uint32_t client,
                                           const std::string& topic) {
  if (may_receive_.size() >= kMaxCachedVerdicts) may_receive_.clear();
  const auto [it, fresh] = may_receive_.try_emplace({client, topic}, false);
  if (fresh) {
    for (const std::string& grant :
         context()
             .authorization->GrantsFor(AuthenticationName(client))
             .subscribe) {
      if (ReferenceMatches(grant, topic)) it->second = true;
    }
  }
  return it->second;
}

void AuthorizedDeliveryChecker::OnReceived(const MessageReceived& received) {
  if (!MayReceive(received.client, received.topic)) {
    Report({.rule = "delivered-to-unauthorized",
            .time = received.time,
            .sessions = {received.client_id},
            .messages = {received.tag},
            .detail = absl::StrCat(
                "session ", received.client_id, " of ",
                ToAbsl(AuthenticationName(received.client)), " received ",
                received.tag_check == TagCheck::kUntagged
                    ? std::string("a message")
                    : MessageTagName(received.tag),
                " on ", received.topic,
                ", which no subscriber permission of its groups matches")});
    return;
  }
  const auto filters = granted_.find(received.client_id);
  if (filters != granted_.end()) {
    for (const std::string& filter : filters->second) {
      if (ReferenceMatches(filter, received.topic)) return;
    }
  }
  Report({.rule = "delivered-without-subscription",
          .time = received.time,
          .sessions = {received.client_id},
          .messages = {received.tag},
          .detail = absl::StrCat("session ", received.client_id, " received ",
                                 received.topic,
                                 ", which no filter it was ever granted "
                                 "matches")});
}

}  // namespace mqlab::sim
