#include "client/topic_aliases.h"

#include "base/check.h"

namespace mqlab::client {

void OutgoingTopicAliases::Reset(TopicAliasPolicy policy, uint16_t capacity) {
  policy_ = capacity == 0 ? TopicAliasPolicy::kNone : policy;
  capacity_ = capacity;
  clock_ = 0;
  entries_.clear();
}

OutgoingTopicAliases::Choice OutgoingTopicAliases::Choose(
    std::string_view topic, uint64_t spare_bytes) {
  if (policy_ == TopicAliasPolicy::kNone) return {};
  ++clock_;
  size_t least_recent = 0;
  for (size_t i = 0; i < entries_.size(); ++i) {
    Entry& entry = entries_[i];
    if (entry.topic == topic) {
      // The empty Topic Name saves the topic's bytes.
      if (spare_bytes + topic.size() < kMaximumAliasGrowth) return {};
      entry.last_use = clock_;
      return {.alias = static_cast<uint16_t>(i + 1), .send_topic = false};
    }
    if (entry.last_use < entries_[least_recent].last_use) least_recent = i;
  }
  if (spare_bytes < kMaximumAliasGrowth) return {};
  if (entries_.size() < capacity_) {
    entries_.push_back({.topic = std::string(topic), .last_use = clock_});
    return {.alias = static_cast<uint16_t>(entries_.size()),
            .send_topic = true};
  }
  if (policy_ == TopicAliasPolicy::kFirstCome) return {};
  MQLAB_CHECK(!entries_.empty());
  Entry& victim = entries_[least_recent];
  victim.topic.assign(topic);
  victim.last_use = clock_;
  return {.alias = static_cast<uint16_t>(least_recent + 1), .send_topic = true};
}

void IncomingTopicAliases::Reset(uint16_t maximum) {
  maximum_ = maximum;
  topics_.clear();
}

IncomingTopicAliases::Resolution IncomingTopicAliases::Resolve(
    std::string_view topic, uint16_t alias) {
  if (alias == 0) return {.topic = topic};
  if (alias > maximum_) {
    return {.reason_code = mqtt::ReasonCode::kTopicAliasInvalid,
            .rule =
                "[MQTT-3.3.2-10] the Server must not send a Topic Alias "
                "greater than the Topic Alias Maximum the Client sent"};
  }
  const size_t index = alias - 1u;
  if (!topic.empty()) {
    if (topics_.size() <= index) topics_.resize(index + 1);
    topics_[index].assign(topic);
    return {.topic = topic};
  }
  if (index >= topics_.size() || topics_[index].empty()) {
    return {.reason_code = mqtt::ReasonCode::kProtocolError,
            .rule =
                "[MQTT 5.0 3.3.2.3.4] a PUBLISH with an empty Topic Name "
                "must use a Topic Alias mapped earlier on the connection"};
  }
  return {.topic = topics_[index]};
}

}  // namespace mqlab::client
