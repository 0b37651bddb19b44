// The naming rules of Event Grid's namespace resources, shared by the
// validation of resources, client group queries and topic templates.
#ifndef MQLAB_BROKER_RESOURCE_NAMES_H_
#define MQLAB_BROKER_RESOURCE_NAMES_H_

#include <cstddef>
#include <string_view>

namespace mqlab::broker {

inline constexpr size_t kMaximumClientNameSize = 128;
inline constexpr size_t kMaximumAuthenticationNameSize = 128;  // Characters.
inline constexpr size_t kMinimumResourceNameSize = 3;
inline constexpr size_t kMaximumResourceNameSize = 50;
// Beyond Event Grid: attribute keys are bounded by the 4 KB of attributes;
// this bounds the variable names that templates and queries may mention.
inline constexpr size_t kMaximumAttributeKeySize = 128;

// Client resource names: 1 to 128 characters of [A-Za-z0-9-:._].
bool IsValidClientName(std::string_view name);
// Names of client groups, topic spaces, permission bindings, CA certificates
// and the namespace: 3 to 50 characters of [A-Za-z0-9-].
bool IsValidResourceName(std::string_view name);
// Attribute keys: 1 to 128 characters of [A-Za-z0-9_].
bool IsValidAttributeKey(std::string_view key);
// Authentication names: 1 to 128 characters (code points) of valid UTF-8.
bool IsValidAuthenticationName(std::string_view name);

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_RESOURCE_NAMES_H_
