#include "fuzz/topic_match_oracle.h"

#include <algorithm>
#include <array>
#include <sstream>

#include "tests/broker/topic_oracle.h"

namespace mqlab::fuzz {
namespace {

using broker::SubscriberId;
using broker::SubscriberMatch;
using broker::SubscriptionIndex;
using broker::SubscriptionOptions;

// Few subscribers and a small index, so that subscriptions pile up on the
// same nodes and the index fills (kFull is part of the contract).
constexpr SubscriberId kSubscribers = 4;
constexpr size_t kMaximumSubscriptions = 48;
constexpr size_t kMaximumLevels = 4;
// Topic levels; filters add '+' and '#'. "$sys" tests [MQTT-4.7.2-1] when
// first, and is an ordinary level elsewhere.
constexpr std::array<std::string_view, 5> kTopicLevels = {"a", "b", "", "$sys",
                                                          "ab"};

// Reads the fuzzer's bytes one at a time; zeros after the end.
class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> data) : data_(data) {}
  bool done() const { return position_ >= data_.size(); }
  uint8_t Next() { return done() ? 0 : data_[position_++]; }

 private:
  std::span<const uint8_t> data_;
  size_t position_ = 0;
};

std::string ReadTopic(ByteReader& reader) {
  const size_t levels = reader.Next() % kMaximumLevels + 1;
  std::string topic;
  for (size_t i = 0; i < levels; ++i) {
    if (i > 0) topic += '/';
    topic += kTopicLevels[reader.Next() % kTopicLevels.size()];
  }
  // A topic name is at least one character long [MQTT-4.7.3-1].
  return topic.empty() ? "a" : topic;
}

// A valid filter: '#' only as the last level [MQTT-4.7.1-1].
std::string ReadFilter(ByteReader& reader) {
  const size_t levels = reader.Next() % kMaximumLevels + 1;
  std::string filter;
  for (size_t i = 0; i < levels; ++i) {
    if (i > 0) filter += '/';
    const uint8_t choice = reader.Next() % (kTopicLevels.size() + 2);
    if (choice == kTopicLevels.size()) {
      filter += '+';
    } else if (choice == kTopicLevels.size() + 1) {
      filter += '#';
      break;
    } else {
      filter += kTopicLevels[choice];
    }
  }
  return filter.empty() ? "+" : filter;
}

std::string Describe(std::span<const SubscriberMatch> matches) {
  std::ostringstream out;
  out << "[";
  for (const SubscriberMatch& match : matches) {
    out << " {subscriber " << match.subscriber << ", qos "
        << int{match.maximum_qos} << ", rap " << match.retain_as_published
        << "}";
  }
  out << " ]";
  return out.str();
}

}  // namespace

SubscriptionIndex::AddResult ReferenceSubscriptions::Add(
    SubscriberId subscriber, std::string_view filter,
    SubscriptionOptions options) {
  const auto key = std::make_pair(subscriber, std::string(filter));
  if (auto it = subscriptions_.find(key); it != subscriptions_.end()) {
    it->second = options;
    return SubscriptionIndex::AddResult::kReplaced;
  }
  if (subscriptions_.size() == maximum_subscriptions_) {
    return SubscriptionIndex::AddResult::kFull;
  }
  subscriptions_.emplace(key, options);
  return SubscriptionIndex::AddResult::kAdded;
}

bool ReferenceSubscriptions::Remove(SubscriberId subscriber,
                                    std::string_view filter) {
  return subscriptions_.erase(std::make_pair(subscriber, std::string(filter))) >
         0;
}

std::vector<SubscriberMatch> ReferenceSubscriptions::Match(
    std::string_view topic, std::optional<SubscriberId> publisher) const {
  std::vector<SubscriberMatch> matches;
  // The map is ordered by subscriber first: each subscriber's filters are
  // consecutive, and the result comes out in ascending subscriber order.
  for (const auto& [key, options] : subscriptions_) {
    const auto& [subscriber, filter] = key;
    if (!broker::testing::OracleMatches(filter, topic)) continue;
    if (options.no_local && publisher == subscriber) continue;
    if (matches.empty() || matches.back().subscriber != subscriber) {
      matches.push_back(
          {subscriber, options.maximum_qos, options.retain_as_published});
      continue;
    }
    SubscriberMatch& match = matches.back();
    match.maximum_qos = std::max(match.maximum_qos, options.maximum_qos);
    match.retain_as_published |= options.retain_as_published;
  }
  return matches;
}

std::optional<std::string> CompareMatches(
    std::string_view topic, std::span<const SubscriberMatch> expected,
    std::span<const SubscriberMatch> actual) {
  if (std::equal(expected.begin(), expected.end(), actual.begin(),
                 actual.end())) {
    return std::nullopt;
  }
  return "topic \"" + std::string(topic) + "\": expected " +
         Describe(expected) + ", the index matched " + Describe(actual);
}

std::optional<std::string> RunTopicMatchOperations(
    std::span<const uint8_t> data) {
  SubscriptionIndex index(kMaximumSubscriptions);
  ReferenceSubscriptions reference(kMaximumSubscriptions);
  ByteReader reader(data);
  std::vector<SubscriberMatch> actual;
  while (!reader.done()) {
    const uint8_t operation = reader.Next();
    const SubscriberId subscriber = reader.Next() % kSubscribers;
    switch (operation % 4) {
      case 0:
      case 1: {
        const std::string filter = ReadFilter(reader);
        const uint8_t flags = reader.Next();
        const SubscriptionOptions options{
            .maximum_qos = static_cast<uint8_t>(flags % 3),
            .no_local = (flags & 4) != 0,
            .retain_as_published = (flags & 8) != 0};
        const auto expected = reference.Add(subscriber, filter, options);
        if (index.Add(subscriber, filter, options) != expected) {
          return "Add(" + std::to_string(subscriber) + ", \"" + filter +
                 "\") answered unlike the reference";
        }
        break;
      }
      case 2: {
        const std::string filter = ReadFilter(reader);
        if (index.Remove(subscriber, filter) !=
            reference.Remove(subscriber, filter)) {
          return "Remove(" + std::to_string(subscriber) + ", \"" + filter +
                 "\") answered unlike the reference";
        }
        break;
      }
      default: {
        const std::string topic = ReadTopic(reader);
        // The subscriber byte doubles as the publisher; with bit 0x10 of the
        // operation byte the message comes from outside (no No Local).
        const std::optional<SubscriberId> publisher =
            (operation & 0x10) != 0 ? std::nullopt
                                    : std::optional<SubscriberId>(subscriber);
        index.Match(topic, publisher, &actual);
        const std::vector<SubscriberMatch> expected =
            reference.Match(topic, publisher);
        if (auto difference = CompareMatches(topic, expected, actual)) {
          return difference;
        }
        break;
      }
    }
    if (index.size() != reference.size()) {
      return "the index holds " + std::to_string(index.size()) +
             " subscriptions, the reference " +
             std::to_string(reference.size());
    }
  }
  return std::nullopt;
}

}  // namespace mqlab::fuzz
