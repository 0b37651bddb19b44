#include "tools/sweep_command.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "sim/situation_counts.h"
#include "tools/run_command.h"

extern char** environ;

namespace mqlab::tools {
namespace {

struct Worker {
  uint64_t seed = 0;
  std::string log;
};

struct Failure {
  uint64_t seed = 0;
  int exit_code = 0;
  std::string violation;  // "first violation: ..." of the run, if any.
  std::string replay_file;
  std::string log;
};

// Adds the " rule=count" pairs of every "  CHECKER situations:" line of a
// run's log to `totals` (keyed "checker rule").
void AddSituations(const std::string& log,
                   std::map<std::string, uint64_t>& totals) {
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t label = line.find(kSituationsLabel);
    if (line.rfind("  ", 0) != 0 || label == std::string::npos) continue;
    const std::string checker = line.substr(2, label - 2);
    std::istringstream pairs(line.substr(label + sizeof(kSituationsLabel) - 1));
    std::string pair;
    while (pairs >> pair) {
      const size_t equals = pair.rfind('=');
      uint64_t count = 0;
      if (equals == std::string::npos ||
          !absl::SimpleAtoi(pair.substr(equals + 1), &count)) {
        continue;
      }
      totals[absl::StrCat(checker, " ", pair.substr(0, equals))] += count;
    }
  }
}

// The line of `text` that starts with `prefix`, without it.
std::string LineAfter(const std::string& text, std::string_view prefix) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
  }
  return {};
}

std::string SelfExecutable() {
  std::error_code error;
  const std::filesystem::path self =
      std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string() : self.string();
}

class ProgressBar {
 public:
  ProgressBar(std::ostream& err, bool enabled, uint64_t total)
      : err_(err),
        enabled_(enabled),
        terminal_(StderrIsTerminal()),
        total_(total) {}
  ~ProgressBar() {
    if (enabled_ && terminal_ && drawn_) err_ << "\n";
  }
  void Update(uint64_t done, uint64_t failed, bool force) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    const auto every = terminal_ ? std::chrono::milliseconds(100)
                                 : std::chrono::milliseconds(5000);
    if (!force && drawn_ && now - last_ < every) return;
    last_ = now;
    drawn_ = true;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(kWidth * done / total_);
    std::string bar(filled, '=');
    if (filled < kWidth) bar += '>' + std::string(kWidth - filled - 1, ' ');
    const double seconds = std::chrono::duration<double>(now - start_).count();
    char elapsed[32];
    std::snprintf(elapsed, sizeof(elapsed), "%.0f s", seconds);
    err_ << (terminal_ ? "\r" : "") << "mqlab sweep: [" << bar << "] " << done
         << "/" << total_ << " seeds, " << failed << " failed, " << elapsed
         << (terminal_ ? "" : "\n") << std::flush;
  }

 private:
  std::ostream& err_;
  bool enabled_;
  bool terminal_;
  uint64_t total_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ =
      std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
};

}  // namespace

absl::StatusOr<SeedRange> ParseSeedRange(std::string_view text) {
  const auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        "--seeds: expected a seed (\"7\") or an inclusive range (\"1-100\") "
        "of at most ",
        kMaxSweepSeeds, " seeds, got \"", ToAbsl(text), "\""));
  };
  SeedRange range;
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos) {
    if (!absl::SimpleAtoi(ToAbsl(text), &range.first)) return bad();
    range.last = range.first;
    return range;
  }
  if (!absl::SimpleAtoi(ToAbsl(text.substr(0, dash)), &range.first) ||
      !absl::SimpleAtoi(ToAbsl(text.substr(dash + 1)), &range.last) ||
      range.last < range.first || range.last - range.first >= kMaxSweepSeeds) {
    return bad();
  }
  return range;
}

