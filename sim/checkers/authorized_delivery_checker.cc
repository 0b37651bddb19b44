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
    const auto [session, fresh] = session_ids_.try_emplace(
        result.client_id, static_cast<uint32_t>(granted_.size()));
    if (fresh) granted_.emplace_back();
    std::vector<std::string>& filters = granted_[session->second];
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

uint32_t AuthorizedDeliveryChecker::TopicId(const std::string& topic) {
  if (topics_.size() >= kMaxCachedVerdicts) {
    topic_ids_.clear();
    topics_.clear();
    may_receive_.clear();
    subscribed_.clear();
  }
  const auto [it, fresh] =
      topic_ids_.try_emplace(topic, static_cast<uint32_t>(topics_.size()));
  if (fresh) topics_.push_back(topic);
  return it->second;
}

bool AuthorizedDeliveryChecker::MayReceive(uint32_t client, uint32_t topic) {
  if (may_receive_.size() >= kMaxCachedVerdicts) may_receive_.clear();
  const auto [it, fresh] =
      may_receive_.try_emplace(uint64_t{client} << 32 | topic, false);
  if (fresh) {
    for (const std::string& grant :
         context()
             .authorization->GrantsFor(AuthenticationName(client))
             .subscribe) {
      if (ReferenceMatches(grant, topics_[topic])) it->second = true;
    }
  }
  return it->second;
}

bool AuthorizedDeliveryChecker::WasSubscribed(const std::string& client_id,
                                              uint32_t topic) {
  const auto session = session_ids_.find(client_id);
  if (session == session_ids_.end()) return false;
  const std::vector<std::string>& filters = granted_[session->second];
  if (subscribed_.size() >= kMaxCachedVerdicts) subscribed_.clear();
  Subscribed& verdict = subscribed_[uint64_t{session->second} << 32 | topic];
  // Granted filters only grow: a match stays a match, and only filters
  // granted since the last look can turn a miss into one.
  for (; !verdict.matched && verdict.filters_seen < filters.size();
       ++verdict.filters_seen) {
    verdict.matched =
        ReferenceMatches(filters[verdict.filters_seen], topics_[topic]);
  }
  return verdict.matched;
}

void AuthorizedDeliveryChecker::OnReceived(const MessageReceived& received) {
  const uint32_t topic = TopicId(received.topic);
  if (!MayReceive(received.client, topic)) {
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
  if (WasSubscribed(received.client_id, topic)) return;
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
