// The seed corpus of the codec_raw fuzz target (corpora/codec_raw/): at
// least one input per packet type and version, whole sessions in one piece
// and split, and malformed inputs. Deterministic: `bazel run
// //tools:make_codec_corpus -- corpora/codec_raw` rewrites the checked-in
// files, and a test checks they are what this code makes.
#ifndef MQLAB_TOOLS_CODEC_CORPUS_H_
#define MQLAB_TOOLS_CODEC_CORPUS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace mqlab::tools {

struct CorpusFile {
  std::string name;            // Says what it holds: "v5-publish-1.bin".
  std::vector<uint8_t> bytes;  // In mqtt/testing/codec_fuzz_input.h's format.
};

std::vector<CorpusFile> MakeCodecCorpus();

}  // namespace mqlab::tools

#endif  // MQLAB_TOOLS_CODEC_CORPUS_H_
