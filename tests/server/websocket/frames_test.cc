// The frame stream of an open connection: MQTT bytes through binary frames
// however they are cut, ping/pong, the closing handshake, and each refusal
// with its close code.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/websocket/connection.h"
#include "server/websocket/testing/client_frames.h"
#include "server/websocket/testing/server_output.h"

namespace mqlab::server::websocket {
namespace {

using testing::AppendClientFrame;
using testing::Bytes;
using testing::ClientFrame;
using testing::ClientFrameBytes;
using testing::ClosePayload;
using testing::ReadServerOutput;
using testing::ServerOutput;

// An MQTT 5 CONNECT (ClientId "a") and a PINGREQ.
const std::vector<uint8_t> kConnect = {0x10, 0x0E, 0x00, 0x04, 'M',  'Q',
                                       'T',  'T',  0x05, 0x02, 0x00, 0x3C,
                                       0x00, 0x00, 0x01, 'a'};
const std::vector<uint8_t> kPingreq = {0xC0, 0x00};

class FramesTest : public ::testing::Test {
 protected:
  explicit FramesTest(const WebSocketOptions& options = {})
      : connection_(options) {
    const std::string request = testing::UpgradeRequestText();
    connection_.Feed(std::span<const uint8_t>(
        reinterpret_cast<const uint8_t*>(request.data()), request.size()));
    EXPECT_EQ(connection_.state(), WebSocketState::kOpen);
    connection_.ConsumeOutput(connection_.output().size());
  }

  // Feeds `bytes` and returns the frames written in answer.
  ServerOutput FeedAndRead(const std::vector<uint8_t>& bytes) {
    connection_.Feed(bytes);
    return ReadFramesWritten();
  }

  ServerOutput ReadFramesWritten() {
    // Prefix a response head so that the reader reads frames only.
    std::vector<uint8_t> bytes = Bytes("HTTP/1.1 101 X\r\n\r\n");
    bytes.insert(bytes.end(), connection_.output().begin(),
                 connection_.output().end());
    connection_.ConsumeOutput(connection_.output().size());
    ServerOutput output = ReadServerOutput(bytes);
    EXPECT_EQ(output.error, "");
    return output;
  }

  std::vector<uint8_t> TakeMqtt() {
    std::vector<uint8_t> mqtt(connection_.mqtt_input().begin(),
                              connection_.mqtt_input().end());
    connection_.ConsumeMqttInput(mqtt.size());
    return mqtt;
  }

  void ExpectClosedWith(const ServerOutput& output, uint16_t code,
                        bool by_peer) {
    EXPECT_EQ(output.CloseCode(), code);
    EXPECT_EQ(connection_.state(), WebSocketState::kClosed);
    EXPECT_EQ(connection_.closure().close_code, code);
    EXPECT_EQ(connection_.closure().by_peer, by_peer);
    EXPECT_FALSE(connection_.closure().reason.empty());
    EXPECT_FALSE(connection_.SendMqtt(kPingreq));
  }

