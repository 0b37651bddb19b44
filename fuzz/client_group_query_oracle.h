// The oracle of fuzz/client_group_query_fuzzer.cc: a query that parses
// prints in canonical form (ClientGroupQuery::ToCanonicalText), and that
// text parses again into the same tree, which gives the same verdict on a
// fixed set of clients. The printer is a parameter so that the oracle's
// test can hand it a broken one and see it fire.
#ifndef MQLAB_FUZZ_CLIENT_GROUP_QUERY_ORACLE_H_
#define MQLAB_FUZZ_CLIENT_GROUP_QUERY_ORACLE_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "broker/client_group_query.h"

namespace mqlab::fuzz {

using QueryPrinter =
    std::function<std::string(const broker::ClientGroupQuery&)>;

// Empty when `text` does not parse, or parses and round-trips through
// `print`; otherwise what went wrong. A printed form longer than
// kMaximumQuerySize is not parsed again (the bound is on the text).
std::optional<std::string> CheckQueryRoundTrip(std::string_view text,
                                               const QueryPrinter& print);

}  // namespace mqlab::fuzz

#endif  // MQLAB_FUZZ_CLIENT_GROUP_QUERY_ORACLE_H_
