// Which messages each publisher published at which QoS, and which messages
// of one QoS each session received: how qos0-at-most-once and
// publisher-order tell a message's first delivery to a session from a
// copy, with state that follows the traffic's gaps rather than its volume.
//
// Both sets are runs of sequence numbers (sim/checkers/sequence_runs.h):
// per publisher, runs of equal QoS; per (publisher, receiving session), runs
// of received sequence numbers. A session receiving a publisher's messages
// in order with no gap keeps one run however many arrive; when the gap
// between its last run and the next message holds only messages published
// at the other QoS (which the checker never asks about), the run grows over
// it. Other gaps stay (messages of the publisher the session did not get:
// another topic, a refusal), so that a late first delivery of one of them
// is still told from a copy.
#ifndef MQLAB_SIM_CHECKERS_FIRST_DELIVERIES_H_
#define MQLAB_SIM_CHECKERS_FIRST_DELIVERIES_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "mqtt/packet.h"
#include "sim/checkers/sequence_runs.h"
#include "sim/message_tag.h"

namespace mqlab::sim {

// `Extra` is what the checker keeps per (publisher, receiving session).
template <typename Extra>
class FirstDeliveries {
 public:
  struct Pair {
    SequenceRuns<> received;
    Extra extra{};
  };

  // Tracks the deliveries of messages published at `qos`.
  explicit FirstDeliveries(mqtt::Qos qos) : qos_(qos) {}

  // Records a publish (a reused tag keeps its first QoS).
  void Published(const MessageTag& tag, mqtt::Qos qos) {
    if (tag.publisher >= published_.size()) {
      published_.resize(tag.publisher + 1);
    }
    SequenceRuns<mqtt::Qos>& published = published_[tag.publisher];
    const size_t before = published.runs();
    published.Insert(tag.sequence, qos);
    runs_ = runs_ + published.runs() - before;
  }

  // Whether `tag` was published at the tracked QoS.
  bool Tracked(const MessageTag& tag) const {
    if (tag.publisher >= published_.size()) return false;
    const mqtt::Qos* qos = published_[tag.publisher].Find(tag.sequence);
    return qos != nullptr && *qos == qos_;
  }

  // A delivery to `session` of a tracked message: its (publisher, session)
  // pair, and in `*first` whether the session had not received it before.
  Pair& Received(const MessageTag& tag, uint32_t session, bool* first) {
    Pair& pair = pairs_[uint64_t{tag.publisher} << 32 | session];
    SequenceRuns<>& received = pair.received;
    const size_t before = received.runs();
    if (!received.empty() && tag.sequence > received.last() + 1 &&
        published_[tag.publisher].Covers(received.last() + 1, tag.sequence - 1,
                                         Other())) {
      received.ExtendTo(tag.sequence);
      *first = true;
    } else {
      *first = received.Insert(tag.sequence);
    }
    runs_ = runs_ + received.runs() - before;
    return pair;
  }

  // Runs held, published and received: the state's size.
  size_t runs() const { return runs_; }

 private:
  mqtt::Qos Other() const {
    return qos_ == mqtt::Qos::kAtMostOnce ? mqtt::Qos::kAtLeastOnce
                                          : mqtt::Qos::kAtMostOnce;
  }

  mqtt::Qos qos_;
  std::vector<SequenceRuns<mqtt::Qos>> published_;  // By publisher.
  absl::flat_hash_map<uint64_t, Pair> pairs_;  // By publisher << 32 | session.
  size_t runs_ = 0;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_FIRST_DELIVERIES_H_
