#include "sim/checkers/authorized_publish_checker.h"

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"

namespace mqlab::sim {

bool AuthorizedPublishChecker::MayPublish(uint32_t client,
                                          const std::string& topic) {
  if (may_publish_.size() >= kMaxCachedVerdicts) may_publish_.clear();
  const auto [it, fresh] = may_publish_.try_emplace({client, topic}, false);
  if (fresh) {
    it->second =
        context().authorization->MayPublish(AuthenticationName(client), topic);
  }
  return it->second;
}

bool AuthorizedPublishChecker::IsMqtt5(uint32_t client) const {
  const Fleet* fleet = context().fleet;
  return client < fleet->clients.size() &&
         fleet->clients[client].version == mqtt::Version::kV5;
}

void AuthorizedPublishChecker::Observe(const Observation& observation) {
  if (const auto* sent = std::get_if<PublishSent>(&observation)) {
    if (messages_.size() >= kMaxMessages) {
      Exhausted("messages", kMaxMessages);
      return;
    }
    // Only unauthorized messages keep their names: the others need none.
    Message message;
    message.client = sent->client;
    message.authorized = MayPublish(sent->client, sent->topic);
    if (!message.authorized) {
      message.client_id = sent->client_id;
      message.topic = sent->topic;
    }
    messages_.emplace(sent->tag.key(), std::move(message));
    return;
  }
  if (const auto* ack = std::get_if<PublishAcknowledged>(&observation)) {
    const auto it = messages_.find(ack->tag.key());
    if (it == messages_.end()) return;
    const Message& message = it->second;
    if (mqtt::IsSuccess(ack->reason_code) && !message.authorized) {
      if (!IsMqtt5(message.client)) {
        CountException("mqtt311-unauthorized-acknowledged");
        return;
      }
      Report({.rule = "acknowledged-unauthorized",
              .time = ack->time,
              .sessions = {message.client_id},
              .messages = {ack->tag},
              .detail = absl::StrCat(
                  "the broker acknowledged ", MessageTagName(ack->tag),
                  " from ", message.client_id, " (",
                  ToAbsl(AuthenticationName(message.client)), ") on ",
                  message.topic,
                  " with Success; no publisher permission of its groups "
                  "matches the topic")});
    } else if (ack->reason_code == mqtt::ReasonCode::kNotAuthorized &&
               message.authorized) {
      Report({.rule = "refused-authorized",
              .time = ack->time,
              .sessions = {},
              .messages = {ack->tag},
              .detail = absl::StrCat(
                  "the broker refused ", MessageTagName(ack->tag), " from ",
                  ToAbsl(AuthenticationName(message.client)),
                  " as not authorized (0x87), but a publisher permission of "
                  "its groups matches the topic")});
    }
    return;
  }
  if (const auto* received = std::get_if<MessageReceived>(&observation)) {
    if (received->tag_check != TagCheck::kIntact) return;
    const auto it = messages_.find(received->tag.key());
    if (it == messages_.end() || it->second.authorized) return;
    Report({.rule = "delivered-unauthorized",
            .time = received->time,
            .sessions = {received->client_id, it->second.client_id},
            .messages = {received->tag},
            .detail = absl::StrCat(
                "session ", received->client_id, " received ",
                MessageTagName(received->tag), " that ", it->second.client_id,
                " (", ToAbsl(AuthenticationName(it->second.client)),
                ") published on ", it->second.topic,
                " without a publisher permission that matches it")});
  }
}

}  // namespace mqlab::sim
