#include "sim/checkers/qos0_at_most_once_checker.h"

#include "absl/strings/str_cat.h"
#include "sim/duration_text.h"

namespace mqlab::sim {

uint32_t Qos0AtMostOnceChecker::SessionId(const std::string& client_id) {
  return session_ids_
      .try_emplace(client_id, static_cast<uint32_t>(session_ids_.size()))
      .first->second;
}

void Qos0AtMostOnceChecker::Observe(const Observation& observation) {
  if (const auto* sent = std::get_if<PublishSent>(&observation)) {
    if (sent->qos != mqtt::Qos::kAtMostOnce) return;
    if (qos0_messages_.size() >= kMaxMessages) {
      Exhausted("QoS 0 messages", kMaxMessages);
      return;
    }
    qos0_messages_.insert(sent->tag.key());
    return;
  }
  const auto* received = std::get_if<MessageReceived>(&observation);
  if (received == nullptr || received->tag_check != TagCheck::kIntact ||
      !qos0_messages_.contains(received->tag.key())) {
    return;
  }
  if (deliveries_.size() >= kMaxDeliveries) {
    Exhausted("QoS 0 deliveries", kMaxDeliveries);
    return;
  }
  const auto [first, fresh] = deliveries_.try_emplace(
      {received->tag.key(), SessionId(received->client_id)}, received->time);
  if (fresh) return;
  Report({.rule = "duplicate",
          .time = received->time,
          .sessions = {received->client_id},
          .messages = {received->tag},
          .detail = absl::StrCat(
              "session ", received->client_id, " received ",
              MessageTagName(received->tag), " (published at QoS 0, topic ",
              received->topic, ") again at t=", FormatDuration(received->time),
              " on connection #", received->connection,
              "; first at t=", FormatDuration(first->second))});
}

}  // namespace mqlab::sim
