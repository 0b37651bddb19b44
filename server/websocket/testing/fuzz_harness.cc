#include "server/websocket/testing/fuzz_harness.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/check.h"
#include "mqtt/decoder.h"
#include "mqtt/packet.h"
#include "mqtt/testing/codec_fuzz_input.h"
#include "server/websocket/connection.h"
#include "server/websocket/testing/outcome_oracle.h"

namespace mqlab::server::websocket::testing {
namespace {

void TakeOutput(WebSocketConnection* connection, std::vector<uint8_t>* out) {
  const std::span<const uint8_t> output = connection->output();
  out->insert(out->end(), output.begin(), output.end());
  connection->ConsumeOutput(output.size());
}

}  // namespace

std::string RunConnection(uint8_t split_seed, std::span<const uint8_t> stream) {
  WebSocketConnection connection(kFuzzOptions);
  // Reused across inputs, like a server's per-connection decoder.
  static mqtt::Decoder decoder;
  decoder.Reset({});
  static mqtt::Packet packet;
  std::vector<uint8_t> output;
  std::vector<uint8_t> mqtt;
  std::vector<uint8_t> sent;
  bool server_closed = false;
  mqtt::testing::StreamSplitter splitter(split_seed, stream);
  for (mqtt::Bytes chunk = splitter.Next(); !chunk.empty();
       chunk = splitter.Next()) {
    connection.Feed(chunk);
    TakeOutput(&connection, &output);
    mqtt::Bytes received = connection.mqtt_input();
    mqtt.insert(mqtt.end(), received.begin(), received.end());
    if (connection.SendMqtt(received)) {
      sent.insert(sent.end(), received.begin(), received.end());
    }
    const size_t received_size = received.size();
    mqtt::DecodeError error;
    mqtt::Decoder::Status status;
    do {
      status = decoder.Next(&received, &packet, &error);
    } while (status == mqtt::Decoder::Status::kPacket);
    connection.ConsumeMqttInput(received_size);
    if (status == mqtt::Decoder::Status::kError &&
        connection.state() == WebSocketState::kOpen) {
      connection.Close(kCloseNormal);
      server_closed = true;
    }
    TakeOutput(&connection, &output);
  }
  return CheckConnectionOutcome({
      .options = &kFuzzOptions,
      .input = stream,
      .request_size = connection.upgrade_request_size(),
      .output = output,
      .mqtt = mqtt,
      .sent_mqtt = sent,
      .state = connection.state(),
      .closure = &connection.closure(),
      .server_closed = server_closed,
  });
}

void RunFuzzInput(std::span<const uint8_t> input,
                  std::span<const uint8_t> stream_prefix) {
  if (input.empty()) return;
  // Reused across inputs so that the loop does not allocate it each time.
  static std::vector<uint8_t> stream;
  stream.assign(stream_prefix.begin(), stream_prefix.end());
  stream.insert(stream.end(), input.begin() + 1, input.end());
  const std::string verdict = RunConnection(input[0], stream);
  MQLAB_CHECK_MSG(verdict.empty(), verdict.c_str());
}

}  // namespace mqlab::server::websocket::testing
