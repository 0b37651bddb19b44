// One session of a virtual client: the ClientId it connects with, the
// link (sim/client_link.h) that holds its current MQTT client, its
// behaviours, and whether the client wants it connected (the liveness
// checker's ClientIntent).
//
// Life: PowerOn() makes a fresh link and connects (the client library then
// reconnects with backoff on its own); Crash() kills the device's link
// without a word; GoOffline()/GoOnline() disconnect and come back keeping
// the session; Reconnect() drops and reconnects at once, or (overlap) opens
// a second link that takes the session over and then replaces the first.
// Holds (an admin deletion or disabling) make the client stop wanting the
// session connected until released.
#ifndef MQLAB_SIM_VIRTUAL_SESSION_H_
#define MQLAB_SIM_VIRTUAL_SESSION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "client/client_options.h"
#include "client/connect_options.h"
#include "sim/behaviour.h"
#include "sim/client_link.h"
#include "sim/connection_settings.h"
#include "sim/fleet.h"
#include "sim/name_pattern.h"

namespace mqlab::sim {

class VirtualFleet;

class VirtualSession : public LinkOwner {
 public:
  VirtualSession(VirtualFleet* fleet, const FleetSession& session,
                 const FleetClient& client,
                 const scenario::Population& population);
  ~VirtualSession() override;

  VirtualFleet& fleet() const { return *fleet_; }
  const FleetSession& fleet_session() const { return *session_; }
  const FleetClient& fleet_client() const { return *client_; }
  const scenario::Population& population() const { return *population_; }
  const std::string& client_id() const { return session_->client_id; }
  mqtt::Version version() const { return client_->version; }
  bool v5() const { return client_->version == mqtt::Version::kV5; }
  const ConnectionSettings& settings() const { return settings_; }
  const client::ClientOptions& client_options() const { return options_; }
  // The device is on (not crashed, started).
  bool powered() const { return powered_; }
  // Placeholder values for this session's patterns ({auth}, {session}, ...).
  PatternValues pattern_values() const;
  // The device's host.
  HostId host() const;

  // The link behaviours act through; null while the device is down.
  ClientLink* link() const { return link_.get(); }
  bool connected() const { return link_ != nullptr && link_->connected(); }

  void AddBehaviour(std::unique_ptr<Behaviour> behaviour, Duration start_after,
                    std::optional<Duration> stop_after);
  // The session connects only for its limit probes: no link of its own,
  // never wanted connected.
  void set_probing() { probing_ = true; }
  bool probing() const { return probing_; }

  // The device starts: a fresh link connects (a probing session only starts
  // its behaviours).
  void PowerOn();
  // The device dies: its link is gone without a word.
  void Crash();
  void GoOffline();
  void GoOnline();
  // Drops the connection and reconnects at once; with `overlap`, connects a
  // second link first, which takes the session over.
  void Reconnect(bool overlap);
  // While a hold is on, the client does not want the session connected.
  void Hold();
  void Release();

  // A new link on this session's device (identity, options, its own random
  // stream) owned by `owner`, connecting as `client_id` (this session's
  // unless given).
  std::unique_ptr<ClientLink> MakeLink(LinkOwner* owner,
                                       const std::string& client_id,
                                       const client::ClientOptions& options);
  // What this session's CONNECT carries.
  client::ConnectOptions ConnectOptions() const;

  // LinkOwner.
  void OnLinkConnack(ClientLink& link,
                     const client::ConnackEvent& event) override;
  void OnLinkMessage(ClientLink& link, const client::MessageEvent& event,
                     client::MessageAck* ack) override;
  void OnLinkResponse(ClientLink& link,
                      const client::ResponseEvent& event) override;
  void OnLinkRequestTimedOut(
      ClientLink& link, const client::RequestTimedOutEvent& event) override;
  void OnLinkDisconnected(ClientLink& link,
                          const client::DisconnectedEvent& event) override;

 private:
  struct Attached {
    std::unique_ptr<Behaviour> behaviour;
    Duration start_after = 0;
    std::optional<Duration> stop_after;
    TimerId timer = kNoTimer;
  };

  // Starts the behaviours' clocks (once: the first connection).
  void StartBehaviours();
  void Connect(ClientLink& link);
  void UpdateIntent();
  // Connects the session's link again when it stopped (taken over) and no
  // other link of the session is on its way.
  void ConnectIfNoLinkHolds();
  void RetireLink(std::unique_ptr<ClientLink> link);

  VirtualFleet* fleet_;
  const FleetSession* session_;
  const FleetClient* client_;
  const scenario::Population* population_;
  ConnectionSettings settings_;
  client::ClientOptions options_;
  std::string username_;  // Empty with omit_username.
  std::unique_ptr<ClientLink> link_;
  // A reconnect loop's second link, until it takes the session over.
  std::unique_ptr<ClientLink> incoming_;
  std::vector<Attached> behaviours_;
  uint64_t sequence_ = 0;  // Messages tagged so far.
  uint32_t links_made_ = 0;
  uint32_t holds_ = 0;
  bool probing_ = false;
  bool powered_ = false;
  bool offline_ = false;
  bool behaviours_started_ = false;
  bool wants_connected_ = false;  // As last told.
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_VIRTUAL_SESSION_H_
