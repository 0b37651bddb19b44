// The names observations carry, numbered: ClientIds (sessions), topics and
// filters get dense numbers from 0 the first time a checker set sees them,
// so that checkers keep vectors indexed by number instead of maps keyed by
// name, and a name is looked up once per observation rather than once per
// checker. Observations hand names over as views (sim/observations.h); the
// table keeps its own copy of each.
//
// The fleet's sessions are numbered first, in fleet order (their names are
// not copied: the fleet outlives the checkers). Most observations say which
// fleet client recorded them, so a ClientId is first compared with that
// client's sessions' names, and a topic with the last one its publisher
// used: the common case hashes nothing.
//
// Bound: at most kMaxNames names of each kind. A name past it is refused:
// status() turns RESOURCE_EXHAUSTED, which stops the run, and the checker
// set judges nothing more.
#ifndef MQLAB_SIM_CHECKERS_OBSERVED_NAMES_H_
#define MQLAB_SIM_CHECKERS_OBSERVED_NAMES_H_

#include <cstdint>
#include <deque>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "sim/fleet.h"
#include "sim/observations.h"

namespace mqlab::sim {

inline constexpr uint32_t kNoName = std::numeric_limits<uint32_t>::max();

// The numbers of the names one observation carries (kNoName where it
// carries none).
struct ObservedIds {
  uint32_t session = kNoName;  // client_id.
  uint32_t topic = kNoName;    // PublishSent, MessageReceived.
  uint32_t filter = kNoName;   // SubscribeResult, UnsubscribeSent.
};

// One kind of name, numbered densely in order of first sight.
class NameTable {
 public:
  static constexpr uint32_t kMaxNames = 4'000'000;

  // The number of `name`, numbering it if new; kNoName when the table is
  // full.
  uint32_t Number(std::string_view name);
  // Numbers a name whose storage outlives the table, without copying it.
  uint32_t NumberStable(std::string_view name);
  std::string_view Name(uint32_t number) const { return names_[number]; }

 private:
  uint32_t Add(std::string_view stored);

  absl::flat_hash_map<absl::string_view, uint32_t> numbers_;
  std::vector<std::string_view> names_;
  std::deque<std::string> owned_;  // Stable storage of the copied names.
};

class ObservedNames {
 public:
  // `fleet` (may be null) outlives the table.
  explicit ObservedNames(const Fleet* fleet);
  ObservedNames(const ObservedNames&) = delete;
  ObservedNames& operator=(const ObservedNames&) = delete;

  ObservedIds Number(const ConnectAttempt& o);
  ObservedIds Number(const ConnackReceived&) { return {}; }
  ObservedIds Number(const ConnectionEnded&) { return {}; }
  ObservedIds Number(const PublishSent& o);
  ObservedIds Number(const PublishAcknowledged&) { return {}; }
  ObservedIds Number(const PublishAbandoned&) { return {}; }
  ObservedIds Number(const MessageReceived& o);
  ObservedIds Number(const SubscribeResult& o);
  ObservedIds Number(const UnsubscribeSent& o);
  ObservedIds Number(const BrokerEventSeen& o);
  ObservedIds Number(const BrokerRestarted&) { return {}; }
  ObservedIds Number(const ClientDeleted&) { return {}; }
  ObservedIds Number(const ClientIntent& o);
  ObservedIds Number(const LimitProbeOutcome& o);

  std::string_view session(uint32_t number) const {
    return sessions_.Name(number);
  }
  std::string_view topic(uint32_t number) const { return topics_.Name(number); }
  std::string_view filter(uint32_t number) const {
    return filters_.Name(number);
  }
  // OK, or RESOURCE_EXHAUSTED once a table refused a name.
  const absl::Status& status() const { return status_; }

 private:
  // The session named `client_id`, recorded by fleet client `client`.
  uint32_t Session(std::string_view client_id, uint32_t client);
  // The topic of a message of `publisher` (a tag's publisher).
  uint32_t Topic(uint32_t publisher, std::string_view topic);
  uint32_t Checked(uint32_t number, std::string_view what);

  const Fleet* fleet_;
  NameTable sessions_;
  NameTable topics_;
  NameTable filters_;
  // Fleet session index -> its number (fleet sessions may share a name).
  std::vector<uint32_t> fleet_sessions_;
  // Publisher number (MessageTag::publisher) -> the topic it used last.
  std::vector<uint32_t> last_topic_;
  absl::Status status_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_OBSERVED_NAMES_H_
