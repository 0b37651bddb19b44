#include "broker/filter_coverage.h"

#include <cstddef>
#include <string_view>

namespace mqlab::broker {
namespace {

// The level of `text` that starts at byte `start`: up to the next '/' or the
// end. Levels may be empty ("a//b" has an empty second level).
std::string_view LevelAt(std::string_view text, size_t start) {
  const size_t end = text.find('/', start);
  return text.substr(
      start, end == std::string_view::npos ? text.size() - start : end - start);
}

}  // namespace

bool FilterCovers(std::string_view outer, std::string_view inner) {
  // Walk both filters level by level. `o` and `i` are the byte offsets of the
  // current level; an offset past the end means the filter has no more levels.
  size_t o = 0;
  size_t i = 0;
  for (bool first_level = true;; first_level = false) {
    const bool outer_has_level = o <= outer.size();
    const bool inner_has_level = i <= inner.size();
    if (!outer_has_level) return !inner_has_level;
    const std::string_view outer_level = LevelAt(outer, o);
    if (outer_level == "#") {
      if (!first_level) return true;
      // A first-level '#' matches every topic except those starting with '$',
      // so it covers `inner` unless `inner` can match such a topic.
      const std::string_view inner_level = LevelAt(inner, i);
      return inner_level == "+" || inner_level == "#" ||
             !inner_level.starts_with('$');
    }
    // `inner`'s topics end here but `outer` demands another level.
    if (!inner_has_level) return false;
    const std::string_view inner_level = LevelAt(inner, i);
    if (inner_level == "#") {
      // `inner` matches every continuation from here; only `#` does too, or,
      // at the first level where a topic has at least one level, `+/#`.
      if (!first_level || outer_level != "+") return false;
      const size_t next = o + outer_level.size() + 1;
      return next <= outer.size() && LevelAt(outer, next) == "#";
    }
    if (outer_level == "+") {
      // A first-level '+' does not match levels starting with '$'.
      if (first_level && inner_level != "+" && inner_level.starts_with('$')) {
        return false;
      }
    } else if (inner_level != outer_level) {
      return false;  // A different literal, or '+' against a literal.
    }
    o += outer_level.size() + 1;
    i += inner_level.size() + 1;
  }
}

}  // namespace mqlab::broker
