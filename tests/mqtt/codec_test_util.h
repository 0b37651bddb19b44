// Helpers shared by the codec tests.
#ifndef MQLAB_TESTS_MQTT_CODEC_TEST_UTIL_H_
#define MQLAB_TESTS_MQTT_CODEC_TEST_UTIL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "mqtt/decoder.h"
#include "mqtt/encoder.h"
#include "mqtt/packet.h"

namespace mqlab::mqtt::testing {

// "10 0c 00" -> {0x10, 0x0c, 0x00}; spaces and newlines are ignored.
std::vector<uint8_t> Hex(std::string_view hex);

// The bytes of `text`, for payloads and binary fields.
Bytes AsBytes(std::string_view text);

std::vector<uint8_t> EncodeOrDie(const Packet& packet, Version version);

// Decodes `bytes` as exactly one packet; fails the test on error.
Packet DecodeOrDie(const std::vector<uint8_t>& bytes, Version version);

// Decodes `bytes` as one packet and returns the error (the test fails when
// the bytes decode).
DecodeError DecodeError(const std::vector<uint8_t>& bytes, Version version);

}  // namespace mqlab::mqtt::testing

#endif  // MQLAB_TESTS_MQTT_CODEC_TEST_UTIL_H_
