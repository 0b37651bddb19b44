// Authorization: what one client may publish to and subscribe to.
//
// A client's permissions come from the permission bindings of the client
// groups it belongs to: each Publisher (Subscriber) binding grants the topic
// templates of its topic space, expanded for the client. They are compiled
// once per client (and again when the namespace changes) into a
// ClientPermissions that the broker consults on every PUBLISH and SUBSCRIBE.
#ifndef MQLAB_BROKER_AUTHORIZATION_H_
#define MQLAB_BROKER_AUTHORIZATION_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "broker/client_group_query.h"
#include "broker/namespace_config.h"
#include "broker/topic_filter_set.h"
#include "broker/topic_template.h"

namespace mqlab::broker {

class ClientPermissions {
 public:
  // Grants the given expanded filters (valid MQTT topic filters). The lists
  // are normalised: sorted, without duplicates.
  ClientPermissions(std::vector<std::string> publish_filters,
                    std::vector<std::string> subscribe_filters);

  // Publish: some granted publish filter matches the topic name. Allocation
  // free; the hot path of the broker.
  bool CanPublish(std::string_view topic) const {
    return publish_set_.Matches(topic);
  }
  // Subscribe: the filter is covered by a granted subscribe filter, i.e.
  // every topic it can match is matched by that filter (see FilterCovers).
  bool CanSubscribe(std::string_view filter) const;

  // The granted filters, sorted, for logs and change detection.
  const std::vector<std::string>& publish_filters() const {
    return publish_filters_;
  }
  const std::vector<std::string>& subscribe_filters() const {
    return subscribe_filters_;
  }

  friend bool operator==(const ClientPermissions& a,
                         const ClientPermissions& b) {
    return a.publish_filters_ == b.publish_filters_ &&
           a.subscribe_filters_ == b.subscribe_filters_;
  }

 private:
  std::vector<std::string> publish_filters_;
  std::vector<std::string> subscribe_filters_;
  TopicFilterSet publish_set_;
};

// One permission binding as the compiler needs it: the group's query and the
// bound topic space's templates.
struct PermissionGrant {
  Permission permission = Permission::kPublisher;
  const ClientGroupQuery* group = nullptr;  // Null for $all.
  std::span<const TopicTemplate> templates;
};

// The permissions `client` gets from `grants`: the templates of every grant
// whose group matches the client, expanded for it (templates that do not
// apply to the client are skipped). A disabled client gets nothing.
std::shared_ptr<const ClientPermissions> CompileClientPermissions(
    const ClientResource& client, std::span<const PermissionGrant> grants);

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_AUTHORIZATION_H_
