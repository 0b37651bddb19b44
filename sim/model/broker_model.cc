#include "sim/model/broker_model.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "base/check.h"
#include "mqtt/reason_code.h"
#include "sim/model/answer_text.h"

namespace mqlab::sim::model {
namespace {

using broker::DisconnectionReason;
using broker::EventKind;
using mqtt::ReasonCode;

// --- The rules, by stable name, with their sources. "Seed" is "MQTT
// features support in Azure Event Grid",
// https://learn.microsoft.com/azure/event-grid/mqtt-support; "Facts" the
// Event Grid pages on client authentication
// (https://learn.microsoft.com/azure/event-grid/mqtt-client-authentication),
// clients (https://learn.microsoft.com/azure/event-grid/mqtt-clients) and
// limits (https://learn.microsoft.com/azure/event-grid/quotas-limits);
// "mqlab" marks what docs/broker.md decided where those are silent.

// Facts, limits: 200 connects/s per throughput unit; mqlab: every CONNECT
// counts, a burst of one second's worth from idle (docs/limits.md).
constexpr std::string_view kConnectRate = "connect.rate";
// Seed: "Authentication Method ... not supported" (CONNACK 0x8C).
constexpr std::string_view kConnectAuthenticationMethod =
    "connect.authentication-method-refused";
// Seed: Will messages are not supported (v5 CONNACK 0x83; 3.1.1 has no code:
// closed without CONNACK).
constexpr std::string_view kConnectWill = "connect.will-refused";
// Facts: User Properties are not allowed on CONNECT (CONNACK 0x83).
constexpr std::string_view kConnectUserProperties =
    "connect.user-properties-refused";
// Facts, Identity: ClientId required, no server-assigned identifiers
// (CONNACK 0x85 / 3.1.1 return code 2).
constexpr std::string_view kConnectClientIdRequired =
    "connect.client-id-required";
// Facts, client authentication: a certificate is required unless the
// namespace allows Username-only clients (mqlab's dev mode).
constexpr std::string_view kAuthNoCertificate = "auth.no-certificate";
// Facts, Identity: Username, else the alternative sources in order.
constexpr std::string_view kAuthNoName = "auth.no-authentication-name";
// Facts, Identity: names compare case-insensitively.
constexpr std::string_view kAuthUnknownClient = "auth.unknown-client";
// Facts: a Disabled client may not connect.
constexpr std::string_view kAuthDisabled = "auth.client-disabled";
// Facts: *MatchesAuthenticationName schemes need a chain to a registered CA.
constexpr std::string_view kAuthNotFromCa = "auth.certificate-not-from-ca";
// Facts: the field the scheme names must equal the authentication name.
constexpr std::string_view kAuthFieldMismatch =
    "auth.certificate-field-mismatch";
// Facts: ThumbprintMatch: the thumbprint is one of allowedThumbprints.
constexpr std::string_view kAuthThumbprint = "auth.thumbprint-not-allowed";
// Seed: a session held by another client is "rejected with an unauthorized
// error"; Facts: a deleted client's sessions keep their names blocked.
constexpr std::string_view kSessionOtherOwner = "session.owned-by-another-name";
constexpr std::string_view kSessionOrphaned =
    "session.deleted-client-blocks-name";
// Facts: maximumClientSessionsPerAuthenticationName, offline ones count
// (CONNACK 0x97 Quota exceeded).
constexpr std::string_view kSessionPerName =
    "session.max-per-authentication-name";
// Facts, limits: sessions per namespace (CONNACK 0x97).
constexpr std::string_view kSessionPerNamespace = "session.max-per-namespace";
// Facts: the same authentication name takes its session over; MQTT 5.0
// 3.1.4-3 (the old connection gets DISCONNECT 0x8E Session taken over).
constexpr std::string_view kSessionTakeover = "session.takeover-same-name";
// MQTT 5.0 3.1.2.4 / 3.1.1 3.1.2.4: Clean Start discards the session.
constexpr std::string_view kSessionCleanStart = "session.clean-start-discards";
constexpr std::string_view kSessionResume = "session.resume";
constexpr std::string_view kSessionCreate = "session.create";
// Seed: the session expiry is fixed at 3600 s: a non-zero request is
// replaced and reported in CONNACK; 0 ends the session with the connection;
// 3.1.1 Clean Session 0 gets it too.
constexpr std::string_view kSessionExpiryGranted = "session.expiry-granted";
constexpr std::string_view kSessionExpiryZero = "session.expiry-zero-ends";
constexpr std::string_view kSessionExpired = "session.expired";
// Seed's limits table: keep-alive at most 1160 s, reported as Server Keep
// Alive (v5); mqlab: 0 is treated as above the maximum.
constexpr std::string_view kKeepAliveGranted = "keepalive.granted";
constexpr std::string_view kKeepAliveCapped = "keepalive.above-1160-or-zero";
// MQTT 5.0 3.1.2.10: 1.5 x the keep-alive without a packet: DISCONNECT 0x8D.
constexpr std::string_view kKeepAliveTimeout = "keepalive.timeout";
// The CONNACK properties Event Grid announces (seed's limits: Receive
// Maximum, Maximum QoS 1, no retain, 512 KiB, 10 topic aliases, no
// subscription identifiers, no shared subscriptions).
constexpr std::string_view kConnackProperties = "connack.properties";
// mqlab: a connection may wait 30 s for its CONNECT.
constexpr std::string_view kConnectTimeout = "connect.timeout";
// mqlab: as many connections wait for CONNECT as the namespace has sessions.
constexpr std::string_view kPendingBound = "connect.pending-bound";
// MQTT 5.0 3.12.4: PINGREQ gets PINGRESP.
constexpr std::string_view kPingresp = "ping.response";
// MQTT 5.0 3.14: the client's DISCONNECT ends the connection; 3.14.2-2: a
// non-zero Session Expiry after 0 is a Protocol Error; Facts: no User
// Properties on DISCONNECT.
constexpr std::string_view kClientDisconnect = "disconnect.by-client";
constexpr std::string_view kDisconnectExpiryAfterZero =
    "disconnect.expiry-after-zero-is-protocol-error";
constexpr std::string_view kDisconnectUserProperties =
    "disconnect.user-properties-refused";
// MQTT 5.0 4.13: protocol errors (a second CONNECT [MQTT-3.1.0-2], AUTH,
// the QoS 2 exchange, packets only a server sends): DISCONNECT 0x82.
constexpr std::string_view kProtocolError = "protocol.error";
// MQTT 5.0 4.13.1: malformed input ends the connection (v5 DISCONNECT with
// the code; before CONNACK nothing but a CONNACK [MQTT-3.2.0-1]).
constexpr std::string_view kMalformed = "protocol.malformed-input";
// MQTT 3.1.1 3.2.2.3: an unsupported protocol level gets return code 1.
constexpr std::string_view kUnsupportedVersion = "protocol.unsupported-version";
// Seed: Authentication Data is refused with CONNACK 0x87.
constexpr std::string_view kAuthenticationData = "connect.authentication-data";
// The transport went away: ConnectionLost (Event Grid's reasons).
constexpr std::string_view kConnectionLost = "disconnect.connection-lost";
// Facts and Event Grid's client lifecycle: a deleted or disabled client's
// connections end (DISCONNECT 0x98 Administrative action,
// ClientAuthenticationError); a deleted client's sessions are orphaned.
constexpr std::string_view kAdminDeleted = "admin.client-deleted";
constexpr std::string_view kAdminDisabled = "admin.client-disabled";
constexpr std::string_view kAdminAuthenticationChanged =
    "admin.client-authentication-changed";

bool SameName(std::string_view a, std::string_view b) {
  return absl::AsciiStrToLower(ToAbsl(a)) == absl::AsciiStrToLower(ToAbsl(b));
}

// The value of the first CN attribute of an RFC 4514 subject (RFC 4514
// section 2: the most specific RDN comes first; section 2.4: escapes),
// unescaped; nullopt when there is none or it is '#' hex form.
std::optional<std::string> CommonName(std::string_view subject) {
  size_t at = 0;
  while (at < subject.size()) {
    // One attribute: TYPE=VALUE up to an unescaped ',' or '+'.
    size_t equals = subject.find('=', at);
    if (equals == std::string_view::npos) return std::nullopt;
    std::string type(
        absl::StripAsciiWhitespace(ToAbsl(subject.substr(at, equals - at))));
    std::string value;
    size_t i = equals + 1;
    bool hex_form = i < subject.size() && subject[i] == '#';
    for (; i < subject.size() && subject[i] != ',' && subject[i] != '+'; ++i) {
      if (subject[i] != '\\') {
        value += subject[i];
        continue;
      }
      if (i + 1 >= subject.size()) return std::nullopt;
      const auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
      };
      if (i + 2 < subject.size() && hex(subject[i + 1]) >= 0 &&
          hex(subject[i + 2]) >= 0) {
        value +=
            static_cast<char>(hex(subject[i + 1]) * 16 + hex(subject[i + 2]));
        i += 2;
      } else {
        value += subject[i + 1];
        i += 1;
      }
    }
    if (SameName(type, "CN") || type == "2.5.4.3") {
      if (hex_form) return std::nullopt;
      return value;
    }
    at = i + 1;
  }
  return std::nullopt;
}

const std::vector<std::string>* SubjectAlternativeNames(
    const broker::CertificateIdentity& certificate,
    broker::AuthenticationNameSource source) {
  switch (source) {
    case broker::AuthenticationNameSource::kClientCertificateDns:
      return &certificate.dns_names;
    case broker::AuthenticationNameSource::kClientCertificateUri:
      return &certificate.uris;
    case broker::AuthenticationNameSource::kClientCertificateIp:
      return &certificate.ip_addresses;
    case broker::AuthenticationNameSource::kClientCertificateEmail:
      return &certificate.emails;
    case broker::AuthenticationNameSource::kClientCertificateSubject:
      return nullptr;
  }
  return nullptr;
}

}  // namespace

