// Realistic packet captures, generated from packets (not typed as hex): the
// sessions of Azure's telemetry sample against Event Grid, and a malformed
// one. `bazel run //tools:make_captures -- corpora/captures` writes them;
// a test checks the checked-in files are what this code makes.
#ifndef MQLAB_TOOLS_CAPTURES_H_
#define MQLAB_TOOLS_CAPTURES_H_

#include <string>
#include <vector>

namespace mqlab::tools {

struct Capture {
  std::string file_name;  // "telemetry.hex".
  std::string hex_text;   // Commented hex, one packet per block.
};

std::vector<Capture> MakeCaptures();

}  // namespace mqlab::tools

#endif  // MQLAB_TOOLS_CAPTURES_H_
