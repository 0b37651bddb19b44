#include "sim/checkers/qos0_at_most_once_checker.h"

#include "absl/strings/str_cat.h"
#include "sim/duration_text.h"

namespace mqlab::sim {

void Qos0AtMostOnceChecker::OnPublishSent(const PublishSent& sent,
                                          const ObservedIds& /*ids*/) {
  if (sent.qos != mqtt::Qos::kAtMostOnce) return;
  if (qos0_messages_.size() >= kMaxMessages) {
    Exhausted("QoS 0 messages", kMaxMessages);
    return;
  }
  qos0_messages_.insert(sent.tag.key());
}

void Qos0AtMostOnceChecker::OnMessageReceived(const MessageReceived& received,
                                              const ObservedIds& ids) {
  if (received.tag_check != TagCheck::kIntact ||
      !qos0_messages_.contains(received.tag.key())) {
    return;
  }
  if (deliveries_.size() >= kMaxDeliveries) {
    Exhausted("QoS 0 deliveries", kMaxDeliveries);
    return;
  }
  const auto [first, fresh] =
      deliveries_.try_emplace({received.tag.key(), ids.session}, received.time);
  if (fresh) return;
  Report({.rule = "duplicate",
          .time = received.time,
          .sessions = {std::string(received.client_id)},
          .messages = {received.tag},
          .detail = absl::StrCat(
              "session ", received.client_id, " received ",
              MessageTagName(received.tag), " (published at QoS 0, topic ",
              received.topic, ") again at t=", FormatDuration(received.time),
              " on connection #", received.connection,
              "; first at t=", FormatDuration(first->second))});
}

}  // namespace mqlab::sim
