#include "sim/connection_settings.h"

#include <algorithm>
#include <string>

#include "base/check.h"
#include "sim/duration_text.h"

namespace mqlab::sim {
namespace {

// A duration the loader validated; empty text means `fallback`.
Duration DurationOr(const std::string& text, Duration fallback) {
  if (text.empty()) return fallback;
  const std::optional<Duration> value = ParseDuration(text);
  MQLAB_CHECK_MSG(value.has_value(), "scenario not validated");
  return *value;
}

constexpr uint32_t kDefaultSessionExpirySeconds = 3600;

}  // namespace

ConnectionSettings ConnectionSettingsFor(
    const scenario::Population& population) {
  const scenario::ConnectionSettings& proto = population.connection();
  ConnectionSettings settings;
  if (proto.has_keep_alive_seconds()) {
    settings.keep_alive_seconds = static_cast<uint16_t>(
        std::min<uint32_t>(proto.keep_alive_seconds(), 65'535));
  }
  settings.persistent = proto.persistent_session();
  if (settings.persistent) {
    settings.session_expiry_seconds = proto.has_session_expiry_seconds()
                                          ? proto.session_expiry_seconds()
                                          : kDefaultSessionExpirySeconds;
  }
  if (proto.has_receive_maximum()) {
    settings.receive_maximum = static_cast<uint16_t>(
        std::clamp<uint32_t>(proto.receive_maximum(), 1, 65'535));
  }
  settings.connect_after = DurationOr(proto.connect_after(), 0);
  settings.connect_spread = DurationOr(proto.connect_spread(), 0);
  return settings;
}

client::ClientOptions ClientOptionsFor(const scenario::Population& population,
                                       mqtt::Version version) {
  const scenario::ConnectionSettings& proto = population.connection();
  client::ClientOptions options;
  options.version = version;
  options.connack_timeout = DurationOr(proto.connack_timeout(), 10 * kSecond);
  const scenario::Backoff& backoff = proto.reconnect();
  options.reconnect.initial = DurationOr(backoff.initial(), kSecond);
  options.reconnect.maximum = DurationOr(backoff.max(), kMinute);
  if (backoff.has_multiplier()) {
    options.reconnect.multiplier = backoff.multiplier();
  }
  if (backoff.has_jitter()) options.reconnect.jitter = backoff.jitter();
  options.reconnect.after_session_taken_over = false;
  return options;
}

}  // namespace mqlab::sim
