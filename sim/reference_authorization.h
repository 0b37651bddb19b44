// The checkers' own model of who may publish and subscribe where, written
// apart from the broker's authorization code (broker/authorization.h,
// client_group_query.h, topic_template.h, filter_coverage.h) so that a bug
// there shows up as a disagreement here. Deliberately naive: client group
// queries are evaluated by a small recursive-descent evaluator straight from
// the text, templates are expanded by text substitution, topics are matched
// level by level as MQTT 4.7 reads, and filters are compared level by level
// for coverage. Nothing is compiled or indexed beyond a per-client cache
// and a name index of the clients.
//
// The rules (eventgrid-facts.md, "Authorization"; docs/namespace.md):
//  - a client belongs to `$all` and to every group whose query it satisfies;
//  - a Publisher (Subscriber) binding of one of its groups grants the topic
//    templates of the bound topic space, expanded for the client; a template
//    whose variable names a missing or array attribute, or whose value holds
//    '/', '+', '#' or NUL, grants nothing to that client;
//  - it may publish to a topic some publish grant matches, and subscribe to
//    a filter some single subscribe grant covers (every topic the filter
//    matches, the grant matches);
//  - a disabled client, or a name no client resource carries, gets nothing.
#ifndef MQLAB_SIM_REFERENCE_AUTHORIZATION_H_
#define MQLAB_SIM_REFERENCE_AUTHORIZATION_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "broker/namespace_config.h"

namespace mqlab::sim {

// MQTT topic matching, level by level [MQTT-4.7]: `filter` (valid) matches
// the topic name `topic`; wildcards in the first level skip '$' topics.
bool ReferenceMatches(std::string_view filter, std::string_view topic);
// Every topic `filter` matches, `grant` matches.
bool ReferenceCovers(std::string_view grant, std::string_view filter);
// Whether `client` satisfies the client group query `query`; false for a
// query that does not parse (the loader refuses those before a run).
bool ReferenceQueryMatches(std::string_view query,
                           const broker::ClientResource& client);

class ReferenceAuthorization {
 public:
  struct Grants {
    std::vector<std::string> publish;  // Expanded filters.
    std::vector<std::string> subscribe;
  };

  // The namespace as the loader parsed it plus the fleet's registrations
  // (which the runner adds to the namespace the broker serves).
  ReferenceAuthorization(broker::NamespaceConfig config,
                         std::span<const broker::ClientResource> registrations);

  bool MayPublish(std::string_view authentication_name,
                  std::string_view topic) const;
  bool MaySubscribe(std::string_view authentication_name,
                    std::string_view filter) const;
  // The client's grants (empty for an unknown or disabled client).
  const Grants& GrantsFor(std::string_view authentication_name) const;

 private:
  Grants Compute(const broker::ClientResource& client) const;

  broker::NamespaceConfig config_;
  // Lower-cased authentication name -> index in config_.clients.
  absl::flat_hash_map<std::string, size_t> client_by_name_;
  // Lower-cased authentication name -> grants, filled on first use (one
  // entry per name asked about: the fleet's clients). Nodes are stable, so
  // GrantsFor's references stay valid.
  mutable absl::node_hash_map<std::string, Grants> grants_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_REFERENCE_AUTHORIZATION_H_
