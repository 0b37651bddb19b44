#include "sim/checkers/observed_names.h"

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"

namespace mqlab::sim {

uint32_t NameTable::Number(std::string_view name) {
  const auto it = numbers_.find(ToAbsl(name));
  if (it != numbers_.end()) return it->second;
  if (names_.size() >= kMaxNames) return kNoName;
  return Add(owned_.emplace_back(name));
}

uint32_t NameTable::NumberStable(std::string_view name) {
  const auto it = numbers_.find(ToAbsl(name));
  if (it != numbers_.end()) return it->second;
  if (names_.size() >= kMaxNames) return kNoName;
  return Add(name);
}

uint32_t NameTable::Add(std::string_view stored) {
  const auto number = static_cast<uint32_t>(names_.size());
  names_.push_back(stored);
  numbers_.emplace(ToAbsl(stored), number);
  return number;
}

ObservedNames::ObservedNames(const Fleet* fleet) : fleet_(fleet) {
  if (fleet_ == nullptr) return;
  fleet_sessions_.reserve(fleet_->sessions.size());
  for (const FleetSession& session : fleet_->sessions) {
    fleet_sessions_.push_back(
        Checked(sessions_.NumberStable(session.client_id), "sessions"));
  }
}

uint32_t ObservedNames::Checked(uint32_t number, std::string_view what) {
  if (number == kNoName && status_.ok()) {
    status_ = absl::ResourceExhaustedError(absl::StrCat(
        "checkers: more than ", NameTable::kMaxNames, " ", ToAbsl(what),
        " named; shorten the run or lower its "
        "rates"));
  }
  return number;
}

uint32_t ObservedNames::Session(std::string_view client_id, uint32_t client) {
  if (fleet_ != nullptr && client < fleet_->clients.size()) {
    const FleetClient& owner = fleet_->clients[client];
    for (uint32_t s = owner.first_session;
         s < owner.first_session + owner.session_count; ++s) {
      if (fleet_->sessions[s].client_id == client_id) {
        return fleet_sessions_[s];
      }
    }
  }
  return Checked(sessions_.Number(client_id), "sessions");
}

uint32_t ObservedNames::Topic(uint32_t publisher, std::string_view topic) {
  if (publisher < last_topic_.size()) {
    const uint32_t last = last_topic_[publisher];
    if (last != kNoName && topics_.Name(last) == topic) return last;
  }
  return Checked(topics_.Number(topic), "topics");
}

ObservedIds ObservedNames::Number(const ConnectAttempt& o) {
  return {.session = Session(o.client_id, o.client)};
}

ObservedIds ObservedNames::Number(const PublishSent& o) {
  const uint32_t topic = Topic(o.tag.publisher, o.topic);
  // Tags of the fleet's own sessions (a test's may name any publisher).
  if (o.tag.publisher < kMaxFleetSessions) {
    if (o.tag.publisher >= last_topic_.size()) {
      last_topic_.resize(o.tag.publisher + 1, kNoName);
    }
    last_topic_[o.tag.publisher] = topic;
  }
  return {.session = Session(o.client_id, o.client), .topic = topic};
}

ObservedIds ObservedNames::Number(const MessageReceived& o) {
  return {.session = Session(o.client_id, o.client),
          .topic = Topic(
              o.tag_check == TagCheck::kUntagged ? kNoName : o.tag.publisher,
              o.topic)};
}

ObservedIds ObservedNames::Number(const SubscribeResult& o) {
  return {.session = Session(o.client_id, o.client),
          .filter = Checked(filters_.Number(o.filter), "filters")};
}

ObservedIds ObservedNames::Number(const UnsubscribeSent& o) {
  return {.session = Session(o.client_id, o.client),
          .filter = Checked(filters_.Number(o.filter), "filters")};
}

ObservedIds ObservedNames::Number(const BrokerEventSeen& o) {
  return {.session = Session(o.client_id, kNoName)};
}

ObservedIds ObservedNames::Number(const ClientIntent& o) {
  return {.session = Session(o.client_id, o.client)};
}

ObservedIds ObservedNames::Number(const LimitProbeOutcome& o) {
  return {.session = Session(o.client_id, o.client)};
}

}  // namespace mqlab::sim
