// The checked-in generated files are what their generators make today:
// corpora/codec_raw (tools/codec_corpus.cc), corpora/ws_upgrade and
// corpora/ws_frames (tools/ws_corpus.cc) and corpora/captures
// (tools/captures.cc). On failure, rerun the generators (see the files'
// BUILD.bazel).
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "mqtt/packet.h"
#include "mqtt/testing/codec_fuzz_input.h"
#include "tools/captures.h"
#include "tools/codec_corpus.h"
#include "tools/ws_corpus.h"

namespace mqlab::tools {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  EXPECT_TRUE(file) << "cannot read " << path;
  return std::string((std::istreambuf_iterator<char>(file)),
                     std::istreambuf_iterator<char>());
}

std::set<std::string> FilesIn(const std::string& folder,
                              const std::string& extension) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() == extension) {
      names.insert(entry.path().filename().string());
    }
  }
  return names;
}

// The .bin files in `folder` are exactly `files`; else rerun `command`.
void ExpectCorpusIs(const std::string& folder,
                    const std::vector<CorpusFile>& files,
                    const std::string& command) {
  std::set<std::string> expected_names;
  for (const CorpusFile& file : files) {
    expected_names.insert(file.name);
    EXPECT_EQ(ReadFile(folder + "/" + file.name),
              std::string(file.bytes.begin(), file.bytes.end()))
        << file.name << " differs: " << command;
  }
  EXPECT_EQ(FilesIn(folder, ".bin"), expected_names) << command;
}

TEST(GeneratedFilesTest, CodecCorpusIsTheGeneratorsOutput) {
  ExpectCorpusIs("corpora/codec_raw", MakeCodecCorpus(),
                 "bazel run //tools:make_codec_corpus -- "
                 "\"$PWD/corpora/codec_raw\"");
}

TEST(GeneratedFilesTest, WebSocketCorporaAreTheGeneratorsOutput) {
  const std::string command =
      "bazel run //tools:make_ws_corpus -- \"$PWD/corpora\"";
  ExpectCorpusIs("corpora/ws_upgrade", MakeWsUpgradeCorpus(), command);
  ExpectCorpusIs("corpora/ws_frames", MakeWsFramesCorpus(), command);
}

TEST(GeneratedFilesTest, CodecCorpusHasEveryTypeAndVersion) {
  std::set<std::string> names;
  for (const CorpusFile& file : MakeCodecCorpus()) names.insert(file.name);
  for (const char* version : {"v311", "v5"}) {
    for (int type = 1; type <= 15; ++type) {
      if (type == 15 && std::string(version) == "v311") continue;
      std::string name(
          mqtt::PacketTypeName(static_cast<mqtt::PacketType>(type)));
      for (char& c : name) c = static_cast<char>(std::tolower(c));
      EXPECT_TRUE(names.contains(std::string(version) + "-" + name + "-1.bin"))
          << version << " " << name;
    }
  }
}

TEST(GeneratedFilesTest, CapturesAreTheGeneratorsOutput) {
  std::set<std::string> expected_names;
  for (const Capture& capture : MakeCaptures()) {
    expected_names.insert(capture.file_name);
    EXPECT_EQ(ReadFile("corpora/captures/" + capture.file_name),
              capture.hex_text)
        << capture.file_name
        << " differs: bazel run //tools:make_captures -- "
           "\"$PWD/corpora/captures\"";
  }
  EXPECT_EQ(FilesIn("corpora/captures", ".hex"), expected_names);
}

TEST(GeneratedFilesTest, StreamSplitterCoversTheStream) {
  const std::vector<uint8_t> stream(1000, 0x55);
  for (const uint8_t seed : {0, 1, 3, 255}) {
    mqtt::testing::StreamSplitter splitter(seed, stream);
    size_t total = 0;
    for (mqtt::Bytes chunk = splitter.Next(); !chunk.empty();
         chunk = splitter.Next()) {
      EXPECT_EQ(chunk.data(), stream.data() + total);
      if (seed != 0) {
        EXPECT_LE(chunk.size(), 2u * seed);
      }
      total += chunk.size();
    }
    EXPECT_EQ(total, stream.size());
  }
}

}  // namespace
}  // namespace mqlab::tools
