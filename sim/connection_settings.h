// How a population's clients connect: the defaults of scenario.proto's
// ConnectionSettings applied in one place, as the client library's options
// and what each session's CONNECT carries.
#ifndef MQLAB_SIM_CONNECTION_SETTINGS_H_
#define MQLAB_SIM_CONNECTION_SETTINGS_H_

#include <cstdint>
#include <optional>

#include "base/time.h"
#include "client/client_options.h"
#include "mqtt/packet.h"
#include "sim/scenario.pb.h"

namespace mqlab::sim {

struct ConnectionSettings {
  uint16_t keep_alive_seconds = 60;
  // The session outlives a connection (Clean Start 0 on reconnection).
  bool persistent = false;
  // MQTT 5 Session Expiry Interval asked for (persistent sessions only).
  uint32_t session_expiry_seconds = 0;
  std::optional<uint16_t> receive_maximum;
  Duration connect_after = 0;
  Duration connect_spread = 0;
};

// The population's (validated) connection settings with their defaults.
ConnectionSettings ConnectionSettingsFor(
    const scenario::Population& population);

// The client library's options for a client of the population speaking
// `version`: its reconnection backoff and CONNACK timeout. A session taken
// over by another connection of its own client does not reconnect (that
// would start a tug of war).
client::ClientOptions ClientOptionsFor(const scenario::Population& population,
                                       mqtt::Version version);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CONNECTION_SETTINGS_H_
