#include "tools/write_files.h"

#include <filesystem>
#include <fstream>

namespace mqlab::tools {

absl::Status WriteFile(std::string_view folder, std::string_view name,
                       std::string_view contents) {
  std::error_code error;
  std::filesystem::create_directories(std::string(folder), error);
  if (error) {
    return absl::InternalError("cannot create " + std::string(folder) + ": " +
                               error.message());
  }
  const std::string path =
      (std::filesystem::path(std::string(folder)) / std::string(name)).string();
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  file.close();
  if (!file) return absl::InternalError("cannot write " + path);
  return absl::OkStatus();
}

}  // namespace mqlab::tools
