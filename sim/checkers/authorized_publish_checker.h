// Authorized publish, judged with the checkers' own authorization model
// (sim/reference_authorization.h). A message from a client that may not
// publish to its topic is never delivered ("delivered-unauthorized") and,
// from an MQTT 5 client, never acknowledged with Success
// ("acknowledged-unauthorized"). An MQTT 3.1.1 client cannot be told: the
// broker may acknowledge positively and drop it [MQTT-3.3.5-2], counted as
// an exception. A PUBACK Not authorized (0x87) for a message the client may
// publish is a false denial ("refused-authorized").
//
// A QoS 1 message is kept until its outcome (PUBACK or abandonment; the
// harness records one per message). Unauthorized messages, any QoS, stay
// known for a late delivery, as runs of sequence numbers per publisher
// (a publisher that keeps trying the same topic costs one run).
#ifndef MQLAB_SIM_CHECKERS_AUTHORIZED_PUBLISH_CHECKER_H_
#define MQLAB_SIM_CHECKERS_AUTHORIZED_PUBLISH_CHECKER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "sim/checkers/checker.h"
#include "sim/checkers/sequence_runs.h"
#include "sim/checkers/verdict_cache.h"

namespace mqlab::sim {

class AuthorizedPublishChecker : public Checker {
 public:
  // QoS 1 messages awaiting their outcome, plus runs of unauthorized
  // messages, tracked at most.
  static constexpr size_t kMaxMessages = 8'000'000;

  explicit AuthorizedPublishChecker(const CheckerContext& context)
      : Checker(CheckerKind::kAuthorizedPublish, context) {}

  void OnPublishSent(const PublishSent& sent, const ObservedIds& ids) override;
  void OnPublishAcknowledged(const PublishAcknowledged& ack) override;
  void OnPublishAbandoned(const PublishAbandoned& abandoned) override;
  void OnMessageReceived(const MessageReceived& received,
                         const ObservedIds& ids) override;
  void Finish(Time) override {}

 private:
  // Who published a message, and where (numbers of ObservedNames).
  struct Publisher {
    uint32_t client = 0;
    uint32_t session = 0;
    uint32_t topic = 0;
    friend bool operator==(const Publisher&, const Publisher&) = default;
  };
  struct Pending {
    Publisher publisher;
    bool authorized = false;
  };

  bool IsMqtt5(uint32_t client) const;
  size_t tracked() const { return pending_.size() + unauthorized_runs_; }

  // Whether the client may publish to the topic.
  VerdictCache<bool> may_publish_;
  // QoS 1 messages awaiting their outcome, by tag key.
  absl::flat_hash_map<uint64_t, Pending> pending_;
  // By publisher (MessageTag::publisher): its unauthorized messages.
  std::vector<SequenceRuns<Publisher>> unauthorized_;
  size_t unauthorized_runs_ = 0;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_AUTHORIZED_PUBLISH_CHECKER_H_
