// Synthetic observation streams for checker tests: a small fleet and
// namespace, and one-line builders for each observation.
//
// Fleet (client index: name, version):
//   0 pub       MQTT 5, type=vehicle: publishes t/pub/#
//   1 sub1      MQTT 5, type=vehicle
//   2 sub2      MQTT 5, type=vehicle
//   3 outsider  MQTT 5, type=other: may do nothing
//   4 old       MQTT 3.1.1, type=vehicle
// Vehicles publish to t/${client.authenticationName}/# and subscribe to
// t/#.
#ifndef MQLAB_TESTS_SIM_CHECKERS_OBSERVATION_STREAM_H_
#define MQLAB_TESTS_SIM_CHECKERS_OBSERVATION_STREAM_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/checkers/checker.h"
#include "sim/checkers/observed_names.h"
#include "sim/fleet.h"
#include "sim/observations.h"
#include "sim/reference_authorization.h"

namespace mqlab::sim::testing {

inline constexpr uint32_t kPub = 0;
inline constexpr uint32_t kSub1 = 1;
inline constexpr uint32_t kSub2 = 2;
inline constexpr uint32_t kOutsider = 3;
inline constexpr uint32_t kOld = 4;

inline constexpr Time kEnd = 10 * kMinute;

// The fleet, namespace and context checkers are built with.
class CheckerWorld {
 public:
  CheckerWorld();
  const CheckerContext& context() const { return context_; }
  CheckerContext& mutable_context() { return context_; }
  const Fleet& fleet() const { return *fleet_; }
  const ReferenceAuthorization& authorization() const {
    return *authorization_;
  }
  ObservedNames& names() { return *names_; }

 private:
  std::unique_ptr<Fleet> fleet_;
  std::unique_ptr<ReferenceAuthorization> authorization_;
  std::unique_ptr<ObservedNames> names_;
  CheckerContext context_;
};

// Builders copy the names they are given into storage that outlives every
// test (observations hold views).

// Feeds `stream` to `checker` and finishes it at `end`.
void Feed(Checker& checker, const std::vector<Observation>& stream,
          Time end = kEnd);
// "rule" of every violation, in order.
std::vector<std::string> Rules(const Checker& checker);

Observation Connect(Time time, uint64_t connection, uint32_t client,
                    std::string_view client_id, bool clean_start = true,
                    bool persistent = false);
Observation Connack(Time time, uint64_t connection,
                    bool session_present = false,
                    mqtt::ReasonCode code = mqtt::ReasonCode::kSuccess);
Observation Ended(Time time, uint64_t connection,
                  ConnectionEnd how = ConnectionEnd::kTransportClosed);
Observation Publish(Time time, uint32_t client, std::string_view client_id,
                    MessageTag tag, std::string_view topic,
                    mqtt::Qos qos = mqtt::Qos::kAtLeastOnce,
                    std::optional<Duration> expiry = std::nullopt);
Observation Puback(Time time, MessageTag tag,
                   mqtt::ReasonCode code = mqtt::ReasonCode::kSuccess);
Observation Abandoned(Time time, MessageTag tag);
Observation Received(Time time, uint64_t connection, uint32_t client,
                     std::string_view client_id, MessageTag tag,
                     std::string_view topic,
                     mqtt::Qos qos = mqtt::Qos::kAtLeastOnce, bool dup = false,
                     TagCheck check = TagCheck::kIntact);
Observation Suback(Time time, uint32_t client, std::string_view client_id,
                   std::string_view filter,
                   mqtt::ReasonCode code = mqtt::ReasonCode::kGrantedQos1,
                   bool no_local = false);
Observation Unsubscribe(Time time, uint32_t client, std::string_view client_id,
                        std::string_view filter);
Observation BrokerEvent(Time time, broker::EventKind kind, uint64_t connection,
                        std::string_view client_id);
Observation Restart(Time time, Duration downtime = 0);
Observation Intent(Time time, uint32_t client, std::string_view client_id,
                   bool wants_connected);
Observation Probe(Time time, uint32_t client, std::string_view client_id,
                  scenario::LimitProbe::Kind kind, mqtt::Version version,
                  ProbeReaction reaction, mqtt::ReasonCode code, bool closed,
                  std::optional<int64_t> value = std::nullopt);

}  // namespace mqlab::sim::testing

#endif  // MQLAB_TESTS_SIM_CHECKERS_OBSERVATION_STREAM_H_
