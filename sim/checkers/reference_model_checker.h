// The reference-model checker: runs the reference model (sim/model/)
// beside the broker and compares, input by input, what the broker answered
// with what the model says it must answer. It sees the broker through the
// adapter's tap (sim/broker_tap.h), not through the observations.
//
// Compared: per connection, the packets written in order (as
// sim/model/answer_text.h renders their fixed fields) and whether it was
// closed; per session (or connection, for events without one), the
// lifecycle events in order; whether a connection being opened was refused.
// Free (docs/simulator.md, "The reference model"): the order between
// different connections and sessions, Reason Strings, event times,
// authentication names and details but kSessionDeleted's.
//
// Not modelled yet, skipped by name and counted (not_judged): the packets
// in kUnmodelledPackets, the events in kUnmodelledEvents, and a close the
// broker decides while answering an unmodelled input (PUBLISH, PUBACK,
// SUBSCRIBE, UNSUBSCRIBE, back-pressure, a permissions change) or along
// with an unmodelled event: the model adopts such a close (its DISCONNECT
// and kDisconnected as the broker sent them) and predicts what follows for
// the session. Any other close the model did not predict is a violation.
//
// The first disagreement is reported (rule: the model's rule name) and the
// checker stops comparing: the two have parted ways. Each rule's count of
// the situations it decided is in situations().
#ifndef MQLAB_SIM_CHECKERS_REFERENCE_MODEL_CHECKER_H_
#define MQLAB_SIM_CHECKERS_REFERENCE_MODEL_CHECKER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/broker_tap.h"
#include "sim/checkers/checker.h"
#include "sim/model/broker_model.h"

namespace mqlab::sim {

// Packet kinds the model does not predict yet.
inline constexpr mqtt::PacketType kUnmodelledPackets[] = {
    mqtt::PacketType::kPublish,
    mqtt::PacketType::kPuback,
    mqtt::PacketType::kSuback,
    mqtt::PacketType::kUnsuback,
};
// Event kinds the model does not predict yet.
inline constexpr broker::EventKind kUnmodelledEvents[] = {
    broker::EventKind::kSubscriptionDenied, broker::EventKind::kPublishDenied,
    broker::EventKind::kLimitExceeded,      broker::EventKind::kMessageDropped,
    broker::EventKind::kSessionOverflow,
};

class ReferenceModelChecker : public Checker, public BrokerTap {
 public:
  explicit ReferenceModelChecker(const CheckerContext& context);

  BrokerTap* broker_tap() override { return this; }
  void Finish(Time end) override;

  // BrokerTap.
  void OnBrokerStarted(const broker::NamespaceConfig& config,
                       Time now) override;
  void OnBrokerStopped(Time now) override;
  void OnOpened(const broker::TransportIdentity& identity,
                broker::ConnectionId connection, Time now) override;
  void OnBytesIn(broker::ConnectionId connection,
                 std::span<const uint8_t> bytes, Time now) override;
  void OnClosedByPeer(broker::ConnectionId connection, Time now) override;
  void OnWriteBlocked(broker::ConnectionId connection, bool blocked,
                      Time now) override;
  void OnAdvance(Time now) override;
  void OnUpsertClient(const broker::ClientResource& client,
                      const absl::Status& status, Time now) override;
  void OnDeleteClient(std::string_view name, const absl::Status& status,
                      Time now) override;
  void OnSend(broker::ConnectionId connection,
              std::span<const uint8_t> bytes) override;
  void OnClose(broker::ConnectionId connection) override;
  void OnEvent(const broker::Event& event) override;
  void InputDone() override;

 private:
  struct SeenEvent {
    broker::EventKind kind;
    broker::ConnectionId connection;
    std::string session;
    std::string key;
    std::string text;
  };
  struct SeenPacket {
    broker::ConnectionId connection;
    mqtt::PacketType type;
    std::string text;
  };

  // The broker's bytes as packets, by the version the model knows.
  bool DecodeSends(const model::ModelAnswer& answer,
                   std::vector<SeenPacket>* packets);
  void Compare(model::ModelAnswer& answer, std::vector<SeenPacket>& packets);
  void Disagree(std::string_view rule, const std::string& input,
                const std::string& broker, const std::string& model);

  std::unique_ptr<model::BrokerModel> model_;
  bool opened_refused_ = false;
  bool saw_open_ = false;
  Time now_ = 0;
  bool diverged_ = false;
  // The broker's answer to the current input.
  std::vector<std::pair<broker::ConnectionId, std::vector<uint8_t>>> sends_;
  std::vector<broker::ConnectionId> closes_;
  std::vector<SeenEvent> events_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_REFERENCE_MODEL_CHECKER_H_
