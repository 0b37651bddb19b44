#include "sim/shrinker.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "google/protobuf/text_format.h"
#include "sim/duration_text.h"
#include "sim/runner.h"
#include "sim/scenario_loader.h"
#include "sim/scenario_settings.h"

namespace mqlab::sim {
namespace {

using scenario::Behaviour;
using scenario::Scenario;

constexpr Duration kShortestRun = kSecond;
constexpr int kMaxRateHalvings = 10;

std::string_view BehaviourName(const Behaviour& behaviour) {
  switch (behaviour.kind_case()) {
    case Behaviour::kTelemetry:
      return "telemetry";
    case Behaviour::kSubscriber:
      return "subscriber";
    case Behaviour::kCommandRequester:
      return "command_requester";
    case Behaviour::kCommandResponder:
      return "command_responder";
    case Behaviour::kBroadcaster:
      return "broadcaster";
    case Behaviour::kReconnectLoop:
      return "reconnect_loop";
    case Behaviour::kSessionTakeover:
      return "session_takeover";
    case Behaviour::kLimitProbe:
      return "limit_probe";
    case Behaviour::kClientDeletion:
      return "client_deletion";
    case Behaviour::kOfflinePeriods:
      return "offline_periods";
    case Behaviour::kRuleExplorer:
      return "rule_explorer";
    case Behaviour::KIND_NOT_SET:
      break;
  }
  return "behaviour";
}

// Halves every message rate of the scenario; false when it has none.
bool HalveRates(Scenario& scenario) {
  bool any = false;
  for (auto& population : *scenario.mutable_populations()) {
    for (Behaviour& behaviour : *population.mutable_behaviours()) {
      if (behaviour.has_telemetry()) {
        auto* telemetry = behaviour.mutable_telemetry();
        telemetry->set_rate_per_second(telemetry->rate_per_second() / 2);
        any = true;
      } else if (behaviour.has_command_requester()) {
        auto* requester = behaviour.mutable_command_requester();
        requester->set_rate_per_second(requester->rate_per_second() / 2);
        any = true;
      } else if (behaviour.has_broadcaster()) {
        auto* broadcaster = behaviour.mutable_broadcaster();
        broadcaster->set_rate_per_second(broadcaster->rate_per_second() / 2);
        any = true;
      }
    }
  }
  return any;
}

class Shrinker {
 public:
  Shrinker(const ShrinkOptions& options, const FailureOracle& oracle)
      : options_(options), oracle_(oracle) {}

  ShrinkResult Run(ShrinkCandidate start) {
    start.scenario.clear_faults();
    const ShrinkCandidate original = start;
    current_ = std::move(start);
    bool progress = true;
    while (progress && !exhausted_) {
      progress = false;
      progress |= ShrinkFaults();
      progress |= ShrinkPopulations();
      progress |= RemoveBehaviours();
      progress |= ShrinkDuration();
      progress |= ShrinkRates();
    }
    ShrinkResult result;
    result.attempts = attempts_;
    result.attempts_exhausted = exhausted_;
    Describe(original, &result.removed);
    result.smallest = std::move(current_);
    return result;
  }

 private:
  bool Try(const ShrinkCandidate& candidate) {
    if (attempts_ >= options_.max_attempts) {
      exhausted_ = true;
      return false;
    }
    ++attempts_;
    const bool failed = oracle_(candidate);
    if (options_.on_attempt) options_.on_attempt(attempts_, failed);
    if (failed) current_ = candidate;
    return failed;
  }

  // ddmin over the fault list, trying complements of n chunks.
  bool ShrinkFaults() {
    const size_t before = current_.faults.size();
    if (before == 0) return false;
    ShrinkCandidate none = current_;
    none.faults.clear();
    if (Try(none)) return true;
    size_t chunks = 2;
    while (current_.faults.size() >= 2 && !exhausted_) {
      const std::vector<NamedFault> faults = current_.faults;
      const size_t size = faults.size();
      chunks = std::min(chunks, size);
      bool reduced = false;
      for (size_t c = 0; c < chunks && !reduced && !exhausted_; ++c) {
        const size_t begin = size * c / chunks;
        const size_t end = size * (c + 1) / chunks;
        ShrinkCandidate complement = current_;
        complement.faults.clear();
        for (size_t i = 0; i < size; ++i) {
          if (i < begin || i >= end) complement.faults.push_back(faults[i]);
        }
        reduced = Try(complement);
      }
      if (reduced) {
        chunks = std::max<size_t>(chunks - 1, 2);
      } else if (chunks >= size) {
        break;
      } else {
        chunks = std::min(chunks * 2, size);
      }
    }
    return current_.faults.size() < before;
  }

  bool ShrinkPopulations() {
    bool progress = false;
    for (int p = 0; p < current_.scenario.populations_size(); ++p) {
      while (current_.scenario.populations(p).count() > 1 && !exhausted_) {
        ShrinkCandidate half = current_;
        auto* population = half.scenario.mutable_populations(p);
        population->set_count(population->count() / 2);
        if (!Try(half)) break;
        progress = true;
      }
    }
    return progress;
  }