int RunSweepCommand(const SweepCommandOptions& options, std::ostream& out,
                    std::ostream& err) {
  const absl::StatusOr<SeedRange> range = ParseSeedRange(options.seeds);
  if (!range.ok()) {
    err << "mqlab sweep: " << range.status().message() << "\n";
    return kRunBadInput;
  }
  // Refuse a bad scenario once, not in every worker.
  if (absl::StatusOr<sim::RunInput> input = ReadRunInput(options.scenario);
      !input.ok()) {
    err << "mqlab sweep: " << input.status().message() << "\n";
    return kRunBadInput;
  }
  const std::string executable =
      options.executable.empty() ? SelfExecutable() : options.executable;
  if (executable.empty()) {
    err << "mqlab sweep: cannot find this program's path (/proc/self/exe)\n";
    return kRunFailed;
  }
  uint32_t jobs = options.jobs;
  if (jobs == 0) jobs = static_cast<uint32_t>(sysconf(_SC_NPROCESSORS_ONLN));
  jobs = std::clamp<uint32_t>(jobs, 1, kMaxSweepJobs);
  const std::string git_commit = GitCommit(options.git_commit);
  const std::filesystem::path logs =
      std::filesystem::path(options.replay_dir) / "sweep-logs";
  std::error_code error;
  std::filesystem::create_directories(logs, error);
  if (error) {
    err << "mqlab sweep: cannot create " << logs.string() << ": "
        << error.message() << "\n";
    return kRunFailed;
  }
  const std::string stem =
      std::filesystem::path(options.scenario).stem().string();
  out << "mqlab sweep: " << options.scenario << ", seeds " << range->first
      << "-" << range->last << ", " << jobs << " jobs\n"
      << std::flush;

  const auto start = std::chrono::steady_clock::now();
  std::map<pid_t, Worker> running;
  std::vector<Failure> failures;
  std::map<std::string, uint64_t> rule_counts;  // "checker rule" -> count.
  // The seeds' situation tables, summed.
  sim::SituationCounts situations;
  uint64_t next = range->first;
  uint64_t done = 0;
  bool exhausted = false;
  ProgressBar bar(err, options.progress, range->count());
  while (!exhausted || !running.empty()) {
    while (!exhausted && running.size() < jobs) {
      const uint64_t seed = next;
      Worker worker{
          seed, (logs / absl::StrCat(stem, "-seed", seed, ".log")).string()};
      std::vector<std::string> args = {executable,         "run",
                                       options.scenario,   "--seed",
                                       absl::StrCat(seed), "--replay-dir",
                                       options.replay_dir, "--git-commit",
                                       git_commit,         "--no-progress"};
      std::vector<char*> argv;
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      posix_spawn_file_actions_t actions;
      posix_spawn_file_actions_init(&actions);
      posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO,
                                       worker.log.c_str(),
                                       O_WRONLY | O_CREAT | O_TRUNC, 0644);
      posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
      pid_t pid = 0;
      const int spawned = posix_spawn(&pid, executable.c_str(), &actions,
                                      nullptr, argv.data(), environ);
      posix_spawn_file_actions_destroy(&actions);
      if (spawned != 0) {
        err << "mqlab sweep: cannot start " << executable << ": "
            << std::strerror(spawned) << "\n";
        exhausted = true;
        break;
      }
      running[pid] = std::move(worker);
      if (next == range->last) {
        exhausted = true;
      } else {
        ++next;
      }
    }
    if (running.empty()) break;
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) continue;
    const auto it = running.find(pid);
    if (it == running.end()) continue;
    const Worker worker = std::move(it->second);
    running.erase(it);
    ++done;
    const int code =
        WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (const absl::StatusOr<std::string> log = ReadTextFile(worker.log);
        log.ok()) {
      AddSituations(*log, rule_counts);
      situations.AddPrinted(*log);
    }
    if (code == kRunPassed) {
      std::filesystem::remove(worker.log, error);
    } else {
      const absl::StatusOr<std::string> log = ReadTextFile(worker.log);
      Failure failure{worker.seed, code, "", "", worker.log};
      if (log.ok()) {
        failure.violation = LineAfter(*log, "first violation: ");
        failure.replay_file = LineAfter(*log, "replay file: ");
      }
      failures.push_back(std::move(failure));
    }
    bar.Update(done, failures.size(),
               code != kRunPassed || done == range->count());
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();

  std::sort(failures.begin(), failures.end(),
            [](const Failure& a, const Failure& b) { return a.seed < b.seed; });
  uint64_t violations = 0;
  for (const Failure& failure : failures) {
    violations += failure.exit_code == kRunViolations;
  }
  const uint64_t errors = failures.size() - violations;
  char wall[32];
  std::snprintf(wall, sizeof(wall), "%.1f", seconds);
  out << done << " seeds in " << wall << " s: " << done - failures.size()
      << " passed, " << violations << " with violations, " << errors
      << " errors\n";
  if (!situations.counts().empty()) {
    out << "situations provoked over the sweep (per kind):\n"
        << situations.Table();
  }
  for (const Failure& failure : failures) {
    if (failure.exit_code == kRunViolations) {
      out << "seed " << failure.seed << ": " << failure.violation
          << "\n  replay: " << failure.replay_file << "\n";
    } else {
      out << "seed " << failure.seed << ": exit " << failure.exit_code
          << ", log: " << failure.log << "\n";
    }
  }
  if (!rule_counts.empty()) {
    out << "situations per rule, summed over the seeds:\n";
    for (const auto& [rule, count] : rule_counts) {
      out << "  " << rule << " " << count << "\n";
    }
  }
  if (done < range->count()) {
    out << range->count() - done << " seeds not run\n";
    return kRunFailed;
  }
  if (errors > 0) return kRunFailed;
  return violations > 0 ? kRunViolations : kRunPassed;
}

void RegisterSweepCommand(CLI::App& app) {
  auto options = std::make_shared<SweepCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "sweep", "run a scenario over many seeds in parallel worker processes");
  command->footer(
      "Each seed runs as `mqlab run SCENARIO --seed N` in its own process. "
      "Failing seeds keep their log (REPLAY_DIR/sweep-logs) and replay file. "
      "Exit 1 when a seed found violations, 3 when a worker failed otherwise.\n"
      "In Bazel: bazel test //tests/sim:sweep_test --test_arg=--seeds=1-400 "
      "spreads seeds over the test's shards.\n"
      "Example: ./mqlab sweep scenarios/default.textproto --seeds 1-100 "
      "--jobs 2");
  command->add_option("SCENARIO", options->scenario, "scenario file")
      ->required();
  command
      ->add_option("--seeds", options->seeds,
                   "seed or inclusive range, e.g. 1-100")
      ->required();
  command->add_option("--jobs", options->jobs,
                      "worker processes (default: one per CPU)");
  command->add_option("--replay-dir", options->replay_dir,
                      "where replay files and logs of failing seeds go");
  command->add_option("--git-commit", options->git_commit,
                      "commit recorded in replay files");
  command->add_flag("!--no-progress", options->progress,
                    "no progress bar on stderr");
  command->callback([options] {
    const int code = RunSweepCommand(*options, std::cout, std::cerr);
    if (code != kRunPassed) throw CLI::RuntimeError(code);
  });
}

}  // namespace mqlab::tools
