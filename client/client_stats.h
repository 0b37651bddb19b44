// Counters a Client keeps from its construction, for the simulator's summary
// and the load generator. All deterministic.
#ifndef MQLAB_CLIENT_CLIENT_STATS_H_
#define MQLAB_CLIENT_CLIENT_STATS_H_

#include <cstdint>

namespace mqlab::client {

struct ClientStats {
  // Connections.
  uint64_t connection_attempts = 0;  // OpenConnection() calls.
  uint64_t connacks_accepted = 0;
  uint64_t connacks_refused = 0;
  uint64_t reconnects_scheduled = 0;
  uint64_t disconnects = 0;  // DisconnectedEvents.
  uint64_t keep_alive_timeouts = 0;
  uint64_t protocol_errors = 0;  // Detected in what the server sent.

  // Outgoing messages.
  uint64_t qos0_sent = 0;
  uint64_t qos1_accepted = 0;      // Publish() returned kAccepted.
  uint64_t qos1_sent = 0;          // First transmissions.
  uint64_t qos1_resent = 0;        // Retransmissions with DUP.
  uint64_t qos1_acknowledged = 0;  // PUBACK with a success code.
  uint64_t qos1_rejected = 0;      // PUBACK with a failure code.
  uint64_t qos1_failed = 0;        // OnPublishFailed.
  uint64_t publishes_refused = 0;  // Publish() refused at the call.

  // Incoming messages.
  uint64_t messages_received = 0;
  uint64_t duplicates_received = 0;  // DUP set.
  uint64_t acks_sent = 0;            // PUBACK and PUBREC.
  uint64_t unmatched_acks = 0;       // PUBACK/SUBACK/UNSUBACK for no one.

  // Subscriptions and requests.
  uint64_t subscribes_sent = 0;
  uint64_t unsubscribes_sent = 0;
  uint64_t requests_sent = 0;
  uint64_t responses_received = 0;
  uint64_t requests_timed_out = 0;

  // Wire.
  uint64_t pings_sent = 0;
  uint64_t raw_sends = 0;  // SendPacket and SendRaw.
  uint64_t packets_sent = 0;
  uint64_t packets_received = 0;
  uint64_t bytes_sent = 0;
  uint64_t bytes_received = 0;
};

}  // namespace mqlab::client

#endif  // MQLAB_CLIENT_CLIENT_STATS_H_
