// Debian's Abseil (20220623) is built with its own absl::string_view (its
// options.h sets ABSL_OPTION_USE_STD_STRING_VIEW to 0), which does not convert
// implicitly from std::string_view. mqlab's interfaces use
// std::string_view; this converts where an Abseil function needs the other.
#ifndef MQLAB_BASE_ABSL_STRING_VIEW_H_
#define MQLAB_BASE_ABSL_STRING_VIEW_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace mqlab {

inline absl::string_view ToAbsl(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

inline std::string_view FromAbsl(absl::string_view text) {
  return std::string_view(text.data(), text.size());
}

}  // namespace mqlab

#endif  // MQLAB_BASE_ABSL_STRING_VIEW_H_
