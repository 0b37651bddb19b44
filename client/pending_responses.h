// The request-response helper's table: requests published with a Response
// Topic and Correlation Data, waiting for the message that carries the same
// Correlation Data back, each until its deadline. Bounded by
// ClientOptions::max_pending_responses (Request() refuses beyond it).
#ifndef MQLAB_CLIENT_PENDING_RESPONSES_H_
#define MQLAB_CLIENT_PENDING_RESPONSES_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/time.h"
#include "mqtt/packet.h"

namespace mqlab::client {

// The Correlation Data of request `request_id`: "mqrq" and the id in 8
// big-endian bytes, so that other 8-byte correlation data is not mistaken
// for it.
inline constexpr size_t kCorrelationDataSize = 12;
std::array<uint8_t, kCorrelationDataSize> RequestCorrelationData(
    uint64_t request_id);
// The request id in `correlation_data`, or nullopt when it is not of that
// form.
std::optional<uint64_t> RequestIdOf(mqtt::Bytes correlation_data);

class PendingResponses {
 public:
  explicit PendingResponses(uint32_t capacity) : capacity_(capacity) {}

  bool full() const { return requests_.size() >= capacity_; }
  size_t size() const { return requests_.size(); }

  void Add(uint64_t request_id, Time deadline);
  // Removes the request; false when it is not pending (answered, timed out,
  // or never made).
  bool Take(uint64_t request_id);
  // The earliest deadline; kInfiniteFuture when none is pending.
  Time NextDeadline() const { return next_deadline_; }
  // Removes the requests whose deadline is at or before `now`, appending
  // their ids to *expired in the order they were made.
  void TakeExpired(Time now, std::vector<uint64_t>* expired);

 private:
  struct Request {
    uint64_t request_id;
    Time deadline;
  };
  void UpdateNextDeadline();

  uint32_t capacity_;
  std::vector<Request> requests_;  // In the order made.
  Time next_deadline_ = kInfiniteFuture;
};

}  // namespace mqlab::client

#endif  // MQLAB_CLIENT_PENDING_RESPONSES_H_
