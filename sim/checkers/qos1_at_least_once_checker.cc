#include "sim/checkers/qos1_at_least_once_checker.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "sim/duration_text.h"

namespace mqlab::sim {
namespace {

std::string At(Time time) { return absl::StrCat("t=", FormatDuration(time)); }

void EraseValue(std::vector<uint32_t>& values, uint32_t value) {
  const auto it = std::find(values.begin(), values.end(), value);
  if (it != values.end()) values.erase(it);
}

}  // namespace

Qos1AtLeastOnceChecker::Qos1AtLeastOnceChecker(const CheckerContext& context)
    : Checker(CheckerKind::kQos1AtLeastOnce, context),
      lifetimes_(context.names) {}

Qos1AtLeastOnceChecker::Session& Qos1AtLeastOnceChecker::SessionAt(
    uint32_t session, bool rank) {
  if (session >= sessions_.size()) sessions_.resize(session + 1);
  Session& s = sessions_[session];
  if (rank && s.rank == kNoName) s.rank = ranked_++;
  return s;
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
  EraseValue(filters_[subscription.filter].active, id);
  EraseValue(sessions_[subscription.session].active, id);
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
  std::vector<std::pair<Time, Time>>& stretches =
      SessionAt(ids.session, /*rank=*/true).wanted;
  const bool open =
      !stretches.empty() && stretches.back().second == kInfiniteFuture;
  if (intent.wants_connected && !open) {
    stretches.emplace_back(intent.time, kInfiniteFuture);
  } else if (!intent.wants_connected) {
    if (open) {
      stretches.back().second = intent.time;
    } else if (stretches.empty()) {
      // Not wanted from the start: no stretch yet, but intents are known.
      stretches.emplace_back(0, 0);
    }
  }
}

bool Qos1AtLeastOnceChecker::HadTheChance(uint32_t session, Time from,
                                          Time end) const {
  const std::vector<std::pair<Time, Time>>& stretches =
      sessions_[session].wanted;
  if (stretches.empty()) return true;
  const Duration settle = context().settle;
  for (const auto& [start, stop] : stretches) {
    const Time begin = std::max(start, from);
    if (begin + settle <= std::min(stop, end)) return true;
  }
  return false;
}

void Qos1AtLeastOnceChecker::SessionEnded(
    const SessionLifetimes::Ended& ended) {
  if (ended.session < sessions_.size()) {
    // A copy: Deactivate edits the list.
    const std::vector<uint32_t> active = sessions_[ended.session].active;
    for (uint32_t id : active) {
      if (subscriptions_[id].epoch == ended.epoch) {
        Deactivate(id, ended.time, /*unsubscribed=*/false);
      }
    }
  }
  const auto it = expectations_by_epoch_.find(ended.epoch);
  if (it == expectations_by_epoch_.end()) return;
  for (uint32_t index : it->second) {
    Expectation& expectation = expectations_[index];
    if (expectation.state != State::kPending) continue;
    expectation.cause = ended.cause;
    expectation.ended_at = ended.time;
    // A vanished session excuses nothing: the message stays expected.
    if (IsDocumented(ended.cause)) expectation.state = State::kExcused;
  }
  expectations_by_epoch_.erase(it);
}

void Qos1AtLeastOnceChecker::OnSubscribeResult(const SubscribeResult& result,
                                               const ObservedIds& ids) {
  if (!mqtt::IsSuccess(result.reason_code)) return;
  const uint64_t epoch = lifetimes_.OpenEpoch(ids.session);
  if (epoch == 0) {
    CountNotJudged("subscription-outside-a-session");
    return;
  }
  const uint32_t session = ids.session;
  const uint32_t filter = ids.filter;
  Session& s = SessionAt(session, /*rank=*/true);
  if (filter >= filters_.size()) filters_.resize(filter + 1);
  if (!filters_[filter].granted) {
    filters_[filter].granted = true;
    granted_filters_.push_back(filter);
  }
  const bool qos1 = result.reason_code == mqtt::ReasonCode::kGrantedQos1;
  // A SUBSCRIBE of a filter the session holds replaces the subscription
  // without interrupting it [MQTT-3.8.4-3].
  for (uint32_t id : s.active) {
    Subscription& held = subscriptions_[id];
    if (held.filter == filter) {
      held.qos1 = qos1;
      held.no_local = result.no_local;
      return;
    }
  }
  if (subscriptions_.size() >= kMaxSubscriptions) {
    Exhausted("subscriptions", kMaxSubscriptions);
    return;
  }
  Subscription subscription;
  subscription.session = session;
  subscription.filter = filter;
  subscription.epoch = epoch;
  subscription.granted = result.time;
  subscription.qos1 = qos1;
  subscription.no_local = result.no_local;
  subscription.authorized = context().authorization->MaySubscribe(
      AuthenticationName(result.client), result.filter);
  const auto id = static_cast<uint32_t>(subscriptions_.size());
  subscriptions_.push_back(subscription);
  s.active.push_back(id);
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
  if (publishes_.size() >= kMaxMessages) {
    Exhausted("messages", kMaxMessages);
    return;
  }
  Publish publish;
  publish.tag = sent.tag;
  publish.client = sent.client;
  SessionAt(ids.session, /*rank=*/true);
  publish.publisher_session = ids.session;
  publish.topic = ids.topic;
  publish.qos = sent.qos;
  publish.sent = sent.time;
  publish.expiry = sent.message_expiry;
  publish.first_expectation = static_cast<uint32_t>(expectations_.size());
  const auto index = static_cast<uint32_t>(publishes_.size());
  if (!publish_by_tag_.emplace(sent.tag.key(), index).second) {
    Report({.rule = "tag-reused",
            .time = sent.time,
            .sessions = {std::string(sent.client_id)},
            .messages = {sent.tag},
            .detail =
                absl::StrCat("the harness published ", MessageTagName(sent.tag),
                             " twice (a bug in the lab)")});
    return;
  }
  const uint64_t permission_key = uint64_t{sent.client} << 32 | publish.topic;
  auto [permission, fresh] = may_publish_.try_emplace(permission_key, false);
  if (fresh) {
    permission->second = context().authorization->MayPublish(
        AuthenticationName(sent.client), sent.topic);
  }
  if (sent.qos == mqtt::Qos::kAtLeastOnce && permission->second) {
    // One expectation per subscribed session, in session rank order
    // (deliveries find theirs by binary search), listing every QoS 1
    // subscription of it that matches.
    std::vector<std::pair<uint32_t, uint32_t>> matches;  // (rank, sub)
    for (uint32_t filter : MatchingFilters(publish.topic)) {
      for (uint32_t id : filters_[filter].active) {
        const Subscription& subscription = subscriptions_[id];
        if (subscription.granted > sent.time || !subscription.qos1 ||
            !subscription.authorized) {
          continue;
        }
        if (subscription.no_local &&
            subscription.session == publish.publisher_session) {
          continue;
        }
        matches.emplace_back(sessions_[subscription.session].rank, id);
      }
    }
    std::stable_sort(
        matches.begin(), matches.end(),
        [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 0; i < matches.size();) {
      if (expectations_.size() >= kMaxExpectations) {
        Exhausted("expected deliveries", kMaxExpectations);
        return;
      }
      Expectation expectation;
      expectation.publish = index;
      expectation.session = subscriptions_[matches[i].second].session;
      expectation.epoch = subscriptions_[matches[i].second].epoch;
      expectation.subscriptions_begin =
          static_cast<uint32_t>(expectation_subscriptions_.size());
      const uint32_t rank = matches[i].first;
      for (; i < matches.size() && matches[i].first == rank; ++i) {
        expectation_subscriptions_.push_back(matches[i].second);
        ++expectation.subscription_count;
      }
      expectations_by_epoch_[expectation.epoch].push_back(
          static_cast<uint32_t>(expectations_.size()));
      expectations_.push_back(expectation);
      ++publish.expectation_count;
    }
  }
  publishes_.push_back(publish);
}

void Qos1AtLeastOnceChecker::OnPublishAcknowledged(
    const PublishAcknowledged& ack) {
  const auto it = publish_by_tag_.find(ack.tag.key());
  if (it == publish_by_tag_.end()) return;
  Publish& publish = publishes_[it->second];
  const bool success = mqtt::IsSuccess(ack.reason_code);
  if (success) publish.acknowledged = ack.time;
  for (uint32_t i = 0; i < publish.expectation_count; ++i) {
    Expectation& expectation = expectations_[publish.first_expectation + i];
    if (expectation.state == State::kDelivered) continue;
    if (!success) {
      expectation.state = State::kDropped;
      CountNotJudged("refused-by-the-broker");
      continue;
    }
    // The broker routed the message at some moment between the publish and
    // the PUBACK; a subscription dropped in that window may have missed it.
    bool held = false;
    for (uint32_t s = 0; s < expectation.subscription_count; ++s) {
      const uint32_t id =
          expectation_subscriptions_[expectation.subscriptions_begin + s];
      // A session end is judged by its cause (SessionEnded), not here.
      if (!subscriptions_[id].unsubscribed ||
          subscriptions_[id].removed > ack.time) {
        held = true;
      }
    }
    if (!held && expectation.state == State::kPending) {
      expectation.state = State::kDropped;
      CountNotJudged("unsubscribed-while-in-flight");
    }
  }
}

void Qos1AtLeastOnceChecker::OnPublishAbandoned(
    const PublishAbandoned& abandoned) {
  const auto it = publish_by_tag_.find(abandoned.tag.key());
  if (it == publish_by_tag_.end()) return;
  const Publish& publish = publishes_[it->second];
  CountNotJudged("abandoned-by-the-publisher");
  for (uint32_t i = 0; i < publish.expectation_count; ++i) {
    Expectation& expectation = expectations_[publish.first_expectation + i];
    if (expectation.state != State::kDelivered) {
      expectation.state = State::kDropped;
    }
  }
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
                "session ", received.client_id, " received ",
                MessageTagName(received.tag), " on ", received.topic,
                " with a payload that differs from the one published")});
    return;
  }
  const auto it = publish_by_tag_.find(received.tag.key());
  if (it == publish_by_tag_.end()) {
    Report(
        {.rule = "phantom-message",
         .time = received.time,
         .sessions = {std::string(received.client_id)},
         .messages = {received.tag},
         .detail = absl::StrCat("session ", received.client_id, " received ",
                                MessageTagName(received.tag), " on ",
                                received.topic, ", which nobody published")});
    return;
  }
  const Publish& publish = publishes_[it->second];
  if (ids.session >= sessions_.size()) return;
  const uint32_t rank = sessions_[ids.session].rank;
  if (rank == kNoName) return;
  // A publish's expectations are in session rank order (OnPublishSent).
  const auto first = expectations_.begin() + publish.first_expectation;
  const auto last = first + publish.expectation_count;
  const auto expected = std::lower_bound(first, last, rank,
                                         [&](const Expectation& e, uint32_t r) {
                                           return sessions_[e.session].rank < r;
                                         });
  if (expected != last && expected->session == ids.session) {
    expected->state = State::kDelivered;
  }
}

