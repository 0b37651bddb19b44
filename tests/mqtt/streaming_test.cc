// The streaming decoder: any split of the input, many packets per buffer,
// oversize refusal before buffering, version learning and sticky errors.
#include <string>
#include <vector>

#include "base/random.h"
#include "gtest/gtest.h"
#include "mqtt/decoder.h"
#include "mqtt/encoder.h"
#include "mqtt/printer.h"
#include "tests/mqtt/codec_test_util.h"

namespace mqlab::mqtt {
namespace {

using testing::AsBytes;
using testing::EncodeOrDie;
using testing::Hex;

// A client's side of a v5 session as the server reads it.
struct Session {
  std::vector<Packet> packets;
  std::vector<uint8_t> bytes;
};

Session MakeSession(Version version) {
  static const Subscription kSubscriptions[] = {
      {"vehicles/+/position", {.maximum_qos = Qos::kAtLeastOnce}}};
  Session s;
  Connect connect{.version = version, .keep_alive = 30};
  connect.client_id = "vehicle01-session";
  connect.username = "vehicle01";
  s.packets.push_back(connect);
  s.packets.push_back(
      Subscribe{.packet_id = 1,
                .subscriptions = Subscriptions::FromList(kSubscriptions)});
  Publish publish{.qos = Qos::kAtLeastOnce, .packet_id = 2};
  publish.topic = "vehicles/vehicle01/position";
  publish.payload = AsBytes(R"({"type":"Point","coordinates":[7.6,51.9]})");
  if (version == Version::kV5)
    publish.properties.content_type = "application/json";
  s.packets.push_back(publish);
  s.packets.push_back(Puback{.packet_id = 9});
  s.packets.push_back(Pingreq{});
  s.packets.push_back(Disconnect{});
  for (const Packet& packet : s.packets) {
    const std::vector<uint8_t> bytes = EncodeOrDie(packet, version);
    s.bytes.insert(s.bytes.end(), bytes.begin(), bytes.end());
  }
  return s;
}

// Feeds `chunks` to a server's decoder (version unset) and returns the
// packets it produced, printed (their views die with the chunk).
std::vector<std::string> DecodeChunks(
    const std::vector<std::vector<uint8_t>>& chunks) {
  Decoder decoder;
  std::vector<std::string> printed;
  for (const std::vector<uint8_t>& chunk : chunks) {
    Bytes input = chunk;
    while (true) {
      Packet packet;
      DecodeError error;
      const Decoder::Status status = decoder.Next(&input, &packet, &error);
      if (status == Decoder::Status::kNeedMore) break;
      EXPECT_EQ(status, Decoder::Status::kPacket) << error.rule;
      if (status != Decoder::Status::kPacket) return printed;
      printed.push_back(PacketToString(packet));
    }
    EXPECT_TRUE(input.empty());
  }
  return printed;
}

std::vector<std::string> Printed(const std::vector<Packet>& packets) {
  std::vector<std::string> printed;
  for (const Packet& packet : packets)
    printed.push_back(PacketToString(packet));
  return printed;
}

class StreamingTest : public ::testing::TestWithParam<Version> {};

TEST_P(StreamingTest, ManyPacketsInOneBuffer) {
  const Session s = MakeSession(GetParam());
  EXPECT_EQ(DecodeChunks({s.bytes}), Printed(s.packets));
}

TEST_P(StreamingTest, EverySplitPointOfTheBuffer) {
  const Session s = MakeSession(GetParam());
  const std::vector<std::string> expected = Printed(s.packets);
  for (size_t split = 0; split <= s.bytes.size(); ++split) {
    const std::vector<uint8_t> first(s.bytes.begin(), s.bytes.begin() + split);
    const std::vector<uint8_t> second(s.bytes.begin() + split, s.bytes.end());
    EXPECT_EQ(DecodeChunks({first, second}), expected) << "split at " << split;
  }
}

TEST_P(StreamingTest, OneByteAtATime) {
  const Session s = MakeSession(GetParam());
  std::vector<std::vector<uint8_t>> chunks;
  for (const uint8_t byte : s.bytes) chunks.push_back({byte});
  EXPECT_EQ(DecodeChunks(chunks), Printed(s.packets));
}

TEST_P(StreamingTest, RandomChunks) {
  const Session s = MakeSession(GetParam());
  Random random(42);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::vector<uint8_t>> chunks;
    size_t at = 0;
    while (at < s.bytes.size()) {
      const size_t size =
          std::min<size_t>(1 + random.Below(40), s.bytes.size() - at);
      chunks.emplace_back(s.bytes.begin() + at, s.bytes.begin() + at + size);
      at += size;
    }
    EXPECT_EQ(DecodeChunks(chunks), Printed(s.packets)) << "round " << round;
  }
}

INSTANTIATE_TEST_SUITE_P(Versions, StreamingTest,
                         ::testing::Values(Version::kV311, Version::kV5),
                         [](const auto& info) {
                           return info.param == Version::kV5 ? "v5" : "v311";
                         });

TEST(StreamingTest, WholePacketsAreDecodedInPlace) {
  const Session s = MakeSession(Version::kV5);
  Decoder decoder;
  Bytes input = s.bytes;
  Packet packet;
  DecodeError error;
  while (decoder.Next(&input, &packet, &error) == Decoder::Status::kPacket) {
    if (const auto* publish = std::get_if<Publish>(&packet)) {
      EXPECT_GE(publish->payload.data(), s.bytes.data());
      EXPECT_LT(publish->payload.data(), s.bytes.data() + s.bytes.size());
      EXPECT_GE(publish->topic.data(),
                reinterpret_cast<const char*>(s.bytes.data()));
    }
  }
  EXPECT_EQ(decoder.stream_offset(), s.bytes.size());
}

// Oversize packets are refused as soon as the fixed header is complete: the
// body is never asked for, let alone buffered.
TEST(StreamingTest, OversizePacketIsRefusedBeforeItsBody) {
  Decoder decoder({.maximum_packet_size = 64, .version = Version::kV5});
  // PUBLISH announcing 1000 bytes of body: 30 E8 07.
  const std::vector<uint8_t> header = Hex("30 E8 07");
  Packet packet;
  DecodeError error;
  for (size_t i = 0; i < 2; ++i) {
    Bytes one(&header[i], 1);
    EXPECT_EQ(decoder.Next(&one, &packet, &error), Decoder::Status::kNeedMore);
  }
  Bytes last(&header[2], 1);
  EXPECT_EQ(decoder.Next(&last, &packet, &error), Decoder::Status::kError);
  EXPECT_EQ(error.reason_code, ReasonCode::kPacketTooLarge);
  EXPECT_EQ(error.offset, 0u);
  EXPECT_TRUE(error.rule.find("Maximum Packet Size") != std::string_view::npos);
}

TEST(StreamingTest, OversizePacketWholeInInputIsRefusedToo) {
  Decoder decoder({.maximum_packet_size = 10, .version = Version::kV311});
  const std::vector<uint8_t> bytes = Hex("30 0A 00 03 61 2F 62 01 02 03 04 05");
  Bytes input = bytes;
  Packet packet;
  DecodeError error;
  EXPECT_EQ(decoder.Next(&input, &packet, &error), Decoder::Status::kError);
  EXPECT_EQ(error.reason_code, ReasonCode::kPacketTooLarge);
}

TEST(StreamingTest, PacketOfExactlyTheMaximumIsAccepted) {
  Decoder decoder({.maximum_packet_size = 12, .version = Version::kV311});
  const std::vector<uint8_t> bytes = Hex("30 0A 00 03 61 2F 62 01 02 03 04 05");
  Bytes input = bytes;
  Packet packet;
  DecodeError error;
  EXPECT_EQ(decoder.Next(&input, &packet, &error), Decoder::Status::kPacket);
  EXPECT_EQ(decoder.last_packet_size(), 12u);
}

// [MQTT-3.1.0-1]: before a CONNECT, nothing else is decoded.
TEST(StreamingTest, Mqtt_3_1_0_1_FirstPacketMustBeConnect) {
  Decoder decoder;
  const std::vector<uint8_t> bytes = Hex("C0 00");
  Bytes input = bytes;
  Packet packet;
  DecodeError error;
  EXPECT_EQ(decoder.Next(&input, &packet, &error), Decoder::Status::kError);
  EXPECT_EQ(error.reason_code, ReasonCode::kProtocolError);
  EXPECT_TRUE(error.rule.starts_with("[MQTT-3.1.0-1]"));
}

TEST(StreamingTest, VersionIsLearnedFromConnect) {
  for (const Version version : {Version::kV311, Version::kV5}) {
    Decoder decoder;
    EXPECT_FALSE(decoder.version().has_value());
    const Session s = MakeSession(version);
    Bytes input = s.bytes;
    Packet packet;
    DecodeError error;
    ASSERT_EQ(decoder.Next(&input, &packet, &error), Decoder::Status::kPacket);
    EXPECT_EQ(decoder.version(), version);
  }
}

TEST(StreamingTest, Mqtt31IsRefusedAndTheVersionStaysUnknown) {
  Decoder decoder;
  const std::vector<uint8_t> bytes =
      Hex("10 0E 00 06 4D 51 49 73 64 70 03 02 00 3C 00 00");
  Bytes input = bytes;
  Packet packet;
  DecodeError error;
  EXPECT_EQ(decoder.Next(&input, &packet, &error), Decoder::Status::kError);
  EXPECT_EQ(error.reason_code, ReasonCode::kUnsupportedProtocolVersion);
  EXPECT_FALSE(decoder.version().has_value());
}

// [MQTT-1.5.5-1] for a CONNECT whose version is not known when its fixed
// header is read: checked once the Protocol Level says 5.
TEST(StreamingTest, Mqtt_1_5_5_1_NonMinimalLengthOfAVersion5Connect) {
  const std::vector<uint8_t> v5 =
      Hex("10 8D 00 00 04 4D 51 54 54 05 02 00 3C 00 00 00");
  const std::vector<uint8_t> v311 =
      Hex("10 8C 00 00 04 4D 51 54 54 04 02 00 3C 00 00");
  Packet packet;
  DecodeError error;
  Decoder v5_decoder;
  Bytes input = v5;
  EXPECT_EQ(v5_decoder.Next(&input, &packet, &error), Decoder::Status::kError);
  EXPECT_TRUE(error.rule.starts_with("[MQTT-1.5.5-1]"));
  EXPECT_EQ(error.offset, 1u);
  Decoder v311_decoder;
  input = v311;
  EXPECT_EQ(v311_decoder.Next(&input, &packet, &error),
            Decoder::Status::kPacket);
}

TEST(StreamingTest, ErrorOffsetsCountFromTheStreamStartAndErrorsStick) {
  std::vector<uint8_t> bytes = MakeSession(Version::kV311).bytes;
  const size_t bad_at = bytes.size();
  const std::vector<uint8_t> bad = Hex("30 05 00 03 61 2F 23");  // "a/#".
  bytes.insert(bytes.end(), bad.begin(), bad.end());
  Decoder decoder;
  Bytes input = bytes;
  Packet packet;
  DecodeError error;
  Decoder::Status status;
  while ((status = decoder.Next(&input, &packet, &error)) ==
         Decoder::Status::kPacket) {
  }
  ASSERT_EQ(status, Decoder::Status::kError);
  EXPECT_EQ(error.offset, bad_at + 2);
  EXPECT_TRUE(error.rule.starts_with("[MQTT-3.3.2-2]"));
  const std::vector<uint8_t> more = Hex("C0 00");
  Bytes next = more;
  DecodeError again;
  EXPECT_EQ(decoder.Next(&next, &packet, &again), Decoder::Status::kError);
  EXPECT_EQ(again.offset, error.offset);
  EXPECT_EQ(again.rule, error.rule);
}

TEST(StreamingTest, EmptyInputNeedsMore) {
  Decoder decoder;
  Bytes input;
  Packet packet;
  DecodeError error;
  EXPECT_EQ(decoder.Next(&input, &packet, &error), Decoder::Status::kNeedMore);
}

}  // namespace
}  // namespace mqlab::mqtt
