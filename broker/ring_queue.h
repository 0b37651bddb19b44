// A FIFO over a power-of-two ring, for the per-session delivery queues. A
// queue that never held an entry owns no memory (32 bytes inline). One that
// drains keeps up to kKeptCapacity slots, so that a subscriber's steady
// ebb and flow allocates nothing, and gives back more than that; Trim gives
// back everything (a session gone idle). Entries are indexed from the front.
#ifndef MQLAB_BROKER_RING_QUEUE_H_
#define MQLAB_BROKER_RING_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "base/check.h"

namespace mqlab::broker {

// T must be default-constructible and movable; a popped slot is reset to T{}
// so that it releases what it held.
template <typename T>
class RingQueue {
 public:
  RingQueue() = default;
  RingQueue(RingQueue&&) noexcept = default;
  RingQueue& operator=(RingQueue&&) noexcept = default;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return storage_.size(); }

  T& operator[](size_t i) {
    MQLAB_CHECK(i < size_);
    return storage_[(head_ + i) & (storage_.size() - 1)];
  }
  const T& operator[](size_t i) const {
    MQLAB_CHECK(i < size_);
    return storage_[(head_ + i) & (storage_.size() - 1)];
  }
  T& front() { return (*this)[0]; }

  void push_back(T value) {
    if (size_ == storage_.size()) Grow();
    storage_[(head_ + size_) & (storage_.size() - 1)] = std::move(value);
    ++size_;
  }

  void pop_front() {
    MQLAB_CHECK(size_ > 0);
    storage_[head_] = T{};
    head_ = (head_ + 1) & (storage_.size() - 1);
    if (--size_ == 0) Reset();
  }

  // Removes the entries `remove` holds for, keeping the others' order.
  // Returns how many were removed.
  template <typename Predicate>
  size_t EraseIf(Predicate remove) {
    size_t kept = 0;
    for (size_t i = 0; i < size_; ++i) {
      T& entry = (*this)[i];
      if (remove(entry)) continue;
      if (kept != i) (*this)[kept] = std::move(entry);
      ++kept;
    }
    const size_t removed = size_ - kept;
    for (size_t i = kept; i < size_; ++i) (*this)[i] = T{};
    size_ = kept;
    if (size_ == 0) Reset();
    return removed;
  }

  // Drops every entry and the storage.
  void clear() {
    storage_ = std::vector<T>();
    head_ = 0;
    size_ = 0;
  }
  // Gives the storage of an empty queue back.
  void Trim() {
    if (size_ == 0) clear();
  }

  static constexpr size_t kKeptCapacity = 32;

 private:
  static constexpr size_t kInitialCapacity = 4;

  void Grow() {
    std::vector<T> grown(storage_.empty() ? kInitialCapacity
                                          : 2 * storage_.size());
    for (size_t i = 0; i < size_; ++i) grown[i] = std::move((*this)[i]);
    storage_ = std::move(grown);
    head_ = 0;
  }

  void Reset() {
    if (storage_.size() > kKeptCapacity) {
      storage_ = std::vector<T>();
    } else {
      for (T& slot : storage_) slot = T{};
    }
    head_ = 0;
    size_ = 0;
  }

  std::vector<T> storage_;
  uint32_t head_ = 0;
  uint32_t size_ = 0;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_RING_QUEUE_H_
