// Writes the packet captures of tools/captures.cc into a folder:
//   bazel run //tools:make_captures -- "$PWD/corpora/captures"
#include <iostream>

#include "tools/captures.h"
#include "tools/write_files.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_captures FOLDER\n";
    return 2;
  }
  for (const mqlab::tools::Capture& capture : mqlab::tools::MakeCaptures()) {
    const absl::Status status =
        mqlab::tools::WriteFile(argv[1], capture.file_name, capture.hex_text);
    if (!status.ok()) {
      std::cerr << "make_captures: " << status.message() << "\n";
      return 1;
    }
    std::cout << argv[1] << "/" << capture.file_name << "\n";
  }
  return 0;
}
