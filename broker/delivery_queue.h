// What one session owes its subscriber: deliveries waiting to be sent
// (pending, in routing order) and QoS 1 PUBLISHes sent but not yet
// acknowledged (in flight, in send order). A data structure only: the broker
// decides when to send, queue, drop or end the session.
//
// In-flight messages take consecutive packet identifiers (1..65535, wrapping,
// 0 skipped): slot i of the in-flight window holds identifier first + i, so
// an acknowledgement finds its message in O(1) and a new message takes the
// identifier after the window's last. MQTT requires clients to acknowledge
// QoS 1 in order [MQTT-4.6.0-2]; an out-of-order PUBACK leaves a gap that
// closes when the older ones are acknowledged. Since the window never spans
// more than 65,535 slots (the broker keeps it within the client's Receive
// Maximum), no identifier is ever in use twice.
#ifndef MQLAB_BROKER_DELIVERY_QUEUE_H_
#define MQLAB_BROKER_DELIVERY_QUEUE_H_

#include <cstddef>
#include <cstdint>

#include "base/time.h"
#include "broker/ring_queue.h"
#include "broker/stored_message.h"

namespace mqlab::broker {

struct PendingDelivery {
  MessageRef message;
  uint8_t qos = 0;
};

// How much a queue holds, for Event Grid's per-session queue limits.
struct DeliveryCounts {
  uint32_t messages = 0;
  uint64_t bytes = 0;
};

class DeliveryQueue {
 public:
  DeliveryQueue() = default;
  DeliveryQueue(const DeliveryQueue&) = delete;
  DeliveryQueue& operator=(const DeliveryQueue&) = delete;

  // Pending deliveries.
  bool pending_empty() const { return pending_.empty(); }
  size_t pending_size() const { return pending_.size(); }
  const PendingDelivery& front_pending() { return pending_.front(); }
  void PushPending(PendingDelivery delivery);
  PendingDelivery PopPending();
  // Removes the pending deliveries `remove` holds for, in order, and calls
  // `removed(delivery)` for each (after the queue's counts are updated).
  template <typename Predicate, typename Callback>
  void RemovePending(Predicate remove, Callback removed);

  // In flight. window() counts slots from the oldest unacknowledged message
  // to the newest sent, gaps included: it is what flow control limits.
  size_t window() const { return in_flight_.size(); }
  size_t in_flight_count() const { return in_flight_live_; }
  // The identifier StartInFlight will use next.
  uint16_t next_packet_id() const;
  // Puts `message` in flight under next_packet_id(), which it returns.
  uint16_t StartInFlight(MessageRef message);
  // Completes the in-flight message with this identifier; false when none
  // is in flight under it (never sent, or acknowledged already).
  bool Acknowledge(uint16_t packet_id);
  // Calls `visit(packet_id, message)` for each in-flight message, oldest
  // first (redelivery on resume).
  template <typename Visitor>
  void ForEachInFlight(Visitor visit) const;

  // QoS 1 messages not yet acknowledged: pending and in flight. Event Grid's
  // queue limit counts these.
  const DeliveryCounts& qos1() const { return qos1_; }
  // QoS 0 deliveries pending (bounded by the same numbers, separately).
  const DeliveryCounts& qos0() const { return qos0_; }

  // Drops everything (the session ended).
  void Clear();
  // Gives back the memory of empty queues (the session went offline).
  void Trim() {
    pending_.Trim();
    in_flight_.Trim();
  }

 private:
  static uint16_t Following(uint16_t packet_id, size_t steps);
  DeliveryCounts& CountsFor(uint8_t qos) { return qos == 0 ? qos0_ : qos1_; }
  static void Add(DeliveryCounts& counts, const StoredMessage& message);
  static void Subtract(DeliveryCounts& counts, const StoredMessage& message);

  RingQueue<PendingDelivery> pending_;
  RingQueue<MessageRef> in_flight_;  // Null: acknowledged out of order.
  uint16_t first_packet_id_ = 1;     // Identifier of in_flight_[0].
  uint32_t in_flight_live_ = 0;
  DeliveryCounts qos1_;
  DeliveryCounts qos0_;
};

template <typename Predicate, typename Callback>
void DeliveryQueue::RemovePending(Predicate remove, Callback removed) {
  // Collect first, report after: the callback may look at the queue.
  RingQueue<PendingDelivery> gone;
  pending_.EraseIf([&](PendingDelivery& delivery) {
    if (!remove(delivery)) return false;
    Subtract(CountsFor(delivery.qos), *delivery.message);
    gone.push_back(std::move(delivery));
    return true;
  });
  while (!gone.empty()) {
    removed(gone.front());
    gone.pop_front();
  }
}

template <typename Visitor>
void DeliveryQueue::ForEachInFlight(Visitor visit) const {
  for (size_t i = 0; i < in_flight_.size(); ++i) {
    const MessageRef& message = in_flight_[i];
    if (message) visit(Following(first_packet_id_, i), *message);
  }
}

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_DELIVERY_QUEUE_H_
