// The seed corpora of the fuzz targets namespace_config, client_group_query,
// topic_match and sim_choices (corpora/<target>/), made from the shipped
// namespaces (scenarios/namespaces/*.json), the query examples of Event
// Grid's documentation and docs/namespace.md, and hand-built choices that
// reach every fault kind and the topic rules ('+', '#', '$'-topics).
// Deterministic: `bazel run //tools:make_fuzz_corpora -- "$PWD"` rewrites
// the checked-in files from the checkout at $PWD.
#ifndef MQLAB_TOOLS_FUZZ_CORPORA_H_
#define MQLAB_TOOLS_FUZZ_CORPORA_H_

#include <string>
#include <string_view>
#include <vector>

#include "tools/codec_corpus.h"

namespace mqlab::tools {

// A shipped namespace file: its name ("telemetry.json") and text.
struct NamespaceText {
  std::string name;
  std::string json;
};

// The fuzz targets this generator makes corpora for.
inline constexpr std::string_view kGeneratedCorpusTargets[] = {
    "namespace_config", "client_group_query", "topic_match", "sim_choices"};

// The corpus of `target` (one of kGeneratedCorpusTargets).
std::vector<CorpusFile> MakeFuzzCorpus(
    std::string_view target, const std::vector<NamespaceText>& namespaces);

}  // namespace mqlab::tools

#endif  // MQLAB_TOOLS_FUZZ_CORPORA_H_
