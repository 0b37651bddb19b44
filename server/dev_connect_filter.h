// The development listener's identity rule: a plaintext client is its
// Username, or its ClientId when the CONNECT has none. The broker core
// authenticates an uncertified connection by Username alone (namespace
// setting allowUnauthenticatedUsername), so this filter holds the bytes until
// the first packet is whole; a CONNECT without a Username is handed on with
// the ClientId as its Username. Event Grid requires a ClientId, but
// mosquitto_pub and mosquitto_sub send none unless told (-i), so on this
// listener an empty ClientId becomes "dev-N" (N: the connection's number;
// unique while the server runs) before the rule above. In the built-in
// development namespace
// (`./mqlab broker --dev`) every name is welcome: the filter tells its
// ClientRegistrar, which registers the client before the CONNECT arrives.
// Everything after the first packet passes through untouched, and bytes that
// do not decode as a CONNECT pass untouched for the broker to refuse.
#ifndef MQLAB_SERVER_DEV_CONNECT_FILTER_H_
#define MQLAB_SERVER_DEV_CONNECT_FILTER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mqtt/decoder.h"
#include "server/stream_filter.h"

namespace mqlab::server {

class ClientRegistrar {
 public:
  virtual ~ClientRegistrar() = default;
  // A client authenticating as `authentication_name` is about to connect.
  virtual void Register(std::string_view authentication_name) = 0;
};

class DevConnectFilter final : public StreamFilter {
 public:
  // `registrar` may be null (a namespace file lists its clients);
  // `maximum_packet_size` bounds the CONNECT held; `connection_number` names
  // a client that sends no ClientId.
  DevConnectFilter(ClientRegistrar* registrar, uint32_t maximum_packet_size,
                   uint64_t connection_number);
  Verdict FromPeer(std::span<const uint8_t> bytes, ByteQueue* to_broker,
                   ByteQueue* to_peer) override;
  void ToPeer(std::span<const uint8_t> bytes, ByteQueue* to_peer) override {
    to_peer->Append(bytes);
  }
  void FlushToPeer(ByteQueue*) override {}
  void CloseToPeer(ByteQueue*) override {}
  bool Open() const override { return true; }
  std::string error() const override { return {}; }

 private:
  ClientRegistrar* registrar_;
  uint64_t connection_number_;
  mqtt::Decoder decoder_;
  bool first_packet_done_ = false;
  // Bytes of the first packet so far (bounded by the decoder's limit).
  std::vector<uint8_t> held_;
  std::vector<uint8_t> rewritten_;
};

}  // namespace mqlab::server

#endif  // MQLAB_SERVER_DEV_CONNECT_FILTER_H_
