#include "broker/delivery_queue.h"

#include <utility>

#include "base/check.h"

namespace mqlab::broker {
namespace {

constexpr uint32_t kPacketIds = 65535;  // 1..65535.

}  // namespace

uint16_t DeliveryQueue::Following(uint16_t packet_id, size_t steps) {
  return static_cast<uint16_t>((packet_id - 1 + steps) % kPacketIds + 1);
}

void DeliveryQueue::Add(DeliveryCounts& counts, const StoredMessage& message) {
  ++counts.messages;
  counts.bytes += message.size();
}

void DeliveryQueue::Subtract(DeliveryCounts& counts,
                             const StoredMessage& message) {
  MQLAB_CHECK(counts.messages > 0 && counts.bytes >= message.size());
  --counts.messages;
  counts.bytes -= message.size();
}

void DeliveryQueue::PushPending(PendingDelivery delivery) {
  MQLAB_CHECK(delivery.message && delivery.qos <= 1);
  Add(CountsFor(delivery.qos), *delivery.message);
  pending_.push_back(std::move(delivery));
}

PendingDelivery DeliveryQueue::PopPending() {
  PendingDelivery delivery = std::move(pending_.front());
  pending_.pop_front();
  Subtract(CountsFor(delivery.qos), *delivery.message);
  return delivery;
}

uint16_t DeliveryQueue::next_packet_id() const {
  return Following(first_packet_id_, in_flight_.size());
}

uint16_t DeliveryQueue::StartInFlight(MessageRef message) {
  MQLAB_CHECK(message);
  MQLAB_CHECK_MSG(in_flight_.size() < kPacketIds,
                  "the in-flight window would reuse a packet identifier");
  const uint16_t packet_id = next_packet_id();
  Add(qos1_, *message);
  in_flight_.push_back(std::move(message));
  ++in_flight_live_;
  return packet_id;
}

bool DeliveryQueue::Acknowledge(uint16_t packet_id) {
  if (packet_id == 0 || in_flight_.empty()) return false;
  const size_t offset =
      (packet_id + kPacketIds - first_packet_id_) % kPacketIds;
  if (offset >= in_flight_.size() || !in_flight_[offset]) return false;
  Subtract(qos1_, *in_flight_[offset]);
  in_flight_[offset] = MessageRef();
  --in_flight_live_;
  while (!in_flight_.empty() && !in_flight_.front()) {
    in_flight_.pop_front();
    first_packet_id_ = Following(first_packet_id_, 1);
  }
  return true;
}

void DeliveryQueue::Clear() {
  pending_.clear();
  in_flight_.clear();
  in_flight_live_ = 0;
  qos1_ = {};
  qos0_ = {};
}

}  // namespace mqlab::broker