BrokerModel::BrokerModel(broker::NamespaceConfig config,
                         std::map<std::string, uint64_t>* rule_counts)
    : config_(std::move(config)), rule_counts_(rule_counts) {}

void BrokerModel::Count(std::string_view rule) {
  ++(*rule_counts_)[std::string(rule)];
}

ModelAnswer BrokerModel::TakeAnswer() {
  ModelAnswer answer = std::move(answer_);
  answer_ = {};
  return answer;
}

BrokerModel::Connection* BrokerModel::FindConnection(broker::ConnectionId id) {
  for (Connection& connection : connections_) {
    if (connection.id == id) return &connection;
  }
  return nullptr;
}

BrokerModel::Session* BrokerModel::FindSession(std::string_view client_id) {
  for (Session& session : sessions_) {
    if (session.client_id == client_id) return &session;
  }
  return nullptr;
}

const broker::ClientResource* BrokerModel::FindClient(
    std::string_view name) const {
  for (const broker::ClientResource& client : config_.clients) {
    if (client.name == name) return &client;
  }
  return nullptr;
}

uint64_t BrokerModel::SessionLimit() const {
  return uint64_t{config_.limits.maximum_sessions_per_unit} *
         config_.limits.throughput_units;
}

bool BrokerModel::IsOpen(broker::ConnectionId connection) const {
  for (const Connection& c : connections_) {
    if (c.id == connection) return true;
  }
  return false;
}

