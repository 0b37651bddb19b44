#include "sim/checkers/authorized_publish_checker.h"

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"

namespace mqlab::sim {

bool AuthorizedPublishChecker::MayPublish(uint32_t client, uint32_t topic) {
  if (may_publish_.size() >= kMaxCachedVerdicts) may_publish_.clear();
  const auto [it, fresh] =
      may_publish_.try_emplace(uint64_t{client} << 32 | topic, false);
  if (fresh) {
    it->second = context().authorization->MayPublish(AuthenticationName(client),
                                                     names().topic(topic));
  }
  return it->second;
}

bool AuthorizedPublishChecker::IsMqtt5(uint32_t client) const {
  const Fleet* fleet = context().fleet;
  return client < fleet->clients.size() &&
         fleet->clients[client].version == mqtt::Version::kV5;
}

void AuthorizedPublishChecker::OnPublishSent(const PublishSent& sent,
                                             const ObservedIds& ids) {
  if (messages_.size() >= kMaxMessages) {
    Exhausted("messages", kMaxMessages);
    return;
  }
  messages_.emplace(sent.tag.key(),
                    Message{sent.client, ids.session, ids.topic,
                            MayPublish(sent.client, ids.topic)});
}

void AuthorizedPublishChecker::OnPublishAcknowledged(
    const PublishAcknowledged& ack) {
  const auto it = messages_.find(ack.tag.key());
  if (it == messages_.end()) return;
  const Message& message = it->second;
  if (mqtt::IsSuccess(ack.reason_code) && !message.authorized) {
    if (!IsMqtt5(message.client)) {
      CountException("mqtt311-unauthorized-acknowledged");
      return;
    }
    const std::string_view client_id = names().session(message.session);
    Report({.rule = "acknowledged-unauthorized",
            .time = ack.time,
            .sessions = {std::string(client_id)},
            .messages = {ack.tag},
            .detail = absl::StrCat(
                "the broker acknowledged ", MessageTagName(ack.tag), " from ",
                ToAbsl(client_id), " (",
                ToAbsl(AuthenticationName(message.client)), ") on ",
                ToAbsl(names().topic(message.topic)),
                " with Success; no publisher permission of its groups "
                "matches the topic")});
  } else if (ack.reason_code == mqtt::ReasonCode::kNotAuthorized &&
             message.authorized) {
    Report({.rule = "refused-authorized",
            .time = ack.time,
            .sessions = {},
            .messages = {ack.tag},
            .detail = absl::StrCat(
                "the broker refused ", MessageTagName(ack.tag), " from ",
                ToAbsl(AuthenticationName(message.client)),
                " as not authorized (0x87), but a publisher permission of "
                "its groups matches the topic")});
  }
}

void AuthorizedPublishChecker::OnMessageReceived(
    const MessageReceived& received, const ObservedIds& /*ids*/) {
  if (received.tag_check != TagCheck::kIntact) return;
  const auto it = messages_.find(received.tag.key());
  if (it == messages_.end() || it->second.authorized) return;
  const Message& message = it->second;
  const std::string_view publisher = names().session(message.session);
  Report({.rule = "delivered-unauthorized",
          .time = received.time,
          .sessions = {std::string(received.client_id), std::string(publisher)},
          .messages = {received.tag},
          .detail = absl::StrCat(
              "session ", ToAbsl(received.client_id), " received ",
              MessageTagName(received.tag), " that ", ToAbsl(publisher), " (",
              ToAbsl(AuthenticationName(message.client)), ") published on ",
              ToAbsl(names().topic(message.topic)),
              " without a publisher permission that matches it")});
}

}  // namespace mqlab::sim
