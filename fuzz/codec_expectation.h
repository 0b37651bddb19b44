// codec_proto's oracle: what the decoder must do with one packet of the
// grammar, judged from the grammar (and the serializer's layout of cuts),
// not from mqtt/ code: the OASIS MQTT 5.0 and 3.1.1 rules (sections 1.5,
// 2, 3 and 4.13) written again, small and apart. When a packet breaks
// several rules, the decoder may report any one of them (it stops at the
// first it reads), so a refusal names the set of reason codes allowed.
#ifndef MQLAB_FUZZ_CODEC_EXPECTATION_H_
#define MQLAB_FUZZ_CODEC_EXPECTATION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/mqtt_session.pb.h"
#include "fuzz/session_wire.h"
#include "mqtt/decoder.h"

namespace mqlab::fuzz {

struct Expectation {
  enum class Outcome {
    kAccept,    // A packet.
    kRefuse,    // An error with one of reason_codes.
    kNeedMore,  // The Remaining Length announces more than follows.
    kUnknown,   // A cut that leaves another valid form: not judged.
  };
  Outcome outcome = Outcome::kAccept;
  std::vector<uint8_t> reason_codes{};
  std::vector<std::string> rules{};  // Why, one per reason code.
};

Expectation ExpectDecode(const Packet& packet, const PacketContext& context,
                         const EncodedPacket& encoded,
                         uint32_t maximum_packet_size);

// "" when the decoder's answer (kPacket, kError with `error`, or kNeedMore
// at the end of the stream) agrees with `expected`, else what differs.
std::string CompareDecode(const Expectation& expected,
                          mqtt::Decoder::Status status,
                          const mqtt::DecodeError& error);

// The independent rules, exposed for tests.
bool IsValidMqttUtf8(const std::string& text);  // RFC 3629, no U+0000.

}  // namespace mqlab::fuzz

#endif  // MQLAB_FUZZ_CODEC_EXPECTATION_H_
