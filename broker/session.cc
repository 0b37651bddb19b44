#include "broker/session.h"

namespace mqlab::broker {

SessionSubscription* Session::FindSubscription(std::string_view filter) {
  for (SessionSubscription& subscription : subscriptions) {
    if (subscription.filter == filter) return &subscription;
  }
  return nullptr;
}

}  // namespace mqlab::broker
