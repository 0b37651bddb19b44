// The built-in development namespace of `./mqlab broker --dev` without a
// namespace file: plaintext clients authenticate by Username (or ClientId)
// alone, every client is registered on first sight (DevConnectFilter), and
// the group $all may publish and subscribe to every topic. Event Grid's
// limits otherwise stay as they are, except that one authentication name may
// hold up to 100 sessions (several terminals as one user).
#ifndef MQLAB_SERVER_DEV_NAMESPACE_H_
#define MQLAB_SERVER_DEV_NAMESPACE_H_

#include <string_view>

namespace mqlab::server {

// The namespace file's text (docs/namespace.md's format).
std::string_view DevNamespaceJson();

}  // namespace mqlab::server

#endif  // MQLAB_SERVER_DEV_NAMESPACE_H_
