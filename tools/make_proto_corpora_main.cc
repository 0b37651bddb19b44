// Writes the seed corpora of the structure-aware fuzz targets
// (tools/proto_corpora.cc) into FOLDER/<target>/:
//   bazel run //tools:make_proto_corpora -- "$PWD/corpora"
#include <iostream>
#include <string>

#include "tools/proto_corpora.h"
#include "tools/write_files.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_proto_corpora FOLDER\n";
    return 2;
  }
  const auto files = mqlab::tools::MakeProtoCorpora();
  for (const mqlab::tools::ProtoCorpusFile& file : files) {
    const absl::Status status = mqlab::tools::WriteFile(
        std::string(argv[1]) + "/" + file.target, file.name, file.bytes);
    if (!status.ok()) {
      std::cerr << "make_proto_corpora: " << status.message() << "\n";
      return 1;
    }
  }
  std::cout << files.size() << " files in " << argv[1] << "\n";
  return 0;
}
