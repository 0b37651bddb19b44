// Writes the codec_raw seed corpus of tools/codec_corpus.cc into a folder:
//   bazel run //tools:make_codec_corpus -- "$PWD/corpora/codec_raw"
#include <iostream>
#include <string_view>

#include "tools/codec_corpus.h"
#include "tools/write_files.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_codec_corpus FOLDER\n";
    return 2;
  }
  const auto files = mqlab::tools::MakeCodecCorpus();
  for (const mqlab::tools::CorpusFile& file : files) {
    const absl::Status status = mqlab::tools::WriteFile(
        argv[1], file.name,
        std::string_view(reinterpret_cast<const char*>(file.bytes.data()),
                         file.bytes.size()));
    if (!status.ok()) {
      std::cerr << "make_codec_corpus: " << status.message() << "\n";
      return 1;
    }
  }
  std::cout << files.size() << " files in " << argv[1] << "\n";
  return 0;
}
