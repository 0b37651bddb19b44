#include "sim/virtual_fleet.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "base/check.h"
#include "client/client_options.h"
#include "sim/behaviours/behaviour_factory.h"
#include "sim/certificate_identity.h"
#include "sim/connection_settings.h"
#include "sim/name_pattern.h"
#include "sim/scenario_settings.h"
#include "sim/served_namespace.h"

namespace mqlab::sim {
namespace {

// Trace actions of virtual clients (TraceKind::kClientAction's `a`).
enum Action : uint64_t {
  kPowerOn = 2,
  kCrash = 3,
  kDelete = 4,
  kRestore = 5,
  kDisable = 6,
  kEnable = 7,
};

}  // namespace

VirtualFleet::VirtualFleet(const World& world) : world_(world) {
  environment_.scheduler = world.scheduler;
  environment_.network = world.network;
  environment_.observations = world.observations;
  environment_.trace = world.trace;
  environment_.broker_host = world.fleet->layout.broker_host;
}

VirtualFleet::~VirtualFleet() {
  world_.scheduler->Cancel(reap_timer_);
  world_.scheduler->Cancel(broker_start_);
  for (const Device& device : devices_)
    world_.scheduler->Cancel(device.restart);
}

absl::Status VirtualFleet::Build() {
  const scenario::Scenario& scenario = *world_.scenario;
  const Fleet& fleet = *world_.fleet;
  absl::StatusOr<broker::NamespaceConfig> served = ServedNamespace(
      *world_.namespace_config, scenario, fleet, "the scenario's namespace");
  if (!served.ok()) return served.status();
  served_ = *std::move(served);

  for (const scenario::Population& population : scenario.populations()) {
    for (const mqtt::Version version :
         {mqtt::Version::kV5, mqtt::Version::kV311}) {
      if (absl::Status valid = client::ValidateClientOptions(
              ClientOptionsFor(population, version));
          !valid.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("population ", population.name(),
                         ": connection: ", valid.message()));
      }
    }
  }

  // The client resource of each fleet client (by authentication name).
  absl::flat_hash_map<std::string, std::string> resource_by_name;
  std::vector<bool> disabled_at_start;
  absl::flat_hash_map<std::string, bool> disabled_by_name;
  for (const broker::ClientResource& client : served_.clients) {
    const std::string key = absl::AsciiStrToLower(
        client.authentication_name.empty() ? client.name
                                           : client.authentication_name);
    resource_by_name[key] = client.name;
    disabled_by_name[key] = client.state == broker::ClientState::kDisabled;
  }
  devices_.resize(fleet.clients.size());
  for (const FleetClient& client : fleet.clients) {
    const std::string key = absl::AsciiStrToLower(client.authentication_name);
    devices_[client.index].resource_name = resource_by_name[key];
    devices_[client.index].disabled = disabled_by_name[key];
  }

  sessions_.reserve(fleet.sessions.size());
  session_by_id_.reserve(fleet.sessions.size());
  for (const FleetSession& session : fleet.sessions) {
    const FleetClient& client = fleet.clients[session.client];
    sessions_.push_back(std::make_unique<VirtualSession>(
        this, session, client,
        scenario.populations(static_cast<int>(client.population))));
    session_by_id_.emplace(session.client_id, session.index);
  }
  for (const std::unique_ptr<VirtualSession>& session : sessions_) {
    if (absl::Status attached = AttachBehaviours(*session); !attached.ok()) {
      return attached;
    }
    // A client registered disabled cannot connect: nobody expects it to.
    if (devices_[session->fleet_client().index].disabled) session->Hold();
  }
  return absl::OkStatus();
}

