#include "sim/client_link.h"

#include <algorithm>
#include <utility>

#include "base/check.h"
#include "mqtt/decoder.h"

namespace mqlab::sim {
namespace {

// Compact the pending list once this many finished entries lead it.
constexpr size_t kPendingCompactAt = 64;

}  // namespace

ConnectionEnd ConnectionEndOf(client::DisconnectCause cause) {
  switch (cause) {
    case client::DisconnectCause::kClientDisconnect:
      return ConnectionEnd::kClientDisconnect;
    case client::DisconnectCause::kServerDisconnect:
      return ConnectionEnd::kServerDisconnect;
    case client::DisconnectCause::kConnectRefused:
      return ConnectionEnd::kRefused;
    case client::DisconnectCause::kKeepAliveTimeout:
      return ConnectionEnd::kKeepAliveTimeout;
    case client::DisconnectCause::kConnackTimeout:
      return ConnectionEnd::kConnackTimeout;
    case client::DisconnectCause::kProtocolError:
      return ConnectionEnd::kProtocolError;
    case client::DisconnectCause::kConnectFailed:
    case client::DisconnectCause::kConnectTimeout:
    case client::DisconnectCause::kTransportClosed:
      break;
  }
  return ConnectionEnd::kTransportClosed;
}

ClientLink::ClientLink(LinkEnvironment* environment, LinkOwner* owner,
                       LinkIdentity identity,
                       const client::ClientOptions& options, Random random)
    : environment_(environment),
      owner_(owner),
      identity_(std::move(identity)),
      serial_(++environment->links),
      random_(random),
      client_(options, this, this, &random_) {
  MQLAB_CHECK(identity_.sequence != nullptr);
}

ClientLink::~ClientLink() {
  environment_->scheduler->Cancel(timer_);
  if (socket_.valid()) environment_->network->Abandon(socket_);
}

// --- Application. ---

absl::Status ClientLink::Connect(const client::ConnectOptions& options) {
  MQLAB_CHECK(!crashed_);
  absl::Status status = client_.Connect(options, now());
  Sync();
  return status;
}

MessageTag ClientLink::Tag(uint32_t payload_bytes) {
  const MessageTag tag{identity_.publisher, ++*identity_.sequence};
  std::vector<uint8_t>& payload = environment_->payload;
  payload.resize(std::max<size_t>(payload_bytes, kMessageTagSize));
  WriteTaggedPayload(tag, payload);
  return tag;
}

void ClientLink::RecordPublish(const client::ApplicationMessage& message,
                               const client::PublishResult& result,
                               const MessageTag& tag) {
  if (!result.ok()) return;
  PublishSent sent;
  sent.time = now();
  sent.client = identity_.client;
  sent.client_id = identity_.client_id;
  sent.tag = tag;
  sent.topic = message.topic;
  sent.qos = message.qos;
  if (message.message_expiry_interval.has_value()) {
    sent.message_expiry = *message.message_expiry_interval * kSecond;
  }
  Record(sent);
  if (result.status == client::PublishStatus::kAccepted) {
    pending_.push_back({result.message_id, tag, false});
  }
}

client::PublishResult ClientLink::Publish(const TaggedMessage& tagged) {
  client::ApplicationMessage message = tagged.message;
  const MessageTag tag = Tag(tagged.payload_bytes);
  message.payload = environment_->payload;
  const client::PublishResult result = client_.Publish(message, now());
  RecordPublish(message, result, tag);
  Sync();
  return result;
}

client::PublishResult ClientLink::Request(const TaggedMessage& tagged,
                                          Duration timeout) {
  client::ApplicationMessage message = tagged.message;
  const MessageTag tag = Tag(tagged.payload_bytes);
  message.payload = environment_->payload;
  const client::PublishResult result = client_.Request(message, timeout, now());
  RecordPublish(message, result, tag);
  Sync();
  return result;
}

client::SubscribeResult ClientLink::Subscribe(
    const client::SubscribeRequest& request) {
  const client::SubscribeResult result = client_.Subscribe(request, now());
  Sync();
  return result;
}

client::SubscribeResult ClientLink::Unsubscribe(
    const client::UnsubscribeRequest& request) {
  const client::SubscribeResult result = client_.Unsubscribe(request, now());
  if (result.ok()) {
    for (const std::string_view filter : request.topic_filters) {
      Record(UnsubscribeSent{now(), identity_.client, identity_.client_id,
                             filter});
    }
  }
  Sync();
  return result;
}

void ClientLink::Disconnect(const client::DisconnectOptions& options) {
  client_.Disconnect(options, now());
  Sync();
}

bool ClientLink::Acknowledge(uint64_t ack_token, mqtt::ReasonCode reason_code) {
  const bool acknowledged = client_.Acknowledge(ack_token, reason_code, now());
  Sync();
  return acknowledged;
}

bool ClientLink::SendPacket(const mqtt::Packet& packet) {
  const bool sent = client_.SendPacket(packet, now());
  Sync();
  return sent;
}

bool ClientLink::SendRaw(std::span<const uint8_t> bytes) {
  const bool sent = client_.SendRaw(bytes, now());
  Sync();
  return sent;
}

void ClientLink::Crash() {
  if (crashed_) return;
  crashed_ = true;
  environment_->scheduler->Cancel(timer_);
  timer_ = kNoTimer;
  timer_at_ = kInfiniteFuture;
  if (socket_.valid()) environment_->network->Abandon(socket_);
  socket_ = {};
  if (connect_recorded_) {
    connect_recorded_ = false;
    Record(ConnectionEnded{now(), connection_, ConnectionEnd::kCrashed,
                           mqtt::ReasonCode::kSuccess, identity_.publisher});
  }
  AbandonPending();
}

void ClientLink::AbandonPending() {
  for (size_t i = pending_head_; i < pending_.size(); ++i) {
    if (!pending_[i].done) Record(PublishAbandoned{now(), pending_[i].tag});
  }
  pending_.clear();
  pending_head_ = 0;
}

// --- client::ClientHost. ---

void ClientLink::OpenConnection() {
  MQLAB_CHECK(!socket_.valid());
  absl::StatusOr<SocketId> socket = environment_->network->Connect(
      identity_.host, environment_->broker_host, this, identity_.client);
  if (socket.ok()) {
    socket_ = *socket;
    return;
  }
  // The network's connection bound: the attempt fails, told later (never
  // from inside the client's own call).
  environment_->scheduler->Cancel(timer_);
  timer_at_ = now();
  timer_ = environment_->scheduler->After(0, [this] {
    timer_ = kNoTimer;
    timer_at_ = kInfiniteFuture;
    if (client_.state() == client::Client::State::kOpening &&
        !socket_.valid()) {
      client_.OnConnectFailed(now());
    }
    Sync();
  });
}

void ClientLink::Send(std::span<const uint8_t> bytes) {
  if (awaiting_connect_bytes_) {
    awaiting_connect_bytes_ = false;
    RecordConnectAttempt(bytes);
  }
  environment_->network->Send(socket_, bytes);
}

void ClientLink::Close() {
  if (!socket_.valid()) return;
  environment_->network->Close(socket_);
  socket_ = {};
}

void ClientLink::RecordConnectAttempt(std::span<const uint8_t> bytes) {
  ConnectAttempt attempt;
  attempt.time = now();
  attempt.connection = connection_;
  attempt.client = identity_.client;
  attempt.version = client_.options().version;
  mqtt::Packet packet;
  mqtt::DecodeError error;
  const mqtt::Connect* connect = nullptr;
  if (mqtt::DecodePacket(bytes, attempt.version, &packet, &error) ==
      mqtt::Decoder::Status::kPacket) {
    connect = std::get_if<mqtt::Connect>(&packet);
  }
  if (connect != nullptr) {
    attempt.client_id = connect->client_id;
    attempt.clean_start = connect->clean_start;
    attempt.persistent =
        connect->version == mqtt::Version::kV5
            ? connect->properties.session_expiry_interval.value_or(0) > 0
            : !connect->clean_start;
  } else {
    // A probe's CONNECT the codec refuses (Authentication Data without a
    // Method): what the link meant to send.
    attempt.client_id = identity_.client_id;
  }
  connect_recorded_ = true;
  Record(attempt);
}

// --- Endpoint. ---

void ClientLink::OnConnected(SocketId socket) {
  if (socket != socket_) return;
  connection_ = ++environment_->connections;
  awaiting_connect_bytes_ = true;
  client_.OnConnected(now());
  awaiting_connect_bytes_ = false;
  Sync();
}

void ClientLink::OnBytes(SocketId socket, std::span<const uint8_t> bytes) {
  if (socket != socket_) return;
  client_.OnBytesReceived(bytes, now());
  Sync();
}

void ClientLink::OnClosed(SocketId socket, CloseReason reason) {
  if (socket != socket_) return;
  socket_ = {};
  last_close_ = reason;
  if (client_.state() == client::Client::State::kOpening) {
    client_.OnConnectFailed(now());
  } else {
    client_.OnConnectionClosed(now());
  }
  Sync();
}

void ClientLink::OnWriteBlocked(SocketId socket, bool blocked) {
  if (socket != socket_) return;
  client_.OnWriteBlocked(blocked, now());
  Sync();
}

// --- Timer. ---

void ClientLink::Sync() {
  if (crashed_) return;
  const Time deadline = client_.NextDeadline();
  if (deadline >= timer_at_ && timer_ != kNoTimer) return;
  if (deadline == kInfiniteFuture) return;
  Scheduler& scheduler = *environment_->scheduler;
  const Time at = std::max(deadline, scheduler.now());
  if (timer_ == kNoTimer || !scheduler.Reschedule(timer_, at)) {
    timer_ = scheduler.At(at, [this] { OnTimer(); });
  }
  timer_at_ = at;
}

void ClientLink::OnTimer() {
  timer_ = kNoTimer;
  timer_at_ = kInfiniteFuture;
  client_.Advance(now());
  Sync();
}

// --- client::ClientObserver. ---

std::optional<MessageTag> ClientLink::TakePending(uint64_t message_id) {
  const auto begin =
      pending_.begin() + static_cast<std::ptrdiff_t>(pending_head_);
  const auto it = std::lower_bound(
      begin, pending_.end(), message_id,
      [](const Pending& p, uint64_t id) { return p.message_id < id; });
  if (it == pending_.end() || it->message_id != message_id || it->done) {
    return std::nullopt;
  }
  it->done = true;
  const MessageTag tag = it->tag;
  while (pending_head_ < pending_.size() && pending_[pending_head_].done) {
    ++pending_head_;
  }
  if (pending_head_ == pending_.size()) {
    pending_.clear();
    pending_head_ = 0;
  } else if (pending_head_ >= kPendingCompactAt &&
             2 * pending_head_ >= pending_.size()) {
    pending_.erase(
        pending_.begin(),
        pending_.begin() + static_cast<std::ptrdiff_t>(pending_head_));
    pending_head_ = 0;
  }
  return tag;
}

void ClientLink::OnConnack(const client::ConnackEvent& event) {
  Record(ConnackReceived{event.time, connection_, event.reason_code,
                         event.session_present});
  if (mqtt::IsSuccess(event.reason_code)) ever_connected_ = true;
  owner_->OnLinkConnack(*this, event);
}

void ClientLink::RecordReceived(const client::MessageEvent& event) {
  MessageReceived received;
  received.time = event.time;
  received.connection = connection_;
  received.client = identity_.client;
  received.client_id = identity_.client_id;
  received.topic = event.topic;
  received.qos = event.qos;
  received.dup = event.dup;
  const ReadTag read = ReadMessageTag(event.payload);
  received.tag_check = read.check;
  received.tag = read.tag;
  Record(received);
}

void ClientLink::OnMessage(const client::MessageEvent& event,
                           client::MessageAck* ack) {
  RecordReceived(event);
  owner_->OnLinkMessage(*this, event, ack);
}

void ClientLink::OnPublishAcknowledged(
    const client::PublishAcknowledgedEvent& event) {
  const std::optional<MessageTag> tag = TakePending(event.message_id);
  if (!tag.has_value()) return;
  Record(PublishAcknowledged{event.time, *tag, event.reason_code});
}

void ClientLink::OnPublishFailed(const client::PublishFailedEvent& event) {
  const std::optional<MessageTag> tag = TakePending(event.message_id);
  if (!tag.has_value()) return;
  Record(PublishAbandoned{event.time, *tag});
}

void ClientLink::OnSubscribeResult(const client::SubscribeResultEvent& event) {
  size_t i = 0;
  for (const mqtt::Subscription& subscription : event.subscriptions) {
    if (i >= event.reason_codes.size()) break;
    SubscribeResult result;
    result.time = event.time;
    result.client = identity_.client;
    result.client_id = identity_.client_id;
    result.filter = subscription.topic_filter;
    result.requested_qos = subscription.options.maximum_qos;
    result.no_local = subscription.options.no_local;
    result.reason_code = static_cast<mqtt::ReasonCode>(event.reason_codes[i]);
    Record(result);
    ++i;
  }
  owner_->OnLinkSubscribeResult(*this, event);
}

void ClientLink::OnResponse(const client::ResponseEvent& event) {
  RecordReceived(event.message);
  owner_->OnLinkResponse(*this, event);
}

void ClientLink::OnRequestTimedOut(const client::RequestTimedOutEvent& event) {
  owner_->OnLinkRequestTimedOut(*this, event);
}

void ClientLink::OnDisconnected(const client::DisconnectedEvent& event) {
  if (connect_recorded_) {
    connect_recorded_ = false;
    Record(ConnectionEnded{event.time, connection_,
                           ConnectionEndOf(event.cause), event.reason_code,
                           identity_.publisher});
  }
  owner_->OnLinkDisconnected(*this, event);
}

void ClientLink::OnPacketReceived(const mqtt::Packet& packet, Time /*time*/) {
  owner_->OnLinkPacket(*this, packet);
}

}  // namespace mqlab::sim
