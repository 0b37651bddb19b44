// CONNECT: the namespace's connect rate, the seed's refusals,
// authentication, session ownership and counts, take-over, clean start,
// resumption and redelivery.
#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/match.h"
#include "base/absl_string_view.h"
#include "base/check.h"
#include "broker/authentication.h"
#include "broker/broker_impl.h"

namespace mqlab::broker {

void Broker::Impl::RefuseConnect(Connection& connection,
                                 mqtt::ReasonCode reason_code,
                                 DisconnectionReason reason,
                                 std::string_view detail,
                                 std::string_view client_id,
                                 std::string_view authentication_name) {
  // 3.1.1 answers with the return code that carries the meaning; where it
  // has none the connection closes without CONNACK.
  if (connection.version == mqtt::Version::kV5 ||
      mqtt::ToConnectReturnCode(reason_code).has_value()) {
    Send(connection, mqtt::Connack{.reason_code = reason_code});
  }
  Event event = MakeEvent(EventKind::kConnectRefused, &connection, nullptr);
  event.session = client_id;
  event.authentication_name = authentication_name;
  event.reason = reason;
  event.reason_code = reason_code;
  event.detail = detail;
  Report(event);
  ++stats_.connects_refused;
  EndConnection(connection, {.reason_code = reason_code,
                             .reason = reason,
                             .detail = detail,
                             .send_disconnect = false});
}

void Broker::Impl::OnConnect(Connection& connection,
                             const mqtt::Connect& connect) {
  connection.version = connect.version;
  const auto refuse = [&](mqtt::ReasonCode reason_code,
                          DisconnectionReason reason, std::string_view detail,
                          std::string_view authentication_name = {}) {
    RefuseConnect(connection, reason_code, reason, detail, connect.client_id,
                  authentication_name);
  };
  // The namespace's connect rate counts every CONNECT, accepted or not.
  if (!namespace_connects_.TryTake(
          now_, 1,
          uint64_t{limits_.connects_per_second_per_unit} *
              limits_.throughput_units)) {
    refuse(mqtt::ReasonCode::kConnectionRateExceeded,
           DisconnectionReason::kQuotaExceeded, "connects-per-second");
    return;
  }
  if (const std::optional<ConnectRefusal> refusal =
          CheckConnectFeatures(connect)) {
    refuse(refusal->reason_code, refusal->reason, refusal->detail);
    return;
  }
  const AuthenticationResult authentication =
      Authenticate(*directory_, connection.identity, connect.username);
  if (!authentication.ok()) {
    refuse(authentication.reason_code, authentication.disconnection_reason,
           authentication.detail, authentication.authentication_name);
    return;
  }
  const std::string_view authentication_name =
      authentication.authentication_name;

  Session* session = sessions_.Find(connect.client_id);
  if (session != nullptr &&
      (session->orphaned ||
       !absl::EqualsIgnoreCase(ToAbsl(session->authentication_name),
                               ToAbsl(authentication_name)))) {
    // The seed: another client's session (connected or not, its owner
    // deleted or not) keeps its name until it expires.
    refuse(mqtt::ReasonCode::kNotAuthorized,
           DisconnectionReason::kClientAuthorizationError,
           "session-owned-by-another-client", authentication_name);
    return;
  }
  if (session == nullptr) {
    if (sessions_.CountOfClient(authentication.client_name) >=
        limits_.maximum_client_sessions_per_authentication_name) {
      refuse(mqtt::ReasonCode::kQuotaExceeded,
             DisconnectionReason::kQuotaExceeded,
             "maximum-client-sessions-per-authentication-name",
             authentication_name);
      return;
    }
    if (sessions_.size() >= sessions_.maximum_size()) {
      refuse(mqtt::ReasonCode::kQuotaExceeded,
             DisconnectionReason::kQuotaExceeded, "maximum-sessions",
             authentication_name);
      return;
    }
  }

  // Accepted. The same authentication name takes its session over.
  if (session != nullptr && session->connection != nullptr) {
    Event event = MakeEvent(EventKind::kSessionTakenOver, &connection, session);
    Report(event);
    Disconnect(*session->connection, mqtt::ReasonCode::kSessionTakenOver,
               DisconnectionReason::kSessionTakenOver, "session-taken-over");
    // A session whose expiry was 0 ended with that connection.
    if (session->ended) session = nullptr;
  }
  if (session != nullptr && connect.clean_start) {
    EndSession(*session, EventKind::kSessionDeleted, "clean-start");
    session = nullptr;
  }
  const bool session_present = session != nullptr;
  if (session == nullptr) {
    session = sessions_.Create(connect.client_id, authentication.client_name,
                               authentication_name);
  } else if (session->expiry_timer != kNoTimer) {
    timers_.Cancel(session->expiry_timer);
    session->expiry_timer = kNoTimer;
  }
  session->permissions = directory_->Permissions(session->client_name);

  const ConnectTerms terms = NegotiateConnectTerms(connect, limits_);
  session->expiry_seconds = terms.session_expiry_seconds;
  session->connection = &connection;
  connection.session = session;
  connection.state = Connection::State::kConnected;
  --awaiting_connect_;
  connection.keep_alive_timeout = KeepAliveTimeout(terms.keep_alive_seconds);
  timers_.Reschedule(connection.timer, now_ + connection.keep_alive_timeout);
  connection.client_receive_maximum = terms.client_receive_maximum;
  connection.client_maximum_packet_size = terms.client_maximum_packet_size;
  connection.topic_aliases = TopicAliasTable(terms.topic_alias_maximum);
  Send(connection, AcceptedConnack(terms, limits_, session_present));
  ++stats_.connects_accepted;

  Report(MakeEvent(
      session_present ? EventKind::kSessionResumed : EventKind::kSessionCreated,
      &connection, session));
  Report(MakeEvent(EventKind::kConnected, &connection, session));
  if (session_present) {
    // The namespace may have changed while the session was offline.
    Reauthorize(*session, "permissions-changed");
    Redeliver(*session);
  }
}

void Broker::Impl::Redeliver(Session& session) {
  Connection& connection = *session.connection;
  // Onward delivery of in-flight messages has started: they are resent even
  // when expired [MQTT-3.3.2-5], with DUP set [MQTT-4.4.0-1], oldest first.
  std::vector<uint16_t> undeliverable;
  session.deliveries.ForEachInFlight(
      [&](uint16_t packet_id, const StoredMessage& message) {
        mqtt::Publish publish = message.publish();
        if (!WriteDelivery(session, connection, publish, /*qos=*/1, packet_id,
                           /*dup=*/true, message.expires_at())) {
          undeliverable.push_back(packet_id);
        }
      });
  // Too large for the client's new Maximum Packet Size: completed as if sent
  // [MQTT-3.1.2-25].
  for (const uint16_t packet_id : undeliverable) {
    session.deliveries.Acknowledge(packet_id);
  }
  Pump(session);
}

}  // namespace mqlab::broker
