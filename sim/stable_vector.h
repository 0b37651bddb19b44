// A growable array whose elements never move: storage comes in fixed-size
// chunks, so a reference stays valid while elements are appended (a
// scheduler callback may add a host or a connection while the network holds
// a reference to another). Elements are default-constructed a chunk at a
// time and never removed; the owner reuses them.
#ifndef MQLAB_SIM_STABLE_VECTOR_H_
#define MQLAB_SIM_STABLE_VECTOR_H_

#include <cstddef>
#include <memory>
#include <vector>

namespace mqlab::sim {

template <typename T, size_t kChunk = 256>
class StableVector {
 public:
  size_t size() const { return size_; }
  T& operator[](size_t index) {
    return chunks_[index / kChunk][index % kChunk];
  }
  const T& operator[](size_t index) const {
    return chunks_[index / kChunk][index % kChunk];
  }
  // The next element, default-constructed.
  T& Append() {
    if (size_ % kChunk == 0) chunks_.push_back(std::make_unique<T[]>(kChunk));
    ++size_;
    return (*this)[size_ - 1];
  }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  size_t size_ = 0;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_STABLE_VECTOR_H_
