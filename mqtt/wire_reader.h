// Bounds-checked reading of one packet's bytes for the decoder: every read
// either succeeds or records the first DecodeError (offset, reason code, rule)
// and returns false. Internal to the codec.
#ifndef MQLAB_MQTT_WIRE_READER_H_
#define MQLAB_MQTT_WIRE_READER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mqtt/decoder.h"
#include "mqtt/packet.h"
#include "mqtt/utf8.h"
#include "mqtt/varint.h"
#include "mqtt/wire.h"

namespace mqlab::mqtt::internal {

// A rule whose statement id differs between the versions.
struct VersionedRule {
  std::string_view v5;
  std::string_view v311;
  constexpr std::string_view For(Version version) const {
    return version == Version::kV5 ? v5 : v311;
  }
};

inline constexpr std::string_view kTruncatedRule =
    "[MQTT 5.0 2.1.4] a field runs past the end of the packet (its Remaining "
    "Length)";

class WireReader {
 public:
  // Reads [begin, end); `packet_begin` is the packet's first byte, which sits
  // at `packet_offset` in the stream.
  WireReader(const uint8_t* begin, const uint8_t* end,
             const uint8_t* packet_begin, uint64_t packet_offset,
             Version version, DecodeError* error)
      : at_(begin),
        end_(end),
        packet_begin_(packet_begin),
        packet_offset_(packet_offset),
        version_(version),
        error_(error) {}

  // A reader of the next `size` bytes (which must be there), to which
  // this reader skips ahead; errors go to the same place.
  WireReader Take(size_t size) {
    WireReader sub(at_, at_ + size, packet_begin_, packet_offset_, version_,
                   error_);
    at_ += size;
    return sub;
  }

  Version version() const { return version_; }
  void set_version(Version version) { version_ = version; }
  const uint8_t* position() const { return at_; }
  const uint8_t* end() const { return end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - at_); }
  bool done() const { return at_ == end_; }

  // Records an error at `at` (default: the current position); returns false.
  bool FailAt(const uint8_t* at, ReasonCode code, std::string_view rule) {
    error_->reason_code = code;
    error_->offset = packet_offset_ + static_cast<uint64_t>(at - packet_begin_);
    error_->rule = rule;
    return false;
  }
  bool Fail(ReasonCode code, std::string_view rule) {
    return FailAt(at_, code, rule);
  }
  bool Malformed(std::string_view rule) {
    return Fail(ReasonCode::kMalformedPacket, rule);
  }

  // Skips `size` bytes, which must be there.
  void Skip(size_t size) { at_ += size; }

  bool ReadByte(uint8_t* value) {
    if (remaining() < 1) return Malformed(kTruncatedRule);
    *value = *at_++;
    return true;
  }
  bool ReadU16(uint16_t* value) {
    if (remaining() < 2) return Malformed(kTruncatedRule);
    *value = LoadU16(at_);
    at_ += 2;
    return true;
  }
  bool ReadU32(uint32_t* value) {
    if (remaining() < 4) return Malformed(kTruncatedRule);
    *value = LoadU32(at_);
    at_ += 4;
    return true;
  }
  // A Variable Byte Integer; in 5.0 it must be minimally encoded.
  bool ReadVarint(uint32_t* value) {
    const VarintDecoding varint = DecodeVarint(at_, remaining());
    switch (varint.status) {
      case VarintDecoding::Status::kNeedMore:
        return Malformed(kTruncatedRule);
      case VarintDecoding::Status::kTooLong:
        return Malformed(
            "[MQTT 5.0 1.5.5] a Variable Byte Integer has at most 4 bytes");
      case VarintDecoding::Status::kOk:
        break;
    }
    if (!varint.minimal && version_ == Version::kV5) {
      return Malformed(
          "[MQTT-1.5.5-1] a Variable Byte Integer must use the minimum number "
          "of bytes");
    }
    *value = varint.value;
    at_ += varint.size;
    return true;
  }
  // Two Byte length, then that many bytes.
  bool ReadBinary(Bytes* value) {
    uint16_t size;
    if (!ReadU16(&size)) return false;
    if (remaining() < size) return Malformed(kTruncatedRule);
    *value = Bytes(at_, size);
    at_ += size;
    return true;
  }
  // A UTF-8 Encoded String, validated [MQTT-1.5.4-1..2]. Always inline: a
  // call costs about as much as reading a short string (a small PUBLISH has
  // three in its properties).
  [[gnu::always_inline]] bool ReadString(std::string_view* value) {
    const uint8_t* start = at_;
    return ReadUncheckedString(value) && CheckString(start, *value);
  }
  // A UTF-8 Encoded String whose content the caller validates (with
  // CheckString, or a faster test that implies it).
  bool ReadUncheckedString(std::string_view* value) {
    Bytes bytes;
    if (!ReadBinary(&bytes)) return false;
    *value = std::string_view(reinterpret_cast<const char*>(bytes.data()),
                              bytes.size());
    return true;
  }
  // Validates a string read at `start` [MQTT-1.5.4-1..2].
  [[gnu::always_inline]] bool CheckString(const uint8_t* start,
                                          std::string_view value) {
    const Utf8Error utf8_error = CheckUtf8(value);
    return utf8_error == Utf8Error::kNone || StringError(start, utf8_error);
  }
  // The rest of the bytes.
  Bytes ReadRest() {
    Bytes rest(at_, remaining());
    at_ = end_;
    return rest;
  }

 private:
  // Out of line and cold, so that the string reads around it stay small
  // enough to inline.
  [[gnu::cold, gnu::noinline]] bool StringError(const uint8_t* start,
                                                Utf8Error utf8_error) {
    if (utf8_error == Utf8Error::kNullCharacter) {
      return FailAt(
          start, ReasonCode::kMalformedPacket,
          VersionedRule{
              "[MQTT-1.5.4-2] a UTF-8 Encoded String must not contain U+0000",
              "[MQTT-1.5.3-2] a UTF-8 encoded string must not contain U+0000"}
              .For(version_));
    }
    return FailAt(start, ReasonCode::kMalformedPacket,
                  VersionedRule{"[MQTT-1.5.4-1] a UTF-8 Encoded String must be "
                                "well-formed UTF-8 (no surrogates "
                                "U+D800..U+DFFF, no overlong forms)",
                                "[MQTT-1.5.3-1] a UTF-8 encoded string must be "
                                "well-formed UTF-8 (no surrogates "
                                "U+D800..U+DFFF, no overlong forms)"}
                      .For(version_));
  }

  const uint8_t* at_;
  const uint8_t* end_;
  const uint8_t* packet_begin_;
  uint64_t packet_offset_;
  Version version_;
  DecodeError* error_;
};

}  // namespace mqlab::mqtt::internal

#endif  // MQLAB_MQTT_WIRE_READER_H_
