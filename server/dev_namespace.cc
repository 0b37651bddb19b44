#include "server/dev_namespace.h"

namespace mqlab::server {

std::string_view DevNamespaceJson() {
  return R"json({
  "namespace": {
    "name": "mqlab-dev",
    "properties": {
      "topicSpacesConfiguration": {
        "state": "Enabled",
        "maximumClientSessionsPerAuthenticationName": 100
      },
      "mqlab": {"allowUnauthenticatedUsername": true}
    }
  },
  "topicSpaces": [
    {"name": "every-topic", "properties": {"topicTemplates": ["#"]}}
  ],
  "permissionBindings": [
    {"name": "all-publish", "properties": {
      "clientGroupName": "$all", "topicSpaceName": "every-topic",
      "permission": "Publisher"}},
    {"name": "all-subscribe", "properties": {
      "clientGroupName": "$all", "topicSpaceName": "every-topic",
      "permission": "Subscriber"}}
  ]
}
)json";
}

}  // namespace mqlab::server