std::string Qos1AtLeastOnceChecker::Describe(
    const Expectation& expectation) const {
  const Publish& publish = publishes_[expectation.publish];
  const Subscription& subscription = subscriptions_
      [expectation_subscriptions_[expectation.subscriptions_begin]];
  std::string text = absl::StrCat(
      MessageTagName(publish.tag), " (topic ",
      ToAbsl(names().topic(publish.topic)), ", QoS 1, from session ",
      ToAbsl(names().session(publish.publisher_session)), ", published ",
      At(publish.sent), ", acknowledged ", At(publish.acknowledged),
      ") never reached session ", ToAbsl(names().session(expectation.session)),
      ", subscribed to ", ToAbsl(names().filter(subscription.filter)),
      " at QoS 1 since ", At(subscription.granted));
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

void Qos1AtLeastOnceChecker::Finish(Time end) {
  const Time judged_until = end - context().settle;
  for (const Expectation& expectation : expectations_) {
    const Publish& publish = publishes_[expectation.publish];
    if (expectation.state == State::kDelivered ||
        expectation.state == State::kDropped) {
      continue;
    }
    if (publish.acknowledged < 0) {
      CountNotJudged("never-acknowledged");
      continue;
    }
    if (expectation.state == State::kExcused) {
      CountException(SessionEndCauseName(expectation.cause));
      continue;
    }
    if (publish.expiry.has_value() && end >= publish.sent + *publish.expiry) {
      CountException("message-expired");
      continue;
    }
    if (publish.acknowledged > judged_until) {
      CountNotJudged("acknowledged-in-the-settle-window");
      continue;
    }
    if (!HadTheChance(expectation.session, publish.acknowledged, end)) {
      CountNotJudged("subscriber-away");
      continue;
    }
    Report(
        {.rule = "message-lost",
         .time = end,
         .sessions = {std::string(names().session(expectation.session)),
                      std::string(names().session(publish.publisher_session))},
         .messages = {publish.tag},
         .detail = Describe(expectation)});
  }
}

}  // namespace mqlab::sim