std::optional<mqtt::Version> BrokerModel::OutputVersion(
    broker::ConnectionId connection) const {
  for (const Connection& c : connections_) {
    if (c.id == connection) return c.version;
  }
  return std::nullopt;
}

void BrokerModel::ExpectPacket(broker::ConnectionId connection,
                               const mqtt::Packet& packet,
                               std::string_view rule) {
  answer_.packets.push_back({connection, PacketText(packet), rule});
  if (const Connection* c = FindConnection(connection);
      c != nullptr && c->version.has_value()) {
    answer_.versions[connection] = *c->version;
  }
}

void BrokerModel::ExpectEvent(EventKind kind, broker::ConnectionId connection,
                              std::string_view session,
                              DisconnectionReason reason, ReasonCode code,
                              std::string_view detail, std::string_view rule) {
  broker::Event event;
  event.kind = kind;
  event.connection = connection;
  event.session = session;
  event.reason = reason;
  event.reason_code = code;
  event.detail = detail;
  answer_.events.push_back({EventKey(event), EventText(event), rule});
}

void BrokerModel::MarkUnmodelled(std::string_view what,
                                 broker::ConnectionId connection) {
  if (answer_.unmodelled.empty()) answer_.unmodelled = std::string(what);
  if (connection != 0) {
    answer_.unmodelled_from.emplace(connection, answer_.packets.size());
  }
}

// --- Timers. Every input first runs what is due at its time (docs/broker.md:
// a late Advance never lets a connection outlive its keep-alive).

void BrokerModel::RunTimers(Time now) {
  now_ = std::max(now_, now);
  for (;;) {
    // The earliest due deadline; any order among equal ones (different
    // connections and sessions, whose answers are compared apart).
    Time earliest = kInfiniteFuture;
    broker::ConnectionId connection = 0;
    std::string session;
    for (const Connection& c : connections_) {
      const Time due =
          c.connected ? c.last_packet + c.keep_alive : c.opened + 30 * kSecond;
      if (due <= now_ && due < earliest) {
        earliest = due;
        connection = c.id;
      }
    }
    for (const Session& s : sessions_) {
      if (s.connection != 0) continue;
      const Time due =
          s.offline_since + static_cast<Duration>(s.expiry_seconds) * kSecond;
      if (due <= now_ && due < earliest) {
        earliest = due;
        connection = 0;
        session = s.client_id;
      }
    }
    if (earliest == kInfiniteFuture) return;
    if (connection == 0) {
      // Seed: an offline session ends when its expiry has passed.
      Count(kSessionExpired);
      EndSession(session, EventKind::kSessionExpired, "session-expiry",
                 kSessionExpired);
      continue;
    }
    Connection& c = *FindConnection(connection);
    if (!c.connected) {
      Count(kConnectTimeout);
      ExpectEvent(EventKind::kConnectRefused, c.id, "",
                  DisconnectionReason::kClientError, ReasonCode::kSuccess, "",
                  kConnectTimeout);
      EndConnection(c.id, DisconnectionReason::kClientError,
                    ReasonCode::kSuccess, false, true, kConnectTimeout);
      continue;
    }
    Count(kKeepAliveTimeout);
    EndConnection(c.id, DisconnectionReason::kConnectionLost,
                  ReasonCode::kKeepAliveTimeout, true, true, kKeepAliveTimeout);
  }
}

// --- Inputs.

