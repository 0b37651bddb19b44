// Property test: random valid packets of every type and both versions
// encode, decode back to an equal packet, and re-encode to the same bytes.
#include <vector>

#include "base/random.h"
#include "gtest/gtest.h"
#include "mqtt/decoder.h"
#include "mqtt/encoder.h"
#include "mqtt/printer.h"
#include "mqtt/testing/packet_generator.h"

namespace mqlab::mqtt {
namespace {

constexpr int kPacketsPerType = 400;

struct Case {
  PacketType type;
  Version version;
};

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (const Version version : {Version::kV311, Version::kV5}) {
    for (int type = 1; type <= 15; ++type) {
      if (type == 15 && version == Version::kV311) continue;
      cases.push_back({static_cast<PacketType>(type), version});
    }
  }
  return cases;
}

class RoundTripTest : public ::testing::TestWithParam<Case> {};

TEST_P(RoundTripTest, DecodeOfEncodeIsIdentity) {
  const auto [type, version] = GetParam();
  Random random =
      Random::Stream(2024, std::string(PacketTypeName(type)) +
                               (version == Version::kV5 ? "/5" : "/3.1.1"));
  testing::PacketStorage storage;
  testing::PacketGenerator generator(&random, &storage);
  for (int i = 0; i < kPacketsPerType; ++i) {
    const Packet packet = generator.Generate(type, version);
    std::vector<uint8_t> bytes;
    ASSERT_TRUE(Encode(packet, version, &bytes)) << PacketToString(packet);
    ASSERT_EQ(EncodedSize(packet, version), bytes.size());
    Packet decoded;
    DecodeError error;
    ASSERT_EQ(DecodePacket(bytes, version, &decoded, &error),
              Decoder::Status::kPacket)
        << "offset " << error.offset << ": " << error.rule << "\n"
        << PacketToString(packet);
    ASSERT_EQ(decoded, packet);
    std::vector<uint8_t> again;
    ASSERT_TRUE(Encode(decoded, version, &again));
    ASSERT_EQ(again, bytes);
  }
}

INSTANTIATE_TEST_SUITE_P(EveryTypeAndVersion, RoundTripTest,
                         ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::string(PacketTypeName(info.param.type)) +
                                  (info.param.version == Version::kV5
                                       ? "_v5"
                                       : "_v311");
                         });

// A stream of random packets fed in random chunks to one decoder.
TEST(RoundTripStreamTest, RandomPacketsInRandomChunks) {
  for (const Version version : {Version::kV311, Version::kV5}) {
    Random random(7 + static_cast<int>(version));
    testing::PacketStorage storage;
    testing::PacketGenerator generator(&random, &storage);
    std::vector<Packet> packets;
    std::vector<uint8_t> stream;
    for (int i = 0; i < 500; ++i) {
      packets.push_back(generator.Generate(version));
      ASSERT_TRUE(Encode(packets.back(), version, &stream));
    }
    Decoder decoder({.version = version});
    size_t at = 0;
    size_t next_packet = 0;
    while (at < stream.size()) {
      const size_t size =
          std::min<size_t>(1 + random.Below(300), stream.size() - at);
      Bytes input(stream.data() + at, size);
      at += size;
      Packet packet;
      DecodeError error;
      Decoder::Status status;
      while ((status = decoder.Next(&input, &packet, &error)) ==
             Decoder::Status::kPacket) {
        ASSERT_LT(next_packet, packets.size());
        ASSERT_EQ(packet, packets[next_packet]);
        ++next_packet;
      }
      ASSERT_EQ(status, Decoder::Status::kNeedMore) << error.rule;
    }
    EXPECT_EQ(next_packet, packets.size());
  }
}

}  // namespace
}  // namespace mqlab::mqtt
