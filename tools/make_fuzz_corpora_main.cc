// Writes the seed corpora of tools/fuzz_corpora.h into a checkout:
//   bazel run //tools:make_fuzz_corpora -- "$PWD"
// reads $PWD/scenarios/namespaces/*.json and rewrites
// $PWD/corpora/<target>/ for each generated target (files of other names,
// such as regressions/, are left alone).
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "tools/fuzz_corpora.h"
#include "tools/run_command.h"
#include "tools/write_files.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_fuzz_corpora CHECKOUT\n";
    return 2;
  }
  const std::filesystem::path root(argv[1]);
  std::vector<mqlab::tools::NamespaceText> namespaces;
  for (const auto& entry :
       std::filesystem::directory_iterator(root / "scenarios/namespaces")) {
    if (entry.path().extension() != ".json") continue;
    absl::StatusOr<std::string> text =
        mqlab::tools::ReadTextFile(entry.path().string());
    if (!text.ok()) {
      std::cerr << "make_fuzz_corpora: " << text.status().message() << "\n";
      return 1;
    }
    namespaces.push_back({entry.path().filename().string(), *std::move(text)});
  }
  // Directory order is the file system's: sort for stable output.
  std::sort(namespaces.begin(), namespaces.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const std::string_view target : mqlab::tools::kGeneratedCorpusTargets) {
    const std::string folder = (root / "corpora" / target).string();
    const auto files = mqlab::tools::MakeFuzzCorpus(target, namespaces);
    for (const mqlab::tools::CorpusFile& file : files) {
      const absl::Status status = mqlab::tools::WriteFile(
          folder, file.name,
          std::string_view(reinterpret_cast<const char*>(file.bytes.data()),
                           file.bytes.size()));
      if (!status.ok()) {
        std::cerr << "make_fuzz_corpora: " << status.message() << "\n";
        return 1;
      }
    }
    std::cout << files.size() << " files in " << folder << "\n";
  }
  return 0;
}
