// Listening sockets: "ADDR:PORT" parsed ("127.0.0.1:1883", "[::1]:8883",
// "0.0.0.0:0" for a free port) and bound non-blocking.
#ifndef MQLAB_SERVER_LISTEN_ADDRESS_H_
#define MQLAB_SERVER_LISTEN_ADDRESS_H_

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "broker/namespace_config.h"

namespace mqlab::server {

struct ListenAddress {
  std::string host;  // Numeric IPv4 or IPv6 address.
  uint16_t port = 0;
  bool IsLoopback() const;
  // "127.0.0.1:8883", "[::1]:8883".
  std::string ToString() const;
};

// Parses "ADDR:PORT"; the error says what was expected.
broker::StatusOr<ListenAddress> ParseListenAddress(std::string_view text);

// A bound, listening, non-blocking socket and the address it got (the port
// the kernel chose for port 0).
struct BoundSocket {
  int fd = -1;
  ListenAddress address;
};
broker::StatusOr<BoundSocket> Listen(const ListenAddress& address, int backlog);

// "10.0.0.7:50123" for an accepted peer.
std::string PeerName(const sockaddr_storage& address);

}  // namespace mqlab::server

#endif  // MQLAB_SERVER_LISTEN_ADDRESS_H_