  WebSocketConnection connection_;
};

std::vector<uint8_t> Concat(const std::vector<uint8_t>& a,
                            const std::vector<uint8_t>& b) {
  std::vector<uint8_t> joined = a;
  joined.insert(joined.end(), b.begin(), b.end());
  return joined;
}

TEST_F(FramesTest, SeveralPacketsInOneFrame) {
  const std::vector<uint8_t> packets = Concat(kConnect, kPingreq);
  EXPECT_TRUE(
      FeedAndRead(ClientFrameBytes({.payload = packets})).frames.empty());
  EXPECT_EQ(TakeMqtt(), packets);
  EXPECT_EQ(connection_.state(), WebSocketState::kOpen);
}

TEST_F(FramesTest, OnePacketAcrossFramesAndMessages) {
  std::vector<uint8_t> stream;
  // A fragmented message (binary + continuation), then a message of its own.
  AppendClientFrame(
      {.fin = false, .payload = {kConnect.begin(), kConnect.begin() + 3}},
      &stream);
  AppendClientFrame({.opcode = testing::kContinuation,
                     .payload = {kConnect.begin() + 3, kConnect.begin() + 9}},
                    &stream);
  AppendClientFrame({.payload = {kConnect.begin() + 9, kConnect.end()}},
                    &stream);
  // The stream itself split at every byte.
  for (uint8_t byte : stream) connection_.Feed(std::span(&byte, 1));
  EXPECT_EQ(TakeMqtt(), kConnect);
  EXPECT_TRUE(connection_.output().empty());
}

TEST_F(FramesTest, PingInsideAFragmentedMessageIsAnsweredWithPong) {
  std::vector<uint8_t> stream;
  AppendClientFrame({.fin = false, .payload = {0xC0}}, &stream);
  AppendClientFrame({.opcode = testing::kPing, .payload = Bytes("hi")},
                    &stream);
  AppendClientFrame({.opcode = testing::kContinuation, .payload = {0x00}},
                    &stream);
  const ServerOutput output = FeedAndRead(stream);
  ASSERT_EQ(output.frames.size(), 1u);
  EXPECT_EQ(output.frames[0].opcode, testing::kPong);
  EXPECT_EQ(output.frames[0].payload, Bytes("hi"));
  EXPECT_EQ(TakeMqtt(), kPingreq);
}

TEST(SendMqttTest, WritesUnmaskedBinaryFramesCutAtTheBound) {
  WebSocketConnection connection({.max_outgoing_frame_size = 10});
  const std::string request = testing::UpgradeRequestText();
  connection.Feed(std::span<const uint8_t>(
      reinterpret_cast<const uint8_t*>(request.data()), request.size()));
  connection.ConsumeOutput(connection.output().size());
  EXPECT_TRUE(connection.SendMqtt(kConnect));
  std::vector<uint8_t> bytes = Bytes("HTTP/1.1 101 X\r\n\r\n");
  bytes.insert(bytes.end(), connection.output().begin(),
               connection.output().end());
  const ServerOutput output = ReadServerOutput(bytes);
  ASSERT_EQ(output.error, "");
  ASSERT_EQ(output.frames.size(), 2u);
  for (const auto& frame : output.frames) {
    EXPECT_EQ(frame.opcode, testing::kBinary);
    EXPECT_TRUE(frame.fin);
    EXPECT_FALSE(frame.masked);
  }
  EXPECT_EQ(output.frames[0].payload.size(), 10u);
  EXPECT_EQ(output.BinaryPayload(), kConnect);
}

TEST_F(FramesTest, PeerCloseIsEchoed) {
  const ServerOutput output = FeedAndRead(ClientFrameBytes(
      {.opcode = testing::kClose, .payload = ClosePayload(1000, "bye")}));
  ExpectClosedWith(output, 1000, /*by_peer=*/true);
  EXPECT_EQ(output.frames.back().payload, ClosePayload(1000, "bye"));
}

TEST_F(FramesTest, PingArrivingWithTheCloseGoesUnanswered) {
  // wslay sends the close ahead of the pong it queued in the same read, and
  // nothing after a close (docs/server.md, "WebSockets").
  const ServerOutput output = FeedAndRead(
      Concat(ClientFrameBytes({.opcode = testing::kPing, .payload = {1}}),
             ClientFrameBytes(
                 {.opcode = testing::kClose, .payload = ClosePayload(1000)})));
  ASSERT_EQ(output.frames.size(), 1u);
  ExpectClosedWith(output, 1000, /*by_peer=*/true);
}

TEST_F(FramesTest, EmptyPeerCloseIsEchoedEmpty) {
  const ServerOutput output =
      FeedAndRead(ClientFrameBytes({.opcode = testing::kClose}));
  ExpectClosedWith(output, kCloseNoStatus, /*by_peer=*/true);
}

TEST_F(FramesTest, ServerCloseWaitsForThePeersClose) {
  connection_.Close(kCloseGoingAway);
  EXPECT_EQ(connection_.state(), WebSocketState::kClosing);
  EXPECT_EQ(ReadFramesWritten().CloseCode(), kCloseGoingAway);
  EXPECT_FALSE(connection_.SendMqtt(kPingreq));
  // Data the peer sent before it saw the close is not handed on.
  EXPECT_TRUE(
      FeedAndRead(ClientFrameBytes({.payload = kPingreq})).frames.empty());
  EXPECT_TRUE(TakeMqtt().empty());
  EXPECT_TRUE(FeedAndRead(ClientFrameBytes({.opcode = testing::kClose,
                                            .payload = ClosePayload(1001)}))
                  .frames.empty());
  EXPECT_EQ(connection_.state(), WebSocketState::kClosed);
  EXPECT_EQ(connection_.closure().close_code, kCloseGoingAway);
  EXPECT_FALSE(connection_.closure().by_peer);
}

TEST_F(FramesTest, TextFrameIsRefusedWith1003) {
  const ServerOutput output = FeedAndRead(Concat(
      ClientFrameBytes({.opcode = testing::kText, .payload = Bytes("{}")}),
      ClientFrameBytes({.payload = kPingreq})));
  ExpectClosedWith(output, kCloseUnsupportedData, /*by_peer=*/false);
  EXPECT_TRUE(TakeMqtt().empty());
}

TEST_F(FramesTest, UnmaskedFrameIsRefusedWith1002) {
  const ServerOutput output =
      FeedAndRead(ClientFrameBytes({.masked = false, .payload = kPingreq}));
  ExpectClosedWith(output, kCloseProtocolError, /*by_peer=*/false);
  EXPECT_TRUE(TakeMqtt().empty());
}

TEST_F(FramesTest, ReservedBitsAndOpcodesAreRefusedWith1002) {
  EXPECT_EQ(FeedAndRead(ClientFrameBytes({.rsv = 4, .payload = kPingreq}))
                .CloseCode(),
            kCloseProtocolError);
}

TEST_F(FramesTest, ContinuationWithoutAMessageIsRefusedWith1002) {
  ExpectClosedWith(FeedAndRead(ClientFrameBytes(
                       {.opcode = testing::kContinuation, .payload = {1}})),
                   kCloseProtocolError, false);
}

TEST_F(FramesTest, BrokenFrameHeaderIsRefusedWith1002) {
  // A ping of 126 bytes: control frames carry at most 125 (RFC 6455 5.5).
  ExpectClosedWith(
      FeedAndRead(ClientFrameBytes(
          {.opcode = testing::kPing, .payload = std::vector<uint8_t>(126)})),
      kCloseProtocolError, false);
}

TEST_F(FramesTest, NonMinimalLengthIsRefusedWith1002) {
  ExpectClosedWith(
      FeedAndRead(ClientFrameBytes({.long_length = true, .payload = {1}})),
      kCloseProtocolError, false);
}

class SmallFramesTest : public FramesTest {
 protected:
  SmallFramesTest() : FramesTest({.max_message_size = 16}) {}
};

TEST_F(SmallFramesTest, OversizedFrameIsRefusedWith1009) {
  ExpectClosedWith(
      FeedAndRead(ClientFrameBytes({.payload = std::vector<uint8_t>(17)})),
      kCloseMessageTooBig, false);
  EXPECT_TRUE(TakeMqtt().empty());
}

TEST_F(SmallFramesTest, OversizedFragmentedMessageIsRefusedWith1009) {
  std::vector<uint8_t> stream;
  AppendClientFrame({.fin = false, .payload = std::vector<uint8_t>(10, 7)},
                    &stream);
  AppendClientFrame(
      {.opcode = testing::kContinuation, .payload = std::vector<uint8_t>(7, 7)},
      &stream);
  ExpectClosedWith(FeedAndRead(stream), kCloseMessageTooBig, false);
  EXPECT_EQ(TakeMqtt(), std::vector<uint8_t>(10, 7));
}

TEST_F(SmallFramesTest, FramesAtTheBoundPass) {
  std::vector<uint8_t> stream;
  for (int i = 0; i < 3; ++i) {
    AppendClientFrame({.payload = std::vector<uint8_t>(16, 1)}, &stream);
  }
  EXPECT_TRUE(FeedAndRead(stream).frames.empty());
  EXPECT_EQ(TakeMqtt().size(), 48u);
  EXPECT_EQ(connection_.state(), WebSocketState::kOpen);
}

}  // namespace
}  // namespace mqlab::server::websocket
