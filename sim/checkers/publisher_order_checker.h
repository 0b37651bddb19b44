// Per publisher-subscriber order, which mqlab promises (Event Grid's page
// does not): for each publishing session P and receiving session S, the
// first deliveries to S of P's QoS 1 messages arrive in the order P
// published them. Precisely: taking, in arrival order, each QoS 1 message
// of P the first time S receives it, the sequence numbers (message tags)
// strictly increase. Gaps are allowed (expiry, a session's end, a refused
// message); a message received again (redelivery after a lost PUBACK,
// DUP set or not) is not a first delivery and may come at any point.
// Violation: "reordered".
//
// A publisher's resends are publishes too. When a connection of P ends with
// QoS 1 messages unacknowledged (no PUBACK, not abandoned), P's client sends
// them again on its next connection, and the broker routes each resend as a
// new message ([MQTT-4.3.2-5]): a session that subscribed in between gets
// the resent m7.208 as a first delivery after the original m7.211. So each
// such end opens a round: a range [u, v] (u: P's lowest unsettled message,
// v: its latest) of messages P may publish again, after the earlier ones. A
// pair's first deliveries increase within a round and move on to later
// rounds only: a first delivery below the pair's latest is accepted when a
// later round than the latest's holds it (the earliest such round becomes
// the pair's), and counted as the exception "resent-by-publisher".
//
// What was published and received is kept as runs of sequence numbers
// (sim/checkers/first_deliveries.h): one run per pair while a session gets a
// publisher's messages without gaps; a publisher's settled messages
// (acknowledged, abandoned, or QoS 0) likewise, and a pair per round.
#ifndef MQLAB_SIM_CHECKERS_PUBLISHER_ORDER_CHECKER_H_
#define MQLAB_SIM_CHECKERS_PUBLISHER_ORDER_CHECKER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/checkers/checker.h"
#include "sim/checkers/first_deliveries.h"
#include "sim/checkers/sequence_runs.h"

namespace mqlab::sim {

class PublisherOrderChecker : public Checker {
 public:
  // Runs of published and of received sequence numbers tracked at most
  // (sim/checkers/first_deliveries.h).
  static constexpr size_t kMaxRuns = 32'000'000;

  explicit PublisherOrderChecker(const CheckerContext& context)
      : Checker(CheckerKind::kPublisherOrder, context) {}

  void OnConnectionEnded(const ConnectionEnded& ended) override;
  void OnPublishSent(const PublishSent& sent, const ObservedIds& ids) override;
  void OnPublishAcknowledged(const PublishAcknowledged& acknowledged) override;
  void OnPublishAbandoned(const PublishAbandoned& abandoned) override;
  void OnMessageReceived(const MessageReceived& received,
                         const ObservedIds& ids) override;
  void Finish(Time) override {}

 private:
  // Per (publisher, receiving session): the highest first delivery so far,
  // and the earliest round it fits (0: the first sends).
  struct Latest {
    uint64_t sequence = 0;
    Time time = 0;
    uint32_t round = 0;
  };
  // Messages a publisher may send again after a connection's end.
  struct Round {
    uint64_t first = 0;
    uint64_t last = 0;
  };
  struct Publisher {
    SequenceRuns<> settled;
    uint64_t latest = 0;        // The highest sequence published.
    std::vector<Round> rounds;  // Round r is rounds[r - 1].
  };

  Publisher& PublisherOf(uint32_t publisher);
  // Whether the state may grow by one more run (else stops the checker).
  bool Room();
  void Settle(const MessageTag& tag);
  // The earliest round after `after` of `publisher` holding `sequence`, or
  // 0.
  uint32_t LaterRoundHolding(uint32_t publisher, uint32_t after,
                             uint64_t sequence) const;

  FirstDeliveries<Latest> deliveries_{mqtt::Qos::kAtLeastOnce};
  std::vector<Publisher> publishers_;  // By publisher number.
  size_t publisher_runs_ = 0;  // Settled runs and rounds, all publishers.
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_PUBLISHER_ORDER_CHECKER_H_