absl::Status VirtualFleet::Start() {
  if (absl::Status built = Build(); !built.ok()) return built;
  broker_ = std::make_unique<BrokerAdapter>(
      world_.scheduler, world_.network, world_.fleet->layout.broker_host,
      BrokerListenOptions(*world_.scenario), served_,
      [this](uint64_t tag) { return IdentityOf(tag); }, world_.observations,
      world_.trace);
  broker_->set_tap(world_.broker_tap);
  broker_->Start();
  for (const FleetClient& client : world_.fleet->clients) {
    const ConnectionSettings settings = ConnectionSettingsFor(
        world_.scenario->populations(static_cast<int>(client.population)));
    Random random =
        Random::Stream(world_.seed, absl::StrCat("client/", client.name));
    const Duration spread =
        settings.connect_spread > 0
            ? static_cast<Duration>(random.Below(
                  static_cast<uint64_t>(settings.connect_spread) + 1))
            : 0;
    const uint32_t index = client.index;
    world_.scheduler->After(settings.connect_after + spread,
                            [this, index] { PowerOn(index); });
  }
  return absl::OkStatus();
}

broker::TransportIdentity VirtualFleet::IdentityOf(uint64_t tag) const {
  const Fleet& fleet = *world_.fleet;
  MQLAB_CHECK(tag < fleet.clients.size());
  const FleetClient& client = fleet.clients[tag];
  const scenario::Population& population =
      world_.scenario->populations(static_cast<int>(client.population));
  PatternValues values;
  values.index = client.index_in_population;
  values.population = population.name();
  values.auth = client.authentication_name;
  absl::StatusOr<broker::TransportIdentity> identity =
      VirtualIdentity(population.certificate(), values, served_);
  // ServedNamespace checked every issuer.
  MQLAB_CHECK_MSG(identity.ok(), "an issuer the served namespace lacks");
  return *std::move(identity);
}

VirtualSession* VirtualFleet::FindSession(std::string_view client_id) const {
  const auto it = session_by_id_.find(ToAbsl(client_id));
  return it == session_by_id_.end() ? nullptr : sessions_[it->second].get();
}

std::optional<std::string> VirtualFleet::ResponseTopicFor(
    const MessageTag& request, const VirtualSession& responder) const {
  if (request.publisher >= sessions_.size()) return std::nullopt;
  const VirtualSession& requester = *sessions_[request.publisher];
  for (const scenario::Behaviour& behaviour :
       requester.population().behaviours()) {
    if (!behaviour.has_command_requester() ||
        behaviour.command_requester().target_population() !=
            responder.population().name()) {
      continue;
    }
    PatternValues values = requester.pattern_values();
    values.target = responder.fleet_client().authentication_name;
    return ExpandPattern(behaviour.command_requester().response_topic(),
                         values);
  }
  return std::nullopt;
}

void VirtualFleet::Retire(std::unique_ptr<ClientLink> link) {
  if (link == nullptr) return;
  retired_.push_back(std::move(link));
  if (reap_timer_ != kNoTimer) return;
  reap_timer_ = world_.scheduler->After(0, [this] {
    reap_timer_ = kNoTimer;
    retired_.clear();
  });
}

void VirtualFleet::TraceAction(uint32_t client, uint64_t action,
                               std::string_view detail) {
  if (world_.trace == nullptr) return;
  world_.trace->AddText(now(), TraceKind::kClientAction, client, action, 0,
                        detail);
}

void VirtualFleet::PowerOn(uint32_t client) {
  Device& device = devices_[client];
  if (device.down) return;
  TraceAction(client, kPowerOn, {});
  const FleetClient& fleet_client = world_.fleet->clients[client];
  for (uint32_t s = 0; s < fleet_client.session_count; ++s) {
    sessions_[fleet_client.first_session + s]->PowerOn();
  }
}

// --- Faults. ---

void VirtualFleet::RestartBroker(Duration downtime) {
  if (broker_->running()) broker_->Crash();
  world_.scheduler->Cancel(broker_start_);
  broker_start_ = kNoTimer;
  if (downtime <= 0) {
    broker_->Start();
    return;
  }
  broker_start_ = world_.scheduler->After(downtime, [this] {
    broker_start_ = kNoTimer;
    broker_->Start();
  });
}

