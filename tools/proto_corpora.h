// The seed corpora of the structure-aware fuzz targets (codec_proto,
// broker_session): grammar inputs (fuzz/mqtt_session.proto) built from the
// specification's packet shapes and from the conformance suite's scenarios
// (publish and receive, QoS 2, retained, shared subscriptions, Will, keep-
// alive, takeover, admin changes, topic aliases, limits), serialized in
// the binary format the targets read.
#ifndef MQLAB_TOOLS_PROTO_CORPORA_H_
#define MQLAB_TOOLS_PROTO_CORPORA_H_

#include <string>
#include <vector>

namespace mqlab::tools {

struct ProtoCorpusFile {
  std::string target;  // "codec_proto" or "broker_session".
  std::string name;    // File name, "v5-publish.pb".
  std::string bytes;   // The binary proto.
};

std::vector<ProtoCorpusFile> MakeProtoCorpora();

}  // namespace mqlab::tools

#endif  // MQLAB_TOOLS_PROTO_CORPORA_H_
