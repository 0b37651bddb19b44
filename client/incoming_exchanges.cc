#include "client/incoming_exchanges.h"

#include <algorithm>

#include "base/check.h"

namespace mqlab::client {

IncomingExchanges::Exchange* IncomingExchanges::Find(uint16_t packet_id) {
  for (Exchange& exchange : exchanges_) {
    if (exchange.packet_id == packet_id) return &exchange;
  }
  return nullptr;
}

void IncomingExchanges::Add(uint16_t packet_id, mqtt::Qos qos) {
  MQLAB_CHECK(Find(packet_id) == nullptr);
  exchanges_.push_back({.packet_id = packet_id, .qos = qos});
}

void IncomingExchanges::Remove(uint16_t packet_id) {
  const auto it =
      std::find_if(exchanges_.begin(), exchanges_.end(),
                   [&](const Exchange& e) { return e.packet_id == packet_id; });
  MQLAB_CHECK(it != exchanges_.end());
  exchanges_.erase(it);
}

void IncomingExchanges::OnConnectionEnded(bool session_outlives_connection) {
  if (!session_outlives_connection) {
    exchanges_.clear();
    return;
  }
  std::erase_if(exchanges_, [](const Exchange& e) {
    return e.stage == Stage::kAwaitingAck;
  });
}

}  // namespace mqlab::client
