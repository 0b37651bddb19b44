#include "tools/codec_corpus.h"

#include <cctype>
#include <string_view>

#include "base/check.h"
#include "base/random.h"
#include "mqtt/encoder.h"
#include "mqtt/testing/codec_fuzz_input.h"
#include "mqtt/testing/packet_generator.h"
#include "tools/captures.h"
#include "tools/hex_text.h"

namespace mqlab::tools {
namespace {

using mqtt::Version;
using mqtt::testing::CodecFuzzInput;

constexpr int kFilesPerType = 2;

std::string Lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(c));
  return lower;
}

std::string VersionTag(Version version) {
  return version == Version::kV5 ? "v5" : "v311";
}

CorpusFile Make(std::string name, std::optional<Version> version,
                const std::vector<uint8_t>& stream, uint8_t split_seed = 0,
                bool small_maximum = false) {
  const CodecFuzzInput input{.version = version,
                             .small_maximum_packet_size = small_maximum,
                             .split_seed = split_seed,
                             .stream = stream};
  return {std::move(name) + ".bin", mqtt::testing::MakeCodecFuzzInput(input)};
}

std::vector<uint8_t> Hex(std::string_view hex) {
  absl::StatusOr<std::vector<uint8_t>> bytes = ParseHexText(hex, "corpus");
  MQLAB_CHECK(bytes.ok());
  return *std::move(bytes);
}

}  // namespace

std::vector<CorpusFile> MakeCodecCorpus() {
  std::vector<CorpusFile> files;
  // Every packet type of each version, decoded with that version.
  for (const Version version : {Version::kV311, Version::kV5}) {
    Random random =
        Random::Stream(1, "codec_raw corpus " + VersionTag(version));
    mqtt::testing::PacketStorage storage;
    mqtt::testing::PacketGenerator generator(&random, &storage,
                                             {.property_chance = 0.5});
    const int type_count = version == Version::kV5 ? 15 : 14;
    for (int type = 1; type <= type_count; ++type) {
      for (int i = 1; i <= kFilesPerType; ++i) {
        const mqtt::Packet packet =
            generator.Generate(static_cast<mqtt::PacketType>(type), version);
        std::vector<uint8_t> bytes;
        MQLAB_CHECK(mqtt::Encode(packet, version, &bytes));
        files.push_back(Make(VersionTag(version) + "-" +
                                 Lowercase(mqtt::PacketTypeName(
                                     static_cast<mqtt::PacketType>(type))) +
                                 "-" + std::to_string(i),
                             version, bytes));
      }
    }
  }
  // Whole sessions as a server reads them (version from the CONNECT), in one
  // piece and split.
  for (const Capture& capture : MakeCaptures()) {
    const std::vector<uint8_t> stream = Hex(capture.hex_text);
    const std::string name =
        "session-" + capture.file_name.substr(0, capture.file_name.find('.'));
    files.push_back(Make(name, std::nullopt, stream));
    files.push_back(Make(name + "-split", std::nullopt, stream, 3));
  }
  // Malformed inputs, one per family of rules.
  const struct {
    const char* name;
    std::optional<Version> version;
    const char* hex;
    bool small_maximum;
  } kMalformed[] = {
      {"malformed-v5-subscribe-flags", Version::kV5,
       "80 09 00 0A 00 00 03 61 2F 62 01", false},
      {"malformed-v311-publish-qos3", Version::kV311, "36 05 00 03 61 2F 62",
       false},
      {"malformed-v5-duplicate-property", Version::kV5,
       "30 0C 00 03 61 2F 62 06 03 00 00 03 00 00", false},
      {"malformed-v5-surrogate-topic", Version::kV5, "30 06 00 03 ED A0 80 00",
       false},
      {"malformed-v5-non-minimal-length", Version::kV5, "C0 80 00", false},
      {"malformed-mqtt31-connect", std::nullopt,
       "10 0E 00 06 4D 51 49 73 64 70 03 02 00 3C 00 00", false},
      {"malformed-pingreq-before-connect", std::nullopt, "C0 00", false},
      {"malformed-v5-subscribe-retain-handling-3", Version::kV5,
       "82 09 00 0A 00 00 03 61 2F 62 30", false},
      {"oversize-v5-publish", Version::kV5, "30 E8 07 00 03 61 2F 62", true},
  };
  for (const auto& bad : kMalformed) {
    files.push_back(
        Make(bad.name, bad.version, Hex(bad.hex), 0, bad.small_maximum));
  }
  return files;
}

}  // namespace mqlab::tools
