#include "broker/stored_message.h"

#include <cstring>
#include <string_view>
#include <utility>

#include "base/check.h"
#include "broker/message_limits.h"

namespace mqlab::broker {
namespace {

// Appends into a buffer reserved beforehand, so that views taken into it
// stay valid while it fills.
class Appender {
 public:
  explicit Appender(std::vector<uint8_t>* out) : out_(out) {}

  std::string_view String(std::string_view text) {
    return std::string_view(
        reinterpret_cast<const char*>(
            Raw(reinterpret_cast<const uint8_t*>(text.data()), text.size())),
        text.size());
  }
  mqtt::Bytes Binary(mqtt::Bytes bytes) {
    return mqtt::Bytes(Raw(bytes.data(), bytes.size()), bytes.size());
  }
  // A User Property in its wire form (identifier, key, value), so that the
  // codec's list view can walk the copies.
  void UserProperty(const mqtt::UserProperty& property) {
    Byte(static_cast<uint8_t>(mqtt::PropertyId::kUserProperty));
    LengthPrefixed(property.key);
    LengthPrefixed(property.value);
  }
  const uint8_t* position() const { return out_->data() + out_->size(); }

 private:
  const uint8_t* Raw(const uint8_t* data, size_t size) {
    MQLAB_CHECK(out_->size() + size <= out_->capacity());
    const uint8_t* start = position();
    out_->insert(out_->end(), data, data + size);
    return start;
  }
  void Byte(uint8_t value) { Raw(&value, 1); }
  void LengthPrefixed(std::string_view text) {
    const uint8_t length[2] = {static_cast<uint8_t>(text.size() >> 8),
                               static_cast<uint8_t>(text.size())};
    Raw(length, 2);
    String(text);
  }

  std::vector<uint8_t>* out_;
};

size_t StoredSize(const mqtt::Publish& publish) {
  const mqtt::Properties& p = publish.properties;
  size_t size = publish.topic.size() + publish.payload.size();
  if (p.content_type.has_value()) size += p.content_type->size();
  if (p.response_topic.has_value()) size += p.response_topic->size();
  if (p.correlation_data.has_value()) size += p.correlation_data->size();
  return size + UserPropertiesSize(p.user_properties);
}

}  // namespace

MessagePool::~MessagePool() {
  MQLAB_CHECK_MSG(live_count_ == 0, "a stored message outlived its pool");
}

MessageRef MessagePool::Store(const mqtt::Publish& publish, Time now) {
  std::unique_ptr<StoredMessage> message;
  if (!free_.empty()) {
    message = std::move(free_.back());
    free_.pop_back();
  } else {
    message.reset(new StoredMessage());
  }
  message->pool_ = this;
  message->storage_.clear();
  message->storage_.reserve(StoredSize(publish));

  const mqtt::Properties& in = publish.properties;
  mqtt::Publish& out = message->publish_;
  out = mqtt::Publish{};
  Appender append(&message->storage_);
  out.topic = append.String(publish.topic);
  out.payload = append.Binary(publish.payload);
  out.properties.payload_format_indicator = in.payload_format_indicator;
  out.properties.message_expiry_interval = in.message_expiry_interval;
  if (in.content_type.has_value()) {
    out.properties.content_type = append.String(*in.content_type);
  }
  if (in.response_topic.has_value()) {
    out.properties.response_topic = append.String(*in.response_topic);
  }
  if (in.correlation_data.has_value()) {
    out.properties.correlation_data = append.Binary(*in.correlation_data);
  }
  if (!in.user_properties.empty()) {
    const uint8_t* start = append.position();
    for (const mqtt::UserProperty& property : in.user_properties) {
      append.UserProperty(property);
    }
    out.properties.user_properties = mqtt::UserProperties::FromWire(
        mqtt::Bytes(start, static_cast<size_t>(append.position() - start)),
        in.user_properties.size());
  }
  message->expires_at_ =
      in.message_expiry_interval.has_value()
          ? now + static_cast<Duration>(*in.message_expiry_interval) * kSecond
          : kInfiniteFuture;
  ++live_count_;
  return MessageRef(message.release());
}

void MessagePool::Recycle(StoredMessage* message) {
  MQLAB_CHECK(live_count_ > 0);
  --live_count_;
  std::unique_ptr<StoredMessage> owned(message);
  if (free_.size() >= kMaximumFreeMessages) return;
  if (owned->storage_.capacity() > kMaximumRecycledCapacity) {
    owned->storage_ = std::vector<uint8_t>();
  }
  free_.push_back(std::move(owned));
}

}  // namespace mqlab::broker
