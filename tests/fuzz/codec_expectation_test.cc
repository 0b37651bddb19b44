// codec_proto's oracle (fuzz/codec_expectation.h): it expects what the
// specification says for crafted packets, and it reports a decoder answer
// that differs (the oracle can fail).
#include "fuzz/codec_expectation.h"

#include <string>

#include "fuzz/mqtt_session.pb.h"
#include "fuzz/session_wire.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "mqtt/decoder.h"

namespace mqlab::fuzz {
namespace {

using Outcome = Expectation::Outcome;

Packet ParsePacket(const std::string& text) {
  Packet packet;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &packet))
      << text;
  return packet;
}

struct Judged {
  Expectation expected;
  mqtt::Decoder::Status status;
  mqtt::DecodeError error;
};

Judged JudgeAndDecode(const std::string& text, int version = 5) {
  PacketContext context;
  context.version = version;
  context.client_name = "client-0";
  const Packet packet = ParsePacket(text);
  const EncodedPacket encoded = EncodePacket(packet, context);
  Judged judged;
  judged.expected =
      ExpectDecode(packet, context, encoded, mqtt::kProtocolMaximumPacketSize);
  mqtt::Decoder decoder(
      {.version = version == 5 ? mqtt::Version::kV5 : mqtt::Version::kV311});
  mqtt::Bytes input(encoded.bytes);
  mqtt::Packet decoded;
  judged.status = decoder.Next(&input, &decoded, &judged.error);
  return judged;
}

TEST(CodecExpectationTest, AgreesWithTheDecoderOnCraftedPackets) {
  const char* const kPackets[] = {
      "connect {}",
      "connect { will { topic: 'a/b' qos: 1 } }",
      "connect { will { topic: 'a/+' } }",
      "connect { reserved_flag: true }",
      "connect { protocol_name: 'MQIsdp' }",
      "connect { properties { authentication_data: 'x' } }",
      "connect { properties { topic_alias: 3 } }",
      "publish { topic: 'a' qos: 1 packet_id: 0 }",
      "publish { topic: '' }",
      "publish { topic: '' properties { topic_alias: 1 } }",
      "publish { topic: 'a' properties { topic_alias: 0 } }",
      "publish { topic: 'a' properties { content_type: 'x' duplicate: "
      "CONTENT_TYPE } }",
      "publish { topic: '\\xed\\xa0\\x80' }",
      "publish { topic: 'a' qos: 3 }",
      "subscribe { subscription { filter: 'a/#' retain_handling: 3 } }",
      "subscribe { subscription { filter: 'x' share_name: 'g' no_local: "
      "true } }",
      "subscribe { }",
      "unsubscribe { filter: 'a/#/b' }",
      "publish_response { kind: PUBREL reason_code: 0x10 }",
      "disconnect { reason_code: 0x8E }",
      "auth { reason_code: 0x18 properties { authentication_method: 'm' } }",
      "pingreq {} faults { trailing: 'x' }",
      "pingreq {} faults { remaining_length_padding: 1 }",
      "publish { topic: 'a' } faults { truncate_body: 1 }",
      "publish { topic: 'a' payload: 'xyz' } faults { truncate_body: 4 }",
      "publish { topic: 'a' } faults { remaining_length_excess: 5 }",
      "publish { topic: 'a' } faults { property_length_padding: 1 }",
  };
  for (const char* text : kPackets) {
    const Judged judged = JudgeAndDecode(text);
    EXPECT_EQ(CompareDecode(judged.expected, judged.status, judged.error), "")
        << text;
  }
  EXPECT_EQ(JudgeAndDecode("publish { topic: 'a' qos: 1 packet_id: 0 }")
                .expected.reason_codes,
            std::vector<uint8_t>{0x82});
  EXPECT_EQ(JudgeAndDecode("connect { protocol_name: 'MQIsdp' }")
                .expected.reason_codes,
            std::vector<uint8_t>{0x84});
  // 3.1.1: no AUTH, and the Remaining Length may be non-minimal.
  EXPECT_EQ(JudgeAndDecode("auth {}", 4).expected.outcome, Outcome::kRefuse);
  EXPECT_EQ(
      JudgeAndDecode("pingreq {} faults { remaining_length_padding: 1 }", 4)
          .expected.outcome,
      Outcome::kAccept);
}

TEST(CodecExpectationTest, ReportsADecoderThatDisagrees) {
  Expectation accept;
  mqtt::DecodeError error;
  error.reason_code = mqtt::ReasonCode::kProtocolError;
  error.rule = "a rule";
  EXPECT_NE(CompareDecode(accept, mqtt::Decoder::Status::kError, error), "");
  Expectation refuse;
  refuse.outcome = Outcome::kRefuse;
  refuse.reason_codes = {0x81};
  refuse.rules = {"malformed"};
  EXPECT_NE(CompareDecode(refuse, mqtt::Decoder::Status::kPacket, error), "");
  // The wrong reason code.
  EXPECT_NE(CompareDecode(refuse, mqtt::Decoder::Status::kError, error), "");
  error.reason_code = mqtt::ReasonCode::kMalformedPacket;
  EXPECT_EQ(CompareDecode(refuse, mqtt::Decoder::Status::kError, error), "");
  Expectation need_more;
  need_more.outcome = Outcome::kNeedMore;
  EXPECT_NE(CompareDecode(need_more, mqtt::Decoder::Status::kPacket, error),
            "");
}

TEST(CodecExpectationTest, Utf8RulesAreTheSpecifications) {
  EXPECT_TRUE(IsValidMqttUtf8("a/b"));
  EXPECT_TRUE(IsValidMqttUtf8("\xc3\xa9\xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidMqttUtf8(std::string("a\0b", 3)));
  EXPECT_FALSE(IsValidMqttUtf8("\xc0\xaf"));          // Overlong.
  EXPECT_FALSE(IsValidMqttUtf8("\xed\xa0\x80"));      // A surrogate.
  EXPECT_FALSE(IsValidMqttUtf8("\xf4\x90\x80\x80"));  // Past U+10FFFF.
  EXPECT_FALSE(IsValidMqttUtf8("\xe2\x82"));          // Cut short.
}

}  // namespace
}  // namespace mqlab::fuzz
