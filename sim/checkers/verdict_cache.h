// A value per (who, topic) pair, who being a client or a session number and
// topic a topic number (ObservedNames): the checkers' cached authorization
// verdicts. Each topic keeps the value of the first `who` that asked in a
// vector by topic number (most topics have one publisher, or one
// subscriber: found without hashing); the others go to a hash map.
//
// Bound: past kMaxCachedVerdicts entries the hash map is cleared (a cost:
// verdicts are worked out again, never different ones). The per-topic slots
// are bounded by the topic names (ObservedNames::kMaxNames).
#ifndef MQLAB_SIM_CHECKERS_VERDICT_CACHE_H_
#define MQLAB_SIM_CHECKERS_VERDICT_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "sim/checkers/observed_names.h"

namespace mqlab::sim {

template <typename Value>
class VerdictCache {
 public:
  static constexpr size_t kMaxCachedVerdicts = 1'000'000;

  // The entry of (who, topic); `*fresh` tells a new one (value-initialized:
  // the caller works its verdict out).
  Value& Find(uint32_t who, uint32_t topic, bool* fresh) {
    if (topic >= first_.size()) first_.resize(topic + 1);
    First& first = first_[topic];
    *fresh = first.who == kNoName;
    if (*fresh) first.who = who;
    if (first.who == who) return first.value;
    if (others_.size() >= kMaxCachedVerdicts) others_.clear();
    const auto [it, inserted] =
        others_.try_emplace(uint64_t{who} << 32 | topic, Value{});
    *fresh = inserted;
    return it->second;
  }

 private:
  struct First {
    uint32_t who = kNoName;
    Value value{};
  };

  std::vector<First> first_;  // By topic number.
  absl::flat_hash_map<uint64_t, Value> others_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CHECKERS_VERDICT_CACHE_H_