void BrokerModel::Open(const broker::TransportIdentity& identity,
                       broker::ConnectionId connection, Time now) {
  RunTimers(now);
  answer_.input = absl::StrCat("a connection opened (", identity.peer, ")");
  const uint64_t waiting = static_cast<uint64_t>(
      std::count_if(connections_.begin(), connections_.end(),
                    [](const Connection& c) { return !c.connected; }));
  Count(kPendingBound);
  answer_.refuse_open_rule = kPendingBound;
  if (waiting >= SessionLimit()) {
    answer_.refuse_open = true;
    ExpectEvent(EventKind::kConnectRefused, 0, "",
                DisconnectionReason::kQuotaExceeded, ReasonCode::kServerBusy,
                "", kPendingBound);
    return;
  }
  answer_.refuse_open = false;
  if (connection == 0) return;  // The broker refused it: judged above.
  Connection c;
  c.id = connection;
  c.identity = identity;
  c.opened = now_;
  // Event Grid's 512 KiB Maximum Packet Size (seed's limits), decided by
  // the fixed header; the version by the CONNECT.
  c.decoder.Reset(mqtt::DecoderOptions{
      .maximum_packet_size = config_.limits.maximum_packet_size,
      .version = std::nullopt});
  connections_.push_back(std::move(c));
}

void BrokerModel::BytesIn(broker::ConnectionId id,
                          std::span<const uint8_t> bytes, Time now) {
  RunTimers(now);
  answer_.input = absl::StrCat(bytes.size(), " bytes in on connection ", id);
  mqtt::Bytes input = bytes;
  while (Connection* connection = FindConnection(id)) {
    mqtt::Packet packet;
    mqtt::DecodeError error;
    const mqtt::Decoder::Status status =
        connection->decoder.Next(&input, &packet, &error);
    if (status == mqtt::Decoder::Status::kNeedMore) return;
    if (status == mqtt::Decoder::Status::kError) {
      absl::StrAppend(&answer_.input, ": malformed (", ToAbsl(error.rule), ")");
      OnDecodeError(*connection, error);
      return;
    }
    absl::StrAppend(&answer_.input, ": ",
                    ToAbsl(mqtt::PacketTypeName(mqtt::TypeOf(packet))));
    if (const auto* connect = std::get_if<mqtt::Connect>(&packet)) {
      absl::StrAppend(
          &answer_.input, " (v", connect->version == mqtt::Version::kV5 ? 5 : 3,
          " client_id=\"", ToAbsl(connect->client_id), "\" username=\"",
          ToAbsl(connect->username.value_or("")),
          "\" clean_start=", connect->clean_start ? 1 : 0,
          " keep_alive=", connect->keep_alive, " session_expiry=",
          connect->properties.session_expiry_interval.value_or(0), ")");
    }
    // MQTT 5.0 3.1.2.10: any packet counts for the keep-alive.
    connection->last_packet = now_;
    OnPacket(*connection, packet);
  }
}

void BrokerModel::ClosedByPeer(broker::ConnectionId id, Time now) {
  RunTimers(now);
  answer_.input = absl::StrCat("connection ", id, " lost by its transport");
  if (FindConnection(id) == nullptr) return;  // Already closed: ignored.
  Count(kConnectionLost);
  EndConnection(id, DisconnectionReason::kConnectionLost, ReasonCode::kSuccess,
                false, false, kConnectionLost);
}

void BrokerModel::WriteBlocked(broker::ConnectionId id, bool blocked,
                               Time now) {
  RunTimers(now);
  answer_.input = absl::StrCat("connection ", id,
                               blocked ? " write-blocked" : " unblocked");
  MarkUnmodelled("write back-pressure", 0);
}

void BrokerModel::Advance(Time now) {
  RunTimers(now);
  answer_.input = "time advanced";
}

void BrokerModel::UpsertClient(const broker::ClientResource& client,
                               const absl::Status& status, Time now) {
  RunTimers(now);
  answer_.input = absl::StrCat("admin: upsert client ", client.name);
  if (!status.ok()) return;  // The directory's checks are not modelled.
  broker::ClientResource* existing = nullptr;
  for (broker::ClientResource& c : config_.clients) {
    if (c.name == client.name) existing = &c;
  }
  if (existing == nullptr) {
    config_.clients.push_back(client);
    return;
  }
  const broker::ClientResource before = *existing;
  *existing = client;
  std::string_view rule;
  if (before.state == broker::ClientState::kEnabled &&
      client.state == broker::ClientState::kDisabled) {
    rule = kAdminDisabled;
  } else if (before.validation_scheme != client.validation_scheme ||
             before.allowed_thumbprints != client.allowed_thumbprints) {
    rule = kAdminAuthenticationChanged;
  }
  if (before.attributes != client.attributes ||
      !SameName(before.authentication_name, client.authentication_name)) {
    // Permissions changed: subscriptions are re-authorized (unmodelled).
    MarkUnmodelled("admin: permissions changed", 0);
  }
  if (rule.empty()) return;
  Count(rule);
  std::vector<broker::ConnectionId> ending;
  for (const Session& session : sessions_) {
    if (session.owner == client.name && !session.orphaned &&
        session.connection != 0) {
      ending.push_back(session.connection);
    }
  }
  for (const broker::ConnectionId id : ending) {
    EndConnection(id, DisconnectionReason::kClientAuthenticationError,
                  ReasonCode::kAdministrativeAction, true, true, rule);
  }
}

