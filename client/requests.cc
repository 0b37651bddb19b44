#include "client/requests.h"

namespace mqlab::client {

std::string_view PublishStatusName(PublishStatus status) {
  switch (status) {
    case PublishStatus::kSent:
      return "sent";
    case PublishStatus::kAccepted:
      return "accepted";
    case PublishStatus::kNotConnected:
      return "not-connected";
    case PublishStatus::kWriteBlocked:
      return "write-blocked";
    case PublishStatus::kQueueFull:
      return "queue-full";
    case PublishStatus::kPacketTooLarge:
      return "packet-too-large";
    case PublishStatus::kQosNotSupported:
      return "qos-not-supported";
    case PublishStatus::kRetainNotSupported:
      return "retain-not-supported";
    case PublishStatus::kTopicNameInvalid:
      return "topic-name-invalid";
    case PublishStatus::kPropertyInvalid:
      return "property-invalid";
    case PublishStatus::kNeedsMqtt5:
      return "needs-mqtt5";
    case PublishStatus::kTooManyRequests:
      return "too-many-requests";
    case PublishStatus::kNoResponseTopic:
      return "no-response-topic";
  }
  return "?";
}

std::string_view SubscribeStatusName(SubscribeStatus status) {
  switch (status) {
    case SubscribeStatus::kSent:
      return "sent";
    case SubscribeStatus::kQueued:
      return "queued";
    case SubscribeStatus::kEmpty:
      return "empty";
    case SubscribeStatus::kTopicFilterInvalid:
      return "topic-filter-invalid";
    case SubscribeStatus::kTooManyPending:
      return "too-many-pending";
    case SubscribeStatus::kTooManySubscriptions:
      return "too-many-subscriptions";
    case SubscribeStatus::kPacketTooLarge:
      return "packet-too-large";
    case SubscribeStatus::kPropertyInvalid:
      return "property-invalid";
    case SubscribeStatus::kNeedsMqtt5:
      return "needs-mqtt5";
  }
  return "?";
}

}  // namespace mqlab::client
