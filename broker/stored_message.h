// An application message the broker keeps after the PUBLISH that brought it
// is gone: while a QoS 1 delivery is in flight, or waiting in a session's
// queue. One copy serves every session it was routed to (reference counted);
// the pool recycles messages and their buffers, so steady-state routing does
// not allocate.
#ifndef MQLAB_BROKER_STORED_MESSAGE_H_
#define MQLAB_BROKER_STORED_MESSAGE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "base/time.h"
#include "mqtt/packet.h"

namespace mqlab::broker {

class MessagePool;

class StoredMessage {
 public:
  StoredMessage(const StoredMessage&) = delete;
  StoredMessage& operator=(const StoredMessage&) = delete;

  // The message as a PUBLISH to forward: topic, payload and the properties
  // that travel with an application message (Payload Format Indicator,
  // Message Expiry Interval as received, Content Type, Response Topic,
  // Correlation Data, User Properties), referring into this message. QoS,
  // DUP, packet identifier and retain are the sender's to set.
  const mqtt::Publish& publish() const { return publish_; }
  // When the Message Expiry Interval runs out; kInfiniteFuture without one.
  Time expires_at() const { return expires_at_; }
  // The bytes it holds (topic, payload and properties), for queue limits.
  size_t size() const { return storage_.size(); }

 private:
  friend class MessagePool;
  friend class MessageRef;
  StoredMessage() = default;

  std::vector<uint8_t> storage_;
  mqtt::Publish publish_;
  Time expires_at_ = kInfiniteFuture;
  uint32_t references_ = 0;
  MessagePool* pool_ = nullptr;
};

// A counted reference to a stored message; the last one returns the message
// to its pool. Null by default.
class MessageRef {
 public:
  MessageRef() = default;
  MessageRef(const MessageRef& other) : message_(other.message_) { Retain(); }
  MessageRef(MessageRef&& other) noexcept : message_(other.message_) {
    other.message_ = nullptr;
  }
  MessageRef& operator=(const MessageRef& other) {
    if (this != &other) {
      Release();
      message_ = other.message_;
      Retain();
    }
    return *this;
  }
  MessageRef& operator=(MessageRef&& other) noexcept {
    if (this != &other) {
      Release();
      message_ = other.message_;
      other.message_ = nullptr;
    }
    return *this;
  }
  ~MessageRef() { Release(); }

  const StoredMessage* get() const { return message_; }
  const StoredMessage* operator->() const { return message_; }
  const StoredMessage& operator*() const { return *message_; }
  explicit operator bool() const { return message_ != nullptr; }

 private:
  friend class MessagePool;
  explicit MessageRef(StoredMessage* message) : message_(message) { Retain(); }
  void Retain() {
    if (message_ != nullptr) ++message_->references_;
  }
  void Release();

  StoredMessage* message_ = nullptr;
};

class MessagePool {
 public:
  MessagePool() = default;
  MessagePool(const MessagePool&) = delete;
  MessagePool& operator=(const MessagePool&) = delete;
  // Every reference must be gone (the broker destroys sessions first).
  ~MessagePool();

  // Copies what `publish` carries of an application message (see
  // StoredMessage::publish) received at `now`.
  MessageRef Store(const mqtt::Publish& publish, Time now);

  // Messages referenced now, and messages kept for reuse.
  size_t live_count() const { return live_count_; }
  size_t free_count() const { return free_.size(); }

 private:
  friend class MessageRef;
  // Recycled messages kept at most; beyond, a released message is freed.
  static constexpr size_t kMaximumFreeMessages = 4096;
  // Buffers larger than this are not kept for reuse (one large message must
  // not pin its size in every recycled slot).
  static constexpr size_t kMaximumRecycledCapacity = 64 * 1024;

  void Recycle(StoredMessage* message);

  std::vector<std::unique_ptr<StoredMessage>> free_;
  size_t live_count_ = 0;
};

inline void MessageRef::Release() {
  if (message_ != nullptr && --message_->references_ == 0) {
    message_->pool_->Recycle(message_);
  }
  message_ = nullptr;
}

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_STORED_MESSAGE_H_
