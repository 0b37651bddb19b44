// The QoS 1 and 2 messages from the server a client has not finished with:
// a QoS 1 message until its PUBACK is sent (AckMode::kManual only; automatic
// acknowledgements leave no trace), a QoS 2 message until its PUBREC is sent
// and then until the server's PUBREL arrives. Together they count against
// the Receive Maximum the client sent; the table never holds more (the
// client ends the connection with 0x93 first).
#ifndef MQLAB_CLIENT_INCOMING_EXCHANGES_H_
#define MQLAB_CLIENT_INCOMING_EXCHANGES_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "mqtt/packet.h"

namespace mqlab::client {

class IncomingExchanges {
 public:
  enum class Stage : uint8_t {
    kAwaitingAck,     // Delivered; the application has not acknowledged.
    kAwaitingPubrel,  // QoS 2: PUBREC sent; PUBCOMP follows PUBREL.
  };
  struct Exchange {
    uint16_t packet_id = 0;
    mqtt::Qos qos = mqtt::Qos::kAtLeastOnce;
    Stage stage = Stage::kAwaitingAck;
  };

  size_t size() const { return exchanges_.size(); }

  // The exchange with `packet_id`, or null. Valid until the next change.
  Exchange* Find(uint16_t packet_id);
  void Add(uint16_t packet_id, mqtt::Qos qos);
  void Remove(uint16_t packet_id);

  // A connection ended. Messages the application has not acknowledged are
  // forgotten (the server sends them again, DUP set, if the session
  // resumes); QoS 2 messages past PUBREC stay when the session outlives the
  // connection, so that a resent PUBLISH is not delivered twice.
  void OnConnectionEnded(bool session_outlives_connection);
  void Clear() { exchanges_.clear(); }

 private:
  std::vector<Exchange> exchanges_;  // In arrival order.
};

}  // namespace mqlab::client

#endif  // MQLAB_CLIENT_INCOMING_EXCHANGES_H_
