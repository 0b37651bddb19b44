// How the lab traces a message from its publisher to every receiver: each
// payload a virtual client publishes starts with a fixed 16-byte tag,
//
//   bytes 0..3   magic "MQLT"
//   bytes 4..7   publisher: the fleet-wide number of the publishing session
//                (Fleet::sessions), little-endian
//   bytes 8..15  sequence: the publisher's message number, from 1,
//                little-endian
//
// followed by filler bytes that are a function of the tag and the position,
// so that a receiver can tell an intact payload from a corrupted one. A
// (publisher, sequence) pair is unique in a run: it is the message id the
// checkers and violation reports use ("m17.42": publisher 17, message 42).
// Behaviours that ask for payloads shorter than the tag get kMessageTagSize
// bytes.
#ifndef MQLAB_SIM_MESSAGE_TAG_H_
#define MQLAB_SIM_MESSAGE_TAG_H_

#include <compare>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace mqlab::sim {

inline constexpr size_t kMessageTagSize = 16;

struct MessageTag {
  uint32_t publisher = 0;
  uint64_t sequence = 0;

  // One number for maps: publisher in the top 24 bits, sequence below (the
  // fleet has fewer than 2^24 sessions; a run publishes fewer than 2^40
  // messages per session).
  uint64_t key() const { return uint64_t{publisher} << 40 | sequence; }
  friend bool operator==(const MessageTag&, const MessageTag&) = default;
  friend auto operator<=>(const MessageTag&, const MessageTag&) = default;
};

// "m17.42".
std::string MessageTagName(const MessageTag& tag);

// Writes the tag and the filler over all of `payload`, which has at least
// kMessageTagSize bytes.
void WriteTaggedPayload(const MessageTag& tag, std::span<uint8_t> payload);

enum class TagCheck : uint8_t {
  kIntact,    // The tag and every filler byte are as written.
  kUntagged,  // Too short, or no magic: not a payload the lab wrote.
  kCorrupt,   // The magic is there but a filler byte differs.
};

struct ReadTag {
  TagCheck check = TagCheck::kUntagged;
  MessageTag tag;  // Valid unless kUntagged.
};

ReadTag ReadMessageTag(std::span<const uint8_t> payload);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_MESSAGE_TAG_H_