void BrokerModel::DeleteClient(std::string_view name,
                               const absl::Status& status, Time now) {
  RunTimers(now);
  answer_.input = absl::StrCat("admin: delete client ", ToAbsl(name));
  if (!status.ok()) return;
  Count(kAdminDeleted);
  config_.clients.erase(
      std::remove_if(
          config_.clients.begin(), config_.clients.end(),
          [&](const broker::ClientResource& c) { return c.name == name; }),
      config_.clients.end());
  std::vector<std::string> owned;
  for (const Session& session : sessions_) {
    if (session.owner == name && !session.orphaned) {
      owned.push_back(session.client_id);
    }
  }
  for (const std::string& client_id : owned) {
    Session* session = FindSession(client_id);
    if (session->connection != 0) {
      EndConnection(
          session->connection, DisconnectionReason::kClientAuthenticationError,
          ReasonCode::kAdministrativeAction, true, true, kAdminDeleted);
    }
    // Facts: the name stays blocked until the session expires.
    if (Session* left = FindSession(client_id)) left->orphaned = true;
  }
}

// --- Packets.

void BrokerModel::OnPacket(Connection& connection, const mqtt::Packet& packet) {
  if (!connection.connected) {
    // The decoder gives nothing but a CONNECT first [MQTT-3.1.0-1].
    OnConnect(connection, std::get<mqtt::Connect>(packet));
    return;
  }
  switch (mqtt::TypeOf(packet)) {
    case mqtt::PacketType::kPingreq:
      Count(kPingresp);
      ExpectPacket(connection.id, mqtt::Pingresp{}, kPingresp);
      return;
    case mqtt::PacketType::kDisconnect:
      OnClientDisconnect(connection, std::get<mqtt::Disconnect>(packet));
      return;
    case mqtt::PacketType::kPublish:
    case mqtt::PacketType::kPuback:
    case mqtt::PacketType::kSubscribe:
    case mqtt::PacketType::kUnsubscribe:
      MarkUnmodelled(mqtt::PacketTypeName(mqtt::TypeOf(packet)), connection.id);
      return;
    case mqtt::PacketType::kConnect:
    case mqtt::PacketType::kAuth:
    case mqtt::PacketType::kPubrec:
    case mqtt::PacketType::kPubrel:
    case mqtt::PacketType::kPubcomp:
    case mqtt::PacketType::kConnack:
    case mqtt::PacketType::kSuback:
    case mqtt::PacketType::kUnsuback:
    case mqtt::PacketType::kPingresp:
      Count(kProtocolError);
      EndConnection(connection.id, DisconnectionReason::kClientError,
                    ReasonCode::kProtocolError, true, true, kProtocolError);
      return;
  }
}

void BrokerModel::OnDecodeError(Connection& connection,
                                const mqtt::DecodeError& error) {
  if (connection.connected) {
    Count(kMalformed);
    EndConnection(connection.id, DisconnectionReason::kClientError,
                  error.reason_code, true, true, kMalformed);
    return;
  }
  std::string_view rule = kMalformed;
  DisconnectionReason reason = DisconnectionReason::kClientError;
  if (error.reason_code == ReasonCode::kUnsupportedProtocolVersion) {
    rule = kUnsupportedVersion;
    connection.version = mqtt::Version::kV311;
    ExpectPacket(connection.id, mqtt::Connack{.reason_code = error.reason_code},
                 rule);
  } else if (error.rule == mqtt::kAuthenticationDataWithoutMethodRule) {
    rule = kAuthenticationData;
    reason = DisconnectionReason::kClientAuthenticationError;
    connection.version = mqtt::Version::kV5;
    ExpectPacket(connection.id,
                 mqtt::Connack{.reason_code = ReasonCode::kNotAuthorized},
                 rule);
  }
  Count(rule);
  ExpectEvent(EventKind::kConnectRefused, connection.id, "", reason,
              error.reason_code, "", rule);
  EndConnection(connection.id, reason, error.reason_code, false, true, rule);
}

bool BrokerModel::ConnectRateAllows() {
  // docs/limits.md: a generic cell rate algorithm; each accepted connect
  // moves a schedule 1/rate s on, which may run at most 1 s ahead of now.
  const __int128 rate = __int128{config_.limits.connects_per_second_per_unit} *
                        config_.limits.throughput_units;
  const __int128 now = __int128{now_} * rate;
  const __int128 start =
      connect_schedule_started_ ? std::max(connect_schedule_, now) : now;
  const __int128 next = start + kSecond;
  if (next - now > __int128{kSecond} * rate) return false;
  connect_schedule_ = next;
  connect_schedule_started_ = true;
  return true;
}

