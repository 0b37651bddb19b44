#include "tools/decode_command.h"

#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "tools/hex_text.h"

namespace mqlab::tools {
namespace {

struct Result {
  int exit_code;
  std::string out;
  std::string err;
};

Result RunDecode(const DecodeCommandOptions& options) {
  std::ostringstream out, err;
  const int code = RunDecodeCommand(options, out, err);
  return {code, out.str(), err.str()};
}

TEST(DecodeCommandTest, TelemetryCapturePrintsEveryPacketWithItsOffset) {
  const Result r =
      RunDecode({.input = "corpora/captures/telemetry.hex", .hex = true});
  EXPECT_EQ(r.exit_code, kDecodeOk) << r.out << r.err;
  EXPECT_NE(r.out.find("version from the CONNECT at offset 0"),
            std::string::npos);
  EXPECT_NE(r.out.find("@0 (48 bytes, MQTT 5.0)\nCONNECT"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  client_id: \"vehicle01-session\""),
            std::string::npos);
  EXPECT_NE(r.out.find("  username: \"vehicle01\""), std::string::npos);
  EXPECT_NE(r.out.find("Maximum Packet Size (0x27): 524288"),
            std::string::npos);
  EXPECT_NE(r.out.find("  topic: \"vehicles/vehicle01/position\""),
            std::string::npos);
  EXPECT_NE(r.out.find("text: \"{\\\"type\\\":\\\"Point\\\""),
            std::string::npos);
  EXPECT_NE(r.out.find("PINGRESP"), std::string::npos);
  EXPECT_NE(r.out.find("\n11 packets\n"), std::string::npos) << r.out;
}

TEST(DecodeCommandTest, Version311Capture) {
  const Result r =
      RunDecode({.input = "corpora/captures/telemetry-v311.hex", .hex = true});
  EXPECT_EQ(r.exit_code, kDecodeOk) << r.out;
  EXPECT_NE(r.out.find("MQTT 3.1.1"), std::string::npos);
}

TEST(DecodeCommandTest, MalformedCaptureGivesOffsetReasonCodeAndRule) {
  const Result r =
      RunDecode({.input = "corpora/captures/malformed.hex", .hex = true});
  EXPECT_EQ(r.exit_code, kDecodeBadBytes);
  EXPECT_NE(r.out.find("error at offset 76: 0x81 Malformed Packet\n"
                       "  [MQTT-3.3.2-2]"),
            std::string::npos)
      << r.out;
}

TEST(DecodeCommandTest, WithoutConnectTheVersionIsAssumedAndSaid) {
  const std::vector<uint8_t> ping = {0xC0, 0x00};
  std::ostringstream out;
  EXPECT_EQ(DecodeStream(ping, "ping", {}, out), kDecodeOk);
  EXPECT_NE(out.str().find("MQTT 5.0 (assumed"), std::string::npos);
  std::ostringstream forced;
  EXPECT_EQ(
      DecodeStream(ping, "ping", {.version = mqtt::Version::kV311}, forced),
      kDecodeOk);
  EXPECT_NE(forced.str().find("MQTT 3.1.1 (from the command line)"),
            std::string::npos);
}

TEST(DecodeCommandTest, TruncatedStreamIsAnError) {
  const std::vector<uint8_t> bytes = {0xC0, 0x00, 0x30, 0x05, 0x00};
  std::ostringstream out;
  EXPECT_EQ(DecodeStream(bytes, "cut", {}, out), kDecodeBadBytes);
  EXPECT_NE(out.str().find("error at offset 2: the stream ends inside a "
                           "packet (3 bytes left)"),
            std::string::npos)
      << out.str();
}

TEST(DecodeCommandTest, MissingFileAndBadHexAreInputErrors) {
  Result r = RunDecode({.input = "no/such/file"});
  EXPECT_EQ(r.exit_code, kDecodeBadInput);
  EXPECT_NE(r.err.find("cannot open no/such/file"), std::string::npos);
}

TEST(HexTextTest, ParsesPairsWhitespaceAndComments) {
  const auto bytes = ParseHexText("# comment 12\n10 0c\n0A\tff # tail\n", "t");
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, (std::vector<uint8_t>{0x10, 0x0C, 0x0A, 0xFF}));
}

TEST(HexTextTest, ErrorsNameFileLineAndColumn) {
  const auto bad_digit = ParseHexText("10\n0g", "x.hex");
  ASSERT_FALSE(bad_digit.ok());
  EXPECT_EQ(bad_digit.status().message(),
            "x.hex:2:2: expected a hex digit, whitespace or a '#' comment, "
            "found 'g'");
  const auto odd = ParseHexText("10 0", "x.hex");
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.status().message(),
            "x.hex:1:4: a hex digit without its pair (a byte is two digits)");
}

TEST(HexTextTest, FormatsSixteenBytesPerLine) {
  std::vector<uint8_t> bytes(17, 0xAB);
  const std::string text = FormatHexLines(bytes.data(), bytes.size());
  EXPECT_EQ(text.substr(text.size() - 4), "\nab\n");
  EXPECT_EQ(*ParseHexText(text, "t"), bytes);
}

}  // namespace
}  // namespace mqlab::tools
