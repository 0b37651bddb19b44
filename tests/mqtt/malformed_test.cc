// One or more negative tests per format rule of MQTT 5.0 and 3.1.1: each
// case names the normative statement (or section) it breaks, the reason code
// the decoder must give, and the start of the rule text it must cite.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "mqtt/decoder.h"
#include "tests/mqtt/codec_test_util.h"

namespace mqlab::mqtt {
namespace {

using testing::Hex;

constexpr Version k5 = Version::kV5;
constexpr Version k311 = Version::kV311;
constexpr ReasonCode kMalformed = ReasonCode::kMalformedPacket;
constexpr ReasonCode kProtocol = ReasonCode::kProtocolError;
constexpr ReasonCode kVersion = ReasonCode::kUnsupportedProtocolVersion;

struct BadPacket {
  const char* name;  // The test's name: statement id and what is wrong.
  Version version;
  const char* hex;
  ReasonCode reason_code;
  const char* rule_prefix;
  uint64_t offset = 0;
};

void PrintTo(const BadPacket& bad, std::ostream* os) { *os << bad.name; }

const BadPacket kBadPackets[] = {
    // Fixed header: type and flags.
    {"Mqtt_2_1_2_PacketType0IsReserved", k5, "00 00", kMalformed,
     "[MQTT 5.0 2.1.2]"},
    {"Mqtt311_2_2_1_PacketType15IsReserved", k311, "F0 00", kMalformed,
     "[MQTT 3.1.1 2.2.1]"},
    {"Mqtt_3_8_1_1_SubscribeFlagsMustBe0010", k5,
     "80 09 00 0A 00 00 03 61 2F 62 01", kMalformed, "[MQTT-3.8.1-1]"},
    {"Mqtt_3_8_1_1_SubscribeFlagsMustBe0010_v311", k311,
     "83 08 00 0A 00 03 61 2F 62 01", kMalformed, "[MQTT-3.8.1-1]"},
    {"Mqtt_3_10_1_1_UnsubscribeFlagsMustBe0010", k311,
     "A0 07 00 0B 00 03 61 2F 62", kMalformed, "[MQTT-3.10.1-1]"},
    {"Mqtt_3_6_1_1_PubrelFlagsMustBe0010", k5, "60 02 00 0A", kMalformed,
     "[MQTT-3.6.1-1]"},
    {"Mqtt_2_1_3_1_PubackFlagsReserved", k5, "41 02 00 0A", kMalformed,
     "[MQTT-2.1.3-1]"},
    {"Mqtt311_2_2_2_1_PingreqFlagsReserved", k311, "C8 00", kMalformed,
     "[MQTT-2.2.2-1]"},
    {"Mqtt_3_14_1_1_DisconnectFlagsReserved", k5, "E1 00", kMalformed,
     "[MQTT-3.14.1-1]"},
    {"Mqtt_3_15_1_1_AuthFlagsReserved", k5, "F4 00", kMalformed,
     "[MQTT-3.15.1-1]"},
    {"Mqtt_3_3_1_4_PublishQos3", k5, "36 05 00 03 61 2F 62", kMalformed,
     "[MQTT-3.3.1-4]"},
    {"Mqtt_3_3_1_4_PublishQos3_v311", k311, "36 05 00 03 61 2F 62", kMalformed,
     "[MQTT-3.3.1-4]"},
    {"Mqtt_3_3_1_2_DupWithQos0", k5, "38 06 00 03 61 2F 62 00", kMalformed,
     "[MQTT-3.3.1-2]"},
    // Remaining Length.
    {"Mqtt_1_5_5_RemainingLengthOver4Bytes", k311, "30 FF FF FF FF 7F",
     kMalformed, "[MQTT 5.0 1.5.5]", 1},
    {"Mqtt_1_5_5_1_NonMinimalRemainingLength", k5, "C0 80 00", kMalformed,
     "[MQTT-1.5.5-1]", 1},
    {"Mqtt_2_1_4_FieldRunsPastRemainingLength", k5, "30 02 00 03", kMalformed,
     "[MQTT 5.0 2.1.4]", 4},
    {"Mqtt_2_1_4_BytesLeftAfterLastField", k311, "40 03 00 0A 00", kMalformed,
     "[MQTT 5.0 2.1.4]", 4},
    // UTF-8 strings.
    {"Mqtt_1_5_4_1_SurrogateInTopic", k5, "30 06 00 03 ED A0 80 00", kMalformed,
     "[MQTT-1.5.4-1]", 2},
    {"Mqtt311_1_5_3_1_SurrogateInTopic", k311, "30 05 00 03 ED A0 80",
     kMalformed, "[MQTT-1.5.3-1]", 2},
    {"Mqtt_1_5_4_1_OverlongInClientId", k5,
     "10 0F 00 04 4D 51 54 54 05 02 00 3C 00 00 02 C0 AF", kMalformed,
     "[MQTT-1.5.4-1]", 13},
    {"Mqtt_1_5_4_2_NullInTopic", k5, "30 06 00 03 61 00 62 00", kMalformed,
     "[MQTT-1.5.4-2]"},
    {"Mqtt311_1_5_3_2_NullInTopic", k311, "30 05 00 03 61 00 62", kMalformed,
     "[MQTT-1.5.3-2]"},
    // Topic names and filters.
    {"Mqtt_3_3_2_2_WildcardInTopicName", k311, "30 05 00 03 61 2F 23",
     kMalformed, "[MQTT-3.3.2-2]"},
    {"Mqtt_3_3_2_2_WildcardInWillTopic", k311,
     "10 11 00 04 4D 51 54 54 04 06 00 3C 00 00 00 01 23 00 00", kMalformed,
     "[MQTT-3.3.2-2]", 14},
    {"Mqtt_4_7_3_1_EmptyTopicName_v311", k311, "30 02 00 00", kMalformed,
     "[MQTT-4.7.3-1]"},
    {"Mqtt5_3_3_2_3_4_EmptyTopicWithoutAlias", k5, "30 03 00 00 00", kProtocol,
     "[MQTT 5.0 3.3.2.3.4]"},
    {"Mqtt_4_7_1_1_HashNotLast", k311, "82 07 00 0A 00 02 23 61 01", kMalformed,
     "[MQTT-4.7.1-1]", 4},
    {"Mqtt_4_7_1_2_PlusNotWholeLevel", k5, "A2 07 00 0A 00 00 02 61 2B",
     kMalformed, "[MQTT-4.7.1-2]", 5},
    {"Mqtt_4_7_3_1_EmptyTopicFilter", k311, "82 05 00 0A 00 00 01", kMalformed,
     "[MQTT-4.7.3-1]"},
    {"Mqtt_4_8_2_1_EmptyShareName", k5,
     "82 0F 00 0A 00 00 09 24 73 68 61 72 65 2F 2F 61 00", kMalformed,
     "[MQTT-4.8.2-1]"},
    // Packet identifiers.
    {"Mqtt_2_2_1_3_ZeroPacketIdInPublish", k5, "32 08 00 03 61 2F 62 00 00 00",
     kProtocol, "[MQTT-2.2.1-3]", 7},
    {"Mqtt311_2_3_1_1_ZeroPacketIdInSubscribe", k311,
     "82 08 00 00 00 03 61 2F 62 01", kProtocol, "[MQTT-2.3.1-1]"},
    {"Mqtt311_2_3_1_1_ZeroPacketIdInPuback", k311, "40 02 00 00", kProtocol,
     "[MQTT-2.3.1-1]"},
    // SUBSCRIBE payload.
    {"Mqtt_3_8_3_2_SubscribeWithoutFilters", k5, "82 03 00 0A 00", kProtocol,
     "[MQTT-3.8.3-2]"},
    {"Mqtt311_3_8_3_3_SubscribeWithoutFilters", k311, "82 02 00 0A", kProtocol,
     "[MQTT-3.8.3-3]"},
    {"Mqtt_3_8_3_5_SubscriptionOptionsReservedBits", k5,
     "82 09 00 0A 00 00 03 61 2F 62 C1", kMalformed, "[MQTT-3.8.3-5]", 10},
    {"Mqtt311_3_8_3_4_RequestedQosReservedBits", k311,
     "82 08 00 0A 00 03 61 2F 62 04", kMalformed, "[MQTT-3-8.3-4]", 9},
    {"Mqtt311_3_8_3_4_RequestedQos3", k311, "82 08 00 0A 00 03 61 2F 62 03",
     kMalformed, "[MQTT-3-8.3-4]"},
    {"Mqtt5_3_8_3_1_MaximumQos3", k5, "82 09 00 0A 00 00 03 61 2F 62 03",
     kProtocol, "[MQTT 5.0 3.8.3.1]"},
    {"Mqtt5_3_8_3_1_RetainHandling3", k5, "82 09 00 0A 00 00 03 61 2F 62 30",
     kProtocol, "[MQTT 5.0 3.8.3.1] Retain Handling"},
    {"Mqtt_3_8_3_4_NoLocalOnSharedSubscription", k5,
     "82 10 00 0A 00 00 0A 24 73 68 61 72 65 2F 67 2F 61 04", kProtocol,
     "[MQTT-3.8.3-4]"},
    {"Mqtt_3_10_3_2_UnsubscribeWithoutFilters", k311, "A2 02 00 0A", kProtocol,
     "[MQTT-3.10.3-2]"},
    {"Mqtt_3_10_3_2_UnsubscribeWithoutFilters_v5", k5, "A2 03 00 0A 00",
     kProtocol, "[MQTT-3.10.3-2]"},
    // CONNECT.
    {"Mqtt_3_1_2_1_ProtocolNameMustBeMqtt", k311,
     "10 0C 00 04 4D 51 54 58 04 02 00 3C 00 00", kVersion, "[MQTT-3.1.2-1]",
     2},
    {"Mqtt_3_1_2_1_Mqtt31IsRefused", k311,
     "10 0E 00 06 4D 51 49 73 64 70 03 02 00 3C 00 00", kVersion,
     "[MQTT-3.1.2-1] MQTT 3.1"},
    {"Mqtt_3_1_2_2_UnsupportedProtocolLevel", k5,
     "10 0C 00 04 4D 51 54 54 06 02 00 3C 00 00", kVersion, "[MQTT-3.1.2-2]",
     8},
    {"Mqtt_3_1_2_3_ConnectReservedFlag", k311,
     "10 0C 00 04 4D 51 54 54 04 03 00 3C 00 00", kMalformed, "[MQTT-3.1.2-3]",
     9},
    {"Mqtt_3_1_2_11_WillQosWithoutWillFlag", k5,
     "10 0D 00 04 4D 51 54 54 05 0A 00 3C 00 00 00", kMalformed,
     "[MQTT-3.1.2-11]"},
    {"Mqtt311_3_1_2_13_WillQosWithoutWillFlag", k311,
     "10 0C 00 04 4D 51 54 54 04 0A 00 3C 00 00", kMalformed,
     "[MQTT-3.1.2-13]"},
    {"Mqtt_3_1_2_12_WillQos3", k5,
     "10 0D 00 04 4D 51 54 54 05 1E 00 3C 00 00 00", kMalformed,
     "[MQTT-3.1.2-12]"},
    {"Mqtt311_3_1_2_14_WillQos3", k311,
     "10 0C 00 04 4D 51 54 54 04 1E 00 3C 00 00", kMalformed,
     "[MQTT-3.1.2-14]"},
    {"Mqtt_3_1_2_13_WillRetainWithoutWillFlag", k5,
     "10 0D 00 04 4D 51 54 54 05 22 00 3C 00 00 00", kMalformed,
     "[MQTT-3.1.2-13]"},
    {"Mqtt311_3_1_2_15_WillRetainWithoutWillFlag", k311,
     "10 0C 00 04 4D 51 54 54 04 22 00 3C 00 00", kMalformed,
     "[MQTT-3.1.2-15]"},
    {"Mqtt311_3_1_2_22_PasswordWithoutUserName", k311,
     "10 0F 00 04 4D 51 54 54 04 42 00 3C 00 00 00 01 70", kMalformed,
     "[MQTT-3.1.2-22]", 9},
    // Properties.
    {"Mqtt5_2_2_2_2_PropertyNotAllowedInPacket", k5,
     "30 0B 00 03 61 2F 62 05 11 00 00 00 0A", kMalformed,
     "[MQTT 5.0 2.2.2.2] this property is not allowed", 8},
    {"Mqtt5_2_2_2_2_WillDelayOnlyInWillProperties", k5,
     "10 12 00 04 4D 51 54 54 05 02 00 3C 05 18 00 00 00 0A 00 00", kMalformed,
     "[MQTT 5.0 2.2.2.2] this property is not allowed", 13},
    {"Mqtt5_2_2_2_2_UnknownPropertyIdentifier", k5,
     "30 07 00 03 61 2F 62 01 7F", kMalformed,
     "[MQTT 5.0 2.2.2.2] the byte is not a property identifier", 8},
    {"Mqtt5_2_2_2_2_DuplicateProperty", k5,
     "30 0C 00 03 61 2F 62 06 03 00 00 03 00 00", kProtocol,
     "[MQTT 5.0 2.2.2.2] a property other than User Property", 11},
    {"Mqtt5_2_2_2_2_TwoSubscriptionIdentifiersInSubscribe", k5,
     "82 0D 00 0A 04 0B 01 0B 02 00 03 61 2F 62 01", kProtocol,
     "[MQTT 5.0 2.2.2.2]"},
    {"Mqtt5_2_2_2_1_PropertyLengthPastEnd", k5, "30 07 00 03 61 2F 62 05 03",
     kMalformed, "[MQTT 5.0 2.2.2.1]"},
    {"Mqtt_2_2_2_1_MissingPropertyLength", k5, "20 02 00 00", kMalformed,
     "[MQTT-2.2.2-1]"},
    {"Mqtt5_3_3_2_3_8_SubscriptionIdentifier0", k5,
     "30 08 00 03 61 2F 62 02 0B 00", kProtocol, "[MQTT 5.0 3.3.2.3.8]"},
    {"Mqtt_1_5_5_1_NonMinimalSubscriptionIdentifier", k5,
     "30 09 00 03 61 2F 62 03 0B 81 00", kMalformed, "[MQTT-1.5.5-1]"},
    {"Mqtt5_3_1_2_11_3_ReceiveMaximum0", k5,
     "10 10 00 04 4D 51 54 54 05 02 00 3C 03 21 00 00 00 00", kProtocol,
     "[MQTT 5.0 3.1.2.11.3]"},
    {"Mqtt5_3_1_2_11_4_MaximumPacketSize0", k5,
     "10 12 00 04 4D 51 54 54 05 02 00 3C 05 27 00 00 00 00 00 00", kProtocol,
     "[MQTT 5.0 3.1.2.11.4]"},
    {"Mqtt5_3_1_2_11_7_RequestProblemInformation2", k5,
     "10 0F 00 04 4D 51 54 54 05 02 00 3C 02 17 02 00 00", kProtocol,
     "[MQTT 5.0 3.1.2.11.7]"},
    {"Mqtt5_3_1_2_11_10_AuthenticationDataWithoutMethod", k5,
     "10 10 00 04 4D 51 54 54 05 02 00 3C 03 16 00 00 00 00", kProtocol,
     "[MQTT 5.0 3.1.2.11.10]"},
    {"Mqtt_3_3_2_8_TopicAlias0", k5, "30 09 00 03 61 2F 62 03 23 00 00",
     ReasonCode::kTopicAliasInvalid, "[MQTT-3.3.2-8]"},
    {"Mqtt_3_3_2_14_WildcardInResponseTopic", k5,
     "30 0A 00 03 61 2F 62 04 08 00 01 23", kProtocol, "[MQTT-3.3.2-14]"},
    {"Mqtt5_3_3_2_3_2_PayloadFormatIndicator2", k5,
     "30 08 00 03 61 2F 62 02 01 02", kProtocol, "[MQTT 5.0 3.3.2.3.2]"},
    {"Mqtt5_3_2_2_3_4_MaximumQos2", k5, "20 05 00 00 02 24 02", kProtocol,
     "[MQTT 5.0 3.2.2.3.4]"},
    // Reason codes each packet type may carry.
    {"Mqtt_3_2_2_8_ConnackReasonCode", k5, "20 03 00 10 00", kProtocol,
     "[MQTT-3.2.2-8]", 3},
    {"Mqtt_3_2_2_1_ConnackReservedFlags", k311, "20 02 02 00", kMalformed,
     "[MQTT-3.2.2-1]"},
    {"Mqtt311_3_2_2_3_ConnackReturnCode6", k311, "20 02 00 06", kMalformed,
     "[MQTT 3.1.1 3.2.2.3]"},
    {"Mqtt311_3_2_2_4_SessionPresentWithFailure", k311, "20 02 01 05",
     kProtocol, "[MQTT-3.2.2-4]"},
    {"Mqtt_3_2_2_6_SessionPresentWithFailure", k5, "20 03 01 87 00", kProtocol,
     "[MQTT-3.2.2-6]"},
    {"Mqtt_3_4_2_1_PubackReasonCode", k5, "40 03 00 0A 05", kProtocol,
     "[MQTT-3.4.2-1]", 4},
    {"Mqtt_3_5_2_1_PubrecReasonCode", k5, "50 03 00 0A 92", kProtocol,
     "[MQTT-3.5.2-1]"},
    {"Mqtt_3_6_2_1_PubrelReasonCode", k5, "62 03 00 0A 10", kProtocol,
     "[MQTT-3.6.2-1]"},
    {"Mqtt_3_7_2_1_PubcompReasonCode", k5, "70 03 00 0A 87", kProtocol,
     "[MQTT-3.7.2-1]"},
    {"Mqtt_3_9_3_2_SubackReasonCode", k5, "90 04 00 0A 00 11", kProtocol,
     "[MQTT-3.9.3-2]", 5},
    {"Mqtt311_3_9_3_2_SubackReturnCode", k311, "90 03 00 0A 87", kProtocol,
     "[MQTT-3.9.3-2]"},
    {"Mqtt5_3_9_3_SubackWithoutReasonCodes", k5, "90 03 00 0A 00", kProtocol,
     "[MQTT 5.0 3.9.3]"},
    {"Mqtt_3_11_3_2_UnsubackReasonCode", k5, "B0 04 00 0A 00 01", kProtocol,
     "[MQTT-3.11.3-2]"},
    {"Mqtt_3_14_2_1_DisconnectReasonCode", k5, "E0 01 18", kProtocol,
     "[MQTT-3.14.2-1]"},
    {"Mqtt_3_15_2_1_AuthReasonCode", k5, "F0 01 04", kProtocol,
     "[MQTT-3.15.2-1]"},
    // Packets without a body.
    {"Mqtt5_3_12_PingreqWithBody", k5, "C0 01 00", kMalformed,
     "[MQTT 5.0 3.12]"},
    {"Mqtt5_3_13_PingrespWithBody", k311, "D0 01 00", kMalformed,
     "[MQTT 5.0 3.13]"},
    {"Mqtt311_3_14_DisconnectWithBody", k311, "E0 01 00", kMalformed,
     "[MQTT 3.1.1 3.14]"},
    {"Mqtt311_3_4_PubackWithReasonCode", k311, "40 03 00 0A 10", kMalformed,
     "[MQTT 5.0 2.1.4]"},
};

class MalformedTest : public ::testing::TestWithParam<BadPacket> {};

TEST_P(MalformedTest, IsRefusedWithReasonCodeAndRule) {
  const BadPacket& bad = GetParam();
  const DecodeError error = testing::DecodeError(Hex(bad.hex), bad.version);
  EXPECT_EQ(error.reason_code, bad.reason_code)
      << "got " << ReasonCodeName(error.reason_code) << ": " << error.rule;
  EXPECT_TRUE(error.rule.starts_with(bad.rule_prefix))
      << "rule: " << error.rule << "\nexpected it to start with "
      << bad.rule_prefix;
  if (bad.offset != 0) {
    EXPECT_EQ(error.offset, bad.offset) << error.rule;
  }
}

INSTANTIATE_TEST_SUITE_P(Rules, MalformedTest, ::testing::ValuesIn(kBadPackets),
                         [](const ::testing::TestParamInfo<BadPacket>& info) {
                           return std::string(info.param.name);
                         });

// The same bytes are fine where the rule does not apply.
TEST(MalformedTest, NonMinimalRemainingLengthIsAcceptedIn311) {
  const std::vector<uint8_t> bytes = Hex("C0 80 00");
  EXPECT_TRUE(std::holds_alternative<Pingreq>(
      testing::DecodeOrDie(bytes, Version::kV311)));
}

TEST(MalformedTest, PasswordWithoutUserNameIsAcceptedIn5) {
  const std::vector<uint8_t> bytes =
      Hex("10 10 00 04 4D 51 54 54 05 42 00 3C 00 00 00 00 01 70");
  const Packet packet = testing::DecodeOrDie(bytes, Version::kV5);
  const Connect& connect = std::get<Connect>(packet);
  EXPECT_FALSE(connect.username.has_value());
  ASSERT_TRUE(connect.password.has_value());
  EXPECT_EQ(connect.password->size(), 1u);
}

TEST(MalformedTest, RepeatedSubscriptionIdentifiersAreAllowedInPublish) {
  const std::vector<uint8_t> bytes = Hex("30 0A 00 03 61 2F 62 04 0B 01 0B 02");
  const Packet packet = testing::DecodeOrDie(bytes, Version::kV5);
  const Publish& publish = std::get<Publish>(packet);
  EXPECT_EQ(
      std::vector<uint32_t>(publish.properties.subscription_identifiers.begin(),
                            publish.properties.subscription_identifiers.end()),
      (std::vector<uint32_t>{1, 2}));
}

// [MQTT-3.1.2-1] and [MQTT-3.1.2-2] are checked on the CONNECT's own level,
// whatever version the decoder expects.
TEST(MalformedTest, ConnectIsDecodedByItsOwnLevel) {
  const std::vector<uint8_t> bytes =
      Hex("10 0C 00 04 4D 51 54 54 04 02 00 3C 00 00");
  const Packet packet = testing::DecodeOrDie(bytes, Version::kV5);
  EXPECT_EQ(std::get<Connect>(packet).version, Version::kV311);
}

}  // namespace
}  // namespace mqlab::mqtt
