// How often each situation of the lab's catalogue arose in a run: the
// situations of Event Grid's rules that behaviours provoke on purpose (the
// rule explorer's episodes, sim/behaviours/rule_explorer.h; the limit
// prober's probes; a session-takeover attempt by another authentication
// name). A behaviour counts a situation once the broker had to answer it
// (not whether the answer was right: that is the checkers' business). The
// run summary prints the table; a sweep adds the runs' counts up, and
// tests/sim/situation_coverage_test.cc asserts that the default scenario
// provokes the whole catalogue.
//
// Names: "explorer/<RuleExplorer.Situation>", "limit-probe/<LimitProbe.Kind>"
// and kTakeoverByAnotherName. Kept in name order (the table's order).
#ifndef MQLAB_SIM_SITUATION_COUNTS_H_
#define MQLAB_SIM_SITUATION_COUNTS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario.pb.h"

namespace mqlab::sim {

inline constexpr std::string_view kTakeoverByAnotherName =
    "takeover/another-authentication-name";
// The line above the table in `mqlab run`'s summary.
inline constexpr std::string_view kSituationTableHeading =
    "situations provoked (per kind):";

std::string SituationName(scenario::RuleExplorer::Situation situation);
std::string SituationName(scenario::LimitProbe::Kind kind);

// Every situation of the catalogue, in name order.
std::vector<std::string> CatalogueSituations();

class SituationCounts {
 public:
  using Counts = std::map<std::string, uint64_t, std::less<>>;

  void Count(std::string_view situation);
  // Adds another run's counts (a sweep's total).
  void Add(const SituationCounts& other);
  // Adds the counts of the Table() that follows kSituationTableHeading in
  // `text` (a run's printed summary); false when `text` has no table.
  bool AddPrinted(std::string_view text);
  const Counts& counts() const { return counts_; }
  uint64_t count(std::string_view situation) const;
  // The catalogue's situations this run did not provoke.
  std::vector<std::string> Missing() const;
  // One line per catalogue situation (and per other one counted):
  // "  <count> <name>", with "(none)" marking those never provoked.
  std::string Table() const;

 private:
  Counts counts_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_SITUATION_COUNTS_H_
