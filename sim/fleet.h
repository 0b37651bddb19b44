// The fleet a scenario describes, expanded: every virtual client with its
// authentication name, MQTT version and sessions, the hosts they sit on, and
// the client resources the scenario registers in the namespace. The harness
// builds its virtual clients from it; the checkers and the replay files name
// clients and sessions through it.
//
// Numbering: clients run through the populations in scenario order; their
// sessions are numbered fleet-wide in client order (the session number is
// the publisher number of message tags, sim/message_tag.h). A client's name
// is "<population>/<authentication name>": it names the client's host (so its
// network streams) and the client in replay files, and it does not depend on
// the size of other populations, so shrinking one renames nobody.
#ifndef MQLAB_SIM_FLEET_H_
#define MQLAB_SIM_FLEET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "broker/namespace_config.h"
#include "mqtt/packet.h"
#include "sim/scenario.pb.h"
#include "sim/scenario_settings.h"

namespace mqlab::sim {

// The broker's host name.
inline constexpr std::string_view kBrokerHostName = "broker";
// At most this many clients, and sessions, in one fleet (the network's host
// bound; message tags have 24 bits of publisher).
inline constexpr uint32_t kMaxFleetClients = 1u << 20;
inline constexpr uint32_t kMaxFleetSessions = 1u << 22;

struct FleetClient {
  uint32_t index = 0;       // Fleet-wide.
  uint32_t population = 0;  // Index into the scenario's populations.
  uint32_t index_in_population = 0;
  std::string name;  // "<population>/<authentication name>".
  std::string authentication_name;
  mqtt::Version version = mqtt::Version::kV5;
  // Fleet-wide numbers of its sessions: [first_session, first_session +
  // session_count).
  uint32_t first_session = 0;
  uint32_t session_count = 0;
};

struct FleetSession {
  uint32_t index = 0;  // Fleet-wide; the publisher number in message tags.
  uint32_t client = 0;
  uint32_t index_in_client = 0;
  std::string client_id;  // The CONNECT ClientId: the session name.
};

struct Fleet {
  std::vector<FleetClient> clients;
  std::vector<FleetSession> sessions;
  // Client resources the populations register (registration.enabled), in
  // client order: name and authentication name, state, attributes and
  // validation scheme. ThumbprintMatch registrations get their
  // allowedThumbprints from the certificate identities, which the broker
  // adapter computes (the checkers' authorization model does not need them).
  std::vector<broker::ClientResource> registrations;
  // Host ids as the runner adds the hosts: the broker first (0), then one
  // host per client in client order.
  FleetLayout layout;

  // The client named `name` ("<population>/<authentication name>").
  std::optional<uint32_t> FindClient(std::string_view name) const;

 private:
  friend absl::StatusOr<Fleet> BuildFleet(const scenario::Scenario&, uint64_t);
  absl::flat_hash_map<std::string, uint32_t> by_name_;
};

// Expands the (validated) scenario's populations. Which clients speak MQTT 5
// is drawn per client, in index order, from the seed's
// "population/<name>/version" stream. INVALID_ARGUMENT when two clients get
// the same name or the fleet passes kMaxFleetClients / kMaxFleetSessions.
absl::StatusOr<Fleet> BuildFleet(const scenario::Scenario& scenario,
                                 uint64_t seed);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_FLEET_H_
