// The opening handshake through WebSocketConnection: acceptance with the
// right Sec-WebSocket-Accept and subprotocol, every refusal with its status,
// and the request split at every byte.
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

using testing::Bytes;
using testing::ReadServerOutput;
using testing::ServerOutput;
using testing::UpgradeRequestFields;
using testing::UpgradeRequestText;

std::span<const uint8_t> AsBytes(const std::string& text) {
  return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()),
                                  text.size());
}

ServerOutput Upgrade(WebSocketConnection* connection,
                     const UpgradeRequestFields& fields) {
  connection->Feed(AsBytes(UpgradeRequestText(fields)));
  return ReadServerOutput(connection->output());
}

TEST(UpgradeTest, AcceptsWithTheRfcAcceptValueAndEchoesMqtt) {
  WebSocketConnection connection;
  EXPECT_EQ(connection.state(), WebSocketState::kAwaitingUpgrade);
  const ServerOutput output = Upgrade(&connection, {});
  ASSERT_EQ(output.error, "");
  EXPECT_EQ(output.http_status, 101);
  EXPECT_EQ(output.Header("upgrade"), "websocket");
  EXPECT_EQ(output.Header("connection"), "Upgrade");
  EXPECT_EQ(output.Header("sec-websocket-accept"), testing::kExampleAccept);
  EXPECT_EQ(output.Header("sec-websocket-protocol"), "mqtt");
  EXPECT_EQ(connection.state(), WebSocketState::kOpen);
  EXPECT_EQ(connection.subprotocol(), "mqtt");
}

TEST(UpgradeTest, EchoesTheFirstMqttSubprotocolOffered) {
  WebSocketConnection connection;
  const ServerOutput output =
      Upgrade(&connection, {.protocol = "chat, mqttv3.1, mqtt"});
  EXPECT_EQ(output.Header("sec-websocket-protocol"), "mqttv3.1");
}

TEST(UpgradeTest, HeaderNamesAndTokensAreCaseInsensitive) {
  WebSocketConnection connection;
  connection.Feed(
      AsBytes("GET /mqtt?x=1 HTTP/1.1\r\nhost: a\r\nUPGRADE: WebSocket\r\n"
              "connection: keep-alive, upgrade\r\nsec-websocket-version: 13\r\n"
              "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
              "sec-websocket-protocol: mqtt\r\n\r\n"));
  EXPECT_EQ(ReadServerOutput(connection.output()).http_status, 101);
}

struct Refusal {
  const char* name;
  UpgradeRequestFields fields;
  int status;
};

class RefusalTest : public ::testing::TestWithParam<Refusal> {};