BrokerModel::Authentication BrokerModel::Authenticate(
    const broker::TransportIdentity& identity,
    std::optional<std::string_view> username) const {
  if (!identity.has_certificate && !config_.allow_unauthenticated_username) {
    return {kAuthNoCertificate};
  }
  std::string name;
  if (username.has_value() && !username->empty()) {
    name = std::string(*username);
  } else if (identity.has_certificate) {
    // Facts, Identity: the first alternative source that yields a value.
    for (const broker::AuthenticationNameSource source :
         config_.alternative_authentication_name_sources) {
      if (source ==
          broker::AuthenticationNameSource::kClientCertificateSubject) {
        const std::optional<std::string> cn =
            CommonName(identity.certificate.subject);
        if (cn.has_value() && !cn->empty()) name = *cn;
      } else {
        for (const std::string& san :
             *SubjectAlternativeNames(identity.certificate, source)) {
          if (!san.empty()) {
            name = san;
            break;
          }
        }
      }
      if (!name.empty()) break;
    }
  }
  if (name.empty()) return {kAuthNoName};
  const broker::ClientResource* client = nullptr;
  for (const broker::ClientResource& c : config_.clients) {
    if (SameName(c.authentication_name.empty() ? c.name : c.authentication_name,
                 name)) {
      client = &c;
    }
  }
  if (client == nullptr) return {kAuthUnknownClient};
  if (client->state != broker::ClientState::kEnabled) return {kAuthDisabled};
  if (!identity.has_certificate) return {{}, client};
  const broker::CertificateIdentity& certificate = identity.certificate;
  if (client->validation_scheme == broker::ValidationScheme::kThumbprintMatch) {
    for (const std::string& allowed : client->allowed_thumbprints) {
      if (SameName(allowed, certificate.thumbprint)) return {{}, client};
    }
    return {kAuthThumbprint};
  }
  bool from_registered_ca = false;
  for (const broker::CaCertificateResource& ca : config_.ca_certificates) {
    if (!certificate.issuer_thumbprint.empty() &&
        SameName(ca.thumbprint, certificate.issuer_thumbprint)) {
      from_registered_ca = true;
    }
  }
  if (!from_registered_ca) return {kAuthNotFromCa};
  const std::string& expected = client->authentication_name.empty()
                                    ? client->name
                                    : client->authentication_name;
  bool holds = false;
  switch (client->validation_scheme) {
    case broker::ValidationScheme::kSubjectMatchesAuthenticationName: {
      const std::optional<std::string> cn = CommonName(certificate.subject);
      holds = cn.has_value() && SameName(*cn, expected);
      break;
    }
    case broker::ValidationScheme::kDnsMatchesAuthenticationName:
    case broker::ValidationScheme::kUriMatchesAuthenticationName:
    case broker::ValidationScheme::kIpMatchesAuthenticationName:
    case broker::ValidationScheme::kEmailMatchesAuthenticationName: {
      const broker::AuthenticationNameSource source =
          client->validation_scheme ==
                  broker::ValidationScheme::kDnsMatchesAuthenticationName
              ? broker::AuthenticationNameSource::kClientCertificateDns
          : client->validation_scheme ==
                  broker::ValidationScheme::kUriMatchesAuthenticationName
              ? broker::AuthenticationNameSource::kClientCertificateUri
          : client->validation_scheme ==
                  broker::ValidationScheme::kIpMatchesAuthenticationName
              ? broker::AuthenticationNameSource::kClientCertificateIp
              : broker::AuthenticationNameSource::kClientCertificateEmail;
      for (const std::string& san :
           *SubjectAlternativeNames(certificate, source)) {
        if (SameName(san, expected)) holds = true;
      }
      break;
    }
    case broker::ValidationScheme::kThumbprintMatch:
      break;
  }
  if (!holds) return {kAuthFieldMismatch};
  return {{}, client};
}

void BrokerModel::RefuseConnect(Connection& connection,
                                const mqtt::Connect& connect, ReasonCode code,
                                DisconnectionReason reason,
                                std::string_view rule) {
  Count(rule);
  // 3.1.1 answers with the return code that means the same, where one
  // exists (MQTT 3.1.1 3.2.2.3); otherwise the connection closes.
  if (connect.version == mqtt::Version::kV5 ||
      mqtt::ToConnectReturnCode(code).has_value()) {
    ExpectPacket(connection.id, mqtt::Connack{.reason_code = code}, rule);
  }
  ExpectEvent(EventKind::kConnectRefused, connection.id, connect.client_id,
              reason, code, "", rule);
  EndConnection(connection.id, reason, code, false, true, rule);
}

