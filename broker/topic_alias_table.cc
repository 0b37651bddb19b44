#include "broker/topic_alias_table.h"

namespace mqlab::broker {

TopicAliasTable::Result TopicAliasTable::Apply(uint16_t alias,
                                               std::string_view* topic) {
  if (alias == 0 || alias > maximum_) return Result::kOutOfRange;
  if (!topic->empty()) {
    if (topics_.size() < alias) topics_.resize(alias);
    // A topic name is never empty, so "" can mean "unset".
    topics_[alias - 1].assign(topic->data(), topic->size());
    return Result::kOk;
  }
  if (topics_.size() < alias || topics_[alias - 1].empty()) {
    return Result::kUnset;
  }
  *topic = topics_[alias - 1];
  return Result::kOk;
}

}  // namespace mqlab::broker