TEST_P(RefusalTest, RefusesWithStatusAndCloses) {
  WebSocketConnection connection;
  const ServerOutput output = Upgrade(&connection, GetParam().fields);
  ASSERT_EQ(output.error, "");
  EXPECT_EQ(output.http_status, GetParam().status);
  EXPECT_EQ(output.Header("connection"), "close");
  EXPECT_TRUE(output.frames.empty());
  EXPECT_EQ(connection.state(), WebSocketState::kClosed);
  EXPECT_EQ(connection.closure().http_status, GetParam().status);
  EXPECT_EQ(output.body, connection.closure().reason + "\n");
  // Nothing more is read.
  connection.ConsumeOutput(connection.output().size());
  connection.Feed(testing::ClientFrameBytes({.payload = Bytes("x")}));
  EXPECT_TRUE(connection.output().empty());
  EXPECT_TRUE(connection.mqtt_input().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Upgrade, RefusalTest,
    ::testing::Values(
        Refusal{"NoSubprotocol", {.protocol = ""}, 400},
        Refusal{"OtherSubprotocol", {.protocol = "chat, MQTT"}, 400},
        Refusal{"WrongPath", {.target = "/"}, 404},
        Refusal{"WrongPathPrefix", {.target = "/mqtt/x"}, 404},
        Refusal{"BadVersion", {.websocket_version = "8"}, 426},
        Refusal{"NoVersion", {.websocket_version = ""}, 426},
        Refusal{"NoUpgrade", {.upgrade = ""}, 426},
        Refusal{"NoConnectionUpgrade", {.connection = "keep-alive"}, 400},
        Refusal{"NoKey", {.key = ""}, 400},
        Refusal{"ShortKey", {.key = "c2hvcnQ="}, 400},
        Refusal{"NoHost", {.host = ""}, 400},
        Refusal{"Post", {.method = "POST"}, 400},
        Refusal{"Http10", {.http_version = "HTTP/1.0"}, 400},
        Refusal{"Body", {.extra_headers = "Content-Length: 5\r\n"}, 400},
        Refusal{"TwoKeys",
                {.extra_headers =
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"},
                400},
        Refusal{"NotHttp", {.http_version = "SMTP"}, 400}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(UpgradeTest, HeaderEndingInCrAndAnotherByteIsRefused) {
  // libhttp-parser, built lenient, takes "\r\n\r" and any byte as the end.
  std::string request = UpgradeRequestText();
  request.back() = '1';
  WebSocketConnection connection;
  connection.Feed(AsBytes(request));
  EXPECT_EQ(ReadServerOutput(connection.output()).http_status, 400);
  EXPECT_EQ(connection.state(), WebSocketState::kClosed);
}

TEST(UpgradeTest, VersionRefusalNamesTheVersionToUse) {
  WebSocketConnection connection;
  const ServerOutput output = Upgrade(&connection, {.websocket_version = "8"});
  EXPECT_EQ(output.Header("sec-websocket-version"), "13");
  EXPECT_EQ(output.Header("upgrade"), "websocket");
}

TEST(UpgradeTest, OversizedHeaderIsRefusedWith431AtTheBound) {
  WebSocketConnection connection({.max_request_size = 256});
  const std::string request = UpgradeRequestText(
      {.extra_headers = "X-Padding: " + std::string(300, 'p') + "\r\n"});
  // Fed a byte at a time: the refusal comes at byte 256, not later.
  for (size_t i = 0; i < request.size(); ++i) {
    connection.Feed(AsBytes(request).subspan(i, 1));
    if (connection.state() != WebSocketState::kAwaitingUpgrade) {
      EXPECT_EQ(i + 1, 256u);
      break;
    }
  }
  EXPECT_EQ(ReadServerOutput(connection.output()).http_status, 431);
  EXPECT_EQ(connection.closure().http_status, 431);
}

TEST(UpgradeTest, RequestSplitAtEveryByteGivesTheSameAnswer) {
  const std::string request = UpgradeRequestText();
  WebSocketConnection whole;
  whole.Feed(AsBytes(request));
  const std::vector<uint8_t> expected(whole.output().begin(),
                                      whole.output().end());
  for (size_t split = 1; split < request.size(); ++split) {
    WebSocketConnection connection;
    connection.Feed(AsBytes(request).first(split));
    EXPECT_EQ(connection.state(), WebSocketState::kAwaitingUpgrade)
        << "split " << split;
    EXPECT_TRUE(connection.output().empty());
    connection.Feed(AsBytes(request).subspan(split));
    EXPECT_EQ(std::vector<uint8_t>(connection.output().begin(),
                                   connection.output().end()),
              expected)
        << "split " << split;
  }
  WebSocketConnection bytewise;
  for (size_t i = 0; i < request.size(); ++i) {
    bytewise.Feed(AsBytes(request).subspan(i, 1));
  }
  EXPECT_EQ(
      std::vector<uint8_t>(bytewise.output().begin(), bytewise.output().end()),
      expected);
}

TEST(UpgradeTest, FramesRightAfterTheRequestAreRead) {
  std::string request = UpgradeRequestText();
  const std::vector<uint8_t> pingreq = {0xC0, 0x00};
  const std::vector<uint8_t> frame =
      testing::ClientFrameBytes({.payload = pingreq});
  request.append(frame.begin(), frame.end());
  WebSocketConnection connection;
  connection.Feed(AsBytes(request));
  EXPECT_EQ(std::vector<uint8_t>(connection.mqtt_input().begin(),
                                 connection.mqtt_input().end()),
            pingreq);
}

TEST(UpgradeTest, CloseBeforeTheRequestEndsSendsNothing) {
  WebSocketConnection connection;
  connection.Feed(AsBytes("GET /mq"));
  connection.Close(kCloseGoingAway);
  EXPECT_EQ(connection.state(), WebSocketState::kClosed);
  EXPECT_TRUE(connection.output().empty());
  EXPECT_EQ(connection.closure().http_status, 0);
}

}  // namespace
}  // namespace mqlab::server::websocket