void BrokerModel::OnConnect(Connection& connection,
                            const mqtt::Connect& connect) {
  connection.version = connect.version;
  const auto refuse = [&](ReasonCode code, DisconnectionReason reason,
                          std::string_view rule) {
    RefuseConnect(connection, connect, code, reason, rule);
  };
  if (!ConnectRateAllows()) {
    return refuse(ReasonCode::kConnectionRateExceeded,
                  DisconnectionReason::kQuotaExceeded, kConnectRate);
  }
  Count(kConnectRate);
  if (connect.properties.authentication_method.has_value()) {
    return refuse(ReasonCode::kBadAuthenticationMethod,
                  DisconnectionReason::kClientAuthenticationError,
                  kConnectAuthenticationMethod);
  }
  if (connect.will.has_value()) {
    return refuse(ReasonCode::kImplementationSpecificError,
                  DisconnectionReason::kClientError, kConnectWill);
  }
  if (!connect.properties.user_properties.empty()) {
    return refuse(ReasonCode::kImplementationSpecificError,
                  DisconnectionReason::kClientError, kConnectUserProperties);
  }
  if (connect.client_id.empty()) {
    return refuse(ReasonCode::kClientIdentifierNotValid,
                  DisconnectionReason::kClientError, kConnectClientIdRequired);
  }
  const Authentication authentication =
      Authenticate(connection.identity, connect.username);
  if (!authentication.failure_rule.empty()) {
    return refuse(ReasonCode::kNotAuthorized,
                  DisconnectionReason::kClientAuthenticationError,
                  authentication.failure_rule);
  }
  const broker::ClientResource& client = *authentication.client;
  if (const Session* session = FindSession(connect.client_id)) {
    if (session->orphaned) {
      return refuse(ReasonCode::kNotAuthorized,
                    DisconnectionReason::kClientAuthorizationError,
                    kSessionOrphaned);
    }
    if (!SameName(session->authentication_name, client.authentication_name)) {
      return refuse(ReasonCode::kNotAuthorized,
                    DisconnectionReason::kClientAuthorizationError,
                    kSessionOtherOwner);
    }
  } else {
    const uint64_t held = static_cast<uint64_t>(std::count_if(
        sessions_.begin(), sessions_.end(), [&](const Session& s) {
          return !s.orphaned &&
                 SameName(s.authentication_name, client.authentication_name);
        }));
    if (held >=
        config_.limits.maximum_client_sessions_per_authentication_name) {
      return refuse(ReasonCode::kQuotaExceeded,
                    DisconnectionReason::kQuotaExceeded, kSessionPerName);
    }
    Count(kSessionPerName);
    if (sessions_.size() >= SessionLimit()) {
      return refuse(ReasonCode::kQuotaExceeded,
                    DisconnectionReason::kQuotaExceeded, kSessionPerNamespace);
    }
  }
  AcceptConnect(connection, connect, client);
}

void BrokerModel::AcceptConnect(Connection& connection,
                                const mqtt::Connect& connect,
                                const broker::ClientResource& client) {
  const std::string client_id(connect.client_id);
  if (Session* session = FindSession(client_id);
      session != nullptr && session->connection != 0) {
    Count(kSessionTakeover);
    ExpectEvent(EventKind::kSessionTakenOver, connection.id, client_id,
                DisconnectionReason::kNone, ReasonCode::kSuccess, "",
                kSessionTakeover);
    EndConnection(session->connection, DisconnectionReason::kSessionTakenOver,
                  ReasonCode::kSessionTakenOver, true, true, kSessionTakeover);
  }
  if (FindSession(client_id) != nullptr && connect.clean_start) {
    Count(kSessionCleanStart);
    EndSession(client_id, EventKind::kSessionDeleted, "clean-start",
               kSessionCleanStart);
  }
  Session* session = FindSession(client_id);
  const bool present = session != nullptr;
  if (session == nullptr) {
    sessions_.push_back(
        Session{.client_id = client_id,
                .owner = client.name,
                .authentication_name = client.authentication_name.empty()
                                           ? client.name
                                           : client.authentication_name});
    session = &sessions_.back();
  }
  const broker::Limits& limits = config_.limits;
  mqtt::Connack connack{.session_present = present};
  mqtt::Properties& p = connack.properties;
  // Session expiry (seed): a v5 request of 0 stays 0; any other value is
  // replaced by the fixed expiry and reported; 3.1.1 Clean Session 0 gets
  // the fixed expiry, 1 gets 0.
  uint32_t expiry = 0;
  if (connect.version == mqtt::Version::kV5) {
    if (connect.properties.session_expiry_interval.value_or(0) != 0) {
      expiry = limits.session_expiry_seconds;
      p.session_expiry_interval = expiry;
    }
  } else if (!connect.clean_start) {
    expiry = limits.session_expiry_seconds;
  }
  Count(expiry == 0 ? kSessionExpiryZero : kSessionExpiryGranted);
  // Keep-alive (seed's limits): at most 1160 s; 0 or more is 1160, which
  // a v5 client is told as Server Keep Alive.
  uint32_t keep_alive = connect.keep_alive;
  if (keep_alive == 0 || keep_alive > limits.maximum_keep_alive_seconds) {
    Count(kKeepAliveCapped);
    keep_alive = limits.maximum_keep_alive_seconds;
    if (connect.version == mqtt::Version::kV5) {
      p.server_keep_alive = limits.maximum_keep_alive_seconds;
    }
  } else {
    Count(kKeepAliveGranted);
  }
  if (connect.version == mqtt::Version::kV5) {
    Count(kConnackProperties);
    p.receive_maximum = limits.receive_maximum;
    p.maximum_qos = 1;
    p.retain_available = 0;
    p.maximum_packet_size = limits.maximum_packet_size;
    if (limits.topic_alias_maximum != 0) {
      p.topic_alias_maximum = limits.topic_alias_maximum;
    }
    p.wildcard_subscription_available = 1;
    p.subscription_identifier_available = 0;
    p.shared_subscription_available = 0;
  }
  session->expiry_seconds = expiry;
  session->connection = connection.id;
  connection.connected = true;
  connection.session = client_id;
  connection.keep_alive = static_cast<Duration>(keep_alive) * 3 * kSecond / 2;
  const std::string_view rule = present ? kSessionResume : kSessionCreate;
  Count(rule);
  ExpectPacket(connection.id, connack, rule);
  ExpectEvent(present ? EventKind::kSessionResumed : EventKind::kSessionCreated,
              connection.id, client_id, DisconnectionReason::kNone,
              ReasonCode::kSuccess, "", rule);
  ExpectEvent(EventKind::kConnected, connection.id, client_id,
              DisconnectionReason::kNone, ReasonCode::kSuccess, "", rule);
}

