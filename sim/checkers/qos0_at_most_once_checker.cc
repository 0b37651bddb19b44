#include "sim/checkers/qos0_at_most_once_checker.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "sim/duration_text.h"

namespace mqlab::sim {

void Qos0AtMostOnceChecker::OnPublishSent(const PublishSent& sent,
                                          const ObservedIds& /*ids*/) {
  if (deliveries_.runs() >= kMaxRuns) {
    Exhausted("runs of messages", kMaxRuns);
    return;
  }
  deliveries_.Published(sent.tag, sent.qos);
}

void Qos0AtMostOnceChecker::OnMessageReceived(const MessageReceived& received,
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
  Recent& recent =
      deliveries_.Received(received.tag, ids.session, &first).extra;
  if (first) {
    recent.first[recent.next++ % kRecentPerPair] = {received.tag.sequence,
                                                    received.time};
    return;
  }
  std::string when;
  const size_t kept = std::min<size_t>(recent.next, kRecentPerPair);
  for (size_t i = 0; i < kept; ++i) {
    if (recent.first[i].first == received.tag.sequence) {
      when =
          absl::StrCat("first at t=", FormatDuration(recent.first[i].second));
    }
  }
  if (when.empty()) {
    // Older than the remembered ones: before the oldest of them.
    when = absl::StrCat(
        "first before t=",
        FormatDuration(recent.first[recent.next % kRecentPerPair].second));
  }
  Report({.rule = "duplicate",
          .time = received.time,
          .sessions = {std::string(received.client_id)},
          .messages = {received.tag},
          .detail = absl::StrCat(
              "session ", ToAbsl(received.client_id), " received ",
              MessageTagName(received.tag), " (published at QoS 0, topic ",
              ToAbsl(received.topic),
              ") again at t=", FormatDuration(received.time),
              " on connection #", received.connection, "; ", when)});
}

}  // namespace mqlab::sim
