// How a Client behaves: protocol version, bounds, timers, reconnection and
// topic alias policy. Fixed for the client's life (what goes into each
// CONNECT is ConnectOptions, given to Connect()).
#ifndef MQLAB_CLIENT_CLIENT_OPTIONS_H_
#define MQLAB_CLIENT_CLIENT_OPTIONS_H_

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "base/time.h"
#include "mqtt/packet.h"

namespace mqlab::client {

// How the client maps outgoing topics to Topic Aliases (MQTT 5.0 section
// 3.3.2.3.4), within the smaller of the server's Topic Alias Maximum and
// ClientOptions::max_topic_aliases. Aliases live for one network connection.
enum class TopicAliasPolicy : uint8_t {
  // Never send a Topic Alias.
  kNone,
  // The first distinct topics get the aliases, in order, and keep them for
  // the connection; later topics go out in full.
  kFirstCome,
  // Every topic gets an alias; when all are taken, the least recently used
  // one is bound to the new topic (the PUBLISH then carries both the topic
  // and the alias, which rebinds it on the server).
  kLeastRecentlyUsed,
};

// When incoming QoS 1 (and QoS 2) messages are acknowledged.
enum class AckMode : uint8_t {
  // As soon as ClientObserver::OnMessage returns, with the reason code the
  // observer chose (Success unless it changed it).
  kAutomatic,
  // When the application calls Client::Acknowledge. Until then the message
  // counts against the client's Receive Maximum.
  kManual,
};

struct ReconnectOptions {
  // Reconnect after a connection ends for any reason but the application's
  // own Disconnect(). false: the client stops (state kIdle) instead.
  bool enabled = true;
  // The n-th consecutive attempt (n from 0) waits
  //   base(n) = min(initial * multiplier^n, maximum)
  // drawn uniformly from [base(n) * (1 - jitter), base(n)] with the caller's
  // Random. The count restarts after a successful CONNACK.
  Duration initial = 1 * kSecond;
  Duration maximum = 60 * kSecond;
  double multiplier = 2.0;  // >= 1.
  double jitter = 0.5;      // In [0, 1].
  // Consecutive failed attempts after which the client gives up (stops,
  // state kIdle); 0: never give up.
  uint32_t max_attempts = 0;
  // A server DISCONNECT with 0x8E Session taken over means another
  // connection now holds the session; reconnecting would take it back and
  // start a tug of war. false: stop instead.
  bool after_session_taken_over = false;
};

struct ClientOptions {
  mqtt::Version version = mqtt::Version::kV5;

  // --- Bounds. Crossing one refuses the call with a status that says so. ---
  // QoS 1 messages accepted and not yet acknowledged (in flight plus
  // queued): Publish() beyond it returns kQueueFull.
  uint32_t max_pending_publishes = 1000;
  // Encoded bytes of those messages: Publish() beyond it returns kQueueFull.
  uint64_t max_pending_publish_bytes = 4 * 1024 * 1024;
  // QoS 1 PUBLISH packets sent and not acknowledged at once: the smaller of
  // this and the server's Receive Maximum (MQTT 3.1.1 has none: this alone).
  uint16_t max_in_flight = 65'535;
  // SUBSCRIBE and UNSUBSCRIBE requests sent or waiting to be sent, not yet
  // answered: Subscribe()/Unsubscribe() beyond it return kTooManyPending.
  uint32_t max_pending_requests = 16;
  // Topic filters the client remembers (granted, or asked for and not yet
  // answered), to subscribe again when a session is not present:
  // Subscribe() beyond it returns kTooManySubscriptions.
  uint32_t max_subscriptions = 100;
  // Filters per SUBSCRIBE when the client subscribes again on its own
  // (Event Grid accepts 10 per SUBSCRIBE). Filters with different
  // Subscription Identifiers go in different SUBSCRIBEs.
  uint32_t resubscribe_batch = 10;
  // Requests (Client::Request) waiting for their response: Request() beyond
  // it returns kTooManyRequests.
  uint32_t max_pending_responses = 64;
  // Outgoing Topic Aliases the client keeps per connection (the server's
  // Topic Alias Maximum caps it further).
  TopicAliasPolicy topic_alias_policy = TopicAliasPolicy::kNone;
  uint16_t max_topic_aliases = 16;
  // Largest packet the client accepts when ConnectOptions sets no Maximum
  // Packet Size: a larger one ends the connection (0x95). It also bounds the
  // receive buffer.
  uint32_t max_incoming_packet_size = 1024 * 1024;

  // --- Timers. ---
  // From OpenConnection() to OnConnected().
  Duration connect_timeout = 30 * kSecond;
  // From sending CONNECT to receiving CONNACK.
  Duration connack_timeout = 10 * kSecond;
  // From sending PINGREQ to receiving PINGRESP; unset: the Keep Alive
  // interval. Past it the connection is taken for dead (a half-open
  // connection) and closed.
  std::optional<Duration> pingresp_timeout{};

  ReconnectOptions reconnect{};
  AckMode ack_mode = AckMode::kAutomatic;
};

// OK, or InvalidArgument naming the first field out of range.
absl::Status ValidateClientOptions(const ClientOptions& options);

}  // namespace mqlab::client

#endif  // MQLAB_CLIENT_CLIENT_OPTIONS_H_
