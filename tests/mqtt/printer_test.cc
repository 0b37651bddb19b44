#include "mqtt/printer.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/mqtt/codec_test_util.h"

namespace mqlab::mqtt {
namespace {

using testing::AsBytes;

TEST(PrinterTest, PublishFieldByField) {
  Publish publish{.qos = Qos::kAtLeastOnce, .packet_id = 7};
  publish.topic = "vehicles/vehicle01/position";
  publish.payload = AsBytes(R"({"type":"Point"})");
  publish.properties.content_type = "application/geo+json";
  const UserProperty user[] = {{"status", "200"}};
  publish.properties.user_properties = UserProperties::FromList(user);
  EXPECT_EQ(PacketToString(publish),
            "PUBLISH dup=0 qos=1 retain=0\n"
            "  topic: \"vehicles/vehicle01/position\"\n"
            "  packet_id: 7\n"
            "  properties:\n"
            "    Content Type (0x03): \"application/geo+json\"\n"
            "    User Property (0x26): \"status\" = \"200\"\n"
            "  payload: 16 bytes, text: \"{\\\"type\\\":\\\"Point\\\"}\"\n");
}

TEST(PrinterTest, BinaryPayloadIsHexAndLongPayloadsAreCut) {
  const uint8_t binary[] = {0x00, 0xFF, 0x10};
  Publish publish;
  publish.topic = "t";
  publish.payload = binary;
  EXPECT_NE(PacketToString(publish).find("payload: 3 bytes, hex: 00 ff 10\n"),
            std::string::npos);
  const std::string long_text(1000, 'a');
  publish.payload = AsBytes(long_text);
  const std::string printed =
      PacketToString(publish, {.maximum_payload_bytes = 10});
  EXPECT_NE(printed.find("payload: 1000 bytes, text: \"aaaaaaaaaa\" ... (990 "
                         "more)"),
            std::string::npos)
      << printed;
}

TEST(PrinterTest, StringsAreEscaped) {
  Publish publish;
  publish.topic = "a\"b\\c\x01";
  EXPECT_NE(PacketToString(publish).find(R"(topic: "a\"b\\c\x01")"),
            std::string::npos);
}

TEST(PrinterTest, ReasonCodesHaveTheirNames) {
  const uint8_t codes[] = {0x00, 0x87};
  const std::string printed =
      PacketToString(Suback{.packet_id = 3, .reason_codes = codes});
  EXPECT_NE(printed.find("0x00 Success"), std::string::npos);
  EXPECT_NE(printed.find("0x87 Not authorized"), std::string::npos);
}

TEST(PrinterTest, SummaryIsOneLine) {
  Publish publish{.qos = Qos::kAtLeastOnce, .packet_id = 2};
  publish.topic = "a/b";
  EXPECT_EQ(PacketSummary(publish),
            "PUBLISH qos=1 packet_id=2 topic=\"a/b\" 0 bytes");
  EXPECT_EQ(PacketSummary(Pingreq{}), "PINGREQ");
}

TEST(PrinterTest, EveryReasonCodeHasAName) {
  int named = 0;
  for (int code = 0; code < 256; ++code) {
    if (IsKnownReasonCode(static_cast<uint8_t>(code))) ++named;
  }
  EXPECT_EQ(named, 43);
}

}  // namespace
}  // namespace mqlab::mqtt
