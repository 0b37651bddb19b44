#include "base/check.h"

#include <cstdio>
#include <cstdlib>

namespace mqlab::internal {

void CheckFailed(const char* file, int line, const char* condition,
                 const char* message) {
  std::fprintf(stderr, "%s:%d: invariant broken: %s %s\n", file, line,
               condition, message);
  std::fflush(stderr);
  std::abort();
}

}  // namespace mqlab::internal
