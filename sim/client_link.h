// One MQTT client instance on the simulated network: a client::Client, the
// transport it asked for (a connection from its device's host to the
// broker's), the scheduler timer of its NextDeadline(), and the record of
// everything it sends and receives as observations (sim/observations.h).
//
// A virtual session normally has one link; a reconnect loop with overlap
// holds a second one while it takes its own session over, and limit probes
// and session-takeover attempts open links of their own. What a link means
// to its owner (behaviours) goes to its LinkOwner; what the checkers need is
// recorded by the link itself, so every connection is observed the same way:
//
// | client event               | observation                               |
// |----------------------------|-------------------------------------------|
// | CONNECT written            | ConnectAttempt (decoded from the bytes)   |
// | OnConnack                  | ConnackReceived                           |
// | OnDisconnected             | ConnectionEnded (if CONNECT was written)  |
// | Publish / Request          | PublishSent (QoS 0 sent, QoS 1 accepted)  |
// | OnPublishAcknowledged      | PublishAcknowledged                       |
// | OnPublishFailed            | PublishAbandoned                          |
// | OnMessage, OnResponse      | MessageReceived (the payload's tag read)  |
// | OnSubscribeResult          | SubscribeResult, one per filter           |
// | Unsubscribe                | UnsubscribeSent, one per filter           |
//
// Payloads the link publishes carry the message tag of sim/message_tag.h:
// the publisher number and the next number of the session's sequence.
#ifndef MQLAB_SIM_CLIENT_LINK_H_
#define MQLAB_SIM_CLIENT_LINK_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "base/random.h"
#include "base/time.h"
#include "client/client.h"
#include "client/events.h"
#include "sim/message_tag.h"
#include "sim/network.h"
#include "sim/observations.h"
#include "sim/scheduler.h"
#include "sim/trace.h"

