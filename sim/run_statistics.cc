#include "sim/run_statistics.h"

#include <algorithm>

namespace mqlab::sim {

Duration SampleInterval(Duration run_length) {
  constexpr Duration kStep = 100 * kMillisecond;
  const auto samples = static_cast<Duration>(RunStatistics::kMaxSamples);
  const Duration per_sample = (run_length + samples - 1) / samples;
  return std::max<Duration>(kStep, (per_sample + kStep - 1) / kStep * kStep);
}

void RunStatistics::Observe(const Observation& observation) {
  if (const auto* attempt = std::get_if<ConnectAttempt>(&observation)) {
    ++counters_.connect_attempts;
    connections_[attempt->connection] = false;
  } else if (const auto* connack = std::get_if<ConnackReceived>(&observation)) {
    if (!mqtt::IsSuccess(connack->reason_code)) {
      ++counters_.connections_refused;
      return;
    }
    ++counters_.connections_accepted;
    const auto it = connections_.find(connack->connection);
    if (it != connections_.end() && !it->second) {
      it->second = true;
      ++connected_;
    }
  } else if (const auto* ended = std::get_if<ConnectionEnded>(&observation)) {
    const auto it = connections_.find(ended->connection);
    if (it == connections_.end()) return;
    if (it->second) --connected_;
    connections_.erase(it);
  } else if (const auto* sent = std::get_if<PublishSent>(&observation)) {
    ++counters_.published;
    ++interval_published_;
    if (publish_times_.size() >= kMaxTrackedMessages) publish_times_.clear();
    publish_times_[sent->tag.key()] = sent->time;
    if (sent->qos == mqtt::Qos::kAtLeastOnce) {
      ++counters_.published_qos1;
      if (qos1_in_flight_.size() < kMaxTrackedMessages) {
        qos1_in_flight_.insert(sent->tag.key());
      }
    }
  } else if (const auto* ack = std::get_if<PublishAcknowledged>(&observation)) {
    ++(mqtt::IsSuccess(ack->reason_code) ? counters_.acknowledged
                                         : counters_.refused);
    qos1_in_flight_.erase(ack->tag.key());
  } else if (const auto* abandoned =
                 std::get_if<PublishAbandoned>(&observation)) {
    qos1_in_flight_.erase(abandoned->tag.key());
  } else if (const auto* received =
                 std::get_if<MessageReceived>(&observation)) {
    ++counters_.deliveries;
    ++interval_delivered_;
    if (received->dup) {
      ++counters_.redeliveries;
      return;
    }
    const auto it = received->tag_check == TagCheck::kUntagged
                        ? publish_times_.end()
                        : publish_times_.find(received->tag.key());
    if (it == publish_times_.end()) {
      ++counters_.untimed_deliveries;
      return;
    }
    latency_.Add(received->time - it->second);
    interval_latency_.Add(received->time - it->second);
  } else if (const auto* result = std::get_if<SubscribeResult>(&observation)) {
    ++(mqtt::IsSuccess(result->reason_code) ? counters_.subscriptions_granted
                                            : counters_.subscriptions_refused);
  } else if (std::holds_alternative<BrokerEventSeen>(observation)) {
    ++counters_.broker_events;
  } else if (std::holds_alternative<LimitProbeOutcome>(observation)) {
    ++counters_.limit_probes;
  }
}

void RunStatistics::Sample(Time now, uint32_t network_connections,
                           uint64_t events) {
  if (samples_.size() >= kMaxSamples) return;
  sim::Sample sample;
  sample.time = now;
  sample.mqtt_connections = connected_;
  sample.qos1_in_flight = qos1_in_flight_.size();
  sample.published = interval_published_;
  sample.delivered = interval_delivered_;
  sample.latency_p50 = interval_latency_.Percentile(0.5);
  sample.latency_p90 = interval_latency_.Percentile(0.9);
  sample.latency_p99 = interval_latency_.Percentile(0.99);
  sample.latency_max = interval_latency_.max();
  sample.network_connections = network_connections;
  sample.events = events;
  samples_.push_back(sample);
  interval_published_ = 0;
  interval_delivered_ = 0;
  interval_latency_.Clear();
}

}  // namespace mqlab::sim
