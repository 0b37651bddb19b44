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
//
// State follows what is in flight, not the run's length. A message is
// tracked while it has expected deliveries open: until its outcome (PUBACK
// or abandonment; the harness records one per message, and later ones are
// ignored) and until every expectation is delivered, dropped or excused.
// Then it is retired: what is published stays known as runs of sequence
// numbers per publisher (phantoms, reused tags), and an expectation excused
// by its session's end stays as a small record, since a late delivery still
// takes the exception back. A subscription is kept while active or while a
// message awaiting its PUBACK may still be routed through it.
#ifndef MQLAB_SIM_CHECKERS_QOS1_AT_LEAST_ONCE_CHECKER_H_
#define MQLAB_SIM_CHECKERS_QOS1_AT_LEAST_ONCE_CHECKER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "sim/checkers/checker.h"
#include "sim/checkers/sequence_runs.h"
#include "sim/checkers/session_lifetimes.h"
#include "sim/checkers/verdict_cache.h"

namespace mqlab::sim {

class Qos1AtLeastOnceChecker : public Checker {
 public:
  // Bounds on the live tracking state (the run stops beyond them): messages
  // with expectations open, expectations open or excused, subscriptions
  // active or still needed, runs of published sequence numbers.
  static constexpr size_t kMaxMessages = 8'000'000;
  static constexpr size_t kMaxExpectations = 16'000'000;
  static constexpr size_t kMaxSubscriptions = 4'000'000;
  static constexpr size_t kMaxPublishedRuns = 8'000'000;

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

  // The tracking state's size, for tests of its bounds.
  struct Tracked {
    size_t messages = 0;
    size_t expectations = 0;  // Open, and excused ones kept.
    size_t subscriptions = 0;
    size_t published_runs = 0;
  };
  Tracked tracked() const;

 private:
  struct Subscription {
    uint32_t session = 0;
    uint32_t filter = 0;
    uint64_t epoch = 0;
    Time granted = 0;
    Time removed = kInfiniteFuture;
    // Messages awaiting their outcome that list it: it is kept until they
    // are settled, even once removed.
    uint32_t references = 0;
    bool active = false;
    bool unsubscribed = false;  // Removed by UNSUBSCRIBE, not a session end.
    bool qos1 = false;
    bool no_local = false;
    bool authorized = false;
  };
  enum class State : uint8_t { kPending, kDelivered, kExcused, kDropped };
  struct Expectation {
    uint32_t session = 0;
    State state = State::kPending;
    SessionEndCause cause = SessionEndCause::kVanished;
    Time ended_at = -1;  // When its session ended (excused or vanished).
    // Its subscriptions in Message::subscriptions, until the outcome.
    uint32_t subscriptions_begin = 0;
    uint32_t subscription_count = 0;
    // The first of them, for the report.
    uint32_t filter = 0;
    Time granted = 0;
  };
  // A published QoS 1 message with expectations, until retired.
  struct Message {
    MessageTag tag;
    uint64_t order = 0;       // Publish order (reports at the end follow it).
    uint32_t generation = 0;  // Of the slot: tells a retired message's refs.
    uint32_t publisher_session = 0;
    uint32_t topic = 0;
    uint32_t pending = 0;  // Expectations in kPending.
    Time sent = 0;
    Time acknowledged = -1;  // PUBACK Success; -1 before (or on failure).
    Time expires = kInfiniteFuture;  // Message Expiry Interval's end.
    bool settled = false;            // PUBACK or abandonment seen.
    // In session rank order (deliveries find theirs by binary search).
    std::vector<Expectation> expectations;
    std::vector<uint32_t> subscriptions;
  };
  // An expectation of a session's open epoch (its session may end it).
  struct Open {
    uint32_t slot = 0;
    uint32_t generation = 0;
    uint32_t expectation = 0;
  };
  // What the checker keeps per session, by session number.
  struct Session {
    uint32_t pending = 0;          // Its expectations in kPending.
    std::vector<uint32_t> active;  // Its active subscriptions.
    std::vector<Open> open;        // Expectations of its open epoch.
    size_t open_compacted = 0;     // open's size after the last compaction.
    // The stretches its client wanted it connected, as (start, end) with
    // end kInfiniteFuture while open. None with !intents: no ClientIntent
    // seen, which counts as always wanted.
    bool intents = false;
    std::vector<std::pair<Time, Time>> wanted;
  };
  struct Filter {
    std::vector<uint32_t> active;  // Its active subscriptions.
    bool granted = false;          // Some SUBACK granted it.
  };
  struct Topic {
    // The granted filters that match it, among the first `considered`
    // (in the order they were first granted).
    std::vector<uint32_t> matching;
    uint32_t considered = 0;
  };

