#include "tests/broker/topic_oracle.h"

namespace mqlab::broker::testing {
namespace {

void Extend(const std::vector<std::string>& levels, size_t max_levels,
            const std::string& prefix, size_t depth,
            std::vector<std::string>& out) {
  for (const std::string& level : levels) {
    const std::string text = depth == 0 ? level : prefix + "/" + level;
    // A topic name or filter is at least one character long [MQTT-4.7.3-1].
    if (!text.empty()) out.push_back(text);
    if (depth + 1 < max_levels)
      Extend(levels, max_levels, text, depth + 1, out);
  }
}

}  // namespace

std::vector<std::string> SplitLevels(std::string_view text) {
  std::vector<std::string> levels;
  size_t start = 0;
  while (true) {
    const size_t slash = text.find('/', start);
    if (slash == std::string_view::npos) {
      levels.emplace_back(text.substr(start));
      return levels;
    }
    levels.emplace_back(text.substr(start, slash - start));
    start = slash + 1;
  }
}

bool OracleMatches(std::string_view filter, std::string_view topic) {
  const std::vector<std::string> f = SplitLevels(filter);
  const std::vector<std::string> t = SplitLevels(topic);
  // [MQTT-4.7.2-1]: wildcards in the first level skip topics starting '$'.
  if (!topic.empty() && topic[0] == '$' && (f[0] == "+" || f[0] == "#")) {
    return false;
  }
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] == "#") return true;  // The parent level and everything below.
    if (i >= t.size()) return false;
    if (f[i] != "+" && f[i] != t[i]) return false;
  }
  return f.size() == t.size();
}

std::vector<std::string> AllTopics(const std::vector<std::string>& levels,
                                   size_t max_levels) {
  std::vector<std::string> topics;
  Extend(levels, max_levels, "", 0, topics);
  return topics;
}

std::vector<std::string> AllFilters(const std::vector<std::string>& levels,
                                    size_t max_levels) {
  std::vector<std::string> with_plus = levels;
  with_plus.push_back("+");
  std::vector<std::string> filters = {"#"};
  for (const std::string& body : AllTopics(with_plus, max_levels)) {
    filters.push_back(body);
    filters.push_back(body + "/#");
  }
  return filters;
}

}  // namespace mqlab::broker::testing
