// QoS 1 at least once. Every QoS 1 message the broker acknowledged (PUBACK
// Success) from an authorized publisher must reach, at least once, every
// session that was subscribed to it when it was published:
//
//  - subscribed: the session's SUBACK granted QoS 1 for a filter that
//    matches the topic, arrived no later than the publish, the filter is
//    authorized for the subscriber (the reference model), No Local does not
//    exclude it, and the subscription held (no UNSUBSCRIBE sent) until the
//    PUBACK arrived;
//  - exceptions, counted in the summary: the subscribing session ended
//    before the message reached it (the client's Clean Start or the end of
//    a non-persistent connection, expiry, offline-queue overflow, deletion,
//    a broker restart), or the message carried a Message Expiry Interval
//    that has run out by the end of the run. A session that is simply not
//    present when its client resumes it, with none of these seen, excuses
//    nothing (the violation says so);
//  - judged at the end of the run: a message acknowledged more than
//    `settle` before the end and never delivered is lost ("message-lost").
//    Later ones, and messages never acknowledged, are counted as not judged;
//    so are messages whose subscribing client never wanted its session
//    connected for `settle` on end after the acknowledgement
//    (ClientIntent: deliberately offline, crashed, deleted; the broker
//    holds them for it).
//
// The checker also holds every delivery to account: a payload whose tag is
// corrupt ("corrupt-payload"), or whose message was never published
// ("phantom-message"), is a violation whatever its QoS.
#ifndef MQLAB_SIM_CHECKERS_QOS1_AT_LEAST_ONCE_CHECKER_H_
#define MQLAB_SIM_CHECKERS_QOS1_AT_LEAST_ONCE_CHECKER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "sim/checkers/checker.h"
#include "sim/checkers/session_lifetimes.h"

namespace mqlab::sim {

class Qos1AtLeastOnceChecker : public Checker {
 public:
  // Bounds on the tracking state (the run stops beyond them).
  static constexpr size_t kMaxMessages = 8'000'000;
  static constexpr size_t kMaxExpectations = 16'000'000;
  static constexpr size_t kMaxSubscriptions = 4'000'000;

  explicit Qos1AtLeastOnceChecker(const CheckerContext& context);

  void OnConnectAttempt(const ConnectAttempt& o,
                        const ObservedIds& ids) override;
  void OnConnack(const ConnackReceived& o) override;
  void OnConnectionEnded(const ConnectionEnded& o) override;
  void OnBrokerEvent(const BrokerEventSeen& o, const ObservedIds& ids) override;
  void OnClientDeleted(const ClientDeleted& o) override;
  void OnBrokerRestarted(const BrokerRestarted& o) override;
  void OnSubscribeResult(const SubscribeResult& result,
                         const ObservedIds& ids) override;
  void OnUnsubscribeSent(const UnsubscribeSent& unsubscribe,
                         const ObservedIds& ids) override;
  void OnPublishSent(const PublishSent& sent, const ObservedIds& ids) override;
  void OnPublishAcknowledged(const PublishAcknowledged& ack) override;
  void OnPublishAbandoned(const PublishAbandoned& abandoned) override;
  void OnMessageReceived(const MessageReceived& received,
                         const ObservedIds& ids) override;
  void OnClientIntent(const ClientIntent& intent,
                      const ObservedIds& ids) override;
  void Finish(Time end) override;

 private:
  struct Publish {
    MessageTag tag;
    uint32_t client = 0;
    uint32_t publisher_session = 0;
    uint32_t topic = 0;
    mqtt::Qos qos = mqtt::Qos::kAtMostOnce;
    Time sent = 0;
    Time acknowledged = -1;  // PUBACK Success; -1 before (or on failure).
    std::optional<Duration> expiry;
    uint32_t first_expectation = 0;
    uint32_t expectation_count = 0;
  };
  struct Subscription {
    uint32_t session = 0;
    uint32_t filter = 0;
    uint64_t epoch = 0;
    Time granted = 0;
    Time removed = kInfiniteFuture;
    bool unsubscribed = false;  // Removed by UNSUBSCRIBE, not a session end.
    bool qos1 = false;
    bool no_local = false;
    bool authorized = false;
  };
  enum class State : uint8_t { kPending, kDelivered, kExcused, kDropped };
  struct Expectation {
    uint32_t publish = 0;
    uint32_t session = 0;
    uint64_t epoch = 0;
    uint32_t subscriptions_begin = 0;  // Into expectation_subscriptions_.
    uint32_t subscription_count = 0;
    State state = State::kPending;
    SessionEndCause cause = SessionEndCause::kVanished;
    Time ended_at = -1;  // When its session ended (excused or vanished).
  };
  // What the checker keeps per session, by session number.
  struct Session {
    // The order in which the checker first met the session (intent,
    // subscription or publish): a message's expectations are in this
    // order, and so are the violations about them.
    uint32_t rank = kNoName;
    std::vector<uint32_t> active;  // Its active subscriptions.
    // The stretches its client wanted it connected, as (start, end) with
    // end kInfiniteFuture while open. Empty: no ClientIntent seen, which
    // counts as always wanted.
    std::vector<std::pair<Time, Time>> wanted;
  };
  struct Topic {
    // The granted filters that match it, among the first `considered`
    // (in the order they were first granted).
    std::vector<uint32_t> matching;
    uint32_t considered = 0;
  };

  // The session's record, ranked (first met) if `rank`.
  Session& SessionAt(uint32_t session, bool rank);
  const std::vector<uint32_t>& MatchingFilters(uint32_t topic);
  void Deactivate(uint32_t subscription, Time time, bool unsubscribed);
  template <typename O>
  void Lifetimes(const O& o, const ObservedIds& ids);
  void SessionEnded(const SessionLifetimes::Ended& ended);
  // Whether the session was wanted connected for `settle` on end, from
  // `from` on, before `end`.
  bool HadTheChance(uint32_t session, Time from, Time end) const;
  std::string Describe(const Expectation& expectation) const;

  SessionLifetimes lifetimes_;
  std::vector<SessionLifetimes::Ended> ended_;  // Scratch.

  std::vector<Session> sessions_;  // By session number.
  uint32_t ranked_ = 0;            // Sessions ranked so far.
  struct Filter {
    std::vector<uint32_t> active;  // Its active subscriptions.
    bool granted = false;          // Some SUBACK granted it.
  };
  std::vector<Filter> filters_;  // By filter number.
  // Filters in the order they were first granted.
  std::vector<uint32_t> granted_filters_;
  std::vector<Topic> topics_;  // By topic number.
  // (client, topic) -> whether the reference model lets the client publish.
  absl::flat_hash_map<uint64_t, bool> may_publish_;

  std::vector<Subscription> subscriptions_;
  std::vector<Publish> publishes_;
  absl::flat_hash_map<uint64_t, uint32_t> publish_by_tag_;
  std::vector<Expectation> expectations_;
  std::vector<uint32_t> expectation_subscriptions_;
  absl::flat_hash_map<uint64_t, std::vector<uint32_t>> expectations_by_epoch_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_QOS1_AT_LEAST_ONCE_CHECKER_H_
