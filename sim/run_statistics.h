// What a run did, from its observations and the network: counters for the
// summary and a time series sampled at a fixed virtual interval for the
// report (connected sessions, QoS 1 messages in flight, traffic and
// delivery latency per interval).
//
// Per observation it does a few additions; a delivery's latency needs its
// message's publish time, kept per publisher in sequence order (a vector
// indexed by the tag's sequence number, no hashing).
//
// Bounds: at most kMaxSamples samples (the runner picks the interval from
// the run length, see SampleInterval); publish times are remembered for at
// most kMaxTrackedMessages messages, in at most kMaxTrackedSlots slots
// (sequence numbers never published, a refused publish's, take a slot too):
// past either, all are forgotten and later deliveries of those messages are
// counted as untimed.
#ifndef MQLAB_SIM_RUN_STATISTICS_H_
#define MQLAB_SIM_RUN_STATISTICS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "base/time.h"
#include "sim/latency_histogram.h"
#include "sim/observations.h"

namespace mqlab::sim {

struct RunCounters {
  uint64_t connect_attempts = 0;
  uint64_t connections_accepted = 0;  // CONNACK Success.
  uint64_t connections_refused = 0;
  uint64_t published = 0;
  uint64_t published_qos1 = 0;
  uint64_t acknowledged = 0;  // PUBACK Success.
  uint64_t refused = 0;       // PUBACK failure.
  uint64_t deliveries = 0;
  uint64_t redeliveries = 0;  // DUP set.
  uint64_t untimed_deliveries = 0;
  uint64_t subscriptions_granted = 0;
  uint64_t subscriptions_refused = 0;
  uint64_t broker_events = 0;
  uint64_t limit_probes = 0;
};

struct Sample {
  Time time = 0;  // End of the interval.
  // Connections past CONNACK Success (a session taken over with overlap
  // counts twice for a moment).
  uint32_t mqtt_connections = 0;
  uint64_t qos1_in_flight = 0;  // Published, not yet acknowledged.
  uint64_t published = 0;       // In the interval.
  uint64_t delivered = 0;       // In the interval.
  Duration latency_p50 = 0;     // Of the interval's deliveries.
  Duration latency_p90 = 0;
  Duration latency_p99 = 0;
  Duration latency_max = 0;
  uint32_t network_connections = 0;
  uint64_t events = 0;  // Scheduler events run so far.
};

// Every interval that keeps a run within kMaxSamples samples: a whole
// number of 100 ms steps, at least one.
Duration SampleInterval(Duration run_length);

class RunStatistics : public ObservationSink {
 public:
  static constexpr size_t kMaxSamples = 2000;
  static constexpr size_t kMaxTrackedMessages = 4'000'000;
  static constexpr size_t kMaxTrackedSlots = 8'000'000;

  void Observe(const Observation& observation) override;
  // Closes the interval ending at `now`.
  void Sample(Time now, uint32_t network_connections, uint64_t events);

  const RunCounters& counters() const { return counters_; }
  const std::vector<sim::Sample>& samples() const { return samples_; }
  // Every delivery's latency (publish to arrival; DUP copies excluded).
  const LatencyHistogram& latency() const { return latency_; }
  uint32_t mqtt_connections() const { return connected_; }

 private:
  // The publish times of one publisher's messages: sent[sequence - first],
  // kUntimed for numbers not published.
  struct PublishTimes {
    uint64_t first = 0;
    std::vector<Time> sent;
  };
  static constexpr Time kUntimed = -1;

  void On(const ConnectAttempt& attempt);
  void On(const ConnackReceived& connack);
  void On(const ConnectionEnded& ended);
  void On(const PublishSent& sent);
  void On(const PublishAcknowledged& ack);
  void On(const PublishAbandoned& abandoned);
  void On(const MessageReceived& received);
  void On(const SubscribeResult& result);
  void On(const BrokerEventSeen& event);
  void On(const LimitProbeOutcome& outcome);
  template <typename Other>
  void On(const Other&) {}
  void RecordPublishTime(const MessageTag& tag, Time sent);
  Time PublishTime(const MessageTag& tag) const;

  RunCounters counters_;
  std::vector<sim::Sample> samples_;
  LatencyHistogram latency_;
  LatencyHistogram interval_latency_;
  uint64_t interval_published_ = 0;
  uint64_t interval_delivered_ = 0;
  uint32_t connected_ = 0;
  // Connections that sent CONNECT; true once accepted.
  absl::flat_hash_map<uint64_t, bool> connections_;
  std::vector<PublishTimes> publish_times_;  // By publisher.
  size_t timed_messages_ = 0;                // Times recorded.
  size_t time_slots_ = 0;                    // Slots held.
  // QoS 1 messages published and not acknowledged or abandoned yet (the
  // harness records one outcome per message).
  uint64_t qos1_in_flight_ = 0;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_RUN_STATISTICS_H_
