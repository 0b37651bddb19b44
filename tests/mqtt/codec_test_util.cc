#include "tests/mqtt/codec_test_util.h"

#include <cctype>

#include "mqtt/printer.h"

namespace mqlab::mqtt::testing {

std::vector<uint8_t> Hex(std::string_view hex) {
  std::vector<uint8_t> bytes;
  int high = -1;
  for (const char c : hex) {
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    const int digit =
        std::isdigit(static_cast<unsigned char>(c))
            ? c - '0'
            : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
    EXPECT_TRUE(digit >= 0 && digit < 16) << "bad hex digit " << c;
    if (high < 0) {
      high = digit;
    } else {
      bytes.push_back(static_cast<uint8_t>(high << 4 | digit));
      high = -1;
    }
  }
  EXPECT_EQ(high, -1) << "odd number of hex digits";
  return bytes;
}

Bytes AsBytes(std::string_view text) {
  return Bytes(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

std::vector<uint8_t> EncodeOrDie(const Packet& packet, Version version) {
  std::vector<uint8_t> bytes;
  EXPECT_TRUE(Encode(packet, version, &bytes)) << PacketToString(packet);
  return bytes;
}

Packet DecodeOrDie(const std::vector<uint8_t>& bytes, Version version) {
  Packet packet;
  mqtt::DecodeError error;
  const Decoder::Status status = DecodePacket(bytes, version, &packet, &error);
  EXPECT_EQ(status, Decoder::Status::kPacket)
      << "offset " << error.offset << ": " << error.rule;
  return packet;
}

mqtt::DecodeError DecodeError(const std::vector<uint8_t>& bytes,
                              Version version) {
  Packet packet;
  mqtt::DecodeError error;
  const Decoder::Status status = DecodePacket(bytes, version, &packet, &error);
  EXPECT_EQ(status, Decoder::Status::kError) << PacketToString(packet);
  return error;
}

}  // namespace mqlab::mqtt::testing
