// What a Client asks of its driver (the simulator's virtual client, a test's
// scripted peer, a real socket loop). Calls happen only from inside the
// Client's own methods; an implementation must not call back into the Client
// from inside them (it reports outcomes later, through the driver inputs).
#ifndef MQLAB_CLIENT_CLIENT_HOST_H_
#define MQLAB_CLIENT_CLIENT_HOST_H_

#include <cstdint>
#include <span>

namespace mqlab::client {

class ClientHost {
 public:
  virtual ~ClientHost() = default;
  // Open a transport connection to the server. The driver answers later with
  // exactly one of Client::OnConnected or Client::OnConnectFailed, unless the
  // client calls Close() first.
  virtual void OpenConnection() = 0;
  // Write `bytes` to the open connection, after what was written before. The
  // span is valid only during the call.
  virtual void Send(std::span<const uint8_t> bytes) = 0;
  // Close the connection (or abandon the attempt) once what was sent is
  // flushed. The client has already forgotten it: the driver reports nothing
  // more about it.
  virtual void Close() = 0;
};

}  // namespace mqlab::client

#endif  // MQLAB_CLIENT_CLIENT_HOST_H_
