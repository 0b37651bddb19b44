// The reference model: a second, deliberately plain implementation of the
// Event Grid broker's connection and session layer, written from the
// specification (the seed page "MQTT features support in Azure Event
// Grid", https://learn.microsoft.com/azure/event-grid/mqtt-support, Event
// Grid's client authentication and limits pages, OASIS MQTT 5.0 and 3.1.1
// where those are silent, and docs/broker.md for what mqlab decided where
// all of them are silent). It is given the broker's inputs in the order the
// broker took them and says what the broker must answer to each: the
// packets it writes (as sim/model/answer_text.h renders them), the
// connections it closes and the lifecycle events it reports.
//
// It depends on mqtt/ (decoding) and on the broker's namespace *types*
// (namespace_config.h, identity.h, events.h), never on the broker's logic.
// It is written to be obviously right, not fast: plain vectors scanned
// linearly, no index, no cache; each rule is one named constant at the top of
// broker_model.cc citing its source, applied by one function.
//
// Scope: CONNECT (validation, authentication, session ownership, counts,
// takeover, clean start, resume, the CONNACK and its properties), PINGREQ,
// the client's DISCONNECT, protocol errors, malformed input, keep-alive,
// the connect timeout, session expiry, admin changes of clients, and every
// connection and session ending with its events. PUBLISH, PUBACK,
// SUBSCRIBE, UNSUBSCRIBE and write back-pressure are not modelled yet: an
// input holding one is marked unmodelled (ModelAnswer::unmodelled), and a
// close the broker decides for such an input is adopted (AdoptClose) so
// that the model stays in step with the broker's sessions.
#ifndef MQLAB_SIM_MODEL_BROKER_MODEL_H_
#define MQLAB_SIM_MODEL_BROKER_MODEL_H_

#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "base/time.h"
#include "broker/events.h"
#include "broker/identity.h"
#include "broker/namespace_config.h"
#include "mqtt/decoder.h"
#include "mqtt/packet.h"

namespace mqlab::sim::model {

struct ExpectedPacket {
  broker::ConnectionId connection = 0;
  std::string text;  // answer_text.h's PacketText.
  std::string_view rule;
};

struct ExpectedClose {
  broker::ConnectionId connection = 0;
  std::string_view rule;
};

struct ExpectedEvent {
  std::string key;   // answer_text.h's EventKey.
  std::string text;  // EventText.
  std::string_view rule;
};

// What the broker must answer to one input.
struct ModelAnswer {
  std::string input;  // The input, in words, for a violation report.
  // Whether the broker must refuse the connection being opened (only for
  // an open).
  std::optional<bool> refuse_open;
  std::string_view refuse_open_rule;
  std::vector<ExpectedPacket> packets;  // In order within a connection.
  std::vector<ExpectedClose> closes;
  std::vector<ExpectedEvent> events;  // In order within a key.
  // Why part of the broker's answer is not modelled ("PUBLISH", ...);
  // empty: every output must match.
  std::string unmodelled;
  // Per connection, how many of `packets` it had when its first unmodelled
  // packet arrived: predictions after it stand only if the broker kept the
  // connection.
  std::map<broker::ConnectionId, size_t> unmodelled_from;
  // The version each connection the input touched writes in (for decoding
  // the broker's bytes; a closed connection's is kept here).
  std::map<broker::ConnectionId, mqtt::Version> versions;
};

class BrokerModel {
 public:
  // A fresh broker serving `config`; `rule_counts` (rule -> how often it
  // decided something) outlives the model and is shared by its successors.
  BrokerModel(broker::NamespaceConfig config,
              std::map<std::string, uint64_t>* rule_counts);

  // The inputs (sim/broker_tap.h).
  void Open(const broker::TransportIdentity& identity,
            broker::ConnectionId connection, Time now);
  void BytesIn(broker::ConnectionId connection, std::span<const uint8_t> bytes,
               Time now);
  void ClosedByPeer(broker::ConnectionId connection, Time now);
  void WriteBlocked(broker::ConnectionId connection, bool blocked, Time now);
  void Advance(Time now);
  void UpsertClient(const broker::ClientResource& client,
                    const absl::Status& status, Time now);
  void DeleteClient(std::string_view name, const absl::Status& status,
                    Time now);

