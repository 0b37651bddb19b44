#include "client/client_options.h"

#include <string>
#include <string_view>

#include "client/packet_ids.h"
#include "mqtt/decoder.h"

namespace mqlab::client {
namespace {

absl::Status FieldError(std::string_view field, std::string_view expected) {
  return absl::InvalidArgumentError(std::string("ClientOptions.")
                                        .append(field)
                                        .append(": expected ")
                                        .append(expected));
}

}  // namespace

absl::Status ValidateClientOptions(const ClientOptions& options) {
  if (options.version != mqtt::Version::kV311 &&
      options.version != mqtt::Version::kV5) {
    return FieldError("version", "kV311 or kV5");
  }
  if (options.max_pending_publishes < 1) {
    return FieldError("max_pending_publishes", "at least 1");
  }
  if (options.max_pending_publish_bytes < 1) {
    return FieldError("max_pending_publish_bytes", "at least 1");
  }
  if (options.max_in_flight < 1) {
    return FieldError("max_in_flight", "at least 1");
  }
  if (options.max_pending_requests < 1) {
    return FieldError("max_pending_requests", "at least 1");
  }
  if (options.max_subscriptions < 1) {
    return FieldError("max_subscriptions", "at least 1");
  }
  if (options.resubscribe_batch < 1) {
    return FieldError("resubscribe_batch", "at least 1");
  }
  // Every tracked exchange holds its own Packet Identifier; a
  // re-subscription may take one per remembered filter.
  const uint64_t slots = uint64_t{options.max_pending_publishes} +
                         options.max_pending_requests +
                         options.max_subscriptions;
  if (slots > kMaximumPacketId) {
    return FieldError(
        "max_pending_publishes",
        "max_pending_publishes + max_pending_requests + max_subscriptions "
        "<= 65,535 (one Packet Identifier each), got " +
            std::to_string(slots));
  }
  if (options.max_pending_responses < 1) {
    return FieldError("max_pending_responses", "at least 1");
  }
  if (options.max_incoming_packet_size < 2 ||
      options.max_incoming_packet_size > mqtt::kProtocolMaximumPacketSize) {
    return FieldError("max_incoming_packet_size", "2 to 268,435,460");
  }
  if (options.connect_timeout <= 0) {
    return FieldError("connect_timeout", "a positive duration");
  }
  if (options.connack_timeout <= 0) {
    return FieldError("connack_timeout", "a positive duration");
  }
  if (options.pingresp_timeout.has_value() && *options.pingresp_timeout <= 0) {
    return FieldError("pingresp_timeout", "a positive duration");
  }
  const ReconnectOptions& r = options.reconnect;
  if (r.initial < 0) return FieldError("reconnect.initial", "at least 0");
  if (r.maximum < r.initial) {
    return FieldError("reconnect.maximum", "at least reconnect.initial");
  }
  if (!(r.multiplier >= 1.0 && r.multiplier <= 1000.0)) {
    return FieldError("reconnect.multiplier", "1 to 1000");
  }
  if (!(r.jitter >= 0.0 && r.jitter <= 1.0)) {
    return FieldError("reconnect.jitter", "0 to 1");
  }
  return absl::OkStatus();
}

}  // namespace mqlab::client
