// The seed corpora of the ws_upgrade and ws_frames fuzz targets
// (corpora/ws_upgrade/, corpora/ws_frames/; input format:
// server/websocket/testing/fuzz_harness.h): the RFC 6455 example handshake,
// each refusal, MQTT packets in and across frames, ping, close, and each
// frame-level refusal, whole and split. Deterministic: `bazel run
// //tools:make_ws_corpus -- "$PWD/corpora"` rewrites the checked-in files,
// and a test checks they are what this code makes.
#ifndef MQLAB_TOOLS_WS_CORPUS_H_
#define MQLAB_TOOLS_WS_CORPUS_H_

#include <vector>

#include "tools/codec_corpus.h"

namespace mqlab::tools {

std::vector<CorpusFile> MakeWsUpgradeCorpus();
std::vector<CorpusFile> MakeWsFramesCorpus();

}  // namespace mqlab::tools

#endif  // MQLAB_TOOLS_WS_CORPUS_H_
