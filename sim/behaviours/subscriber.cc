#include "sim/behaviours/subscriber.h"

#include <string>
#include <vector>

#include "sim/name_pattern.h"
#include "sim/virtual_session.h"

namespace mqlab::sim {
namespace {

std::vector<std::string> Filters(const scenario::Subscriber& spec,
                                 const VirtualSession& session) {
  std::vector<std::string> filters;
  for (const std::string& pattern : spec.filters()) {
    filters.push_back(ExpandPattern(pattern, session.pattern_values()));
  }
  return filters;
}

}  // namespace

Subscriber::Subscriber(VirtualSession* session,
                       const scenario::Subscriber& spec)
    : Behaviour(session),
      keeper_(
          Filters(spec, *session),
          spec.qos() == 0 ? mqtt::Qos::kAtMostOnce : mqtt::Qos::kAtLeastOnce,
          spec.no_local()) {}

void Subscriber::Start() { keeper_.Start(session().link()); }

void Subscriber::Stop() { keeper_.Stop(session().link()); }

void Subscriber::OnConnected(ClientLink& link,
                             const client::ConnackEvent& /*event*/) {
  keeper_.OnConnected(link);
}

}  // namespace mqlab::sim
