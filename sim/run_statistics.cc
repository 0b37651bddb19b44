#include "sim/run_statistics.h"

#include <algorithm>
#include <variant>

namespace mqlab::sim {

Duration SampleInterval(Duration run_length) {
  constexpr Duration kStep = 100 * kMillisecond;
  const auto samples = static_cast<Duration>(RunStatistics::kMaxSamples);
  const Duration per_sample = (run_length + samples - 1) / samples;
  return std::max<Duration>(kStep, (per_sample + kStep - 1) / kStep * kStep);
}

void RunStatistics::Observe(const Observation& observation) {
  std::visit([this](const auto& o) { On(o); }, observation);
}

void RunStatistics::On(const ConnectAttempt& attempt) {
  ++counters_.connect_attempts;
  connections_[attempt.connection] = false;
}

void RunStatistics::On(const ConnackReceived& connack) {
  if (!mqtt::IsSuccess(connack.reason_code)) {
    ++counters_.connections_refused;
    return;
  }
  ++counters_.connections_accepted;
  const auto it = connections_.find(connack.connection);
  if (it != connections_.end() && !it->second) {
    it->second = true;
    ++connected_;
  }
}

void RunStatistics::On(const ConnectionEnded& ended) {
  const auto it = connections_.find(ended.connection);
  if (it == connections_.end()) return;
  if (it->second) --connected_;
  connections_.erase(it);
}

void RunStatistics::On(const PublishSent& sent) {
  ++counters_.published;
  ++interval_published_;
  RecordPublishTime(sent.tag, sent.time);
  if (sent.qos == mqtt::Qos::kAtLeastOnce) {
    ++counters_.published_qos1;
    ++qos1_in_flight_;
  }
}

void RunStatistics::On(const PublishAcknowledged& ack) {
  ++(mqtt::IsSuccess(ack.reason_code) ? counters_.acknowledged
                                      : counters_.refused);
  --qos1_in_flight_;
}

void RunStatistics::On(const PublishAbandoned&) { --qos1_in_flight_; }

void RunStatistics::On(const MessageReceived& received) {
  ++counters_.deliveries;
  ++interval_delivered_;
  if (received.dup) {
    ++counters_.redeliveries;
    return;
  }
  const Time sent = received.tag_check == TagCheck::kUntagged
                        ? kUntimed
                        : PublishTime(received.tag);
  if (sent == kUntimed) {
    ++counters_.untimed_deliveries;
    return;
  }
  latency_.Add(received.time - sent);
  interval_latency_.Add(received.time - sent);
}

void RunStatistics::On(const SubscribeResult& result) {
  ++(mqtt::IsSuccess(result.reason_code) ? counters_.subscriptions_granted
                                         : counters_.subscriptions_refused);
}

void RunStatistics::On(const BrokerEventSeen&) { ++counters_.broker_events; }

void RunStatistics::On(const LimitProbeOutcome&) { ++counters_.limit_probes; }

void RunStatistics::RecordPublishTime(const MessageTag& tag, Time sent) {
  if (timed_messages_ >= kMaxTrackedMessages ||
      time_slots_ >= kMaxTrackedSlots) {
    publish_times_.clear();
    timed_messages_ = 0;
    time_slots_ = 0;
  }
  if (tag.publisher >= publish_times_.size()) {
    publish_times_.resize(tag.publisher + 1);
  }
  PublishTimes& times = publish_times_[tag.publisher];
  if (times.sent.empty()) times.first = tag.sequence;
  if (tag.sequence < times.first) {  // Published out of order.
    const uint64_t more = times.first - tag.sequence;
    times.sent.insert(times.sent.begin(), more, kUntimed);
    times.first = tag.sequence;
    time_slots_ += more;
  }
  const uint64_t slot = tag.sequence - times.first;
  if (slot == times.sent.size()) {  // The next number: the common case.
    times.sent.push_back(sent);
    ++time_slots_;
    ++timed_messages_;
    return;
  }
  if (slot > times.sent.size()) {
    time_slots_ += slot + 1 - times.sent.size();
    times.sent.resize(slot + 1, kUntimed);
  }
  if (times.sent[slot] == kUntimed) ++timed_messages_;
  times.sent[slot] = sent;
}

Time RunStatistics::PublishTime(const MessageTag& tag) const {
  if (tag.publisher >= publish_times_.size()) return kUntimed;
  const PublishTimes& times = publish_times_[tag.publisher];
  if (tag.sequence < times.first ||
      tag.sequence - times.first >= times.sent.size()) {
    return kUntimed;
  }
  return times.sent[tag.sequence - times.first];
}

void RunStatistics::Sample(Time now, uint32_t network_connections,
                           uint64_t events) {
  if (samples_.size() >= kMaxSamples) return;
  sim::Sample sample;
  sample.time = now;
  sample.mqtt_connections = connected_;
  sample.qos1_in_flight = qos1_in_flight_;
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
