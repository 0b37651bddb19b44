#include "sim/checkers/publisher_order_checker.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "sim/duration_text.h"

namespace mqlab::sim {

void PublisherOrderChecker::OnPublishSent(const PublishSent& sent,
                                          const ObservedIds& /*ids*/) {
  if (deliveries_.runs() >= kMaxRuns) {
    Exhausted("runs of messages", kMaxRuns);
    return;
  }
  deliveries_.Published(sent.tag, sent.qos);
}

void PublisherOrderChecker::OnMessageReceived(const MessageReceived& received,
                                              const ObservedIds& ids) {
  if (received.tag_check != TagCheck::kIntact ||
      !deliveries_.Tracked(received.tag)) {
    return;
  }
  if (deliveries_.runs() >= kMaxRuns) {
    Exhausted("runs of messages", kMaxRuns);
    return;
  }
  bool first = false;
  Latest& latest =
      deliveries_.Received(received.tag, ids.session, &first).extra;
  if (!first) return;
  if (received.tag.sequence < latest.sequence) {
    const MessageTag earlier{received.tag.publisher, latest.sequence};
    Report({.rule = "reordered",
            .time = received.time,
            .sessions = {std::string(received.client_id)},
            .messages = {received.tag, earlier},
            .detail = absl::StrCat(
                "session ", ToAbsl(received.client_id), " received ",
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
