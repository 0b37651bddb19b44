// A FIFO of bytes over one reused vector: appended at the back, consumed from
// the front. It keeps its capacity, so a connection's steady state allocates
// nothing; consumed bytes are dropped when the queue empties, or moved out of
// the way once they are at least half of it.
#ifndef MQLAB_SERVER_WEBSOCKET_BYTE_QUEUE_H_
#define MQLAB_SERVER_WEBSOCKET_BYTE_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "base/check.h"

namespace mqlab::server::websocket {

class ByteQueue {
 public:
  std::span<const uint8_t> bytes() const {
    return std::span<const uint8_t>(buffer_).subspan(start_);
  }
  bool empty() const { return start_ == buffer_.size(); }

  void Append(std::span<const uint8_t> bytes) {
    if (start_ > 0 && start_ * 2 >= buffer_.size()) {
      buffer_.erase(buffer_.begin(), buffer_.begin() + start_);
      start_ = 0;
    }
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  }

  void Consume(size_t size) {
    MQLAB_CHECK_MSG(size <= buffer_.size() - start_,
                    "consumed more bytes than the queue holds");
    start_ += size;
    if (start_ == buffer_.size()) Clear();
  }

  void Clear() {
    buffer_.clear();
    start_ = 0;
  }

 private:
  std::vector<uint8_t> buffer_;
  size_t start_ = 0;
};

}  // namespace mqlab::server::websocket

#endif  // MQLAB_SERVER_WEBSOCKET_BYTE_QUEUE_H_
