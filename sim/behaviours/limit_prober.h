// Limit probes: a client that crosses Event Grid's limits on purpose, one
// probe at a time, cycling through its kinds every `interval`. Each probe is
// a connection of its own (Clean Start, the session ends with it) that
// either carries the offence in its CONNECT (Will, Authentication Method or
// Data, User Properties, an empty ClientId, a Keep Alive above 1160) or,
// once connected, sends it through the client's raw SendPacket (oversize
// packets, QoS 2, retain, topic aliases, too many filters or subscriptions,
// rates, long topics, shared subscriptions, Subscription Identifiers,
// unauthorized topics, more QoS 1 in flight than Receive Maximum).
//
// The broker's answer is the first of: the CONNACK (connect probes), the
// SUBACK or PUBACK of the offending packet, a DISCONNECT, or the connection
// closing. Whether the connection then closes is watched for kGrace after a
// reaction that does not end it. No answer within kProbeWait is "nothing"
// (the limit was not enforced). The outcome is a LimitProbeOutcome for the
// limits checker; a probe that could not be carried out (the namespace's
// connect rate refused its CONNECT, the network refused the connection) is
// tried again next time and not recorded.
//
// Topics: the population's probe topic (default "probes/{auth}"), which the
// prober must be allowed to publish and subscribe to, with a suffix per
// probe ("/p", "/s0" ...); unauthorized probes use
// "mqlab-unauthorized/{auth}", which the namespace must not grant.
//
// Probe kinds that exist only in MQTT 5 (topic aliases, authentication
// method and data, User Properties on CONNECT, Subscription Identifiers)
// are skipped by 3.1.1 clients. RECEIVE_MAXIMUM_EXCEEDED needs the broker
// write-blocked towards the prober: the prober subscribes to its own flood
// topic, makes its host read slowly (Network::SlowReader), floods itself
// past the write-blocked mark within the publish byte rate, then sends one
// more QoS 1 PUBLISH than Receive Maximum at the publish rate, whose
// PUBACKs the blocked broker holds.
#ifndef MQLAB_SIM_BEHAVIOURS_LIMIT_PROBER_H_
#define MQLAB_SIM_BEHAVIOURS_LIMIT_PROBER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/behaviour.h"
#include "sim/client_link.h"
#include "sim/observations.h"
#include "sim/scenario.pb.h"
#include "sim/scheduler.h"

namespace mqlab::sim {

class LimitProber : public Behaviour, public LinkOwner {
 public:
  static constexpr Duration kProbeWait = 30 * kSecond;
  static constexpr Duration kGrace = 2 * kSecond;

  LimitProber(VirtualSession* session, const scenario::LimitProbe& spec);
  ~LimitProber() override;

  void Start() override;
  void Stop() override;

  void OnLinkConnack(ClientLink& link,
                     const client::ConnackEvent& event) override;
  void OnLinkSubscribeResult(
      ClientLink& link, const client::SubscribeResultEvent& event) override;
  void OnLinkDisconnected(ClientLink& link,
                          const client::DisconnectedEvent& event) override;
  void OnLinkPacket(ClientLink& link, const mqtt::Packet& packet) override;

  // Whether the kind exists in `version` (some are MQTT 5 features).
  static bool Applies(scenario::LimitProbe::Kind kind, mqtt::Version version);

 private:
  using Kind = scenario::LimitProbe::Kind;
  enum class Phase : uint8_t { kIdle, kConnecting, kActing, kAnswered };

  void Tick();
  void Begin(Kind kind);
  // Sends the offence on the connected probe link.
  void Act();
  void SubscribeStep();
  void FloodStep();
  void SendInFlightStep();
  // The receive-maximum probe's device reads again.
  void ReadAgain();
  // The gap between SUBSCRIBEs that keeps within the subscribe rate.
  Duration RequestSpacing() const;
  void React(ProbeReaction reaction, mqtt::ReasonCode code,
             std::optional<int64_t> value = std::nullopt);
  // Records the outcome (once) and ends the probe.
  void Finish(bool closed);
  // Ends the probe without an outcome.
  void Abandon();
  void EndProbe();
  void SetStepTimer(Duration delay, void (LimitProber::*step)());
  uint16_t NextPacketId();
  bool SendPublish(std::string_view topic, mqtt::Qos qos, size_t payload,
                   uint16_t packet_id = 0, bool retain = false,
                   std::optional<uint16_t> topic_alias = std::nullopt);
  bool SendSubscribe(
      const std::vector<std::string>& filters, uint16_t packet_id,
      std::optional<uint32_t> subscription_identifier = std::nullopt);

  std::vector<Kind> kinds_;
  Duration interval_;
  std::string topic_;         // The probe topic, expanded.
  std::string unauthorized_;  // A topic the prober may not use.
  size_t next_kind_ = 0;
  TimerId tick_timer_ = kNoTimer;

  // The probe in progress.
  Phase phase_ = Phase::kIdle;
  Kind kind_ = scenario::LimitProbe::KIND_UNSPECIFIED;
  std::unique_ptr<ClientLink> link_;
  // What answers the offence: a SUBACK or PUBACK with this Packet
  // Identifier (0: none; a DISCONNECT or a close always does).
  uint16_t answer_id_ = 0;
  // Which of the SUBACK's codes is the probing filter's.
  size_t answer_index_ = 0;
  LimitProbeOutcome outcome_;
  uint16_t next_packet_id_ = 0;
  uint32_t steps_left_ = 0;
  uint32_t next_filter_ = 0;
  bool slow_reader_ = false;
  TimerId wait_timer_ = kNoTimer;
  TimerId step_timer_ = kNoTimer;
  std::vector<uint8_t> payload_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_BEHAVIOURS_LIMIT_PROBER_H_
