#include "client/pending_responses.h"

#include <algorithm>

#include "base/check.h"

namespace mqlab::client {
namespace {

constexpr std::array<uint8_t, 4> kMagic = {'m', 'q', 'r', 'q'};

}  // namespace

std::array<uint8_t, kCorrelationDataSize> RequestCorrelationData(
    uint64_t request_id) {
  std::array<uint8_t, kCorrelationDataSize> data{};
  std::copy(kMagic.begin(), kMagic.end(), data.begin());
  for (int i = 0; i < 8; ++i) {
    data[kMagic.size() + i] = static_cast<uint8_t>(request_id >> (56 - 8 * i));
  }
  return data;
}

std::optional<uint64_t> RequestIdOf(mqtt::Bytes correlation_data) {
  if (correlation_data.size() != kCorrelationDataSize ||
      !std::equal(kMagic.begin(), kMagic.end(), correlation_data.begin())) {
    return std::nullopt;
  }
  uint64_t request_id = 0;
  for (size_t i = kMagic.size(); i < kCorrelationDataSize; ++i) {
    request_id = (request_id << 8) | correlation_data[i];
  }
  return request_id;
}

void PendingResponses::Add(uint64_t request_id, Time deadline) {
  MQLAB_CHECK(!full());
  requests_.push_back({request_id, deadline});
  next_deadline_ = std::min(next_deadline_, deadline);
}

bool PendingResponses::Take(uint64_t request_id) {
  const auto it = std::find_if(
      requests_.begin(), requests_.end(),
      [&](const Request& r) { return r.request_id == request_id; });
  if (it == requests_.end()) return false;
  const bool was_earliest = it->deadline == next_deadline_;
  requests_.erase(it);
  if (was_earliest) UpdateNextDeadline();
  return true;
}

void PendingResponses::TakeExpired(Time now, std::vector<uint64_t>* expired) {
  if (now < next_deadline_) return;
  size_t kept = 0;
  for (const Request& request : requests_) {
    if (request.deadline <= now) {
      expired->push_back(request.request_id);
    } else {
      requests_[kept++] = request;
    }
  }
  requests_.resize(kept);
  UpdateNextDeadline();
}

void PendingResponses::UpdateNextDeadline() {
  next_deadline_ = kInfiniteFuture;
  for (const Request& request : requests_) {
    next_deadline_ = std::min(next_deadline_, request.deadline);
  }
}

}  // namespace mqlab::client
