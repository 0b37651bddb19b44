// The fuzz targets' oracle fires: an honest run passes, and each way an
// outcome can be wrong (as a broken layer would make it) is reported.
#include "server/websocket/testing/outcome_oracle.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/websocket/connection.h"
#include "server/websocket/testing/client_frames.h"
#include "server/websocket/testing/fuzz_harness.h"

namespace mqlab::server::websocket::testing {
namespace {

using ::testing::HasSubstr;

// One connection fed `input` whole, the outcome's spans pointing into it.
class FedConnection {
 public:
  explicit FedConnection(std::vector<uint8_t> input)
      : input_(std::move(input)) {
    connection_.Feed(input_);
    output_.assign(connection_.output().begin(), connection_.output().end());
    mqtt_.assign(connection_.mqtt_input().begin(),
                 connection_.mqtt_input().end());
  }

  ConnectionOutcome Outcome() const {
    return {.options = &kFuzzOptions,
            .input = input_,
            .request_size = connection_.upgrade_request_size(),
            .output = output_,
            .mqtt = mqtt_,
            .sent_mqtt = {},
            .state = connection_.state(),
            .closure = &connection_.closure(),
            .server_closed = false};
  }

  std::vector<uint8_t>& output() { return output_; }
  std::vector<uint8_t>& mqtt() { return mqtt_; }

 private:
  std::vector<uint8_t> input_;
  WebSocketConnection connection_{kFuzzOptions};
  std::vector<uint8_t> output_;
  std::vector<uint8_t> mqtt_;
};

std::vector<uint8_t> RequestThen(const std::vector<ClientFrame>& frames,
                                 const UpgradeRequestFields& fields = {}) {
  std::vector<uint8_t> bytes = Bytes(UpgradeRequestText(fields));
  for (const ClientFrame& frame : frames) AppendClientFrame(frame, &bytes);
  return bytes;
}

const std::vector<uint8_t> kPingreq = {0xC0, 0x00};

TEST(OutcomeOracleTest, HonestRunsPass) {
  EXPECT_EQ(CheckConnectionOutcome(
                FedConnection(RequestThen({{.payload = kPingreq}})).Outcome()),
            "");
  EXPECT_EQ(CheckConnectionOutcome(
                FedConnection(RequestThen({}, {.target = "/"})).Outcome()),
            "");
  EXPECT_EQ(CheckConnectionOutcome(
                FedConnection(RequestThen({{.opcode = kText, .payload = {1}}}))
                    .Outcome()),
            "");
  // Through the fuzz harness, split at pseudo-random points.
  std::vector<uint8_t> stream =
      RequestThen({{.payload = kPingreq},
                   {.opcode = kPing, .payload = {1, 2}},
                   {.opcode = kClose, .payload = ClosePayload(1000)}});
  for (uint8_t seed = 0; seed < 20; ++seed) {
    EXPECT_EQ(RunConnection(seed, stream), "") << "seed " << int{seed};
  }
}

TEST(OutcomeOracleTest, FiresOnLostMqttBytes) {
  FedConnection run(RequestThen({{.payload = kPingreq}}));
  run.mqtt().pop_back();
  EXPECT_THAT(CheckConnectionOutcome(run.Outcome()),
              HasSubstr("MQTT bytes handed on"));
}

TEST(OutcomeOracleTest, FiresOnMqttFromATextFrame) {
  FedConnection run(RequestThen({{.opcode = kText, .payload = {1}}}));
  run.mqtt().push_back(1);
  EXPECT_THAT(CheckConnectionOutcome(run.Outcome()),
              HasSubstr("MQTT bytes handed on"));
}

TEST(OutcomeOracleTest, FiresOnTheWrongCloseCode) {
  FedConnection run(RequestThen({{.opcode = kText, .payload = {1}}}));
  // 1003 (0x03EB) becomes 1002 on the wire.
  ASSERT_EQ(run.output().back(), 0xEB);
  run.output().back() = 0xEA;
  EXPECT_THAT(CheckConnectionOutcome(run.Outcome()),
              HasSubstr("the close frame sent and the closure's code differ"));
}

TEST(OutcomeOracleTest, FiresOnAMissingPong) {
  FedConnection run(RequestThen({{.opcode = kPing, .payload = {7}}}));
  // Drop the pong (2 header bytes + 1 payload byte).
  run.output().resize(run.output().size() - 3);
  EXPECT_THAT(CheckConnectionOutcome(run.Outcome()),
              HasSubstr("the pongs do not answer the pings"));
}

TEST(OutcomeOracleTest, FiresOnAMaskedServerFrame) {
  FedConnection run(RequestThen({{.opcode = kPing, .payload = {7}}}));
  // Set the mask bit of the pong and append a zero mask key.
  run.output()[run.output().size() - 2] |= 0x80;
  run.output().insert(run.output().end() - 1, {0, 0, 0, 0});
  EXPECT_THAT(CheckConnectionOutcome(run.Outcome()), HasSubstr("masked"));
}

TEST(OutcomeOracleTest, FiresOnACutOffFrame) {
  FedConnection run(RequestThen({{.opcode = kPing, .payload = {7}}}));
  run.output().pop_back();
  EXPECT_THAT(CheckConnectionOutcome(run.Outcome()),
              HasSubstr("unreadable output"));
}

TEST(OutcomeOracleTest, FiresOnARefusalWithTheWrongStatus) {
  FedConnection run(RequestThen({}, {.target = "/"}));
  const std::string ok = "HTTP/1.1 200";
  std::copy(ok.begin(), ok.end(), run.output().begin());
  EXPECT_THAT(CheckConnectionOutcome(run.Outcome()),
              HasSubstr("the refusal's response says 200"));
}

TEST(OutcomeOracleTest, FiresOnBinaryFramesThatAreNotWhatWasSent) {
  FedConnection run(RequestThen({}));
  AppendClientFrame({.masked = false, .payload = {1}}, &run.output());
  EXPECT_THAT(CheckConnectionOutcome(run.Outcome()),
              HasSubstr("do not carry the MQTT bytes sent"));
}

TEST(OutcomeOracleTest, FiresOnAnAnswerlessCompleteRequestPastTheBound) {
  std::vector<uint8_t> input(kFuzzOptions.max_request_size, 'a');
  ConnectionOutcome outcome =
      FedConnection(Bytes("GET /mqtt HTTP/1.1\r\n")).Outcome();
  outcome.input = input;  // As if the layer had not bounded the request.
  EXPECT_THAT(CheckConnectionOutcome(outcome),
              HasSubstr("past the request size bound"));
}

}  // namespace
}  // namespace mqlab::server::websocket::testing