void VirtualFleet::CrashClient(uint32_t client, Duration restart_after) {
  Device& device = devices_[client];
  TraceAction(client, kCrash, {});
  world_.scheduler->Cancel(device.restart);
  device.restart = kNoTimer;
  device.down = true;
  const FleetClient& fleet_client = world_.fleet->clients[client];
  for (uint32_t s = 0; s < fleet_client.session_count; ++s) {
    sessions_[fleet_client.first_session + s]->Crash();
  }
  if (restart_after <= 0) return;
  device.restart = world_.scheduler->After(restart_after, [this, client] {
    Device& device = devices_[client];
    device.restart = kNoTimer;
    device.down = false;
    PowerOn(client);
  });
}

void VirtualFleet::HoldClient(uint32_t client) {
  const FleetClient& fleet_client = world_.fleet->clients[client];
  for (uint32_t s = 0; s < fleet_client.session_count; ++s) {
    sessions_[fleet_client.first_session + s]->Hold();
  }
}

void VirtualFleet::ReleaseClientAt(uint32_t client, Time at) {
  const auto release = [this, client] {
    const FleetClient& fleet_client = world_.fleet->clients[client];
    for (uint32_t s = 0; s < fleet_client.session_count; ++s) {
      sessions_[fleet_client.first_session + s]->Release();
    }
  };
  if (at <= now()) {
    release();
  } else {
    world_.scheduler->At(at, release);
  }
}

void VirtualFleet::DeleteClient(uint32_t client, Duration restore_after) {
  Device& device = devices_[client];
  if (device.deleted.has_value()) return;
  std::optional<broker::ClientResource> resource =
      broker_->FindClient(device.resource_name);
  if (!resource.has_value()) return;
  if (!broker_->DeleteClient(device.resource_name).ok()) return;
  TraceAction(client, kDelete, device.resource_name);
  device.deleted = *std::move(resource);
  world_.observations->Observe(ClientDeleted{now(), client});
  HoldClient(client);
  if (restore_after <= 0) return;
  // A persistent session of a deleted client keeps its name blocked until
  // it expires: the client wants it back only after that.
  const ConnectionSettings settings =
      ConnectionSettingsFor(world_.scenario->populations(
          static_cast<int>(world_.fleet->clients[client].population)));
  Time wanted_again = now() + restore_after;
  if (settings.persistent) {
    wanted_again = std::max<Time>(
        wanted_again,
        now() + Duration{served_.limits.session_expiry_seconds} * kSecond);
  }
  world_.scheduler->After(restore_after, [this, client, wanted_again] {
    Device& device = devices_[client];
    if (!device.deleted.has_value()) return;
    if (broker_->UpsertClient(*device.deleted).ok()) {
      TraceAction(client, kRestore, device.resource_name);
    }
    device.deleted.reset();
    ReleaseClientAt(client, wanted_again);
  });
}

void VirtualFleet::DisableClient(uint32_t client, Duration restore_after) {
  Device& device = devices_[client];
  if (device.disabled || device.deleted.has_value()) return;
  std::optional<broker::ClientResource> resource =
      broker_->FindClient(device.resource_name);
  if (!resource.has_value()) return;
  resource->state = broker::ClientState::kDisabled;
  if (!broker_->UpsertClient(*resource).ok()) return;
  TraceAction(client, kDisable, device.resource_name);
  device.disabled = true;
  HoldClient(client);
  if (restore_after <= 0) return;
  world_.scheduler->After(restore_after, [this, client] {
    Device& device = devices_[client];
    if (device.deleted.has_value()) {
      // Deleted while disabled: the resource saved for the restore is the
      // disabled one, and the restore must register it enabled.
      device.deleted->state = broker::ClientState::kEnabled;
    } else if (std::optional<broker::ClientResource> resource =
                   broker_->FindClient(device.resource_name);
               resource.has_value()) {
      resource->state = broker::ClientState::kEnabled;
      if (broker_->UpsertClient(*resource).ok()) {
        TraceAction(client, kEnable, device.resource_name);
      }
    }
    device.disabled = false;
    ReleaseClientAt(client, now());
  });
}

WorkloadFactory VirtualFleetWorkload() {
  return [](const World& world) -> absl::StatusOr<std::unique_ptr<Workload>> {
    return std::make_unique<VirtualFleet>(world);
  };
}

}  // namespace mqlab::sim
