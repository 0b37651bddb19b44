#include "bench/heap_counter.h"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>

namespace {

std::atomic<uint64_t> allocations{0};
std::atomic<int64_t> bytes_in_use{0};

}  // namespace

namespace mqlab::bench {

uint64_t HeapAllocations() {
  return allocations.load(std::memory_order_relaxed);
}

int64_t HeapBytesInUse() {
  return bytes_in_use.load(std::memory_order_relaxed);
}

}  // namespace mqlab::bench

// Replacements of the global allocation functions; the array and aligned-less
// sized forms forward to these by default. Pairing malloc in new with free in
// delete is intended, which GCC cannot tell once it inlines them.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t size) {
  void* pointer = std::malloc(size == 0 ? 1 : size);
  if (pointer == nullptr) throw std::bad_alloc();
  allocations.fetch_add(1, std::memory_order_relaxed);
  bytes_in_use.fetch_add(static_cast<int64_t>(malloc_usable_size(pointer)),
                         std::memory_order_relaxed);
  return pointer;
}

void operator delete(void* pointer) noexcept {
  if (pointer == nullptr) return;
  bytes_in_use.fetch_sub(static_cast<int64_t>(malloc_usable_size(pointer)),
                         std::memory_order_relaxed);
  std::free(pointer);
}

void operator delete(void* pointer, std::size_t) noexcept {
  operator delete(pointer);
}

// Over-aligned types (the subscription index's 32-byte trie nodes) come here.
void* operator new(std::size_t size, std::align_val_t alignment) {
  void* pointer = nullptr;
  if (posix_memalign(
          &pointer,
          std::max(static_cast<std::size_t>(alignment), sizeof(void*)),
          size == 0 ? 1 : size) != 0) {
    throw std::bad_alloc();
  }
  allocations.fetch_add(1, std::memory_order_relaxed);
  bytes_in_use.fetch_add(static_cast<int64_t>(malloc_usable_size(pointer)),
                         std::memory_order_relaxed);
  return pointer;
}

void operator delete(void* pointer, std::align_val_t) noexcept {
  operator delete(pointer);
}

void operator delete(void* pointer, std::size_t, std::align_val_t) noexcept {
  operator delete(pointer);
}
