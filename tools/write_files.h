// Writing generated files into a folder, for the generators of checked-in
// files (captures, seed corpora).
#ifndef MQLAB_TOOLS_WRITE_FILES_H_
#define MQLAB_TOOLS_WRITE_FILES_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace mqlab::tools {

// Writes `contents` to `folder`/`name`, creating the folder when needed.
absl::Status WriteFile(std::string_view folder, std::string_view name,
                       std::string_view contents);

}  // namespace mqlab::tools

#endif  // MQLAB_TOOLS_WRITE_FILES_H_