  bool RemoveBehaviours() {
    bool progress = false;
    for (int p = 0; p < current_.scenario.populations_size(); ++p) {
      for (int b = 0; b < current_.scenario.populations(p).behaviours_size() &&
                      !exhausted_;) {
        ShrinkCandidate fewer = current_;
        auto* behaviours =
            fewer.scenario.mutable_populations(p)->mutable_behaviours();
        const std::string name = absl::StrCat(
            ToAbsl(BehaviourName(behaviours->Get(b))), " of population ",
            fewer.scenario.populations(p).name());
        behaviours->erase(behaviours->begin() + b);
        if (Try(fewer)) {
          removed_behaviours_.push_back(name);
          progress = true;
        } else {
          ++b;
        }
      }
    }
    return progress;
  }

  bool ShrinkDuration() {
    bool progress = false;
    while (!exhausted_) {
      const Duration length = RunLength(current_.scenario);
      const Duration half = length / 2;
      if (half < kShortestRun) break;
      ShrinkCandidate shorter = current_;
      shorter.scenario.set_duration(FormatDuration(half));
      std::erase_if(shorter.faults,
                    [&](const NamedFault& fault) { return fault.at >= half; });
      if (!Try(shorter)) break;
      progress = true;
    }
    return progress;
  }

  bool ShrinkRates() {
    bool progress = false;
    while (rate_halvings_ < kMaxRateHalvings && !exhausted_) {
      ShrinkCandidate slower = current_;
      if (!HalveRates(slower.scenario) || !Try(slower)) break;
      ++rate_halvings_;
      progress = true;
    }
    return progress;
  }

  void Describe(const ShrinkCandidate& original,
                std::vector<std::string>* lines) const {
    if (current_.faults.size() < original.faults.size()) {
      lines->push_back(absl::StrCat("faults: ", original.faults.size(), " -> ",
                                    current_.faults.size()));
    }
    for (int p = 0; p < original.scenario.populations_size(); ++p) {
      const uint32_t before = original.scenario.populations(p).count();
      const uint32_t after = current_.scenario.populations(p).count();
      if (after < before) {
        lines->push_back(absl::StrCat(
            "population ", original.scenario.populations(p).name(), ": ",
            before, " -> ", after, after == 1 ? " client" : " clients"));
      }
    }
    for (const std::string& behaviour : removed_behaviours_) {
      lines->push_back(absl::StrCat("behaviour removed: ", behaviour));
    }
    if (current_.scenario.duration() != original.scenario.duration()) {
      lines->push_back(absl::StrCat("duration: ", original.scenario.duration(),
                                    " -> ", current_.scenario.duration()));
    }
    if (rate_halvings_ > 0) {
      lines->push_back(
          absl::StrCat("message rates: divided by ", 1 << rate_halvings_));
    }
  }

  const ShrinkOptions& options_;
  const FailureOracle& oracle_;
  ShrinkCandidate current_;
  uint32_t attempts_ = 0;
  bool exhausted_ = false;
  int rate_halvings_ = 0;
  std::vector<std::string> removed_behaviours_;
};

RunInput InputFor(const ReplayFile& replay, const Scenario& scenario) {
  RunInput input = replay.input;
  google::protobuf::TextFormat::PrintToString(scenario, &input.scenario_text);
  return input;
}

}  // namespace

ShrinkResult Shrink(ShrinkCandidate start, const ShrinkOptions& options,
                    const FailureOracle& oracle) {
  return Shrinker(options, oracle).Run(std::move(start));
}

absl::StatusOr<ReplayFile> ShrinkReplay(const ReplayFile& replay,
                                        const ShrinkOptions& options,
                                        const WorkloadFactory& workload,
                                        ShrinkResult* details) {
  if (!replay.violation.has_value()) {
    return absl::FailedPreconditionError(
        "the replay file records no violation: nothing to shrink");
  }
  absl::StatusOr<Scenario> scenario =
      ParseScenario(replay.input.scenario_text, replay.input.scenario_path);
  if (!scenario.ok()) return scenario.status();
  const Violation target = *replay.violation;
  const FailureOracle oracle = [&](const ShrinkCandidate& candidate) {
    RunOptions options;
    options.seed = replay.seed;
    options.faults = candidate.faults;
    options.missing_fault_targets = MissingNames::kDrop;
    options.stop_at_first_violation = true;
    options.workload = workload;
    const absl::StatusOr<RunResult> result =
        RunScenario(InputFor(replay, candidate.scenario), options);
    if (!result.ok()) return false;
    return std::any_of(
        result->violations.begin(), result->violations.end(),
        [&](const Violation& found) { return found.SameFailure(target); });
  };
  ShrinkCandidate start{*std::move(scenario), replay.faults};
  if (!oracle(start)) {
    return absl::FailedPreconditionError(
        absl::StrCat("the recorded run no longer fails with ",
                     ToAbsl(CheckerName(target.checker)), "/", target.rule,
                     ": nothing to shrink (has the code changed since?)"));
  }
  ShrinkResult shrunk = Shrink(std::move(start), options, oracle);
  // The smallest run, recorded as the original was run.
  RunOptions final_options;
  final_options.seed = replay.seed;
  final_options.faults = shrunk.smallest.faults;
  final_options.missing_fault_targets = MissingNames::kDrop;
  final_options.stop_at_first_violation = replay.stop_at_first_violation;
  final_options.workload = workload;
  const RunInput input = InputFor(replay, shrunk.smallest.scenario);
  absl::StatusOr<RunResult> result = RunScenario(input, final_options);
  if (!result.ok()) return result.status();
  ReplayFile smallest =
      MakeReplayFile(input, final_options, *result, replay.git_commit);
  smallest.shrunk = shrunk.removed;
  if (details != nullptr) *details = std::move(shrunk);
  return smallest;
}

}  // namespace mqlab::sim
