#include "server/byte_queue.h"

#include <cstring>

#include "base/check.h"

namespace mqlab::server {

void ByteQueue::Append(std::span<const uint8_t> bytes) {
  if (bytes.empty()) return;
  // Move the unconsumed tail to the front rather than grow, once the
  // consumed part is at least half of what is held.
  if (head_ > 0 && head_ >= bytes_.size() / 2 &&
      bytes_.size() + bytes.size() > bytes_.capacity()) {
    const size_t remaining = size();
    std::memmove(bytes_.data(), bytes_.data() + head_, remaining);
    bytes_.resize(remaining);
    head_ = 0;
  }
  bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
}

void ByteQueue::Consume(size_t count) {
  MQLAB_CHECK(count <= size());
  head_ += count;
  if (head_ == bytes_.size()) Clear();
}

void ByteQueue::Clear() {
  bytes_.clear();
  head_ = 0;
}

void ByteQueue::ShrinkIfIdle(size_t keep_capacity) {
  if (empty() && bytes_.capacity() > keep_capacity) {
    std::vector<uint8_t>().swap(bytes_);
    head_ = 0;
  }
}

}  // namespace mqlab::server