void BrokerModel::OnClientDisconnect(Connection& connection,
                                     const mqtt::Disconnect& disconnect) {
  Session& session = *FindSession(connection.session);
  const mqtt::Properties& p = disconnect.properties;
  if (!p.user_properties.empty()) {
    Count(kDisconnectUserProperties);
    EndConnection(connection.id, DisconnectionReason::kClientError,
                  ReasonCode::kImplementationSpecificError, false, true,
                  kDisconnectUserProperties);
    return;
  }
  if (p.session_expiry_interval.has_value()) {
    if (session.expiry_seconds == 0 && *p.session_expiry_interval != 0) {
      Count(kDisconnectExpiryAfterZero);
      EndConnection(connection.id, DisconnectionReason::kClientError,
                    ReasonCode::kProtocolError, true, true,
                    kDisconnectExpiryAfterZero);
      return;
    }
    session.expiry_seconds = *p.session_expiry_interval == 0
                                 ? 0
                                 : config_.limits.session_expiry_seconds;
  }
  Count(kClientDisconnect);
  EndConnection(connection.id, DisconnectionReason::kClientInitiatedDisconnect,
                disconnect.reason_code, false, true, kClientDisconnect);
}

// --- Endings.

void BrokerModel::EndConnection(broker::ConnectionId id,
                                DisconnectionReason reason, ReasonCode code,
                                bool send, bool tell_host,
                                std::string_view rule) {
  const auto it = std::find_if(connections_.begin(), connections_.end(),
                               [&](const Connection& c) { return c.id == id; });
  MQLAB_CHECK(it != connections_.end());
  const Connection connection = std::move(*it);
  connections_.erase(it);
  // Only a connected v5 client can be sent a DISCONNECT (3.1.1 has none;
  // before CONNACK only a CONNACK may be sent, [MQTT-3.2.0-1]).
  if (send && connection.connected &&
      connection.version == mqtt::Version::kV5) {
    ExpectPacket(id, mqtt::Disconnect{.reason_code = code}, rule);
  }
  if (tell_host) answer_.closes.push_back({id, rule});
  if (!connection.connected) return;
  ExpectEvent(EventKind::kDisconnected, id, connection.session, reason, code,
              "", rule);
  Session& session = *FindSession(connection.session);
  session.connection = 0;
  SessionOffline(session, now_, rule);
}

void BrokerModel::SessionOffline(Session& session, Time now,
                                 std::string_view rule) {
  if (session.expiry_seconds == 0) {
    // MQTT 5.0 3.1.2.11.2: expiry 0 ends the session with the connection.
    EndSession(session.client_id, EventKind::kSessionDeleted,
               "session-expiry-zero", rule);
    return;
  }
  session.offline_since = now;
}

void BrokerModel::EndSession(std::string_view client_id, EventKind kind,
                             std::string_view detail, std::string_view rule) {
  const auto it =
      std::find_if(sessions_.begin(), sessions_.end(),
                   [&](const Session& s) { return s.client_id == client_id; });
  MQLAB_CHECK(it != sessions_.end());
  MQLAB_CHECK(it->connection == 0);
  ExpectEvent(kind, 0, it->client_id, DisconnectionReason::kNone,
              ReasonCode::kSuccess, detail, rule);
  sessions_.erase(it);
}

// --- Keeping in step.

void BrokerModel::AdoptClose(broker::ConnectionId id) {
  const auto it = std::find_if(connections_.begin(), connections_.end(),
                               [&](const Connection& c) { return c.id == id; });
  MQLAB_CHECK(it != connections_.end());
  const Connection connection = std::move(*it);
  connections_.erase(it);
  if (!connection.connected) return;
  Session& session = *FindSession(connection.session);
  session.connection = 0;
  SessionOffline(session, now_, "adopted-close");
}

broker::ConnectionId BrokerModel::AdoptSessionOverflow(
    std::string_view client_id) {
  const auto it =
      std::find_if(sessions_.begin(), sessions_.end(),
                   [&](const Session& s) { return s.client_id == client_id; });
  if (it == sessions_.end()) return 0;
  const broker::ConnectionId id = it->connection;
  if (id != 0) {
    connections_.remove_if([&](const Connection& c) { return c.id == id; });
  }
  sessions_.erase(it);
  return id;
}

}  // namespace mqlab::sim::model
