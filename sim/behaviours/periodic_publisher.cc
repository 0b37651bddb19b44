#include "sim/behaviours/periodic_publisher.h"

#include <algorithm>
#include <cmath>

#include "sim/duration_text.h"
#include "sim/name_pattern.h"
#include "sim/virtual_fleet.h"
#include "sim/virtual_session.h"

namespace mqlab::sim {
namespace {

std::optional<uint32_t> ExpirySeconds(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const std::optional<Duration> expiry = ParseDuration(text);
  if (!expiry.has_value()) return std::nullopt;
  // Whole seconds, at least one (MQTT's unit).
  return static_cast<uint32_t>(
      std::max<Duration>(1, (*expiry + kSecond - 1) / kSecond));
}

mqtt::Qos QosOf(uint32_t qos) {
  return qos == 0 ? mqtt::Qos::kAtMostOnce : mqtt::Qos::kAtLeastOnce;
}

}  // namespace

PeriodicPublication TelemetryPublication(const scenario::Telemetry& telemetry,
                                         const VirtualSession& session) {
  const PatternValues values = session.pattern_values();
  PeriodicPublication publication;
  publication.topic = ExpandPattern(telemetry.topic(), values);
  publication.qos = QosOf(telemetry.qos());
  publication.rate_per_second = telemetry.rate_per_second();
  publication.payload_bytes =
      telemetry.has_payload_bytes() ? telemetry.payload_bytes() : 64;
  publication.payload_jitter_bytes = telemetry.payload_jitter_bytes();
  publication.message_expiry_seconds =
      ExpirySeconds(telemetry.message_expiry());
  publication.content_type = telemetry.content_type();
  // Sorted by key: a proto map's order is not defined.
  for (const auto& [key, value] : telemetry.user_properties()) {
    publication.user_properties.emplace_back(key, ExpandPattern(value, values));
  }
  std::sort(publication.user_properties.begin(),
            publication.user_properties.end());
  return publication;
}

PeriodicPublication BroadcastPublication(
    const scenario::Broadcaster& broadcaster, const VirtualSession& session) {
  PeriodicPublication publication;
  publication.topic =
      ExpandPattern(broadcaster.topic(), session.pattern_values());
  publication.qos = QosOf(broadcaster.qos());
  publication.rate_per_second = broadcaster.rate_per_second();
  publication.payload_bytes =
      broadcaster.has_payload_bytes() ? broadcaster.payload_bytes() : 128;
  publication.message_expiry_seconds =
      ExpirySeconds(broadcaster.message_expiry());
  return publication;
}

PeriodicPublisher::PeriodicPublisher(VirtualSession* session,
                                     PeriodicPublication publication,
                                     Random random)
    : Behaviour(session),
      publication_(std::move(publication)),
      random_(random) {
  for (const auto& [key, value] : publication_.user_properties) {
    user_properties_.push_back({key, value});
  }
}

PeriodicPublisher::~PeriodicPublisher() {
  session().fleet().scheduler().Cancel(timer_);
}

void PeriodicPublisher::Start() { ScheduleNext(); }

void PeriodicPublisher::Stop() {
  session().fleet().scheduler().Cancel(timer_);
  timer_ = kNoTimer;
}

void PeriodicPublisher::ScheduleNext() {
  const double seconds =
      random_.Exponential(1.0 / publication_.rate_per_second);
  const auto delay = static_cast<Duration>(
      std::min(seconds * static_cast<double>(kSecond), 1e15));
  timer_ =
      session().fleet().scheduler().After(std::max<Duration>(delay, 1), [this] {
        timer_ = kNoTimer;
        Publish();
        ScheduleNext();
      });
}

void PeriodicPublisher::Publish() {
  ClientLink* link = session().link();
  if (link == nullptr) return;
  if (publication_.qos == mqtt::Qos::kAtMostOnce && !link->connected()) return;
  TaggedMessage tagged;
  client::ApplicationMessage& message = tagged.message;
  message.topic = publication_.topic;
  message.qos = publication_.qos;
  if (session().v5()) {
    message.message_expiry_interval = publication_.message_expiry_seconds;
    if (!publication_.content_type.empty()) {
      message.content_type = publication_.content_type;
    }
    message.user_properties = user_properties_;
  }
  uint32_t size = publication_.payload_bytes;
  if (publication_.payload_jitter_bytes > 0) {
    const int64_t jitter = publication_.payload_jitter_bytes;
    size = static_cast<uint32_t>(
        std::max<int64_t>(0, int64_t{size} + random_.Between(-jitter, jitter)));
  }
  tagged.payload_bytes = size;
  link->Publish(tagged);
}

}  // namespace mqlab::sim
