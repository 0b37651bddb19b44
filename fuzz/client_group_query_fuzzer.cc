// Fuzz target: the client group query parser and evaluator. The input is
// the query text; a query that parses must print in canonical form, parse
// again into the same tree and give the same verdicts
// (fuzz/client_group_query_oracle.h). A difference aborts.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/check.h"
#include "broker/client_group_query.h"
#include "fuzz/client_group_query_oracle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::optional<std::string> failure = mqlab::fuzz::CheckQueryRoundTrip(
      std::string_view(reinterpret_cast<const char*>(data), size),
      [](const mqlab::broker::ClientGroupQuery& query) {
        return query.ToCanonicalText();
      });
  MQLAB_CHECK_MSG(!failure.has_value(), failure.value_or("").c_str());
  return 0;
}
