#include "sim/checkers/publisher_order_checker.h"

#include "absl/strings/str_cat.h"
#include "sim/duration_text.h"

namespace mqlab::sim {

void PublisherOrderChecker::OnPublishSent(const PublishSent& sent,
                                          const ObservedIds& /*ids*/) {
  if (sent.qos != mqtt::Qos::kAtLeastOnce) return;
  if (qos1_messages_.size() >= kMaxMessages) {
    Exhausted("QoS 1 messages", kMaxMessages);
    return;
  }
  qos1_messages_.insert(sent.tag.key());
}

void PublisherOrderChecker::OnMessageReceived(const MessageReceived& received,
                                              const ObservedIds& ids) {
  if (received.tag_check != TagCheck::kIntact ||
      !qos1_messages_.contains(received.tag.key())) {
    return;
  }
  if (delivered_.size() >= kMaxDeliveries) {
    Exhausted("deliveries", kMaxDeliveries);
    return;
  }
  const uint32_t session = ids.session;
  if (!delivered_.insert({received.tag.key(), session}).second) return;
  Latest& latest = latest_[{received.tag.publisher, session}];
  if (received.tag.sequence < latest.sequence) {
    const MessageTag earlier{received.tag.publisher, latest.sequence};
    Report({.rule = "reordered",
            .time = received.time,
            .sessions = {std::string(received.client_id)},
            .messages = {received.tag, earlier},
            .detail = absl::StrCat(
                "session ", received.client_id, " received ",
                MessageTagName(received.tag),
                " for the first time at t=", FormatDuration(received.time),
                ", after ", MessageTagName(earlier),
                " (first received at t=", FormatDuration(latest.time),
                "), which the same publisher published later")});
    return;
  }
  latest = {received.tag.sequence, received.time};
}

}  // namespace mqlab::sim
