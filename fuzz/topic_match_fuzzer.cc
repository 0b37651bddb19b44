// Fuzz target: the subscription index against a reference matcher written
// apart from it (fuzz/topic_match_oracle.h): the same answers to every
// subscribe, unsubscribe and match the input encodes, with '+', '#', empty
// levels and '$'-topics. A disagreement aborts.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "base/check.h"
#include "fuzz/topic_match_oracle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::optional<std::string> disagreement =
      mqlab::fuzz::RunTopicMatchOperations(std::span(data, size));
  MQLAB_CHECK_MSG(!disagreement.has_value(), disagreement.value_or("").c_str());
  return 0;
}
