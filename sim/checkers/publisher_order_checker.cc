#include "sim/checkers/publisher_order_checker.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "sim/duration_text.h"

namespace mqlab::sim {

PublisherOrderChecker::Publisher& PublisherOrderChecker::PublisherOf(
    uint32_t publisher) {
  if (publisher >= publishers_.size()) publishers_.resize(publisher + 1);
  return publishers_[publisher];
}

bool PublisherOrderChecker::Room() {
  if (deliveries_.runs() + publisher_runs_ < kMaxRuns) return true;
  Exhausted("runs of messages", kMaxRuns);
  return false;
}

void PublisherOrderChecker::Settle(const MessageTag& tag) {
  if (!Room()) return;
  SequenceRuns<>& settled = PublisherOf(tag.publisher).settled;
  const size_t before = settled.runs();
  settled.Insert(tag.sequence);
  publisher_runs_ = publisher_runs_ + settled.runs() - before;
}

void PublisherOrderChecker::OnConnectionEnded(const ConnectionEnded& ended) {
  // A crashed device's client is gone with what it had not sent.
  if (ended.how == ConnectionEnd::kCrashed ||
      ended.publisher >= publishers_.size() || !Room()) {
    return;
  }
  Publisher& publisher = publishers_[ended.publisher];
  const uint64_t unsettled = publisher.settled.FirstMissingFromOne();
  if (unsettled > publisher.latest) return;
  if (!publisher.rounds.empty() && publisher.rounds.back().first == unsettled &&
      publisher.rounds.back().last == publisher.latest) {
    return;  // Nothing was published or settled since the last round.
  }
  publisher.rounds.push_back({unsettled, publisher.latest});
  ++publisher_runs_;
}

void PublisherOrderChecker::OnPublishSent(const PublishSent& sent,
                                          const ObservedIds& /*ids*/) {
  if (!Room()) return;
  deliveries_.Published(sent.tag, sent.qos);
  Publisher& publisher = PublisherOf(sent.tag.publisher);
  publisher.latest = std::max(publisher.latest, sent.tag.sequence);
  if (sent.qos == mqtt::Qos::kAtMostOnce) Settle(sent.tag);
}

void PublisherOrderChecker::OnPublishAcknowledged(
    const PublishAcknowledged& acknowledged) {
  Settle(acknowledged.tag);
}

void PublisherOrderChecker::OnPublishAbandoned(
    const PublishAbandoned& abandoned) {
  Settle(abandoned.tag);
}

uint32_t PublisherOrderChecker::LaterRoundHolding(uint32_t publisher,
                                                  uint32_t after,
                                                  uint64_t sequence) const {
  const std::vector<Round>& rounds = publishers_[publisher].rounds;
  for (uint32_t r = after + 1; r <= rounds.size(); ++r) {
    if (rounds[r - 1].first <= sequence && sequence <= rounds[r - 1].last) {
      return r;
    }
  }
  return 0;
}

void PublisherOrderChecker::OnMessageReceived(const MessageReceived& received,
                                              const ObservedIds& ids) {
  if (received.tag_check != TagCheck::kIntact ||
      !deliveries_.Tracked(received.tag) || !Room()) {
    return;
  }
  bool first = false;
  Latest& latest =
      deliveries_.Received(received.tag, ids.session, &first).extra;
  if (!first) return;
  if (received.tag.sequence < latest.sequence) {
    const uint32_t round = LaterRoundHolding(
        received.tag.publisher, latest.round, received.tag.sequence);
    if (round != 0) {
      CountException("resent-by-publisher");
      latest = {received.tag.sequence, received.time, round};
      return;
    }
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
  latest.sequence = received.tag.sequence;
  latest.time = received.time;
}

}  // namespace mqlab::sim
