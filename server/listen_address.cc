#include "server/listen_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace mqlab::server {
namespace {

bool FillSockaddr(const ListenAddress& address, sockaddr_storage* storage,
                  socklen_t* length) {
  std::memset(storage, 0, sizeof(*storage));
  auto* v4 = reinterpret_cast<sockaddr_in*>(storage);
  if (inet_pton(AF_INET, address.host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(address.port);
    *length = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(storage);
  if (inet_pton(AF_INET6, address.host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(address.port);
    *length = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

ListenAddress AddressOf(const sockaddr_storage& storage) {
  ListenAddress address;
  char text[INET6_ADDRSTRLEN] = {};
  if (storage.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&storage);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
    address.port = ntohs(v4->sin_port);
  } else if (storage.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&storage);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
    address.port = ntohs(v6->sin6_port);
  }
  address.host = text;
  return address;
}

}  // namespace

bool ListenAddress::IsLoopback() const {
  sockaddr_storage storage;
  socklen_t length;
  if (!FillSockaddr(*this, &storage, &length)) return false;
  if (storage.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&storage);
    return (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
  }
  const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&storage);
  return IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
}

std::string ListenAddress::ToString() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

broker::StatusOr<ListenAddress> ParseListenAddress(std::string_view text) {
  const auto invalid = [&](std::string_view why) {
    return absl::InvalidArgumentError(
        "listen address '" + std::string(text) + "': " + std::string(why) +
        " (expected ADDR:PORT, e.g. 127.0.0.1:1883 or [::1]:8883)");
  };
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return invalid("no port");
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  const auto [end, error] = std::from_chars(
      port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return invalid("the port is not a number from 0 to 65535");
  }
  ListenAddress address{.host = std::string(host),
                        .port = static_cast<uint16_t>(port)};
  sockaddr_storage storage;
  socklen_t length;
  if (!FillSockaddr(address, &storage, &length)) {
    return invalid("the address is not a numeric IPv4 or IPv6 address");
  }
  return address;
}

broker::StatusOr<BoundSocket> Listen(const ListenAddress& address,
                                     int backlog) {
  sockaddr_storage storage;
  socklen_t length;
  if (!FillSockaddr(address, &storage, &length)) {
    return absl::InvalidArgumentError("bad listen address " +
                                      address.ToString());
  }
  const int fd = ::socket(storage.ss_family,
                          SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return absl::InternalError("socket: " + std::string(std::strerror(errno)));
  }
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&storage), length) != 0 ||
      ::listen(fd, backlog) != 0) {
    const int error = errno;
    ::close(fd);
    return absl::UnavailableError(
        "cannot listen on " + address.ToString() + ": " + std::strerror(error) +
        (error == EADDRINUSE ? " (the port is in use; choose another)"
         : error == EACCES   ? " (ports below 1024 need privileges; choose "
                               "another)"
                             : ""));
  }
  sockaddr_storage bound;
  socklen_t bound_length = sizeof(bound);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &bound_length);
  return BoundSocket{.fd = fd, .address = AddressOf(bound)};
}

std::string PeerName(const sockaddr_storage& address) {
  return AddressOf(address).ToString();
}

}  // namespace mqlab::server
