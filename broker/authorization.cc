#include "broker/authorization.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "broker/filter_coverage.h"

namespace mqlab::broker {
namespace {

// Sorts, removes duplicates and drops every filter another one covers: what
// is left grants exactly the same topics, and two grants compare equal when
// they are the same sets of topics in practice.
std::vector<std::string> Normalize(std::vector<std::string> filters) {
  std::sort(filters.begin(), filters.end());
  filters.erase(std::unique(filters.begin(), filters.end()), filters.end());
  std::vector<bool> dropped(filters.size(), false);
  for (size_t i = 0; i < filters.size(); ++i) {
    for (size_t j = 0; j < filters.size() && !dropped[i]; ++j) {
      if (i == j || dropped[j] || !FilterCovers(filters[j], filters[i])) {
        continue;
      }
      // Two filters covering each other match the same topics: keep the
      // first in sorted order.
      if (!FilterCovers(filters[i], filters[j]) || j < i) dropped[i] = true;
    }
  }
  std::vector<std::string> kept;
  for (size_t i = 0; i < filters.size(); ++i) {
    if (!dropped[i]) kept.push_back(std::move(filters[i]));
  }
  return kept;
}

}  // namespace

ClientPermissions::ClientPermissions(std::vector<std::string> publish_filters,
                                     std::vector<std::string> subscribe_filters)
    : publish_filters_(Normalize(std::move(publish_filters))),
      subscribe_filters_(Normalize(std::move(subscribe_filters))),
      publish_set_(publish_filters_) {}

bool ClientPermissions::CanSubscribe(std::string_view filter) const {
  return std::any_of(subscribe_filters_.begin(), subscribe_filters_.end(),
                     [&](const std::string& granted) {
                       return FilterCovers(granted, filter);
                     });
}

std::shared_ptr<const ClientPermissions> CompileClientPermissions(
    const ClientResource& client, std::span<const PermissionGrant> grants) {
  std::vector<std::string> publish;
  std::vector<std::string> subscribe;
  if (client.state == ClientState::kEnabled) {
    for (const PermissionGrant& grant : grants) {
      if (grant.group != nullptr && !grant.group->Matches(client)) continue;
      std::vector<std::string>& granted =
          grant.permission == Permission::kPublisher ? publish : subscribe;
      for (const TopicTemplate& topic_template : grant.templates) {
        if (std::optional<std::string> filter = topic_template.Expand(client)) {
          granted.push_back(*std::move(filter));
        }
      }
    }
  }
  return std::make_shared<const ClientPermissions>(std::move(publish),
                                                   std::move(subscribe));
}

}  // namespace mqlab::broker
