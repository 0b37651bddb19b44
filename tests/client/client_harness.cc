#include "tests/client/client_harness.h"

#include <cstdio>
#include <utility>

#include "gtest/gtest.h"
#include "mqtt/decoder.h"
#include "mqtt/encoder.h"
#include "mqtt/printer.h"

namespace mqlab::client::testing {
namespace {

std::string Code(mqtt::ReasonCode code) {
  char text[8];
  std::snprintf(text, sizeof(text), "0x%02x", static_cast<unsigned>(code));
  return text;
}

std::string Codes(mqtt::Bytes codes) {
  std::string out;
  for (const uint8_t code : codes) {
    char text[4];
    std::snprintf(text, sizeof(text), "%02x", code);
    if (!out.empty()) out += ",";
    out += text;
  }
  return out;
}

template <typename Response>
std::string DescribeResponse(const Response& r) {
  return " rc=" + Code(r.reason_code);
}

}  // namespace

mqtt::Bytes AsBytes(std::string_view text) {
  return mqtt::Bytes(reinterpret_cast<const uint8_t*>(text.data()),
                     text.size());
}

std::string Text(mqtt::Bytes bytes) {
  return std::string(bytes.begin(), bytes.end());
}

std::string Describe(const mqtt::Packet& packet) {
  std::string out(mqtt::PacketTypeName(mqtt::TypeOf(packet)));
  if (const auto* c = std::get_if<mqtt::Connect>(&packet)) {
    out += " clean=" + std::to_string(c->clean_start) +
           " keep_alive=" + std::to_string(c->keep_alive) +
           " id=" + std::string(c->client_id);
  } else if (const auto* p = std::get_if<mqtt::Publish>(&packet)) {
    out += " qos=" + std::to_string(static_cast<int>(p->qos)) +
           " dup=" + std::to_string(p->dup) + " topic=" + std::string(p->topic);
    if (p->properties.topic_alias.has_value()) {
      out += " alias=" + std::to_string(*p->properties.topic_alias);
    }
    if (p->retain) out += " retain";
    out += " payload=" + Text(p->payload);
  } else if (const auto* a = std::get_if<mqtt::Puback>(&packet)) {
    out += DescribeResponse(*a);
  } else if (const auto* r = std::get_if<mqtt::Pubrec>(&packet)) {
    out += DescribeResponse(*r);
  } else if (const auto* l = std::get_if<mqtt::Pubrel>(&packet)) {
    out += DescribeResponse(*l);
  } else if (const auto* m = std::get_if<mqtt::Pubcomp>(&packet)) {
    out += DescribeResponse(*m);
  } else if (const auto* s = std::get_if<mqtt::Subscribe>(&packet)) {
    for (const mqtt::Subscription sub : s->subscriptions) {
      out += " " + std::string(sub.topic_filter) + ":" +
             std::to_string(static_cast<int>(sub.options.maximum_qos));
    }
    for (const uint32_t id : s->properties.subscription_identifiers) {
      out += " sid=" + std::to_string(id);
    }
  } else if (const auto* u = std::get_if<mqtt::Unsubscribe>(&packet)) {
    for (const std::string_view filter : u->topic_filters) {
      out += " " + std::string(filter);
    }
  } else if (const auto* d = std::get_if<mqtt::Disconnect>(&packet)) {
    out += " rc=" + Code(d->reason_code);
  }
  return out;
}

std::vector<mqtt::Packet> ScriptedHost::TakePackets() {
  std::vector<mqtt::Packet> packets;
  for (; taken_ < sent.size(); ++taken_) {
    mqtt::Packet packet;
    mqtt::DecodeError error;
    const mqtt::Decoder::Status status =
        mqtt::DecodePacket(sent[taken_], version_, &packet, &error);
    EXPECT_EQ(status, mqtt::Decoder::Status::kPacket) << error.rule;
    packets.push_back(packet);
  }
  return packets;
}

std::vector<std::string> ScriptedHost::TakeDescriptions() {
  std::vector<std::string> lines;
  for (const mqtt::Packet& packet : TakePackets()) {
    lines.push_back(Describe(packet));
  }
  return lines;
}

void RecordingObserver::OnConnack(const ConnackEvent& e) {
  log.push_back("connack rc=" + Code(e.reason_code) +
                " session_present=" + std::to_string(e.session_present) +
                " resubscribed=" + std::to_string(e.resubscribed_filters) +
                " resent=" + std::to_string(e.resent_messages));
  if (on_connack) on_connack(e);
}

void RecordingObserver::OnMessage(const MessageEvent& e, MessageAck* ack) {
  log.push_back("message topic=" + std::string(e.topic) +
                " qos=" + std::to_string(static_cast<int>(e.qos)) + " dup=" +
                std::to_string(e.dup) + " payload=" + Text(e.payload));
  if (on_message) on_message(e, ack);
}

void RecordingObserver::OnPublishAcknowledged(
    const PublishAcknowledgedEvent& e) {
  log.push_back("acked m" + std::to_string(e.message_id) +
                " rc=" + Code(e.reason_code));
}

void RecordingObserver::OnPublishFailed(const PublishFailedEvent& e) {
  log.push_back("failed m" + std::to_string(e.message_id) + " " +
                std::string(PublishFailureName(e.failure)));
}

void RecordingObserver::OnSubscribeResult(const SubscribeResultEvent& e) {
  std::string line = "suback r" + std::to_string(e.request_id);
  for (const mqtt::Subscription s : e.subscriptions) {
    line += " " + std::string(s.topic_filter);
  }
  line += " codes=" + Codes(e.reason_codes);
  if (e.resubscribe) line += " resubscribe";
  if (e.too_large) line += " too_large";
  log.push_back(line);
}

void RecordingObserver::OnUnsubscribeResult(const UnsubscribeResultEvent& e) {
  std::string line = "unsuback r" + std::to_string(e.request_id);
  for (const std::string_view filter : e.topic_filters) {
    line += " " + std::string(filter);
  }
  line += " codes=" + Codes(e.reason_codes);
  if (e.too_large) line += " too_large";
  log.push_back(line);
}

void RecordingObserver::OnResponse(const ResponseEvent& e) {
  log.push_back("response r" + std::to_string(e.request_id) +
                " topic=" + std::string(e.message.topic) +
                " payload=" + Text(e.message.payload));
}

void RecordingObserver::OnRequestTimedOut(const RequestTimedOutEvent& e) {
  log.push_back("timeout r" + std::to_string(e.request_id));
}

void RecordingObserver::OnDisconnected(const DisconnectedEvent& e) {
  log.push_back("disconnected " + std::string(DisconnectCauseName(e.cause)) +
                " rc=" + Code(e.reason_code) +
                " reconnect=" + std::to_string(e.will_reconnect));
  last_cause = e.cause;
  last_rule = std::string(e.rule);
  if (on_disconnected) on_disconnected(e);
}

void RecordingObserver::OnReconnecting(const ReconnectingEvent& e) {
  log.push_back("reconnecting attempt=" + std::to_string(e.attempt));
  reconnect_delays.push_back(e.delay);
  EXPECT_EQ(e.at, e.time + e.delay);
}

std::vector<std::string> RecordingObserver::Take() {
  std::vector<std::string> lines(log.begin() + taken_, log.end());
  taken_ = log.size();
  return lines;
}

ClientHarness::ClientHarness(const ClientOptions& client_options, uint64_t seed)
    : options(client_options),
      random(seed),
      host(client_options.version),
      client(options, &host, &observer, &random) {}

void ClientHarness::Connect(const ConnectOptions& connect_options,
                            const mqtt::Connack& connack) {
  ASSERT_TRUE(client.Connect(connect_options, now).ok());
  ASSERT_EQ(client.state(), Client::State::kOpening);
  client.OnConnected(now);
  const std::vector<mqtt::Packet> connect = SentPackets();
  ASSERT_EQ(connect.size(), 1u);
  ASSERT_EQ(mqtt::TypeOf(connect[0]), mqtt::PacketType::kConnect);
  Receive(connack);
}

mqtt::Connect ClientHarness::Reconnect(const mqtt::Connack& connack) {
  EXPECT_EQ(client.state(), Client::State::kWaitingToReconnect);
  AdvanceTo(client.NextDeadline());
  EXPECT_EQ(client.state(), Client::State::kOpening);
  host.TakePackets();  // What the old connection sent.
  client.OnConnected(now);
  const std::vector<mqtt::Packet> connect = SentPackets();
  EXPECT_EQ(connect.size(), 1u);
  Receive(connack);
  return connect.empty() ? mqtt::Connect{}
                         : std::get<mqtt::Connect>(connect[0]);
}

void ClientHarness::Receive(const mqtt::Packet& packet) {
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(mqtt::Encode(packet, options.version, &bytes))
      << mqtt::PacketToString(packet);
  ReceiveBytes(bytes);
}

void ClientHarness::ReceiveBytes(std::span<const uint8_t> bytes) {
  client.OnBytesReceived(bytes, now);
}

void ClientHarness::AdvanceTo(Time time) {
  now = time;
  client.Advance(now);
}

ApplicationMessage ClientHarness::Message(std::string_view topic,
                                          std::string_view payload,
                                          mqtt::Qos qos) {
  return {.topic = topic, .payload = AsBytes(payload), .qos = qos};
}

}  // namespace mqlab::client::testing
