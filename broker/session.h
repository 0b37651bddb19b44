// A session: the state Event Grid keeps for one ClientId (the session name)
// across connections: who owns it, its subscriptions, what it owes its
// subscriber (delivery queue), its expiry and its rate limits. Plain data
// that the broker changes; the subscription index mirrors `subscriptions`.
//
// Kept compact (bench/broker_bench.cc measures an idle persistent session
// with one subscription at about 1 KiB of heap, index included): strings are
// the only variable parts, and an offline session's empty queues own no
// memory.
#ifndef MQLAB_BROKER_SESSION_H_
#define MQLAB_BROKER_SESSION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "broker/authorization.h"
#include "broker/delivery_queue.h"
#include "broker/rate_limiter.h"
#include "broker/subscription_index.h"
#include "broker/timer_queue.h"
#include "mqtt/packet.h"

namespace mqlab::broker {

struct Connection;

// Sessions are numbered for the subscription index; fan-out delivers in
// ascending order of these numbers.
using SessionId = SubscriberId;

struct SessionSubscription {
  std::string filter;
  // As granted: maximum_qos is min(requested, 1).
  mqtt::SubscriptionOptions options;
};

struct Session {
  Session(SessionId id, std::string client_id, std::string client_name,
          std::string authentication_name)
      : id(id),
        client_id(std::move(client_id)),
        client_name(std::move(client_name)),
        authentication_name(std::move(authentication_name)) {}
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // The subscription with exactly this filter, or null.
  SessionSubscription* FindSubscription(std::string_view filter);

  const SessionId id;
  const std::string client_id;
  // The client resource that owns it, and its authentication name (as
  // configured). A CONNECT with another authentication name may not use it.
  const std::string client_name;
  const std::string authentication_name;
  // The owner's compiled permissions, refreshed when the namespace changes
  // and when the session is resumed.
  std::shared_ptr<const ClientPermissions> permissions;
  // Null while the session is offline.
  Connection* connection = nullptr;
  // 0: the session ends with its connection.
  uint32_t expiry_seconds = 0;
  // The owner was deleted: nobody may resume the session; it keeps its name
  // until it expires.
  bool orphaned = false;
  // Set when the session ended: it is waiting to be freed.
  bool ended = false;
  // Pending while the session is offline.
  TimerId expiry_timer = kNoTimer;
  std::vector<SessionSubscription> subscriptions;
  DeliveryQueue deliveries;
  // Event Grid's per-session rates.
  RateLimiter published_messages;
  RateLimiter published_bytes;
  RateLimiter subscription_requests;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_SESSION_H_