  // Keeping in step with what the model does not decide. The broker ended
  // `connection` for an unmodelled cause: the model predicts what follows
  // for its session (its expiry or deletion), not the DISCONNECT or the
  // kDisconnected, which the checker adopts as they are.
  void AdoptClose(broker::ConnectionId connection);
  // The broker ended session `client_id` by its queue limit
  // (kSessionOverflow): the session and its connection are gone. Returns
  // that connection (0: the session was offline or unknown).
  broker::ConnectionId AdoptSessionOverflow(std::string_view client_id);

  bool IsOpen(broker::ConnectionId connection) const;
  // The version the connection's output is written in, once known.
  std::optional<mqtt::Version> OutputVersion(
      broker::ConnectionId connection) const;

  // The answer to the inputs since the last call.
  ModelAnswer TakeAnswer();

 private:
  struct Connection {
    broker::ConnectionId id = 0;
    broker::TransportIdentity identity;
    Time opened = 0;
    mqtt::Decoder decoder;
    // Set by the CONNECT (or by a refusal that answers in one version).
    std::optional<mqtt::Version> version;
    bool connected = false;   // CONNACK success sent.
    std::string session;      // Its session's ClientId, once connected.
    Duration keep_alive = 0;  // 1.5 x the granted keep-alive.
    Time last_packet = 0;
  };
  struct Session {
    std::string client_id;
    std::string owner;                // The client resource's name.
    std::string authentication_name;  // The owner's, as registered.
    bool orphaned = false;            // Its owner was deleted.
    uint32_t expiry_seconds = 0;
    broker::ConnectionId connection = 0;  // 0: offline.
    Time offline_since = 0;
  };
  struct Authentication {
    std::string_view failure_rule;  // Empty: authenticated.
    const broker::ClientResource* client = nullptr;
  };

  // Rules (broker_model.cc says where each comes from).
  void Count(std::string_view rule);
  void RunTimers(Time now);
  void OnPacket(Connection& connection, const mqtt::Packet& packet);
  void OnDecodeError(Connection& connection, const mqtt::DecodeError& error);
  void OnConnect(Connection& connection, const mqtt::Connect& connect);
  void RefuseConnect(Connection& connection, const mqtt::Connect& connect,
                     mqtt::ReasonCode code, broker::DisconnectionReason reason,
                     std::string_view rule);
  void AcceptConnect(Connection& connection, const mqtt::Connect& connect,
                     const broker::ClientResource& client);
  bool ConnectRateAllows();
  Authentication Authenticate(const broker::TransportIdentity& identity,
                              std::optional<std::string_view> username) const;
  void OnClientDisconnect(Connection& connection,
                          const mqtt::Disconnect& disconnect);
  // Ends a connection: the DISCONNECT (v5, connected, when `send`), the
  // close, kDisconnected, and its session going offline.
  void EndConnection(broker::ConnectionId id,
                     broker::DisconnectionReason reason, mqtt::ReasonCode code,
                     bool send, bool tell_host, std::string_view rule);
  void SessionOffline(Session& session, Time now, std::string_view rule);
  void EndSession(std::string_view client_id, broker::EventKind kind,
                  std::string_view detail, std::string_view rule);
  void ExpectPacket(broker::ConnectionId connection, const mqtt::Packet& packet,
                    std::string_view rule);
  void ExpectEvent(broker::EventKind kind, broker::ConnectionId connection,
                   std::string_view session, broker::DisconnectionReason reason,
                   mqtt::ReasonCode code, std::string_view detail,
                   std::string_view rule);
  void MarkUnmodelled(std::string_view what, broker::ConnectionId connection);

  Connection* FindConnection(broker::ConnectionId id);
  Session* FindSession(std::string_view client_id);
  const broker::ClientResource* FindClient(std::string_view name) const;
  uint64_t SessionLimit() const;

  broker::NamespaceConfig config_;
  // Lists, so that a rule may hold one connection or session while it ends
  // another.
  std::list<Connection> connections_;  // Open ones.
  std::list<Session> sessions_;
  // The namespace's connect rate, as a schedule of accepted connects that
  // may run at most one second ahead (in units of 1 / (rate * 10^9) s).
  __int128 connect_schedule_ = 0;
  bool connect_schedule_started_ = false;
  Time now_ = 0;
  ModelAnswer answer_;
  std::map<std::string, uint64_t>* rule_counts_;
};

}  // namespace mqlab::sim::model

#endif  // MQLAB_SIM_MODEL_BROKER_MODEL_H_
