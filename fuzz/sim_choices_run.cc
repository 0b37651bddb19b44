#include "fuzz/sim_choices_run.h"

#include <algorithm>

#include "base/check.h"
#include "fuzz/sim_choices_scenario.h"
#include "sim/faults.h"
#include "sim/fleet.h"
#include "sim/scenario_loader.h"
#include "sim/virtual_fleet.h"

namespace mqlab::fuzz {
namespace {

// Reads the choices one byte at a time; zeros after the end.
class ChoiceReader {
 public:
  explicit ChoiceReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  size_t remaining() const { return bytes_.size() - position_; }
  uint8_t Byte() { return position_ < bytes_.size() ? bytes_[position_++] : 0; }
  uint16_t Word() {
    const uint16_t low = Byte();
    return static_cast<uint16_t>(low | (Byte() << 8));
  }

 private:
  std::span<const uint8_t> bytes_;
  size_t position_ = 0;
};

constexpr Time kFirstFault = kSecond;
constexpr Duration kFaultTimeStep = kMillisecond;
constexpr uint16_t kFaultTimes = 24'000;
constexpr Duration kLengthStep = 100 * kMillisecond;
constexpr uint8_t kLengths = 50;

// The fleet's client names: they do not depend on the seed.
const std::vector<std::string>& ClientNames() {
  static const std::vector<std::string>* const names = [] {
    const sim::RunInput& input = SimChoicesRunInput();
    absl::StatusOr<scenario::Scenario> parsed =
        sim::ParseScenario(input.scenario_text, input.scenario_path);
    MQLAB_CHECK_MSG(parsed.ok(), "the sim_choices scenario must parse");
    absl::StatusOr<sim::Fleet> fleet = sim::BuildFleet(*parsed, 0);
    MQLAB_CHECK_MSG(fleet.ok(), "the sim_choices fleet must build");
    auto* list = new std::vector<std::string>();
    for (const sim::FleetClient& client : fleet->clients) {
      list->push_back(client.name);
    }
    return list;
  }();
  return *names;
}

}  // namespace

const sim::RunInput& SimChoicesRunInput() {
  static const sim::RunInput* const input = new sim::RunInput{
      .scenario_path = std::string(kSimChoicesScenarioPath),
      .scenario_text = std::string(kSimChoicesScenarioText),
      .namespace_source = std::string(kSimChoicesNamespacePath),
      .namespace_json = std::string(kSimChoicesNamespaceJson),
  };
  return *input;
}

std::vector<sim::NamedFault> DecodeSimChoicesFaults(
    std::span<const uint8_t> choices,
    std::span<const std::string> client_names) {
  MQLAB_CHECK(!client_names.empty());
  ChoiceReader reader(choices);
  std::vector<sim::NamedFault> faults;
  while (reader.remaining() > 0 && faults.size() < kMaxSimChoicesFaults) {
    sim::NamedFault fault;
    fault.kind =
        sim::kAllFaultKinds[reader.Byte() % std::size(sim::kAllFaultKinds)];
    fault.at = kFirstFault + (reader.Word() % kFaultTimes) * kFaultTimeStep;
    const uint8_t target = reader.Byte();
    const uint8_t length = reader.Byte();
    fault.duration = kLengthStep * (1 + length % kLengths);
    // Every effect ends by kSimChoicesFaultsEnd.
    fault.duration =
        std::min<Duration>(fault.duration, kSimChoicesFaultsEnd - fault.at);
    const std::string& client = client_names[target % client_names.size()];
    switch (fault.kind) {
      case sim::FaultKind::kPartition:
        fault.hosts = {std::string(sim::kBrokerHostName)};
        fault.other_hosts = {client};
        break;
      case sim::FaultKind::kClientCrash:
      case sim::FaultKind::kClientDelete:
      case sim::FaultKind::kClientDisable:
        fault.clients = {client};
        break;
      case sim::FaultKind::kBrokerRestart:
        break;
      default:
        // Host faults: the broker for target 0, else a client's host.
        fault.hosts = {
            target % (client_names.size() + 1) == 0
                ? std::string(sim::kBrokerHostName)
                : client_names[target % (client_names.size() + 1) - 1]};
        break;
    }
    if (fault.kind == sim::FaultKind::kSlowReader) {
      fault.amount = 100 + int64_t{length} * 400;  // Bytes per second.
    } else if (fault.kind == sim::FaultKind::kLatencySpike) {
      fault.amount = (1 + length % 20) * 100 * kMillisecond;
    }
    faults.push_back(std::move(fault));
  }
  return faults;
}

sim::RunOptions SimChoicesRunOptions(std::span<const uint8_t> choices) {
  ChoiceReader reader(choices);
  sim::RunOptions options;
  options.seed = reader.Word();
  options.faults = DecodeSimChoicesFaults(
      choices.subspan(std::min<size_t>(2, choices.size())), ClientNames());
  options.workload = sim::VirtualFleetWorkload();
  options.stop_at_first_violation = true;
  return options;
}

std::optional<std::string> SimChoicesFinding(
    const absl::StatusOr<sim::RunResult>& result) {
  if (!result.ok()) {
    return "the choices made a bad run: " +
           std::string(result.status().message());
  }
  if (!result->status.ok()) {
    return "the run stopped: " + std::string(result->status.message());
  }
  if (!result->violations.empty()) {
    return "violation " + result->violations.front().ToString();
  }
  return std::nullopt;
}

}  // namespace mqlab::fuzz
