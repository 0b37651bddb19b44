// The checked-in proto corpora: every file parses as its target's message
// (the replay tests skip a file that does not, as libFuzzer would), and the
// seeds are what tools/proto_corpora.cc generates today.
#include "tools/proto_corpora.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "fuzz/mqtt_session.pb.h"
#include "gtest/gtest.h"

namespace mqlab::tools {
namespace {

std::string Read(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file),
                     std::istreambuf_iterator<char>());
}

// The .pb files of corpora/<target> (and its regressions/), by path.
std::map<std::string, std::string> CheckedIn(const std::string& target,
                                             bool regressions) {
  std::map<std::string, std::string> files;
  const std::filesystem::path folder = std::filesystem::path("corpora") /
                                       target /
                                       (regressions ? "regressions" : "");
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() == ".pb") {
      files[entry.path().filename().string()] = Read(entry.path());
    }
  }
  return files;
}

TEST(ProtoCorporaTest, EveryFileParses) {
  for (const auto& [name, bytes] : CheckedIn("codec_proto", false)) {
    fuzz::CodecStream stream;
    EXPECT_TRUE(stream.ParseFromString(bytes)) << name;
  }
  for (const bool regressions : {false, true}) {
    for (const auto& [name, bytes] : CheckedIn("broker_session", regressions)) {
      fuzz::Session session;
      EXPECT_TRUE(session.ParseFromString(bytes)) << name;
    }
  }
}

TEST(ProtoCorporaTest, SeedsAreWhatTheGeneratorWrites) {
  std::map<std::string, std::map<std::string, std::string>> generated;
  for (const ProtoCorpusFile& file : MakeProtoCorpora()) {
    generated[file.target][file.name] = file.bytes;
  }
  for (const std::string target : {"codec_proto", "broker_session"}) {
    EXPECT_EQ(CheckedIn(target, false), generated[target])
        << "regenerate: bazel run //tools:make_proto_corpora -- "
           "\"$PWD/corpora\"";
  }
}

}  // namespace
}  // namespace mqlab::tools