  // The session's rank, ranking it if it is met for the first time.
  uint32_t Rank(uint32_t session);
  // The session's record (ranked).
  Session& SessionAt(uint32_t session);
  const std::vector<uint32_t>& MatchingFilters(uint32_t topic);
  void Deactivate(uint32_t subscription, Time time, bool unsubscribed);
  void ReleaseSubscription(uint32_t subscription);
  template <typename O>
  void Lifetimes(const O& o, const ObservedIds& ids);
  void SessionEnded(const SessionLifetimes::Ended& ended);
  void SetState(Message& message, Expectation& expectation, State state);
  // The PUBACK or abandonment: the subscriptions are no longer needed.
  void Settle(Message& message);
  void RetireIfDone(uint32_t slot);
  // The slot of the live message of `tag`, or kNoName.
  uint32_t Live(const MessageTag& tag) const;
  // Whether the session was wanted connected for `settle` on end, from
  // `from` on, before `end`.
  bool HadTheChance(uint32_t session, Time from, Time end) const;
  void Judge(const Message& message, const Expectation& expectation, Time end);
  std::string Describe(const Message& message,
                       const Expectation& expectation) const;

  SessionLifetimes lifetimes_;
  std::vector<SessionLifetimes::Ended> ended_;  // Scratch.

  std::vector<Session> sessions_;  // By session number.
  // By session number: the order in which the checker first met the
  // session (intent, subscription or publish), kNoName before. A message's
  // expectations are in this order, and so are the violations about them.
  // Apart from Session, so that a publish reads one compact array.
  std::vector<uint32_t> ranks_;
  uint32_t ranked_ = 0;          // Sessions ranked so far.
  std::vector<Filter> filters_;  // By filter number.
  // Filters in the order they were first granted.
  std::vector<uint32_t> granted_filters_;
  std::vector<Topic> topics_;  // By topic number.
  // Whether the reference model lets the client publish to the topic.
  VerdictCache<bool> may_publish_;

  std::vector<Subscription> subscriptions_;
  std::vector<uint32_t> free_subscriptions_;
  size_t live_subscriptions_ = 0;

  // Published sequence numbers, by publisher.
  std::vector<SequenceRuns<>> published_;
  size_t published_runs_ = 0;

  std::vector<Message> messages_;  // Slots; free ones listed in free_slots_.
  std::vector<uint32_t> free_slots_;
  absl::flat_hash_map<uint64_t, uint32_t> live_;  // Tag key -> slot.
  uint64_t published_with_expectations_ = 0;      // Message::order.
  size_t expectations_ = 0;                       // In live messages.
  // Expectations excused by their session's end, of acknowledged messages
  // retired since: (tag key, session) -> cause.
  absl::flat_hash_map<std::pair<uint64_t, uint32_t>, SessionEndCause> excused_;

  // Scratch of OnPublishSent: the matching subscriptions, ordered by
  // session rank and then as found.
  struct Match {
    uint32_t rank = 0;
    uint32_t found = 0;
    uint32_t subscription = 0;
  };
  std::vector<Match> matches_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_QOS1_AT_LEAST_ONCE_CHECKER_H_
