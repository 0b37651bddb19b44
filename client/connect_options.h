// What the client puts in its CONNECT, and the CONNECT built from it.
//
// The client encodes the CONNECT once per Connect() call and keeps the bytes:
// a reconnect sends them again, only the Clean Start flag changes.
#ifndef MQLAB_CLIENT_CONNECT_OPTIONS_H_
#define MQLAB_CLIENT_CONNECT_OPTIONS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "mqtt/packet.h"

namespace mqlab::client {

// Views of the caller's memory, read during Connect() only.
struct ConnectOptions {
  std::string_view client_id{};
  std::optional<std::string_view> username{};
  std::optional<mqtt::Bytes> password{};
  // For the first connection of this Connect(). Reconnections set Clean
  // Start to 0 exactly when the session outlives a connection (MQTT 5: a
  // Session Expiry Interval above 0 in effect; 3.1.1: clean_start false),
  // so that the session resumes.
  bool clean_start = true;
  uint16_t keep_alive_seconds = 60;
  // Sent as asked, also to probe the server's reaction (Event Grid refuses a
  // Will with CONNACK 0x83, an Authentication Method with 0x8C).
  std::optional<mqtt::Will> will{};

  // MQTT 5.0 only (InvalidArgument for a 3.1.1 client).
  std::optional<uint32_t> session_expiry_interval{};
  // Incoming QoS 1 and 2 messages unacknowledged at once; the server
  // exceeding it is a protocol error (0x93). Unset: 65,535.
  std::optional<uint16_t> receive_maximum{};
  // Also bounds the receive buffer (unset: ClientOptions::
  // max_incoming_packet_size, not sent).
  std::optional<uint32_t> maximum_packet_size{};
  // Topic Aliases the server may use towards the client. Unset: 0.
  std::optional<uint16_t> topic_alias_maximum{};
  std::optional<uint8_t> request_response_information{};
  std::optional<uint8_t> request_problem_information{};
  std::span<const mqtt::UserProperty> user_properties{};
  std::optional<std::string_view> authentication_method{};
  std::optional<mqtt::Bytes> authentication_data{};
};

// The encoded CONNECT and what the client needs to remember of it.
struct ConnectPacket {
  std::vector<uint8_t> bytes{};
  // Offset of the Connect Flags byte in `bytes` (bit 1: Clean Start).
  size_t flags_offset = 0;
  uint16_t keep_alive_seconds = 0;
  uint32_t session_expiry_interval = 0;  // MQTT 5.0; 0 when unset.
  uint16_t receive_maximum = 65'535;
  uint32_t maximum_packet_size = 0;  // Incoming bound (see above).
  uint16_t topic_alias_maximum = 0;
  bool has_authentication_method = false;
};

// Validates `options` for `version` and encodes the CONNECT. InvalidArgument
// names the field and what was expected, e.g. "ConnectOptions.receive_maximum:
// must be at least 1 [MQTT-3.1.2-... ]". `max_incoming_packet_size` is the
// bound used when options.maximum_packet_size is unset.
absl::StatusOr<ConnectPacket> BuildConnectPacket(
    const ConnectOptions& options, mqtt::Version version,
    uint32_t max_incoming_packet_size);

// Sets or clears the Clean Start flag of an encoded CONNECT.
void SetCleanStart(ConnectPacket* packet, bool clean_start);

}  // namespace mqlab::client

#endif  // MQLAB_CLIENT_CONNECT_OPTIONS_H_
