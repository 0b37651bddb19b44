// Invariant checks that stay on in every build: tests, fuzzers, the
// simulator and the optimised server. A failed check is a bug in mqlab, never
// a reaction to bad input (bad input gets a reason code).
#ifndef MQLAB_BASE_CHECK_H_
#define MQLAB_BASE_CHECK_H_

namespace mqlab::internal {
[[noreturn]] void CheckFailed(const char* file, int line, const char* condition,
                              const char* message);
}  // namespace mqlab::internal

#define MQLAB_CHECK(condition)                                          \
  do {                                                                  \
    if (__builtin_expect(!(condition), 0)) {                            \
      ::mqlab::internal::CheckFailed(__FILE__, __LINE__, #condition, ""); \
    }                                                                   \
  } while (false)

#define MQLAB_CHECK_MSG(condition, message)                            \
  do {                                                                 \
    if (__builtin_expect(!(condition), 0)) {                           \
      ::mqlab::internal::CheckFailed(__FILE__, __LINE__, #condition,   \
                                     (message));                       \
    }                                                                  \
  } while (false)

#endif  // MQLAB_BASE_CHECK_H_
