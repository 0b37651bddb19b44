// What the encoder writes beyond the round trip: 3.1.1 mappings, refusals,
// appending, and the PUBLISH header for scatter/gather sends.
#include "mqtt/encoder.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/mqtt/codec_test_util.h"

namespace mqlab::mqtt {
namespace {

using testing::AsBytes;
using testing::EncodeOrDie;
using testing::Hex;

TEST(EncoderTest, Suback311WritesEveryFailureAs0x80) {
  const uint8_t codes[] = {0x01, 0x87, 0x9E, 0x02};
  EXPECT_EQ(EncodeOrDie(Suback{.packet_id = 1, .reason_codes = codes},
                        Version::kV311),
            Hex("90 06 00 01 01 80 80 02"));
}

TEST(EncoderTest, Connack311UsesTheMappedReturnCode) {
  EXPECT_EQ(EncodeOrDie(Connack{.reason_code = ReasonCode::kServerBusy},
                        Version::kV311),
            Hex("20 02 00 03"));
  EXPECT_EQ(EncodeOrDie(
                Connack{.reason_code = ReasonCode::kUnsupportedProtocolVersion},
                Version::kV311),
            Hex("20 02 00 01"));
}

TEST(EncoderTest, RefusesWhatTheWireCannotExpress) {
  std::vector<uint8_t> out = {0xAA};
  // A 3.1.1 CONNACK code that 3.1.1 lacks.
  EXPECT_FALSE(Encode(Connack{.reason_code = ReasonCode::kQuotaExceeded},
                      Version::kV311, &out));
  EXPECT_EQ(EncodedSize(Connack{.reason_code = ReasonCode::kQuotaExceeded},
                        Version::kV311),
            std::nullopt);
  // AUTH in 3.1.1.
  EXPECT_FALSE(Encode(Auth{}, Version::kV311, &out));
  // A string longer than 65,535 bytes.
  const std::string long_topic(65'536, 'a');
  Publish publish;
  publish.topic = long_topic;
  EXPECT_FALSE(Encode(publish, Version::kV5, &out));
  // A Subscription Identifier over 268,435,455.
  const uint32_t too_big[] = {268'435'456};
  Publish with_identifier;
  with_identifier.topic = "t";
  with_identifier.properties.subscription_identifiers =
      SubscriptionIdentifiers::FromList(too_big);
  EXPECT_FALSE(Encode(with_identifier, Version::kV5, &out));
  // Nothing was appended.
  EXPECT_EQ(out, std::vector<uint8_t>{0xAA});
}

TEST(EncoderTest, AppendsAfterExistingBytes) {
  std::vector<uint8_t> out;
  ASSERT_TRUE(Encode(Pingreq{}, Version::kV5, &out));
  ASSERT_TRUE(Encode(Pingresp{}, Version::kV5, &out));
  EXPECT_EQ(out, Hex("C0 00 D0 00"));
}

TEST(EncoderTest, Version311LeavesOutWhatItHasNoFieldFor) {
  Publish publish;
  publish.topic = "a";
  publish.properties.content_type = "text/plain";
  EXPECT_EQ(EncodeOrDie(publish, Version::kV311), Hex("30 03 00 01 61"));
  EXPECT_EQ(EncodeOrDie(Puback{.packet_id = 2,
                               .reason_code = ReasonCode::kNotAuthorized},
                        Version::kV311),
            Hex("40 02 00 02"));
  EXPECT_EQ(
      EncodeOrDie(Disconnect{.reason_code = ReasonCode::kServerShuttingDown},
                  Version::kV311),
      Hex("E0 00"));
}

TEST(EncoderTest, ConnectProtocolLevelIsTheEncodingVersion) {
  Connect connect{.version = Version::kV5};
  connect.client_id = "c";
  EXPECT_EQ(EncodeOrDie(connect, Version::kV311),
            Hex("10 0D 00 04 4D 51 54 54 04 02 00 00 00 01 63"));
}

TEST(EncoderTest, PublishHeaderPlusPayloadIsThePacket) {
  for (const Version version : {Version::kV311, Version::kV5}) {
    const std::string payload(70'000, 'x');  // A 3-byte Remaining Length.
    Publish publish{.qos = Qos::kAtLeastOnce, .packet_id = 5};
    publish.topic = "vehicles/vehicle01/position";
    publish.payload = AsBytes(payload);
    if (version == Version::kV5)
      publish.properties.message_expiry_interval = 60;
    std::vector<uint8_t> header;
    ASSERT_TRUE(EncodePublishHeader(publish, version, &header));
    std::vector<uint8_t> gathered = header;
    gathered.insert(gathered.end(), payload.begin(), payload.end());
    EXPECT_EQ(gathered, EncodeOrDie(publish, version));
  }
}

}  // namespace
}  // namespace mqlab::mqtt
