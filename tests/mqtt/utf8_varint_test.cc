#include <string>

#include "gtest/gtest.h"
#include "mqtt/utf8.h"
#include "mqtt/varint.h"

namespace mqlab::mqtt {
namespace {

TEST(Utf8Test, AcceptsAsciiAndMultiByteCharacters) {
  EXPECT_EQ(CheckUtf8(""), Utf8Error::kNone);
  EXPECT_EQ(CheckUtf8("vehicles/vehicle01/position"), Utf8Error::kNone);
  EXPECT_EQ(CheckUtf8("caf\xc3\xa9 \xe4\xb8\x96 \xf0\x9f\x98\x80"),
            Utf8Error::kNone);
  EXPECT_EQ(CheckUtf8("\xf4\x8f\xbf\xbf"), Utf8Error::kNone);  // U+10FFFF.
  EXPECT_EQ(CheckUtf8("\xef\xbb\xbf"
                      "bom"),
            Utf8Error::kNone);  // [MQTT-1.5.4-3]
}

// [MQTT-1.5.4-2] (3.1.1 [MQTT-1.5.3-2]): no U+0000, in the word-at-a-time
// path and in the byte path.
TEST(Utf8Test, Mqtt_1_5_4_2_RefusesNullCharacter) {
  EXPECT_EQ(CheckUtf8(std::string("a\0b", 3)), Utf8Error::kNullCharacter);
  EXPECT_EQ(CheckUtf8(std::string("abcdefgh\0", 9)), Utf8Error::kNullCharacter);
  EXPECT_EQ(CheckUtf8(std::string("abc\0efghijk", 11)),
            Utf8Error::kNullCharacter);
}

// [MQTT-1.5.4-1] (3.1.1 [MQTT-1.5.3-1]): well-formed UTF-8 only.
TEST(Utf8Test, Mqtt_1_5_4_1_RefusesIllFormedUtf8) {
  EXPECT_EQ(CheckUtf8("\xed\xa0\x80"), Utf8Error::kIllFormed);  // U+D800.
  EXPECT_EQ(CheckUtf8("\xed\xbf\xbf"), Utf8Error::kIllFormed);  // U+DFFF.
  EXPECT_EQ(CheckUtf8("\xc0\xaf"), Utf8Error::kIllFormed);      // Overlong.
  EXPECT_EQ(CheckUtf8("\xe0\x80\xaf"), Utf8Error::kIllFormed);  // Overlong.
  EXPECT_EQ(CheckUtf8("\xf0\x80\x80\xaf"), Utf8Error::kIllFormed);
  EXPECT_EQ(CheckUtf8("\xf4\x90\x80\x80"), Utf8Error::kIllFormed);  // >10FFFF.
  EXPECT_EQ(CheckUtf8("\xff"), Utf8Error::kIllFormed);
  EXPECT_EQ(CheckUtf8("\x80"), Utf8Error::kIllFormed);    // Lone continuation.
  EXPECT_EQ(CheckUtf8("ab\xc3"), Utf8Error::kIllFormed);  // Truncated.
  EXPECT_EQ(CheckUtf8("\xe4\xb8"), Utf8Error::kIllFormed);
  EXPECT_EQ(CheckUtf8("\xc3\x28"), Utf8Error::kIllFormed);
  EXPECT_EQ(CheckUtf8("abcdefgh\xed\xa0\x80"), Utf8Error::kIllFormed);
}

// The ASCII fast path reads short strings in one or two loads and longer
// ones a word at a time with an overlapping last load: every length and
// every position of a bad byte must still be seen.
TEST(Utf8Test, EveryLengthAndPositionOfABadByte) {
  for (size_t size = 1; size <= 40; ++size) {
    EXPECT_EQ(CheckUtf8(std::string(size, 'a')), Utf8Error::kNone) << size;
    for (size_t at = 0; at < size; ++at) {
      std::string text(size, 'a');
      text[at] = '\0';
      EXPECT_EQ(CheckUtf8(text), Utf8Error::kNullCharacter)
          << size << " " << at;
      text[at] = '\x80';
      EXPECT_EQ(CheckUtf8(text), Utf8Error::kIllFormed) << size << " " << at;
      text[at] = '\x7f';
      EXPECT_EQ(CheckUtf8(text), Utf8Error::kNone) << size << " " << at;
    }
  }
}

TEST(VarintTest, EncodesTheSpecificationsBoundaries) {
  // Table 1-1 of MQTT 5.0 section 1.5.5.
  const struct {
    uint32_t value;
    std::vector<uint8_t> bytes;
  } kCases[] = {
      {0, {0x00}},
      {127, {0x7F}},
      {128, {0x80, 0x01}},
      {16'383, {0xFF, 0x7F}},
      {16'384, {0x80, 0x80, 0x01}},
      {2'097'151, {0xFF, 0xFF, 0x7F}},
      {2'097'152, {0x80, 0x80, 0x80, 0x01}},
      {268'435'455, {0xFF, 0xFF, 0xFF, 0x7F}},
  };
  for (const auto& c : kCases) {
    uint8_t buffer[4];
    uint8_t* end = WriteVarint(c.value, buffer);
    EXPECT_EQ(std::vector<uint8_t>(&buffer[0], end), c.bytes) << c.value;
    EXPECT_EQ(VarintSize(c.value), c.bytes.size());
    const VarintDecoding d = DecodeVarint(c.bytes.data(), c.bytes.size());
    EXPECT_EQ(d.status, VarintDecoding::Status::kOk);
    EXPECT_EQ(d.value, c.value);
    EXPECT_EQ(d.size, c.bytes.size());
    EXPECT_TRUE(d.minimal);
    // Every proper prefix needs more bytes.
    for (size_t n = 0; n < c.bytes.size(); ++n) {
      EXPECT_EQ(DecodeVarint(c.bytes.data(), n).status,
                VarintDecoding::Status::kNeedMore);
    }
  }
}

TEST(VarintTest, RefusesAFifthByte) {
  const uint8_t bytes[] = {0xFF, 0xFF, 0xFF, 0xFF, 0x7F};
  EXPECT_EQ(DecodeVarint(bytes, sizeof(bytes)).status,
            VarintDecoding::Status::kTooLong);
}

// [MQTT-1.5.5-1]: the decoder reports non-minimal encodings.
TEST(VarintTest, Mqtt_1_5_5_1_ReportsNonMinimalEncodings) {
  const uint8_t zero_in_two[] = {0x80, 0x00};
  const VarintDecoding d = DecodeVarint(zero_in_two, 2);
  EXPECT_EQ(d.status, VarintDecoding::Status::kOk);
  EXPECT_EQ(d.value, 0u);
  EXPECT_FALSE(d.minimal);
  const uint8_t one_in_three[] = {0x81, 0x80, 0x00};
  EXPECT_FALSE(DecodeVarint(one_in_three, 3).minimal);
}

}  // namespace
}  // namespace mqlab::mqtt
