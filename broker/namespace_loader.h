// Loading a namespace from JSON in the shape of Azure's resource reference:
//
//   {
//     "namespace": {"name": ..., "sku": {"capacity": 1}, "properties": {
//         "topicSpacesConfiguration": {...}, "mqlab": {...}}},
//     "caCertificates": [{"name": ..., "properties": {...}}, ...],
//     "clients": [...], "clientGroups": [...], "topicSpaces": [...],
//     "permissionBindings": [...]
//   }
//
// docs/namespace.md documents every field. I/O-free: the caller reads the
// file and names it.
#ifndef MQLAB_BROKER_NAMESPACE_LOADER_H_
#define MQLAB_BROKER_NAMESPACE_LOADER_H_

#include <cstddef>
#include <string_view>

#include "broker/namespace_config.h"

namespace mqlab::broker {

// Largest namespace file accepted.
inline constexpr size_t kMaximumNamespaceFileSize = 64 << 20;
// Deepest nesting of JSON objects and arrays accepted (valid files need 6).
inline constexpr size_t kMaximumNamespaceJsonDepth = 32;

// Parses and validates `json_text`, everything a Directory checks included.
// A bad file is refused (InvalidArgument, or the Directory's code for rules
// between resources) with `source_name`, the JSON path of the first error
// and what was expected:
//   namespace.json: $.clients[2].properties.clientCertificateAuthentication
//   .validationScheme: expected one of SubjectMatchesAuthenticationName, ...,
//   got "Foo"
// Syntax errors give the line and column. Unknown fields are errors, and so
// are fields given twice. Absent authentication names default to the client
// name; CA certificate thumbprints are computed.
StatusOr<NamespaceConfig> LoadNamespace(std::string_view json_text,
                                        std::string_view source_name);

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_NAMESPACE_LOADER_H_
