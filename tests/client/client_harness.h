// A scripted peer for the client tests: a ClientHost that records what the
// client asks for and sends, an observer that logs every event as a line of
// text, and a harness that plays the server's part with packets made by the
// codec.
#ifndef MQLAB_TESTS_CLIENT_CLIENT_HARNESS_H_
#define MQLAB_TESTS_CLIENT_CLIENT_HARNESS_H_

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/random.h"
#include "base/time.h"
#include "client/client.h"
#include "mqtt/packet.h"

namespace mqlab::client::testing {

mqtt::Bytes AsBytes(std::string_view text);
std::string Text(mqtt::Bytes bytes);

// One line per packet, e.g. "PUBLISH qos=1 dup=0 topic=a/b payload=hi".
// Packet identifiers are left out (the client derives them from its slots);
// tests that care read them from the packets.
std::string Describe(const mqtt::Packet& packet);

class ScriptedHost : public ClientHost {
 public:
  explicit ScriptedHost(mqtt::Version version) : version_(version) {}

  void OpenConnection() override { ++open_calls; }
  void Send(std::span<const uint8_t> bytes) override {
    sent.emplace_back(bytes.begin(), bytes.end());
  }
  void Close() override { ++close_calls; }

  // The packets sent since the last call, decoded (the client sends one
  // packet per Send). They refer into `sent`, which only grows.
  std::vector<mqtt::Packet> TakePackets();
  // Describe() of each of TakePackets().
  std::vector<std::string> TakeDescriptions();

  int open_calls = 0;
  int close_calls = 0;
  std::vector<std::vector<uint8_t>> sent;

 private:
  mqtt::Version version_;
  size_t taken_ = 0;
};

class RecordingObserver : public ClientObserver {
 public:
  void OnConnack(const ConnackEvent& e) override;
  void OnMessage(const MessageEvent& e, MessageAck* ack) override;
  void OnPublishAcknowledged(const PublishAcknowledgedEvent& e) override;
  void OnPublishFailed(const PublishFailedEvent& e) override;
  void OnSubscribeResult(const SubscribeResultEvent& e) override;
  void OnUnsubscribeResult(const UnsubscribeResultEvent& e) override;
  void OnResponse(const ResponseEvent& e) override;
  void OnRequestTimedOut(const RequestTimedOutEvent& e) override;
  void OnDisconnected(const DisconnectedEvent& e) override;
  void OnReconnecting(const ReconnectingEvent& e) override;

  // The lines logged since the last call.
  std::vector<std::string> Take();

  std::vector<std::string> log;
  // Optional hooks, run after logging.
  std::function<void(const MessageEvent&, MessageAck*)> on_message;
  std::function<void(const ConnackEvent&)> on_connack;
  std::function<void(const DisconnectedEvent&)> on_disconnected;
  // Copies of the last DisconnectedEvent's fields.
  DisconnectCause last_cause = DisconnectCause::kTransportClosed;
  std::string last_rule;
  std::vector<Duration> reconnect_delays;

 private:
  size_t taken_ = 0;
};

struct ClientHarness {
  explicit ClientHarness(const ClientOptions& client_options = {},
                         uint64_t seed = 1);

  // Connect(), OnConnected(), the CONNECT taken, CONNACK delivered.
  void Connect(const ConnectOptions& connect_options = {.client_id = "c1"},
               const mqtt::Connack& connack = {});
  // A reconnection after the backoff: Advance to the deadline, drop what
  // the old connection sent, OnConnected, CONNECT taken (returned), CONNACK
  // delivered.
  mqtt::Connect Reconnect(const mqtt::Connack& connack);
  // Encodes `packet` in the client's version and delivers it.
  void Receive(const mqtt::Packet& packet);
  void ReceiveBytes(std::span<const uint8_t> bytes);
  void AdvanceTo(Time time);
  void AdvanceBy(Duration duration) { AdvanceTo(now + duration); }

  std::vector<std::string> Sent() { return host.TakeDescriptions(); }
  std::vector<mqtt::Packet> SentPackets() { return host.TakePackets(); }
  std::vector<std::string> Events() { return observer.Take(); }

  // A message for Publish().
  static ApplicationMessage Message(std::string_view topic,
                                    std::string_view payload,
                                    mqtt::Qos qos = mqtt::Qos::kAtMostOnce);

  ClientOptions options;
  Random random;
  ScriptedHost host;
  RecordingObserver observer;
  Client client;
  Time now = 0;
};

}  // namespace mqlab::client::testing

#endif  // MQLAB_TESTS_CLIENT_CLIENT_HARNESS_H_
