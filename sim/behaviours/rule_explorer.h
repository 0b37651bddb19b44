// The rule explorer: a client that brings about, one episode at a time, the
// situations of Event Grid's rules that the other behaviours do not reach
// (scenario.proto, RuleExplorer.Situation): authentication names in other
// letter cases, a takeover by the same authentication name, sessions beyond
// the per-name cap with offline ones among them, a deleted client's session
// names tried again, Session Expiry and Clean Session values, Keep Alive 0,
// Topic Aliases 10 and 0, a PUBACK with a failure code, overlapping
// subscriptions, v5 properties towards a 3.1.1 subscriber, offline queues at
// and over their limit, a Receive Maximum window, Message Expiry while
// queued, and a certificate one byte off. The limit prober
// (sim/behaviours/limit_prober.h) covers the limits' crossings and the
// session thief a takeover by another authentication name; all three count
// what they provoked in the run's SituationCounts (sim/situation_counts.h).
//
// Every `interval` the explorer draws a situation from its list (its own
// random stream: the seed decides) and plays its episode: a script of steps
// at fixed offsets over at most four connections of its own (links that do
// not reconnect), with the session names "<session>-x0" .. "-x5", ending
// within kEpisodeLength with every link disconnected and every persistent
// session it made discarded (reconnected with Clean Start and no expiry).
// A situation counts once the broker had to answer it: the CONNACK (or the
// close) of the connection that carries it, the delivery or the PUBACK that
// shows it, or the end of the connection it offends. Whether the answer was
// right is the checkers' business. An episode that faults cut short simply
// counts nothing.
//
// Messages are raw, untagged PUBLISHes (ClientLink::SendPacket) on the
// explorer's own topics, so the delivery checkers, which follow tagged
// messages, are not involved; the subscriptions are ordinary ones.
#ifndef MQLAB_SIM_BEHAVIOURS_RULE_EXPLORER_H_
#define MQLAB_SIM_BEHAVIOURS_RULE_EXPLORER_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/random.h"
#include "sim/behaviour.h"
#include "sim/client_link.h"
#include "sim/scenario.pb.h"
#include "sim/scheduler.h"

namespace mqlab::sim {

class RuleExplorer : public Behaviour, public LinkOwner {
 public:
  using Situation = scenario::RuleExplorer::Situation;
  static constexpr Duration kEpisodeLength = 30 * kSecond;
  static constexpr size_t kSlots = 4;

  RuleExplorer(VirtualSession* session, const scenario::RuleExplorer& spec,
               Random random);
  ~RuleExplorer() override;

  void Start() override;
  void Stop() override;

  void OnLinkConnack(ClientLink& link,
                     const client::ConnackEvent& event) override;
  void OnLinkMessage(ClientLink& link, const client::MessageEvent& event,
                     client::MessageAck* ack) override;
  void OnLinkDisconnected(ClientLink& link,
                          const client::DisconnectedEvent& event) override;
  void OnLinkPacket(ClientLink& link, const mqtt::Packet& packet) override;

  // Whether the situation exists in `version` (some are MQTT 5 or 3.1.1
  // features).
  static bool Applies(Situation situation, mqtt::Version version);

 private:
  // What answers a situation on a slot's connection.
  enum class Answer : uint8_t { kNone, kConnack, kMessage, kEnd, kPuback };
  struct Trigger {
    Answer answer = Answer::kNone;
    Situation situation = scenario::RuleExplorer::SITUATION_UNSPECIFIED;
    uint16_t packet_id = 0;  // kPuback.
  };
  // What a slot's CONNECT carries.
  struct Connect {
    size_t name = 0;  // Session name "<session>-x<name>"; kOwnName: the
                      // session's own.
    bool persistent = false;
    bool resume = false;                       // Clean Start 0.
    std::optional<uint32_t> session_expiry{};  // v5; default by persistent.
    uint16_t keep_alive = 60;
    std::optional<uint16_t> receive_maximum{};
    bool other_case_username = false;
    bool manual_acks = false;
    std::optional<mqtt::Version> version{};  // Default: the client's.
  };
  static constexpr size_t kOwnName = ~size_t{0};

  void Tick();
  void Begin(Situation situation);
  void End();
  // Schedules `step` `delay` after the episode began.
  void At(Duration delay, std::function<void()> step);
  // A fresh link on `slot` (the old one retired) connecting as `connect`.
  void Open(size_t slot, const Connect& connect);
  void Close(size_t slot);
  bool Connected(size_t slot) const;
  // Connects `names` without a session and closes them `close_after`
  // later: whatever persistent session they had is gone.
  void Discard(std::vector<size_t> names, Duration at);
  void Expect(size_t slot, Answer answer, Situation situation,
              uint16_t packet_id = 0);
  // A matched trigger counts its situation.
  void Answered(size_t slot, Answer answer, uint16_t packet_id = 0);
  void Count(Situation situation);
  std::optional<size_t> SlotOf(const ClientLink& link) const;
  std::string SessionName(size_t name) const;
  std::string Topic(std::string_view suffix) const;
  uint16_t NextPacketId();
  // An untagged PUBLISH on `slot`; returns its Packet Identifier (0 for QoS
  // 0 or when nothing was sent).
  uint16_t PublishRaw(size_t slot, std::string_view topic, mqtt::Qos qos,
                      const mqtt::Properties& properties = {});
  // Topic filters and their QoS.
  using Filters = std::vector<std::pair<std::string, mqtt::Qos>>;
  void Subscribe(size_t slot, const Filters& filters);
  // `count` QoS 1 PUBLISHes on `slot` to `topic`, one per `spacing` (within
  // the publish rate), starting now.
  void PublishSeries(size_t slot, std::string topic, uint32_t count,
                     Duration spacing);

  // The episodes.
  void PlaySessionsBeyondCap();
  void PlayDeletion();
  void PlaySessionExpiry(uint32_t seconds, Situation situation);
  void PlayCleanSession(bool clean);
  void PlayTopicAlias(uint16_t alias, Situation situation);
  void PlaySelfDelivery(Filters filters, std::string topic,
                        Situation situation);
  void PlayCrossVersion();
  void PlayOfflineQueue(uint32_t messages, Situation situation);
  void PlayReceiveMaximum();
  void PlayMessageExpiry();

  std::vector<Situation> situations_;  // Those that apply to the client.
  Duration interval_;
  std::string topic_;  // Expanded.
  Random random_;
  TimerId tick_timer_ = kNoTimer;
  bool deleted_once_ = false;

  // The episode in progress.
  bool active_ = false;
  Situation situation_ = scenario::RuleExplorer::SITUATION_UNSPECIFIED;
  Time began_ = 0;
  std::array<std::unique_ptr<ClientLink>, kSlots> links_;
  std::array<Trigger, kSlots> triggers_;
  std::vector<TimerId> timers_;
  std::vector<std::function<void()>> steps_;  // Scheduled by At().
  std::string series_topic_;                  // PublishSeries.
  // RECEIVE_MAXIMUM_WINDOW: acknowledgements held, and whether to hold.
  std::vector<uint64_t> held_acks_;
  bool holding_acks_ = false;
  uint16_t next_packet_id_ = 0;
  std::vector<uint8_t> payload_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_BEHAVIOURS_RULE_EXPLORER_H_
