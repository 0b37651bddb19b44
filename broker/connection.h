// One transport connection as the broker sees it: its decoder, the protocol
// version its CONNECT chose, the session it serves, its keep-alive, its topic
// aliases, the client's flow-control limits and the back-pressure state.
// Plain data that the broker changes.
#ifndef MQLAB_BROKER_CONNECTION_H_
#define MQLAB_BROKER_CONNECTION_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "base/time.h"
#include "broker/identity.h"
#include "broker/session.h"
#include "broker/timer_queue.h"
#include "broker/topic_alias_table.h"
#include "mqtt/decoder.h"
#include "mqtt/packet.h"

namespace mqlab::broker {

// A PUBACK the broker owes a client whose connection is write-blocked.
struct HeldPuback {
  uint16_t packet_id;
  mqtt::ReasonCode reason_code;
};

struct Connection {
  enum class State : uint8_t {
    kAwaitingConnect,  // Opened; the first packet must be CONNECT.
    kConnected,        // CONNACK success sent; `session` is set.
    kClosed,           // Forgotten; waiting to be freed.
  };

  Connection(ConnectionId id, const TransportIdentity& identity, Time now,
             uint32_t maximum_packet_size)
      : id(id),
        identity(identity),
        decoder(mqtt::DecoderOptions{.maximum_packet_size = maximum_packet_size,
                                     .version = std::nullopt}),
        opened_at(now),
        last_packet_at(now) {}
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const ConnectionId id;
  State state = State::kAwaitingConnect;
  const TransportIdentity identity;
  mqtt::Decoder decoder;
  // Set by the CONNECT.
  mqtt::Version version = mqtt::Version::kV311;
  Session* session = nullptr;
  const Time opened_at;
  // When the last whole packet arrived (keep-alive).
  Time last_packet_at;
  // The connect timeout until CONNECT, then the keep-alive timer.
  TimerId timer = kNoTimer;
  // 1.5 times the keep-alive granted.
  Duration keep_alive_timeout = 0;
  TopicAliasTable topic_aliases;
  // The client's limits on what the broker sends it.
  uint16_t client_receive_maximum = 65535;
  uint32_t client_maximum_packet_size = mqtt::kProtocolMaximumPacketSize;
  // Back-pressure (Broker::OnWriteBlocked).
  bool write_blocked = false;
  uint64_t bytes_sent_while_blocked = 0;
  // PUBACKs owed while write-blocked, in order; at most the Receive Maximum
  // the broker announced.
  std::vector<HeldPuback> held_pubacks;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_CONNECTION_H_
