#include "sim/checkers/qos1_at_least_once_checker.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "base/check.h"
#include "sim/duration_text.h"

namespace mqlab::sim {
namespace {

std::string At(Time time) { return absl::StrCat("t=", FormatDuration(time)); }

void EraseValue(std::vector<uint32_t>& values, uint32_t value) {
  const auto it = std::find(values.begin(), values.end(), value);
  if (it != values.end()) values.erase(it);
}

// A session's list of open expectations is compacted when it has grown by
// this much (plus its size after the last compaction).
constexpr size_t kOpenSlack = 64;

}  // namespace

Qos1AtLeastOnceChecker::Qos1AtLeastOnceChecker(const CheckerContext& context)
    : Checker(CheckerKind::kQos1AtLeastOnce, context),
      lifetimes_(context.names) {}

Qos1AtLeastOnceChecker::Tracked Qos1AtLeastOnceChecker::tracked() const {
  return {.messages = live_.size(),
          .expectations = expectations_ + excused_.size(),
          .subscriptions = live_subscriptions_,
          .published_runs = published_runs_};
}

uint32_t Qos1AtLeastOnceChecker::Rank(uint32_t session) {
  if (session >= ranks_.size()) ranks_.resize(session + 1, kNoName);
  if (ranks_[session] == kNoName) ranks_[session] = ranked_++;
  return ranks_[session];
}

Qos1AtLeastOnceChecker::Session& Qos1AtLeastOnceChecker::SessionAt(
    uint32_t session) {
  Rank(session);
  if (session >= sessions_.size()) sessions_.resize(session + 1);
  return sessions_[session];
}

const std::vector<uint32_t>& Qos1AtLeastOnceChecker::MatchingFilters(
    uint32_t topic) {
  if (topic >= topics_.size()) topics_.resize(topic + 1);
  Topic& t = topics_[topic];
  for (; t.considered < granted_filters_.size(); ++t.considered) {
    const uint32_t filter = granted_filters_[t.considered];
    if (ReferenceMatches(names().filter(filter), names().topic(topic))) {
      t.matching.push_back(filter);
    }
  }
  return t.matching;
}

void Qos1AtLeastOnceChecker::Deactivate(uint32_t id, Time time,
                                        bool unsubscribed) {
  Subscription& subscription = subscriptions_[id];
  subscription.removed = time;
  subscription.unsubscribed = unsubscribed;
  subscription.active = false;
  EraseValue(filters_[subscription.filter].active, id);
  EraseValue(sessions_[subscription.session].active, id);
  if (subscription.references == 0) ReleaseSubscription(id);
}

void Qos1AtLeastOnceChecker::ReleaseSubscription(uint32_t id) {
  free_subscriptions_.push_back(id);
  --live_subscriptions_;
}

template <typename O>
void Qos1AtLeastOnceChecker::Lifetimes(const O& o, const ObservedIds& ids) {
  ended_.clear();
  lifetimes_.Observe(o, ids, &ended_);
  for (const SessionLifetimes::Ended& ended : ended_) SessionEnded(ended);
}

void Qos1AtLeastOnceChecker::OnConnectAttempt(const ConnectAttempt& o,
                                              const ObservedIds& ids) {
  Lifetimes(o, ids);
}

void Qos1AtLeastOnceChecker::OnConnack(const ConnackReceived& o) {
  Lifetimes(o, {});
}

void Qos1AtLeastOnceChecker::OnConnectionEnded(const ConnectionEnded& o) {
  Lifetimes(o, {});
}

void Qos1AtLeastOnceChecker::OnBrokerEvent(const BrokerEventSeen& o,
                                           const ObservedIds& ids) {
  Lifetimes(o, ids);
}

void Qos1AtLeastOnceChecker::OnClientDeleted(const ClientDeleted& o) {
  Lifetimes(o, {});
}

void Qos1AtLeastOnceChecker::OnBrokerRestarted(const BrokerRestarted& o) {
  Lifetimes(o, {});
}

void Qos1AtLeastOnceChecker::OnClientIntent(const ClientIntent& intent,
                                            const ObservedIds& ids) {
  Session& session = SessionAt(ids.session);
  std::vector<std::pair<Time, Time>>& stretches = session.wanted;
  session.intents = true;
  const bool open =
      !stretches.empty() && stretches.back().second == kInfiniteFuture;
  if (intent.wants_connected && !open) {
    stretches.emplace_back(intent.time, kInfiniteFuture);
  } else if (!intent.wants_connected && open) {
    stretches.back().second = intent.time;
    // Shorter than `settle`: it can give no message the chance.
    if (intent.time - stretches.back().first < context().settle) {
      stretches.pop_back();
    }
  }
  // With no message waiting for the session, closed stretches can give no
  // message the chance: later ones are acknowledged after them.
  if (session.pending == 0 && !stretches.empty()) {
    const bool keep_open = stretches.back().second == kInfiniteFuture;
    stretches.erase(stretches.begin(), stretches.end() - (keep_open ? 1 : 0));
  }
}

bool Qos1AtLeastOnceChecker::HadTheChance(uint32_t session, Time from,
                                          Time end) const {
  const Session& s = sessions_[session];
  if (!s.intents) return true;
  const Duration settle = context().settle;
  for (const auto& [start, stop] : s.wanted) {
    const Time begin = std::max(start, from);
    if (begin + settle <= std::min(stop, end)) return true;
  }
  return false;
}

void Qos1AtLeastOnceChecker::SetState(Message& message,
                                      Expectation& expectation, State state) {
  if (expectation.state == State::kPending) {
    --message.pending;
    --sessions_[expectation.session].pending;
  }
  expectation.state = state;
}

uint32_t Qos1AtLeastOnceChecker::Live(const MessageTag& tag) const {
  const auto it = live_.find(tag.key());
  return it == live_.end() ? kNoName : it->second;
}

void Qos1AtLeastOnceChecker::SessionEnded(
    const SessionLifetimes::Ended& ended) {
  if (ended.session >= sessions_.size()) return;
  Session& session = sessions_[ended.session];
  // A copy: Deactivate edits the list.
  const std::vector<uint32_t> active = session.active;
  for (uint32_t id : active) {
    if (subscriptions_[id].epoch == ended.epoch) {
      Deactivate(id, ended.time, /*unsubscribed=*/false);
    }
  }
  // Every expectation of the session's open epoch is on its list.
  std::vector<Open> open = std::move(session.open);
  session.open.clear();
  session.open_compacted = 0;
  for (const Open& entry : open) {
    Message& message = messages_[entry.slot];
    if (message.generation != entry.generation) continue;  // Retired.
    Expectation& expectation = message.expectations[entry.expectation];
    if (expectation.state != State::kPending) continue;
    expectation.cause = ended.cause;
    expectation.ended_at = ended.time;
    // A vanished session excuses nothing: the message stays expected.
    if (IsDocumented(ended.cause)) {
      SetState(message, expectation, State::kExcused);
      RetireIfDone(entry.slot);
    }
  }
}

void Qos1AtLeastOnceChecker::OnSubscribeResult(const SubscribeResult& result,
                                               const ObservedIds& ids) {
  if (!mqtt::IsSuccess(result.reason_code)) return;
  const uint64_t epoch = lifetimes_.OpenEpoch(ids.session);
  if (epoch == 0) {
    CountNotJudged("subscription-outside-a-session");
    return;
  }
  const uint32_t filter = ids.filter;
  Session& session = SessionAt(ids.session);
  if (filter >= filters_.size()) filters_.resize(filter + 1);
  if (!filters_[filter].granted) {
    filters_[filter].granted = true;
    granted_filters_.push_back(filter);
  }
  const bool qos1 = result.reason_code == mqtt::ReasonCode::kGrantedQos1;
  // A SUBSCRIBE of a filter the session holds replaces the subscription
  // without interrupting it [MQTT-3.8.4-3].
  for (uint32_t id : session.active) {
    Subscription& held = subscriptions_[id];
    if (held.filter == filter) {
      held.qos1 = qos1;
      held.no_local = result.no_local;
      return;
    }
  }
  if (live_subscriptions_ >= kMaxSubscriptions) {
    Exhausted("subscriptions", kMaxSubscriptions);
    return;
  }
  Subscription subscription;
  subscription.session = ids.session;
  subscription.filter = filter;
  subscription.epoch = epoch;
  subscription.granted = result.time;
  subscription.active = true;
  subscription.qos1 = qos1;
  subscription.no_local = result.no_local;
  subscription.authorized = context().authorization->MaySubscribe(
      AuthenticationName(result.client), result.filter);
  uint32_t id;
  if (free_subscriptions_.empty()) {
    id = static_cast<uint32_t>(subscriptions_.size());
    subscriptions_.push_back(subscription);
  } else {
    id = free_subscriptions_.back();
    free_subscriptions_.pop_back();
    subscriptions_[id] = subscription;
  }
  ++live_subscriptions_;
  session.active.push_back(id);
  filters_[filter].active.push_back(id);
}

void Qos1AtLeastOnceChecker::OnUnsubscribeSent(
    const UnsubscribeSent& unsubscribe, const ObservedIds& ids) {
  if (ids.session >= sessions_.size()) return;
  for (uint32_t id : sessions_[ids.session].active) {
    if (subscriptions_[id].filter == ids.filter) {
      Deactivate(id, unsubscribe.time, /*unsubscribed=*/true);
      return;
    }
  }
}

void Qos1AtLeastOnceChecker::OnPublishSent(const PublishSent& sent,
                                           const ObservedIds& ids) {
  Rank(ids.session);
  if (sent.tag.publisher >= published_.size()) {
    published_.resize(sent.tag.publisher + 1);
  }
  SequenceRuns<>& published = published_[sent.tag.publisher];
  const size_t runs = published.runs();
  if (!published.Insert(sent.tag.sequence)) {
    Report({.rule = "tag-reused",
            .time = sent.time,
            .sessions = {std::string(sent.client_id)},
            .messages = {sent.tag},
            .detail =
                absl::StrCat("the harness published ", MessageTagName(sent.tag),
                             " twice (a bug in the lab)")});
    return;
  }
  published_runs_ = published_runs_ + published.runs() - runs;
  if (published_runs_ > kMaxPublishedRuns) {
    Exhausted("runs of published messages", kMaxPublishedRuns);
    return;
  }
  if (sent.qos != mqtt::Qos::kAtLeastOnce) return;
  bool fresh = false;
  bool& may_publish = may_publish_.Find(sent.client, ids.topic, &fresh);
  if (fresh) {
    may_publish = context().authorization->MayPublish(
        AuthenticationName(sent.client), sent.topic);
  }
  if (!may_publish) return;
  // One expectation per subscribed session, listing every QoS 1
  // subscription of it that matches.
  matches_.clear();
  for (uint32_t filter : MatchingFilters(ids.topic)) {
    for (uint32_t id : filters_[filter].active) {
      const Subscription& subscription = subscriptions_[id];
      if (subscription.granted > sent.time || !subscription.qos1 ||
          !subscription.authorized) {
        continue;
      }
      if (subscription.no_local && subscription.session == ids.session) {
        continue;
      }
      matches_.push_back({ranks_[subscription.session],
                          static_cast<uint32_t>(matches_.size()), id});
    }
  }
  if (matches_.empty()) return;
  std::sort(matches_.begin(), matches_.end(),
            [](const Match& a, const Match& b) {
              return a.rank != b.rank ? a.rank < b.rank : a.found < b.found;
            });
  if (live_.size() >= kMaxMessages) {
    Exhausted("messages", kMaxMessages);
    return;
  }
  if (expectations_ + excused_.size() + matches_.size() > kMaxExpectations) {
    Exhausted("expected deliveries", kMaxExpectations);
    return;
  }
  uint32_t slot;
  if (free_slots_.empty()) {
    slot = static_cast<uint32_t>(messages_.size());
    messages_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  Message& message = messages_[slot];
  message.tag = sent.tag;
  message.order = published_with_expectations_++;
  message.publisher_session = ids.session;
  message.topic = ids.topic;
  message.sent = sent.time;
  message.acknowledged = -1;
  message.expires = sent.message_expiry.has_value()
                        ? sent.time + *sent.message_expiry
                        : kInfiniteFuture;
  message.settled = false;
  for (size_t i = 0; i < matches_.size();) {
    const Subscription& first = subscriptions_[matches_[i].subscription];
    Expectation expectation;
    expectation.session = first.session;
    expectation.filter = first.filter;
    expectation.granted = first.granted;
    expectation.subscriptions_begin =
        static_cast<uint32_t>(message.subscriptions.size());
    const uint32_t rank = matches_[i].rank;
    for (; i < matches_.size() && matches_[i].rank == rank; ++i) {
      message.subscriptions.push_back(matches_[i].subscription);
      ++subscriptions_[matches_[i].subscription].references;
      ++expectation.subscription_count;
    }
    Session& session = sessions_[expectation.session];
    if (session.open.size() >= 2 * session.open_compacted + kOpenSlack) {
      std::erase_if(session.open, [&](const Open& entry) {
        const Message& m = messages_[entry.slot];
        return m.generation != entry.generation ||
               m.expectations[entry.expectation].state != State::kPending;
      });
      session.open_compacted = session.open.size();
    }
    session.open.push_back(
        {slot, message.generation,
         static_cast<uint32_t>(message.expectations.size())});
    ++session.pending;
    message.expectations.push_back(expectation);
  }
  message.pending = static_cast<uint32_t>(message.expectations.size());
  expectations_ += message.expectations.size();
  live_.emplace(sent.tag.key(), slot);
}

void Qos1AtLeastOnceChecker::Settle(Message& message) {
  message.settled = true;
  for (uint32_t id : message.subscriptions) {
    Subscription& subscription = subscriptions_[id];
    if (--subscription.references == 0 && !subscription.active) {
      ReleaseSubscription(id);
    }
  }
  message.subscriptions.clear();
}

void Qos1AtLeastOnceChecker::RetireIfDone(uint32_t slot) {
  Message& message = messages_[slot];
  if (!message.settled || message.pending != 0) return;
  for (const Expectation& expectation : message.expectations) {
    if (expectation.state != State::kExcused) continue;
    // Settled by a failure or an abandonment, it would have been dropped.
    MQLAB_CHECK(message.acknowledged >= 0);
    excused_.emplace(std::pair(message.tag.key(), expectation.session),
                     expectation.cause);
  }
  expectations_ -= message.expectations.size();
  message.expectations.clear();
  live_.erase(message.tag.key());
  ++message.generation;
  free_slots_.push_back(slot);
}

void Qos1AtLeastOnceChecker::OnPublishAcknowledged(
    const PublishAcknowledged& ack) {
  const uint32_t slot = Live(ack.tag);
  if (slot == kNoName || messages_[slot].settled) return;
  Message* message = &messages_[slot];
  const bool success = mqtt::IsSuccess(ack.reason_code);
  if (success) message->acknowledged = ack.time;
  for (Expectation& expectation : message->expectations) {
    if (expectation.state == State::kDelivered) continue;
    if (!success) {
      SetState(*message, expectation, State::kDropped);
      CountNotJudged("refused-by-the-broker");
      continue;
    }
    // The broker routed the message at some moment between the publish and
    // the PUBACK; a subscription dropped in that window may have missed it.
    bool held = false;
    for (uint32_t s = 0; s < expectation.subscription_count; ++s) {
      const Subscription& subscription = subscriptions_
          [message->subscriptions[expectation.subscriptions_begin + s]];
      // A session end is judged by its cause (SessionEnded), not here.
      if (!subscription.unsubscribed || subscription.removed > ack.time) {
        held = true;
      }
    }
    if (!held && expectation.state == State::kPending) {
      SetState(*message, expectation, State::kDropped);
      CountNotJudged("unsubscribed-while-in-flight");
    }
  }
  Settle(*message);
  RetireIfDone(slot);
}

void Qos1AtLeastOnceChecker::OnPublishAbandoned(
    const PublishAbandoned& abandoned) {
  const uint32_t slot = Live(abandoned.tag);
  if (slot == kNoName) {
    // Published with no expectation (or retired).
    const uint32_t publisher = abandoned.tag.publisher;
    if (publisher < published_.size() &&
        published_[publisher].Contains(abandoned.tag.sequence)) {
      CountNotJudged("abandoned-by-the-publisher");
    }
    return;
  }
  Message* message = &messages_[slot];
  if (message->settled) return;
  CountNotJudged("abandoned-by-the-publisher");
  for (Expectation& expectation : message->expectations) {
    if (expectation.state != State::kDelivered) {
      SetState(*message, expectation, State::kDropped);
    }
  }
  Settle(*message);
  RetireIfDone(slot);
}

void Qos1AtLeastOnceChecker::OnMessageReceived(const MessageReceived& received,
                                               const ObservedIds& ids) {
  if (received.tag_check == TagCheck::kUntagged) {
    CountNotJudged("untagged-deliveries");
    return;
  }
  if (received.tag_check == TagCheck::kCorrupt) {
    Report({.rule = "corrupt-payload",
            .time = received.time,
            .sessions = {std::string(received.client_id)},
            .messages = {received.tag},
            .detail = absl::StrCat(
                "session ", ToAbsl(received.client_id), " received ",
                MessageTagName(received.tag), " on ", ToAbsl(received.topic),
                " with a payload that differs from the one published")});
    return;
  }
  const uint32_t slot = Live(received.tag);
  if (slot == kNoName) {
    const uint32_t publisher = received.tag.publisher;
    if (publisher < published_.size() &&
        published_[publisher].Contains(received.tag.sequence)) {
      // Retired, or never expected anywhere: a late copy only takes an
      // excuse back.
      if (!excused_.empty()) {
        excused_.erase(std::pair(received.tag.key(), ids.session));
      }
      return;
    }
    Report({.rule = "phantom-message",
            .time = received.time,
            .sessions = {std::string(received.client_id)},
            .messages = {received.tag},
            .detail = absl::StrCat("session ", ToAbsl(received.client_id),
                                   " received ", MessageTagName(received.tag),
                                   " on ", ToAbsl(received.topic),
                                   ", which nobody published")});
    return;
  }
  if (ids.session >= ranks_.size()) return;
  const uint32_t rank = ranks_[ids.session];
  if (rank == kNoName) return;
  Message& message = messages_[slot];
  // A message's expectations are in session rank order (OnPublishSent).
  const auto expected = std::lower_bound(
      message.expectations.begin(), message.expectations.end(), rank,
      [&](const Expectation& e, uint32_t r) { return ranks_[e.session] < r; });
  if (expected != message.expectations.end() &&
      expected->session == ids.session) {
    SetState(message, *expected, State::kDelivered);
    RetireIfDone(slot);
  }
}

std::string Qos1AtLeastOnceChecker::Describe(
    const Message& message, const Expectation& expectation) const {
  std::string text = absl::StrCat(
      MessageTagName(message.tag), " (topic ",
      ToAbsl(names().topic(message.topic)), ", QoS 1, from session ",
      ToAbsl(names().session(message.publisher_session)), ", published ",
      At(message.sent), ", acknowledged ", At(message.acknowledged),
      ") never reached session ", ToAbsl(names().session(expectation.session)),
      ", subscribed to ", ToAbsl(names().filter(expectation.filter)),
      " at QoS 1 since ", At(expectation.granted));
  if (expectation.ended_at >= 0) {
    absl::StrAppend(&text,
                    "; the session was not present when its client "
                    "resumed it at ",
                    At(expectation.ended_at),
                    " although no expiry, overflow, deletion or broker "
                    "restart was reported");
  }
  return text;
}

void Qos1AtLeastOnceChecker::Judge(const Message& message,
                                   const Expectation& expectation, Time end) {
  if (expectation.state == State::kDelivered ||
      expectation.state == State::kDropped) {
    return;
  }
  if (message.acknowledged < 0) {
    CountNotJudged("never-acknowledged");
    return;
  }
  if (expectation.state == State::kExcused) {
    CountException(SessionEndCauseName(expectation.cause));
    return;
  }
  if (end >= message.expires) {
    CountException("message-expired");
    return;
  }
  if (message.acknowledged > end - context().settle) {
    CountNotJudged("acknowledged-in-the-settle-window");
    return;
  }
  if (!HadTheChance(expectation.session, message.acknowledged, end)) {
    CountNotJudged("subscriber-away");
    return;
  }
  Report({.rule = "message-lost",
          .time = end,
          .sessions = {std::string(names().session(expectation.session)),
                       std::string(names().session(message.publisher_session))},
          .messages = {message.tag},
          .detail = Describe(message, expectation)});
}

void Qos1AtLeastOnceChecker::Finish(Time end) {
  // The messages still tracked, in publish order.
  std::vector<const Message*> live;
  live.reserve(live_.size());
  for (const auto& [key, slot] : live_) live.push_back(&messages_[slot]);
  std::sort(live.begin(), live.end(), [](const Message* a, const Message* b) {
    return a->order < b->order;
  });
  for (const Message* message : live) {
    for (const Expectation& expectation : message->expectations) {
      Judge(*message, expectation, end);
    }
  }
  for (const auto& [delivery, cause] : excused_) {
    CountException(SessionEndCauseName(cause));
  }
}

}  // namespace mqlab::sim
