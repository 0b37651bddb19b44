// SUBSCRIBE and UNSUBSCRIBE: the subscribe rate, the seed's refusals
// (shared subscriptions, Subscription Identifiers, User Properties),
// filter limits, authorization by Subscriber bindings, the per-session
// count; and re-authorization when permissions change.
#include <algorithm>
#include <string>

#include "base/check.h"
#include "broker/broker_impl.h"
#include "broker/message_limits.h"
#include "mqtt/topic.h"

namespace mqlab::broker {

bool Broker::Impl::TakeSubscriptionRequest(Connection& connection) {
  if (limits_.rate_limits_lifted ||
      connection.session->subscription_requests.TryTake(
          now_, 1, limits_.subscribe_requests_per_second)) {
    return true;
  }
  DisconnectForLimit(connection, mqtt::ReasonCode::kQuotaExceeded,
                     DisconnectionReason::kQuotaExceeded,
                     "subscribe-requests-per-second");
  return false;
}

void Broker::Impl::OnSubscribe(Connection& connection,
                               const mqtt::Subscribe& subscribe) {
  if (!TakeSubscriptionRequest(connection)) return;
  Session& session = *connection.session;
  const mqtt::Properties& properties = subscribe.properties;
  if (!properties.subscription_identifiers.empty()) {
    // CONNACK said Subscription Identifiers Available 0.
    ProtocolViolation(connection,
                      mqtt::ReasonCode::kSubscriptionIdentifiersNotSupported,
                      "[MQTT 5.0 3.2.2.3.12] Subscription Identifiers are not "
                      "supported (CONNACK: Subscription Identifiers "
                      "Available 0)");
    return;
  }
  reason_codes_.clear();
  const auto refuse_all = [&](mqtt::ReasonCode reason_code, EventKind kind,
                              std::string_view detail) {
    Event event = MakeEvent(kind, &connection, &session);
    event.reason_code = reason_code;
    event.detail = detail;
    Report(event);
    reason_codes_.assign(subscribe.subscriptions.size(),
                         static_cast<uint8_t>(reason_code));
  };
  if (!properties.user_properties.empty()) {
    refuse_all(mqtt::ReasonCode::kImplementationSpecificError,
               EventKind::kSubscriptionDenied,
               "User Properties are not allowed on SUBSCRIBE");
  } else if (subscribe.subscriptions.size() >
             limits_.maximum_filters_per_subscribe) {
    refuse_all(mqtt::ReasonCode::kQuotaExceeded, EventKind::kLimitExceeded,
               "maximum-filters-per-subscribe");
  } else {
    for (const mqtt::Subscription& subscription : subscribe.subscriptions) {
      reason_codes_.push_back(
          static_cast<uint8_t>(Subscribe(connection, session, subscription)));
    }
  }
  Send(connection, mqtt::Suback{.packet_id = subscribe.packet_id,
                                .reason_codes = reason_codes_});
}

mqtt::ReasonCode Broker::Impl::Subscribe(
    Connection& connection, Session& session,
    const mqtt::Subscription& subscription) {
  const std::string_view filter = subscription.topic_filter;
  const auto refuse = [&](mqtt::ReasonCode reason_code, EventKind kind,
                          std::string_view detail) {
    Event event = MakeEvent(kind, &connection, &session);
    event.reason_code = reason_code;
    event.topic = filter;
    event.detail = detail;
    Report(event);
    return reason_code;
  };
  // In 3.1.1 "$share/..." is an ordinary filter; Event Grid refuses it in
  // both versions (3.1.1's SUBACK says 0x80).
  if (mqtt::IsSharedSubscriptionFilter(filter)) {
    return refuse(mqtt::ReasonCode::kSharedSubscriptionsNotSupported,
                  EventKind::kSubscriptionDenied,
                  "shared-subscriptions-not-supported");
  }
  if (const std::optional<LimitViolation> violation =
          CheckTopicFilter(filter, limits_)) {
    return refuse(violation->reason_code, EventKind::kLimitExceeded,
                  violation->detail);
  }
  if (session.permissions == nullptr ||
      !session.permissions->CanSubscribe(filter)) {
    return refuse(mqtt::ReasonCode::kNotAuthorized,
                  EventKind::kSubscriptionDenied, "subscribe-not-authorized");
  }
  SessionSubscription* existing = session.FindSubscription(filter);
  if (existing == nullptr && session.subscriptions.size() >=
                                 limits_.maximum_subscriptions_per_session) {
    return refuse(mqtt::ReasonCode::kQuotaExceeded, EventKind::kLimitExceeded,
                  "maximum-subscriptions-per-session");
  }
  mqtt::SubscriptionOptions options = subscription.options;
  options.maximum_qos = std::min(options.maximum_qos, mqtt::Qos::kAtLeastOnce);
  const uint8_t granted = static_cast<uint8_t>(options.maximum_qos);
  const SubscriptionIndex::AddResult added =
      index_.Add(session.id, filter,
                 {.maximum_qos = granted,
                  .no_local = options.no_local,
                  .retain_as_published = options.retain_as_published});
  // The index is sized for every session's every subscription.
  MQLAB_CHECK(added != SubscriptionIndex::AddResult::kFull);
  if (existing != nullptr) {
    existing->options = options;
  } else {
    session.subscriptions.push_back({std::string(filter), options});
  }
  // Retain Handling asks for retained messages; there are none to send.
  return granted == 1 ? mqtt::ReasonCode::kGrantedQos1
                      : mqtt::ReasonCode::kSuccess;
}

void Broker::Impl::OnUnsubscribe(Connection& connection,
                                 const mqtt::Unsubscribe& unsubscribe) {
  if (!TakeSubscriptionRequest(connection)) return;
  Session& session = *connection.session;
  reason_codes_.clear();
  for (const std::string_view filter : unsubscribe.topic_filters) {
    mqtt::ReasonCode reason_code = mqtt::ReasonCode::kNoSubscriptionExisted;
    for (size_t i = 0; i < session.subscriptions.size(); ++i) {
      if (session.subscriptions[i].filter == filter) {
        RemoveSubscription(session, i);
        reason_code = mqtt::ReasonCode::kSuccess;
        break;
      }
    }
    reason_codes_.push_back(static_cast<uint8_t>(reason_code));
  }
  // 3.1.1's UNSUBACK has no reason codes; the encoder leaves them out.
  Send(connection, mqtt::Unsuback{.packet_id = unsubscribe.packet_id,
                                  .reason_codes = reason_codes_});
}

size_t Broker::Impl::Reauthorize(Session& session, std::string_view detail) {
  size_t removed = 0;
  for (size_t i = 0; i < session.subscriptions.size();) {
    const std::string& filter = session.subscriptions[i].filter;
    if (session.permissions != nullptr &&
        session.permissions->CanSubscribe(filter)) {
      ++i;
      continue;
    }
    Event event =
        MakeEvent(EventKind::kSubscriptionDenied, session.connection, &session);
    event.reason_code = mqtt::ReasonCode::kNotAuthorized;
    event.topic = filter;
    event.detail = detail;
    Report(event);
    RemoveSubscription(session, i);
    ++removed;
  }
  return removed;
}

void Broker::Impl::RemoveSubscription(Session& session, size_t index) {
  MQLAB_CHECK(index < session.subscriptions.size());
  const bool removed =
      index_.Remove(session.id, session.subscriptions[index].filter);
  MQLAB_CHECK(removed);
  session.subscriptions.erase(session.subscriptions.begin() + index);
}

}  // namespace mqlab::broker
