#include "sim/checkers/authorized_publish_checker.h"

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"

namespace mqlab::sim {

bool AuthorizedPublishChecker::IsMqtt5(uint32_t client) const {
  const Fleet* fleet = context().fleet;
  return client < fleet->clients.size() &&
         fleet->clients[client].version == mqtt::Version::kV5;
}

void AuthorizedPublishChecker::OnPublishSent(const PublishSent& sent,
                                             const ObservedIds& ids) {
  if (tracked() >= kMaxMessages) {
    Exhausted("messages", kMaxMessages);
    return;
  }
  bool fresh = false;
  bool& authorized = may_publish_.Find(sent.client, ids.topic, &fresh);
  if (fresh) {
    authorized = context().authorization->MayPublish(
        AuthenticationName(sent.client), sent.topic);
  }
  const Publisher publisher{sent.client, ids.session, ids.topic};
  if (sent.qos == mqtt::Qos::kAtLeastOnce) {
    pending_.emplace(sent.tag.key(), Pending{publisher, authorized});
  }
  if (authorized) return;
  if (sent.tag.publisher >= unauthorized_.size()) {
    unauthorized_.resize(sent.tag.publisher + 1);
  }
  SequenceRuns<Publisher>& runs = unauthorized_[sent.tag.publisher];
  const size_t before = runs.runs();
  runs.Insert(sent.tag.sequence, publisher);
  unauthorized_runs_ = unauthorized_runs_ + runs.runs() - before;
}

void AuthorizedPublishChecker::OnPublishAcknowledged(
    const PublishAcknowledged& ack) {
  const auto it = pending_.find(ack.tag.key());
  if (it == pending_.end()) return;
  const Publisher message = it->second.publisher;
  const bool authorized = it->second.authorized;
  pending_.erase(it);
  if (mqtt::IsSuccess(ack.reason_code) && !authorized) {
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
             authorized) {
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

void AuthorizedPublishChecker::OnPublishAbandoned(
    const PublishAbandoned& abandoned) {
  pending_.erase(abandoned.tag.key());
}

void AuthorizedPublishChecker::OnMessageReceived(
    const MessageReceived& received, const ObservedIds& /*ids*/) {
  if (received.tag_check != TagCheck::kIntact ||
      received.tag.publisher >= unauthorized_.size()) {
    return;
  }
  const Publisher* message =
      unauthorized_[received.tag.publisher].Find(received.tag.sequence);
  if (message == nullptr) return;
  const std::string_view publisher = names().session(message->session);
  Report({.rule = "delivered-unauthorized",
          .time = received.time,
          .sessions = {std::string(received.client_id), std::string(publisher)},
          .messages = {received.tag},
          .detail = absl::StrCat(
              "session ", ToAbsl(received.client_id), " received ",
              MessageTagName(received.tag), " that ", ToAbsl(publisher), " (",
              ToAbsl(AuthenticationName(message->client)), ") published on ",
              ToAbsl(names().topic(message->topic)),
              " without a publisher permission that matches it")});
}

}  // namespace mqlab::sim
