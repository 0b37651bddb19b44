#include "server/websocket/testing/outcome_oracle.h"

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "server/websocket/connection.h"
#include "server/websocket/testing/client_frames.h"
#include "server/websocket/testing/reference_model.h"
#include "server/websocket/testing/server_output.h"

namespace mqlab::server::websocket::testing {
namespace {

std::string CheckRefusal(const ConnectionOutcome& outcome,
                         const ServerOutput& output) {
  const int status = outcome.closure->http_status;
  if (status != 400 && status != 404 && status != 426 && status != 431) {
    return "refused with HTTP " + std::to_string(status) +
           ", not 400, 404, 426 or 431";
  }
  if (output.http_status != status) {
    return "the refusal's response says " + std::to_string(output.http_status) +
           ", the closure " + std::to_string(status);
  }
  if (!output.frames.empty()) return "frames after a refused upgrade";
  if (output.Header("connection") != "close") {
    return "a refusal without \"Connection: close\"";
  }
  if (output.body != outcome.closure->reason + "\n") {
    return "the refusal's body is not its reason";
  }
  if (status == 426 && output.Header("sec-websocket-version") != "13") {
    return "a 426 that does not name Sec-WebSocket-Version 13";
  }
  if (status == 431 &&
      outcome.input.size() < outcome.options->max_request_size) {
    return "431 for a request within the size bound";
  }
  if (!outcome.mqtt.empty()) return "MQTT bytes handed on after a refusal";
  if (outcome.state != WebSocketState::kClosed) {
    return "a refused connection is not closed";
  }
  return "";
}

std::string CheckFrames(const ConnectionOutcome& outcome,
                        const ServerOutput& output) {
  for (size_t i = 0; i < output.frames.size(); ++i) {
    const ServerFrame& frame = output.frames[i];
    if (frame.masked || frame.rsv != 0 || !frame.fin) {
      return "frame " + std::to_string(i) +
             " is masked, fragmented or has "
             "reserved bits";
    }
    if (frame.opcode != kBinary && frame.opcode != kPong &&
        frame.opcode != kClose) {
      return "frame " + std::to_string(i) + " has opcode " +
             std::to_string(frame.opcode);
    }
    if (frame.opcode == kClose && i + 1 != output.frames.size()) {
      return "a frame after the close frame";
    }
  }
  const std::vector<uint8_t> binary = output.BinaryPayload();
  if (!std::equal(binary.begin(), binary.end(), outcome.sent_mqtt.begin(),
                  outcome.sent_mqtt.end())) {
    return "the binary frames do not carry the MQTT bytes sent";
  }
  const ExpectedFrames expected =
      ExpectedFromClientStream(outcome.input.subspan(outcome.request_size),
                               outcome.options->max_message_size);
  const std::optional<uint16_t> close_code = output.CloseCode();
  if (close_code.has_value() != (outcome.closure->close_code != 0) ||
      (close_code && *close_code != outcome.closure->close_code)) {
    return "the close frame sent and the closure's code differ";
  }
  const bool mqtt_is_prefix =
      outcome.mqtt.size() <= expected.mqtt.size() &&
      std::equal(outcome.mqtt.begin(), outcome.mqtt.end(),
                 expected.mqtt.begin());
  if (outcome.server_closed) {
    if (!mqtt_is_prefix) {
      return "the MQTT bytes handed on are not a prefix of the stream's";
    }
    if (outcome.state == WebSocketState::kOpen) {
      return "open after the server's close";
    }
    return "";
  }
  if (!mqtt_is_prefix || outcome.mqtt.size() != expected.mqtt.size()) {
    return "the MQTT bytes handed on (" + std::to_string(outcome.mqtt.size()) +
           ") are not the binary frames' payload (" +
           std::to_string(expected.mqtt.size()) + ")";
  }
  std::vector<std::vector<uint8_t>> pongs;
  for (const ServerFrame& frame : output.frames) {
    if (frame.opcode == kPong) pongs.push_back(frame.payload);
  }
  // wslay sends a close ahead of the pongs it queued in the same read, and
  // nothing after a close: pings that arrive with the close may go
  // unanswered, depending on how the stream was cut.
  const bool pongs_match =
      close_code.has_value()
          ? pongs.size() <= expected.pongs.size() &&
                std::equal(pongs.begin(), pongs.end(), expected.pongs.begin())
          : pongs == expected.pongs;
  if (!pongs_match) return "the pongs do not answer the pings";
  const bool utf8_leeway = expected.close_has_reason && close_code == 1007;
  if (!utf8_leeway && (close_code != expected.close_code ||
                       outcome.closure->by_peer != expected.by_peer)) {
    return "closed with " + std::to_string(close_code.value_or(0)) +
           (outcome.closure->by_peer ? " (echo)" : "") + ", expected " +
           std::to_string(expected.close_code.value_or(0)) +
           (expected.by_peer ? " (echo)" : "");
  }
  const WebSocketState expected_state =
      close_code.has_value() ? WebSocketState::kClosed : WebSocketState::kOpen;
  if (outcome.state != expected_state) {
    return "the state does not follow the close frames";
  }
  return "";
}

}  // namespace

std::string CheckConnectionOutcome(const ConnectionOutcome& outcome) {
  const ServerOutput output = ReadServerOutput(outcome.output);
  if (!output.error.empty()) return "unreadable output: " + output.error;
  if (outcome.state == WebSocketState::kAwaitingUpgrade ||
      (outcome.state == WebSocketState::kClosed && output.http_status == 0)) {
    if (output.http_status != 0) return "an answer before the request ended";
    if (outcome.input.size() >= outcome.options->max_request_size &&
        outcome.state == WebSocketState::kAwaitingUpgrade) {
      return "still waiting past the request size bound";
    }
    return outcome.mqtt.empty() ? "" : "MQTT bytes before the upgrade";
  }
  if (outcome.closure->http_status != 0) return CheckRefusal(outcome, output);
  if (output.http_status != 101) {
    return "the upgrade was not refused but answered " +
           std::to_string(output.http_status);
  }
  const std::string protocol =
      output.Header("sec-websocket-protocol").value_or("");
  if (output.Header("upgrade") != "websocket" ||
      output.Header("connection") != "Upgrade" ||
      output.Header("sec-websocket-accept").value_or("").size() != 28 ||
      (protocol != "mqtt" && protocol != "mqttv3.1")) {
    return "a 101 without the upgrade headers and an MQTT subprotocol";
  }
  if (outcome.request_size == 0 ||
      outcome.input[outcome.request_size - 1] != '\n') {
    return "the upgrade request does not end in a line feed";
  }
  return CheckFrames(outcome, output);
}

}  // namespace mqlab::server::websocket::testing
