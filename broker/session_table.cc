#include "broker/session_table.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "base/absl_string_view.h"
#include "base/check.h"

namespace mqlab::broker {

SessionTable::SessionTable(size_t maximum_sessions)
    : maximum_sessions_(maximum_sessions) {}

Session* SessionTable::Find(std::string_view client_id) const {
  const auto it = by_client_id_.find(ToAbsl(client_id));
  return it == by_client_id_.end() ? nullptr : slots_[it->second].get();
}

Session* SessionTable::Get(SessionId id) const {
  return id < slots_.size() ? slots_[id].get() : nullptr;
}

Session* SessionTable::Create(std::string_view client_id,
                              std::string_view client_name,
                              std::string_view authentication_name) {
  MQLAB_CHECK_MSG(size() < maximum_sessions_, "the session table is full");
  MQLAB_CHECK(Find(client_id) == nullptr);
  SessionId id;
  if (!free_ids_.empty()) {
    std::pop_heap(free_ids_.begin(), free_ids_.end(), std::greater<>());
    id = free_ids_.back();
    free_ids_.pop_back();
  } else {
    id = static_cast<SessionId>(slots_.size());
    slots_.emplace_back();
  }
  slots_[id] = std::make_unique<Session>(id, std::string(client_id),
                                         std::string(client_name),
                                         std::string(authentication_name));
  Session* session = slots_[id].get();
  by_client_id_.emplace(ToAbsl(session->client_id), id);
  ++count_by_client_[session->client_name];
  return session;
}

std::unique_ptr<Session> SessionTable::Remove(Session* session) {
  MQLAB_CHECK(session != nullptr && Get(session->id) == session);
  by_client_id_.erase(ToAbsl(session->client_id));
  if (!session->orphaned) {
    const auto count = count_by_client_.find(session->client_name);
    MQLAB_CHECK(count != count_by_client_.end() && count->second > 0);
    if (--count->second == 0) count_by_client_.erase(count);
  }
  return std::move(slots_[session->id]);
}

void SessionTable::Free(std::unique_ptr<Session> session) {
  MQLAB_CHECK(session != nullptr && slots_[session->id] == nullptr);
  free_ids_.push_back(session->id);
  std::push_heap(free_ids_.begin(), free_ids_.end(), std::greater<>());
}

void SessionTable::Orphan(Session* session) {
  if (session->orphaned) return;
  const auto count = count_by_client_.find(session->client_name);
  MQLAB_CHECK(count != count_by_client_.end() && count->second > 0);
  if (--count->second == 0) count_by_client_.erase(count);
  session->orphaned = true;
}

uint32_t SessionTable::CountOfClient(std::string_view client_name) const {
  const auto it = count_by_client_.find(ToAbsl(client_name));
  return it == count_by_client_.end() ? 0 : it->second;
}

std::vector<SessionId> SessionTable::SessionsOfClient(
    std::string_view client_name) const {
  std::vector<SessionId> ids;
  for (const std::unique_ptr<Session>& session : slots_) {
    if (session != nullptr && !session->orphaned &&
        session->client_name == client_name) {
      ids.push_back(session->id);
    }
  }
  return ids;
}

}  // namespace mqlab::broker