namespace mqlab::sim {

class ClientLink;

// What every link shares: the simulated world and the run-wide connection
// numbering of sim/observations.h.
struct LinkEnvironment {
  Scheduler* scheduler = nullptr;
  Network* network = nullptr;
  ObservationSink* observations = nullptr;
  Trace* trace = nullptr;  // May be null.
  HostId broker_host = 0;
  uint64_t connections = 0;      // Connections numbered so far.
  uint64_t links = 0;            // Links made so far (their serials).
  std::vector<uint8_t> payload;  // Scratch for tagged payloads.
};

// What a link's owner hears, beyond what the link records. Called from
// inside the link's event handlers; an owner may call the link's
// application methods, and may retire the link (ClientLink::Retire).
class LinkOwner {
 public:
  virtual ~LinkOwner() = default;
  virtual void OnLinkConnack(ClientLink&, const client::ConnackEvent&) {}
  virtual void OnLinkMessage(ClientLink&, const client::MessageEvent&,
                             client::MessageAck*) {}
  virtual void OnLinkResponse(ClientLink&, const client::ResponseEvent&) {}
  virtual void OnLinkRequestTimedOut(ClientLink&,
                                     const client::RequestTimedOutEvent&) {}
  virtual void OnLinkSubscribeResult(ClientLink&,
                                     const client::SubscribeResultEvent&) {}
  virtual void OnLinkDisconnected(ClientLink&,
                                  const client::DisconnectedEvent&) {}
  virtual void OnLinkPacket(ClientLink&, const mqtt::Packet&) {}
};

// Who a link is: the fleet client whose device (host, certificate) it runs
// on, the ClientId it connects with, and the publisher number of its tags.
struct LinkIdentity {
  uint32_t client = 0;
  HostId host = 0;
  std::string client_id;
  uint32_t publisher = 0;
  // The session's message sequence (shared by the session's links): the
  // last number used.
  uint64_t* sequence = nullptr;
};

// A message to publish with a tagged payload of `payload_bytes` (at least
// kMessageTagSize); `message.payload` is ignored.
struct TaggedMessage {
  client::ApplicationMessage message;
  uint32_t payload_bytes = kMessageTagSize;
};

class ClientLink final : public client::ClientHost,
                         public Endpoint,
                         public client::ClientObserver {
 public:
  ClientLink(LinkEnvironment* environment, LinkOwner* owner,
             LinkIdentity identity, const client::ClientOptions& options,
             Random random);
  // Abandons the transport (if any) and cancels the timer.
  ~ClientLink() override;
  ClientLink(const ClientLink&) = delete;
  ClientLink& operator=(const ClientLink&) = delete;

  const LinkIdentity& identity() const { return identity_; }
  // Unique for the run, from 1.
  uint64_t serial() const { return serial_; }
  const client::Client& client() const { return client_; }
  client::Client::State state() const { return client_.state(); }
  bool connected() const { return client_.connected(); }
  // The run-wide number of the current (or last) connection; 0 before the
  // first.
  uint64_t connection() const { return connection_; }
  // CONNACK Success received on some connection of this link.
  bool ever_connected() const { return ever_connected_; }
  // How the network last ended this link's transport.
  CloseReason last_close() const { return last_close_; }

  // --- Application (each records what it sends). ---
  absl::Status Connect(const client::ConnectOptions& options);
  client::PublishResult Publish(const TaggedMessage& message);
  // MQTT 5.0 request-response (client::Client::Request).
  client::PublishResult Request(const TaggedMessage& message, Duration timeout);
  client::SubscribeResult Subscribe(const client::SubscribeRequest& request);
  client::SubscribeResult Unsubscribe(
      const client::UnsubscribeRequest& request);
  // DISCONNECT and close; no reconnection.
  void Disconnect(const client::DisconnectOptions& options = {});
  // AckMode::kManual: acknowledges a received QoS 1 message (its
  // MessageEvent's ack_token) with `reason_code`; false when the client no
  // longer holds it (the connection ended).
  bool Acknowledge(uint64_t ack_token,
                   mqtt::ReasonCode reason_code = mqtt::ReasonCode::kSuccess);
  // Probes: untracked writes.
  bool SendPacket(const mqtt::Packet& packet);
  bool SendRaw(std::span<const uint8_t> bytes);

  // The device died: the transport is abandoned without a word (the peer is
  // left half-open), the connection ends as kCrashed and every QoS 1
  // message not yet acknowledged is abandoned. The link is dead afterwards
  // (destroy it).
  void Crash();
  // Gives up every QoS 1 message not yet acknowledged (PublishAbandoned):
  // the link is being replaced.
  void AbandonPending();

  // --- client::ClientHost. ---
  void OpenConnection() override;
  void Send(std::span<const uint8_t> bytes) override;
  void Close() override;
  // --- Endpoint. ---
  void OnConnected(SocketId socket) override;
  void OnBytes(SocketId socket, std::span<const uint8_t> bytes) override;
  void OnClosed(SocketId socket, CloseReason reason) override;
  void OnWriteBlocked(SocketId socket, bool blocked) override;
  // --- client::ClientObserver. ---
  void OnConnack(const client::ConnackEvent& event) override;
  void OnMessage(const client::MessageEvent& event,
                 client::MessageAck* ack) override;
  void OnPublishAcknowledged(
      const client::PublishAcknowledgedEvent& event) override;
  void OnPublishFailed(const client::PublishFailedEvent& event) override;
  void OnSubscribeResult(const client::SubscribeResultEvent& event) override;
  void OnResponse(const client::ResponseEvent& event) override;
  void OnRequestTimedOut(const client::RequestTimedOutEvent& event) override;
  void OnDisconnected(const client::DisconnectedEvent& event) override;
  void OnPacketReceived(const mqtt::Packet& packet, Time time) override;

 private:
  // A QoS 1 message of this client::Client awaiting its outcome.
  struct Pending {
    uint64_t message_id;
    MessageTag tag;
    bool done;
  };

  Time now() const { return environment_->scheduler->now(); }
  // Moves the timer to the client's NextDeadline().
  void Sync();
  void OnTimer();
  // Fills the environment's payload with the next tag of the session;
  // returns the tag.
  MessageTag Tag(uint32_t payload_bytes);
  void Record(const Observation& observation) {
    environment_->observations->Observe(observation);
  }
  void RecordPublish(const client::ApplicationMessage& message,
                     const client::PublishResult& result,
                     const MessageTag& tag);
  void RecordReceived(const client::MessageEvent& event);
  std::optional<MessageTag> TakePending(uint64_t message_id);
  void RecordConnectAttempt(std::span<const uint8_t> connect);

  LinkEnvironment* environment_;
  LinkOwner* owner_;
  LinkIdentity identity_;
  uint64_t serial_;
  Random random_;
  client::Client client_;
  SocketId socket_;
  uint64_t connection_ = 0;
  bool awaiting_connect_bytes_ = false;  // The next Send is the CONNECT.
  bool connect_recorded_ = false;        // This attempt wrote its CONNECT.
  bool ever_connected_ = false;
  bool crashed_ = false;
  CloseReason last_close_ = CloseReason::kPeerClosed;
  TimerId timer_ = kNoTimer;
  Time timer_at_ = kInfiniteFuture;
  // In message id order: [pending_head_, size) may be outstanding.
  std::vector<Pending> pending_;
  size_t pending_head_ = 0;
};

// The observation's name of a client disconnection cause.
ConnectionEnd ConnectionEndOf(client::DisconnectCause cause);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_CLIENT_LINK_H_
