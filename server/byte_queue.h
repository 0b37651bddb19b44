// A FIFO of bytes that keeps its memory: appended at the back, consumed from
// the front. Per-connection write buffers and the filters' scratch space use
// it, so that a warmed-up connection allocates nothing per message.
#ifndef MQLAB_SERVER_BYTE_QUEUE_H_
#define MQLAB_SERVER_BYTE_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace mqlab::server {

class ByteQueue {
 public:
  void Append(std::span<const uint8_t> bytes);
  // The bytes not yet consumed, valid until the next Append or Consume.
  std::span<const uint8_t> Front() const {
    return {bytes_.data() + head_, bytes_.size() - head_};
  }
  // Drops `count` bytes from the front (at most size()).
  void Consume(size_t count);
  void Clear();
  size_t size() const { return bytes_.size() - head_; }
  bool empty() const { return size() == 0; }
  // Gives the memory back (a connection that went idle after a burst).
  void ShrinkIfIdle(size_t keep_capacity);

 private:
  std::vector<uint8_t> bytes_;
  size_t head_ = 0;  // Bytes before it are consumed.
};

}  // namespace mqlab::server

#endif  // MQLAB_SERVER_BYTE_QUEUE_H_
