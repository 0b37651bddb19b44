// Each packet type in both versions: known bytes decode to the expected
// fields, and the fields encode back to the same bytes. The CONNECT cases are
// the specifications' own examples (3.1.1 section 3.1.2.10, 5.0 section
// 3.1.2.12) completed with a payload.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "mqtt/decoder.h"
#include "mqtt/encoder.h"
#include "mqtt/printer.h"
#include "tests/mqtt/codec_test_util.h"

namespace mqlab::mqtt {
namespace {

using testing::AsBytes;
using testing::DecodeOrDie;
using testing::EncodeOrDie;
using testing::Hex;

std::string Text(Bytes bytes) {
  return std::string(bytes.begin(), bytes.end());
}

// Decodes `hex`, checks that it equals `expected` and encodes back to `hex`.
void ExpectWireForm(const Packet& expected, Version version,
                    std::string_view hex) {
  const std::vector<uint8_t> bytes = Hex(hex);
  EXPECT_EQ(DecodeOrDie(bytes, version), expected);
  EXPECT_EQ(EncodeOrDie(expected, version), bytes) << PacketToString(expected);
  EXPECT_EQ(EncodedSize(expected, version), bytes.size());
}

TEST(PacketExamplesTest, Connect311SpecificationExample) {
  // Variable header of 3.1.1 section 3.1.2.10: level 4, flags 0xCE (user
  // name, password, Will QoS 1, Will, Clean Session), Keep Alive 10.
  const std::vector<uint8_t> bytes =
      Hex("10 1C 00 04 4D 51 54 54 04 CE 00 0A"
          "00 02 63 31  00 01 77  00 03 62 79 65  00 01 75  00 01 70");
  const Packet packet = DecodeOrDie(bytes, Version::kV311);
  const Connect& c = std::get<Connect>(packet);
  EXPECT_EQ(c.version, Version::kV311);
  EXPECT_TRUE(c.clean_start);
  EXPECT_EQ(c.keep_alive, 10);
  EXPECT_EQ(c.client_id, "c1");
  ASSERT_TRUE(c.will.has_value());
  EXPECT_EQ(c.will->qos, Qos::kAtLeastOnce);
  EXPECT_FALSE(c.will->retain);
  EXPECT_EQ(c.will->topic, "w");
  EXPECT_EQ(Text(c.will->payload), "bye");
  EXPECT_EQ(c.username, "u");
  ASSERT_TRUE(c.password.has_value());
  EXPECT_EQ(Text(*c.password), "p");
  EXPECT_EQ(EncodeOrDie(packet, Version::kV311), bytes);
}

TEST(PacketExamplesTest, Connect5SpecificationExample) {
  // Variable header of 5.0 section 3.1.2.12: level 5, flags 0xCE, Keep Alive
  // 10, Session Expiry Interval 10.
  const std::vector<uint8_t> bytes =
      Hex("10 23 00 04 4D 51 54 54 05 CE 00 0A 05 11 00 00 00 0A"
          "00 02 63 31  00  00 01 77  00 03 62 79 65  00 01 75  00 01 70");
  const Packet packet = DecodeOrDie(bytes, Version::kV5);
  const Connect& c = std::get<Connect>(packet);
  EXPECT_EQ(c.version, Version::kV5);
  EXPECT_EQ(c.keep_alive, 10);
  EXPECT_EQ(c.properties.session_expiry_interval, 10u);
  EXPECT_EQ(c.client_id, "c1");
  ASSERT_TRUE(c.will.has_value());
  EXPECT_EQ(c.will->properties, Properties{});
  EXPECT_EQ(c.will->qos, Qos::kAtLeastOnce);
  EXPECT_EQ(c.username, "u");
  EXPECT_EQ(EncodeOrDie(packet, Version::kV5), bytes);
}

TEST(PacketExamplesTest, Connack) {
  ExpectWireForm(Connack{.session_present = true}, Version::kV311,
                 "20 02 01 00");
  ExpectWireForm(Connack{.reason_code = ReasonCode::kNotAuthorized},
                 Version::kV311, "20 02 00 05");
  ExpectWireForm(Connack{}, Version::kV5, "20 03 00 00 00");
  Connack event_grid;
  event_grid.properties.session_expiry_interval = 3600;
  event_grid.properties.maximum_qos = 1;
  event_grid.properties.retain_available = 0;
  event_grid.properties.maximum_packet_size = 512 * 1024;
  event_grid.properties.topic_alias_maximum = 10;
  ExpectWireForm(event_grid, Version::kV5,
                 "20 14 00 00 11 11 00 00 0E 10 22 00 0A 24 01 25 00"
                 "27 00 08 00 00");
}

TEST(PacketExamplesTest, Connack311ReturnCodesMapToReasonCodes) {
  for (uint8_t code = 0; code <= 5; ++code) {
    const std::vector<uint8_t> bytes = {0x20, 0x02, 0x00, code};
    const Packet packet = DecodeOrDie(bytes, Version::kV311);
    const ReasonCode reason = std::get<Connack>(packet).reason_code;
    EXPECT_EQ(ToConnectReturnCode(reason),
              static_cast<ConnectReturnCode>(code));
    EXPECT_EQ(EncodeOrDie(packet, Version::kV311), bytes);
  }
}

TEST(PacketExamplesTest, Publish) {
  Publish qos0;
  qos0.topic = "a/b";
  qos0.payload = AsBytes("hi");
  ExpectWireForm(qos0, Version::kV311, "30 07 00 03 61 2F 62 68 69");
  ExpectWireForm(qos0, Version::kV5, "30 08 00 03 61 2F 62 00 68 69");

  Publish qos1 = qos0;
  qos1.qos = Qos::kAtLeastOnce;
  qos1.dup = true;
  qos1.retain = true;
  qos1.packet_id = 10;
  qos1.properties.content_type = "t";
  ExpectWireForm(qos1, Version::kV5,
                 "3B 0E 00 03 61 2F 62 00 0A 04 03 00 01 74 68 69");

  Publish alias;
  alias.qos = Qos::kExactlyOnce;
  alias.packet_id = 1;
  alias.properties.topic_alias = 3;
  ExpectWireForm(alias, Version::kV5, "34 08 00 00 00 01 03 23 00 03");
}

TEST(PacketExamplesTest, PublishUserPropertiesKeepTheirOrder) {
  const UserProperty list[] = {{"b", "2"}, {"a", "1"}, {"b", "3"}};
  Publish p;
  p.topic = "t";
  p.properties.user_properties = UserProperties::FromList(list);
  const std::vector<uint8_t> bytes = EncodeOrDie(p, Version::kV5);
  const Packet decoded = DecodeOrDie(bytes, Version::kV5);
  const UserProperties& got =
      std::get<Publish>(decoded).properties.user_properties;
  EXPECT_EQ(std::vector<UserProperty>(got.begin(), got.end()),
            std::vector<UserProperty>(std::begin(list), std::end(list)));
}

TEST(PacketExamplesTest, PublishResponses) {
  ExpectWireForm(Puback{.packet_id = 10}, Version::kV311, "40 02 00 0A");
  ExpectWireForm(Pubrec{.packet_id = 10}, Version::kV311, "50 02 00 0A");
  ExpectWireForm(Pubrel{.packet_id = 10}, Version::kV311, "62 02 00 0A");
  ExpectWireForm(Pubcomp{.packet_id = 10}, Version::kV311, "70 02 00 0A");
  // 5.0 short form: Success and no properties.
  ExpectWireForm(Puback{.packet_id = 10}, Version::kV5, "40 02 00 0A");
  ExpectWireForm(Pubcomp{.packet_id = 10}, Version::kV5, "70 02 00 0A");
  // A reason code without properties leaves out the Property Length.
  ExpectWireForm(Puback{10, ReasonCode::kNoMatchingSubscribers, {}},
                 Version::kV5, "40 03 00 0A 10");
  ExpectWireForm(Pubrel{10, ReasonCode::kPacketIdentifierNotFound, {}},
                 Version::kV5, "62 03 00 0A 92");
  Pubrec with_reason{10, ReasonCode::kNotAuthorized, {}};
  with_reason.properties.reason_string = "x";
  ExpectWireForm(with_reason, Version::kV5, "50 08 00 0A 87 04 1F 00 01 78");
}

TEST(PacketExamplesTest, PublishResponseLongFormsDecodeToTheShortOnes) {
  // Success spelled out, with and without an empty property block.
  EXPECT_EQ(DecodeOrDie(Hex("40 03 00 0A 00"), Version::kV5),
            Packet(Puback{.packet_id = 10}));
  EXPECT_EQ(DecodeOrDie(Hex("40 04 00 0A 00 00"), Version::kV5),
            Packet(Puback{.packet_id = 10}));
  EXPECT_EQ(DecodeOrDie(Hex("E0 02 00 00"), Version::kV5),
            Packet(Disconnect{}));
}

TEST(PacketExamplesTest, Subscribe) {
  const Subscription v311_list[] = {
      {"a/b", {.maximum_qos = Qos::kAtLeastOnce}},
      {"c/d", {.maximum_qos = Qos::kExactlyOnce}}};
  // 3.1.1 section 3.8.3.1's example.
  ExpectWireForm(Subscribe{.packet_id = 10,
                           .subscriptions = Subscriptions::FromList(v311_list)},
                 Version::kV311,
                 "82 0E 00 0A 00 03 61 2F 62 01 00 03 63 2F 64 02");
  const Subscription v5_list[] = {
      {"a/b",
       {Qos::kAtLeastOnce, /*no_local=*/true, /*retain_as_published=*/true,
        /*retain_handling=*/1}},
      {"c/d", {.maximum_qos = Qos::kExactlyOnce}}};
  const uint32_t identifier[] = {5};
  Subscribe v5{.packet_id = 10,
               .subscriptions = Subscriptions::FromList(v5_list)};
  v5.properties.subscription_identifiers =
      SubscriptionIdentifiers::FromList(identifier);
  ExpectWireForm(v5, Version::kV5,
                 "82 11 00 0A 02 0B 05 00 03 61 2F 62 1D 00 03 63 2F 64 02");
}

TEST(PacketExamplesTest, Suback) {
  const uint8_t v311_codes[] = {0x01, 0x80};
  ExpectWireForm(Suback{.packet_id = 10, .reason_codes = v311_codes},
                 Version::kV311, "90 04 00 0A 01 80");
  const uint8_t v5_codes[] = {0x00, 0x87, 0x9E};
  ExpectWireForm(Suback{.packet_id = 10, .reason_codes = v5_codes},
                 Version::kV5, "90 06 00 0A 00 00 87 9E");
}

TEST(PacketExamplesTest, Unsubscribe) {
  const std::string_view filters[] = {"a/b", "c/#"};
  const Unsubscribe u{.packet_id = 11,
                      .topic_filters = TopicFilters::FromList(filters)};
  ExpectWireForm(u, Version::kV311,
                 "A2 0C 00 0B 00 03 61 2F 62 00 03 63 2F 23");
  ExpectWireForm(u, Version::kV5,
                 "A2 0D 00 0B 00 00 03 61 2F 62 00 03 63 2F 23");
}

TEST(PacketExamplesTest, Unsuback) {
  ExpectWireForm(Unsuback{.packet_id = 11}, Version::kV311, "B0 02 00 0B");
  const uint8_t codes[] = {0x00, 0x11};
  ExpectWireForm(Unsuback{.packet_id = 11, .reason_codes = codes}, Version::kV5,
                 "B0 05 00 0B 00 00 11");
}

TEST(PacketExamplesTest, PingAndDisconnect) {
  for (const Version version : {Version::kV311, Version::kV5}) {
    ExpectWireForm(Pingreq{}, version, "C0 00");
    ExpectWireForm(Pingresp{}, version, "D0 00");
    ExpectWireForm(Disconnect{}, version, "E0 00");
  }
  ExpectWireForm(Disconnect{.reason_code = ReasonCode::kSessionTakenOver},
                 Version::kV5, "E0 01 8E");
  Disconnect with_properties{.reason_code = ReasonCode::kServerShuttingDown};
  with_properties.properties.session_expiry_interval = 0;
  ExpectWireForm(with_properties, Version::kV5, "E0 07 8B 05 11 00 00 00 00");
}

TEST(PacketExamplesTest, Auth) {
  ExpectWireForm(Auth{}, Version::kV5, "F0 00");
  Auth continue_auth{.reason_code = ReasonCode::kContinueAuthentication};
  continue_auth.properties.authentication_method = "m";
  continue_auth.properties.authentication_data = AsBytes("d");
  ExpectWireForm(continue_auth, Version::kV5,
                 "F0 0A 18 08 15 00 01 6D 16 00 01 64");
}

}  // namespace
}  // namespace mqlab::mqtt
