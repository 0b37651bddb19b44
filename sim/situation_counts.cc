#include "sim/situation_counts.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "base/absl_string_view.h"

namespace mqlab::sim {

std::string SituationName(scenario::RuleExplorer::Situation situation) {
  return absl::StrCat("explorer/",
                      scenario::RuleExplorer::Situation_Name(situation));
}

std::string SituationName(scenario::LimitProbe::Kind kind) {
  return absl::StrCat("limit-probe/", scenario::LimitProbe::Kind_Name(kind));
}

std::vector<std::string> CatalogueSituations() {
  std::vector<std::string> names;
  for (int i = scenario::RuleExplorer::Situation_MIN + 1;
       i <= scenario::RuleExplorer::Situation_MAX; ++i) {
    if (!scenario::RuleExplorer::Situation_IsValid(i)) continue;
    names.push_back(
        SituationName(static_cast<scenario::RuleExplorer::Situation>(i)));
  }
  for (int i = scenario::LimitProbe::Kind_MIN + 1;
       i <= scenario::LimitProbe::Kind_MAX; ++i) {
    if (!scenario::LimitProbe::Kind_IsValid(i)) continue;
    names.push_back(SituationName(static_cast<scenario::LimitProbe::Kind>(i)));
  }
  names.emplace_back(kTakeoverByAnotherName);
  std::sort(names.begin(), names.end());
  return names;
}

void SituationCounts::Count(std::string_view situation) {
  const auto it = counts_.find(situation);
  if (it != counts_.end()) {
    ++it->second;
  } else {
    counts_.emplace(std::string(situation), 1);
  }
}

void SituationCounts::Add(const SituationCounts& other) {
  for (const auto& [name, count] : other.counts_) counts_[name] += count;
}

bool SituationCounts::AddPrinted(std::string_view text) {
  const size_t heading = text.find(kSituationTableHeading);
  if (heading == std::string_view::npos) return false;
  text.remove_prefix(heading + kSituationTableHeading.size());
  for (absl::string_view line : absl::StrSplit(ToAbsl(text), '\n')) {
    if (line.empty()) continue;
    if (line.front() != ' ') break;  // The table ends.
    const std::vector<absl::string_view> words =
        absl::StrSplit(line, ' ', absl::SkipEmpty());
    uint64_t count = 0;
    if (words.size() < 2 || !absl::SimpleAtoi(words[0], &count)) break;
    if (count > 0) counts_[std::string(words[1])] += count;
  }
  return true;
}

uint64_t SituationCounts::count(std::string_view situation) const {
  const auto it = counts_.find(situation);
  return it == counts_.end() ? 0 : it->second;
}

std::vector<std::string> SituationCounts::Missing() const {
  std::vector<std::string> missing;
  for (const std::string& name : CatalogueSituations()) {
    if (count(name) == 0) missing.push_back(name);
  }
  return missing;
}

std::string SituationCounts::Table() const {
  Counts all = counts_;
  for (const std::string& name : CatalogueSituations())
    all.try_emplace(name, 0);
  std::string text;
  for (const auto& [name, count] : all) {
    absl::StrAppend(&text, absl::StrFormat("  %8d %s%s\n", count, name,
                                           count == 0 ? " (none)" : ""));
  }
  return text;
}

}  // namespace mqlab::sim
