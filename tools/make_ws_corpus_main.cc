// Writes the seed corpora of the ws_upgrade and ws_frames fuzz targets
// (tools/ws_corpus.cc) under a corpora folder:
//   bazel run //tools:make_ws_corpus -- "$PWD/corpora"
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "tools/write_files.h"
#include "tools/ws_corpus.h"

namespace {

bool WriteCorpus(const std::string& folder,
                 const std::vector<mqlab::tools::CorpusFile>& files) {
  for (const mqlab::tools::CorpusFile& file : files) {
    const absl::Status status = mqlab::tools::WriteFile(
        folder, file.name,
        std::string_view(reinterpret_cast<const char*>(file.bytes.data()),
                         file.bytes.size()));
    if (!status.ok()) {
      std::cerr << "make_ws_corpus: " << status.message() << "\n";
      return false;
    }
  }
  std::cout << files.size() << " files in " << folder << "\n";
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_ws_corpus CORPORA_FOLDER\n";
    return 2;
  }
  const std::string corpora = argv[1];
  return WriteCorpus(corpora + "/ws_upgrade",
                     mqlab::tools::MakeWsUpgradeCorpus()) &&
                 WriteCorpus(corpora + "/ws_frames",
                             mqlab::tools::MakeWsFramesCorpus())
             ? 0
             : 1;
}
