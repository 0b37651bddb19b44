// Heap accounting for benchmark binaries: linking //bench:heap_counter
// replaces the global operator new and delete of the binary with counting
// versions, so a benchmark can report allocations per operation (hot paths
// must make none) and the heap bytes a structure holds.
#ifndef MQLAB_BENCH_HEAP_COUNTER_H_
#define MQLAB_BENCH_HEAP_COUNTER_H_

#include <cstdint>

namespace mqlab::bench {

// Allocations through operator new since the program started.
uint64_t HeapAllocations();
// Bytes currently allocated through operator new, as malloc sizes them.
int64_t HeapBytesInUse();

}  // namespace mqlab::bench

#endif  // MQLAB_BENCH_HEAP_COUNTER_H_
