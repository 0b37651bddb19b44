#include "sim/behaviours/subscription_keeper.h"

#include <utility>

#include "base/check.h"

namespace mqlab::sim {

SubscriptionKeeper::SubscriptionKeeper(std::vector<std::string> filters,
                                       mqtt::Qos qos, bool no_local)
    : filters_(std::move(filters)), qos_(qos), no_local_(no_local) {
  MQLAB_CHECK(!filters_.empty() && filters_.size() <= 10);
}

void SubscriptionKeeper::Start(ClientLink* link) {
  started_ = true;
  if (link != nullptr && link->connected()) Subscribe(*link);
}

void SubscriptionKeeper::Stop(ClientLink* link) {
  started_ = false;
  if (link == nullptr || !link->connected()) return;
  std::vector<std::string_view> filters(filters_.begin(), filters_.end());
  link->Unsubscribe({.topic_filters = filters});
  subscribed_link_ = 0;
}

void SubscriptionKeeper::OnConnected(ClientLink& link) {
  if (started_ && link.serial() != subscribed_link_) Subscribe(link);
}

void SubscriptionKeeper::Subscribe(ClientLink& link) {
  const bool v5 = link.client().options().version == mqtt::Version::kV5;
  std::vector<mqtt::Subscription> subscriptions;
  subscriptions.reserve(filters_.size());
  for (const std::string& filter : filters_) {
    mqtt::Subscription subscription;
    subscription.topic_filter = filter;
    subscription.options.maximum_qos = qos_;
    subscription.options.no_local = v5 && no_local_;
    subscriptions.push_back(subscription);
  }
  const client::SubscribeResult result =
      link.Subscribe({.subscriptions = subscriptions});
  if (result.ok()) subscribed_link_ = link.serial();
}

}  // namespace mqlab::sim
