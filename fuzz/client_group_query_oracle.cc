#include "fuzz/client_group_query_oracle.h"

#include <vector>

#include "broker/namespace_config.h"

namespace mqlab::fuzz {
namespace {

using broker::ClientGroupQuery;
using broker::ClientResource;

// Clients whose attributes use the names, types and values of
// fuzz/client_group_query.dict, so that comparisons evaluate both ways.
const std::vector<ClientResource>& EvaluationClients() {
  static const std::vector<ClientResource>* const clients = [] {
    auto* list = new std::vector<ClientResource>(3);
    (*list)[0].authentication_name = "Vehicle1";
    (*list)[0].attributes = {
        {"type", std::string("vehicle")},
        {"floor", int64_t{3}},
        {"sensors", std::vector<std::string>{"motion", "humidity"}}};
    (*list)[1].authentication_name = "drone'7";
    (*list)[1].attributes = {{"type", std::string("drone")},
                             {"floor", int64_t{-9223372036854775807 - 1}},
                             {"year", int64_t{2021}}};
    (*list)[2].authentication_name = "";
    return list;
  }();
  return *clients;
}

}  // namespace

std::optional<std::string> CheckQueryRoundTrip(std::string_view text,
                                               const QueryPrinter& print) {
  const broker::StatusOr<ClientGroupQuery> query =
      ClientGroupQuery::Parse(text);
  if (!query.ok()) return std::nullopt;
  const std::string printed = print(*query);
  if (printed.size() > broker::kMaximumQuerySize) return std::nullopt;
  const broker::StatusOr<ClientGroupQuery> again =
      ClientGroupQuery::Parse(printed);
  if (!again.ok()) {
    return "the printed form [" + printed + "] of [" + std::string(text) +
           "] does not parse: " + std::string(again.status().message());
  }
  if (!again->SameTree(*query)) {
    return "the printed form [" + printed + "] of [" + std::string(text) +
           "] parses into another tree";
  }
  for (const ClientResource& client : EvaluationClients()) {
    if (again->Matches(client) != query->Matches(client)) {
      return "[" + printed + "] and [" + std::string(text) +
             "] disagree on client \"" + client.authentication_name + "\"";
    }
  }
  return std::nullopt;
}

}  // namespace mqlab::fuzz
