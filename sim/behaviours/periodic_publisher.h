// Telemetry (fan-in: each session publishes on its own topic) and
// broadcasts (fan-out: alerts many sessions receive): a session publishing
// tagged messages at a steady rate, as a Poisson process, with the message's
// MQTT 5 properties (expiry, content type, user properties) when the
// session speaks MQTT 5. QoS 1 messages are accepted while disconnected (the
// client library queues them, bounded); QoS 0 ones only go out on a live
// connection. While the device is down nothing is published.
#ifndef MQLAB_SIM_BEHAVIOURS_PERIODIC_PUBLISHER_H_
#define MQLAB_SIM_BEHAVIOURS_PERIODIC_PUBLISHER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/random.h"
#include "mqtt/packet.h"
#include "sim/behaviour.h"
#include "sim/scenario.pb.h"
#include "sim/scheduler.h"

namespace mqlab::sim {

struct PeriodicPublication {
  std::string topic;
  mqtt::Qos qos = mqtt::Qos::kAtMostOnce;
  double rate_per_second = 1;
  uint32_t payload_bytes = 64;
  uint32_t payload_jitter_bytes = 0;
  std::optional<uint32_t> message_expiry_seconds;
  std::string content_type;  // Empty: none.
  std::vector<std::pair<std::string, std::string>> user_properties;
};

// The telemetry behaviour of `session` (patterns expanded; defaults of
// scenario.proto applied).
PeriodicPublication TelemetryPublication(const scenario::Telemetry& telemetry,
                                         const VirtualSession& session);
PeriodicPublication BroadcastPublication(
    const scenario::Broadcaster& broadcaster, const VirtualSession& session);

class PeriodicPublisher : public Behaviour {
 public:
  PeriodicPublisher(VirtualSession* session, PeriodicPublication publication,
                    Random random);
  ~PeriodicPublisher() override;

  void Start() override;
  void Stop() override;

 private:
  void ScheduleNext();
  void Publish();

  PeriodicPublication publication_;
  std::vector<mqtt::UserProperty> user_properties_;  // Views of the above.
  Random random_;
  TimerId timer_ = kNoTimer;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_BEHAVIOURS_PERIODIC_PUBLISHER_H_
