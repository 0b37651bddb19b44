// The namespace changing at run time: what the broker does about the
// clients a directory change affects (docs/broker.md, "Admin changes").
#include "base/check.h"
#include "broker/broker_impl.h"

namespace mqlab::broker {

void Broker::Impl::ApplyChanges(const DirectoryChanges& changes) {
  for (const AffectedClient& client : changes.deleted) {
    for (const SessionId id : sessions_.SessionsOfClient(client.name)) {
      Session* session = sessions_.Get(id);
      if (session->connection != nullptr) {
        Disconnect(
            *session->connection, mqtt::ReasonCode::kAdministrativeAction,
            DisconnectionReason::kClientAuthenticationError, "client-deleted");
      }
      if (session->ended) continue;  // Its expiry was 0.
      // Nobody may resume it: it only keeps its name until it expires, so
      // what it subscribed to and holds serves nobody.
      sessions_.Orphan(session);
      session->permissions = nullptr;
      Reauthorize(*session, "client-deleted");
      session->deliveries.Clear();
    }
  }
  for (const AffectedClient& client : changes.disabled) {
    // Its sessions stay: a client enabled again resumes them.
    EndClientConnections(client, "client-disabled");
  }
  for (const AffectedClient& client : changes.authentication_changed) {
    EndClientConnections(client, "client-authentication-changed");
  }
  for (const AffectedClient& client : changes.permissions_changed) {
    for (const SessionId id : sessions_.SessionsOfClient(client.name)) {
      Session* session = sessions_.Get(id);
      session->permissions = directory_->Permissions(client.name);
      const size_t removed = Reauthorize(*session, "permissions-changed");
      // Event Grid ends a connection whose authorization changed under it.
      if (removed != 0 && session->connection != nullptr) {
        Disconnect(*session->connection, mqtt::ReasonCode::kNotAuthorized,
                   DisconnectionReason::kClientAuthorizationError,
                   "subscriptions-no-longer-authorized");
      }
    }
  }
}

void Broker::Impl::EndClientConnections(const AffectedClient& client,
                                        std::string_view detail) {
  for (const SessionId id : sessions_.SessionsOfClient(client.name)) {
    Session* session = sessions_.Get(id);
    if (session->connection != nullptr) {
      Disconnect(*session->connection, mqtt::ReasonCode::kAdministrativeAction,
                 DisconnectionReason::kClientAuthenticationError, detail);
    }
  }
}

}  // namespace mqlab::broker
