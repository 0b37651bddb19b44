// Authorized publish, judged with the checkers' own authorization model
// (sim/reference_authorization.h). A message from a client that may not
// publish to its topic is never delivered ("delivered-unauthorized") and,
// from an MQTT 5 client, never acknowledged with Success
// ("acknowledged-unauthorized"). An MQTT 3.1.1 client cannot be told: the
// broker may acknowledge positively and drop it [MQTT-3.3.5-2], counted as
// an exception. A PUBACK Not authorized (0x87) for a message the client may
// publish is a false denial ("refused-authorized").
#ifndef MQLAB_SIM_CHECKERS_AUTHORIZED_PUBLISH_CHECKER_H_
#define MQLAB_SIM_CHECKERS_AUTHORIZED_PUBLISH_CHECKER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "sim/checkers/checker.h"

namespace mqlab::sim {

class AuthorizedPublishChecker : public Checker {
 public:
  static constexpr size_t kMaxMessages = 8'000'000;
  static constexpr size_t kMaxCachedVerdicts = 1'000'000;

  explicit AuthorizedPublishChecker(const CheckerContext& context)
      : Checker(CheckerKind::kAuthorizedPublish, context) {}

  void OnPublishSent(const PublishSent& sent, const ObservedIds& ids) override;
  void OnPublishAcknowledged(const PublishAcknowledged& ack) override;
  void OnMessageReceived(const MessageReceived& received,
                         const ObservedIds& ids) override;
  void Finish(Time) override {}

 private:
  struct Message {
    uint32_t client = 0;
    uint32_t session = 0;  // Numbers (ObservedNames).
    uint32_t topic = 0;
    bool authorized = false;
  };

  bool MayPublish(uint32_t client, uint32_t topic);
  bool IsMqtt5(uint32_t client) const;

  absl::flat_hash_map<uint64_t, Message> messages_;
  // client << 32 | topic -> whether the client may publish to the topic.
  absl::flat_hash_map<uint64_t, bool> may_publish_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_AUTHORIZED_PUBLISH_CHECKER_H_
