// The development listener's CONNECT rule (server/dev_connect_filter.h):
// Username, else ClientId, names the client; an empty ClientId becomes
// dev-N; the first packet may arrive split anywhere; what follows it and
// what is not a CONNECT pass untouched.
#include "server/dev_connect_filter.h"

#include <string>
#include <variant>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mqtt/decoder.h"
#include "mqtt/encoder.h"

namespace mqlab::server {
namespace {

using ::testing::ElementsAre;

class RecordingRegistrar : public ClientRegistrar {
 public:
  void Register(std::string_view name) override { names.emplace_back(name); }
  std::vector<std::string> names;
};

std::vector<uint8_t> Bytes(const mqtt::Packet& packet, mqtt::Version version) {
  std::vector<uint8_t> bytes;
  EXPECT_TRUE(mqtt::Encode(packet, version, &bytes));
  return bytes;
}

mqtt::Connect ConnectOf(std::string_view client_id,
                        std::optional<std::string_view> username,
                        mqtt::Version version = mqtt::Version::kV5) {
  mqtt::Connect connect{.version = version};
  connect.client_id = client_id;
  connect.username = username;
  return connect;
}

// Feeds `bytes` in pieces of `piece` bytes; returns what the broker got.
std::vector<uint8_t> Feed(DevConnectFilter& filter,
                          const std::vector<uint8_t>& bytes, size_t piece) {
  ByteQueue to_broker;
  ByteQueue to_peer;
  for (size_t at = 0; at < bytes.size(); at += piece) {
    const size_t size = std::min(piece, bytes.size() - at);
    EXPECT_EQ(filter.FromPeer({bytes.data() + at, size}, &to_broker, &to_peer),
              StreamFilter::Verdict::kContinue);
  }
  EXPECT_TRUE(to_peer.empty());
  return {to_broker.Front().begin(), to_broker.Front().end()};
}

// The first packet the broker would decode from `bytes`, and the rest. The
// CONNECT's fields refer into `bytes`.
mqtt::Connect FirstConnect(const std::vector<uint8_t>& bytes,
                           std::vector<uint8_t>* rest) {
  mqtt::Decoder decoder;
  mqtt::Bytes input(bytes);
  mqtt::Packet packet;
  mqtt::DecodeError error;
  EXPECT_EQ(decoder.Next(&input, &packet, &error),
            mqtt::Decoder::Status::kPacket);
  rest->assign(input.begin(), input.end());
  const mqtt::Connect* connect = std::get_if<mqtt::Connect>(&packet);
  EXPECT_NE(connect, nullptr);
  return connect == nullptr ? mqtt::Connect{} : *connect;
}

TEST(DevConnectFilterTest, UsernameNamesTheClientAndBytesPassUnchanged) {
  RecordingRegistrar registrar;
  DevConnectFilter filter(&registrar, 1 << 20, 7);
  const std::vector<uint8_t> connect =
      Bytes(ConnectOf("sensor-1", "alice"), mqtt::Version::kV5);
  EXPECT_EQ(Feed(filter, connect, connect.size()), connect);
  EXPECT_THAT(registrar.names, ElementsAre("alice"));
}

TEST(DevConnectFilterTest, ClientIdBecomesTheUsernameSplitAnywhere) {
  std::vector<uint8_t> stream =
      Bytes(ConnectOf("sensor-1", std::nullopt, mqtt::Version::kV311),
            mqtt::Version::kV311);
  const std::vector<uint8_t> ping = {0xC0, 0x00};  // PINGREQ after it.
  stream.insert(stream.end(), ping.begin(), ping.end());
  for (size_t piece = 1; piece <= stream.size(); ++piece) {
    RecordingRegistrar registrar;
    DevConnectFilter filter(&registrar, 1 << 20, 7);
    std::vector<uint8_t> rest;
    const std::vector<uint8_t> fed = Feed(filter, stream, piece);
    const mqtt::Connect connect = FirstConnect(fed, &rest);
    EXPECT_EQ(connect.client_id, "sensor-1") << "piece " << piece;
    EXPECT_EQ(connect.username, "sensor-1") << "piece " << piece;
    EXPECT_EQ(connect.version, mqtt::Version::kV311);
    EXPECT_EQ(rest, ping) << "piece " << piece;
    EXPECT_THAT(registrar.names, ElementsAre("sensor-1"));
  }
}

TEST(DevConnectFilterTest, EmptyClientIdGetsTheConnectionNumber) {
  RecordingRegistrar registrar;
  DevConnectFilter filter(&registrar, 1 << 20, 42);
  const std::vector<uint8_t> bytes =
      Bytes(ConnectOf("", std::nullopt), mqtt::Version::kV5);
  std::vector<uint8_t> rest;
  const std::vector<uint8_t> fed = Feed(filter, bytes, bytes.size());
  const mqtt::Connect connect = FirstConnect(fed, &rest);
  EXPECT_EQ(connect.client_id, "dev-42");
  EXPECT_EQ(connect.username, "dev-42");
  EXPECT_THAT(registrar.names, ElementsAre("dev-42"));
}

TEST(DevConnectFilterTest, WithoutRegistrarTheRuleStillApplies) {
  DevConnectFilter filter(nullptr, 1 << 20, 1);
  const std::vector<uint8_t> bytes =
      Bytes(ConnectOf("c", std::nullopt), mqtt::Version::kV5);
  std::vector<uint8_t> rest;
  const std::vector<uint8_t> fed = Feed(filter, bytes, 3);
  EXPECT_EQ(FirstConnect(fed, &rest).username, "c");
}

TEST(DevConnectFilterTest, WhatIsNotAConnectPassesUntouched) {
  RecordingRegistrar registrar;
  DevConnectFilter filter(&registrar, 1 << 20, 1);
  const std::vector<uint8_t> ping_first = {0xC0, 0x00, 0x10, 0x00};
  EXPECT_EQ(Feed(filter, ping_first, 1), ping_first);
  EXPECT_TRUE(registrar.names.empty());
}

TEST(DevConnectFilterTest, AnOversizeConnectIsNotHeldBeyondTheLimit) {
  RecordingRegistrar registrar;
  DevConnectFilter filter(&registrar, 64, 1);
  // A CONNECT announcing 1000 bytes: refused by its fixed header, handed on
  // for the broker to refuse (0x95) without waiting for the body.
  const std::vector<uint8_t> header = {0x10, 0xE8, 0x07};
  EXPECT_EQ(Feed(filter, header, header.size()), header);
  EXPECT_TRUE(registrar.names.empty());
}

}  // namespace
}  // namespace mqlab::server
