// What a virtual session does: the scenario's behaviours (telemetry,
// subscriber, commands, alerts, reconnect loops, takeover attempts, limit
// probes, admin deletions, offline periods), each a Behaviour attached to
// one session (sim/virtual_session.h).
//
// Contract: the session starts a behaviour `start_after` its first
// connection (CONNACK Success; for a limit prober, its first probe time) and
// stops it `stop_after` that (if set). Between, the behaviour hears every
// CONNACK Success of the session's links and every message they receive,
// and acts through the session's current link (VirtualSession::link(),
// null while the device is down). A behaviour that sets timers cancels them
// when it is destroyed.
#ifndef MQLAB_SIM_BEHAVIOUR_H_
#define MQLAB_SIM_BEHAVIOUR_H_

#include "client/events.h"

namespace mqlab::sim {

class ClientLink;
class VirtualSession;

class Behaviour {
 public:
  explicit Behaviour(VirtualSession* session) : session_(session) {}
  virtual ~Behaviour() = default;
  Behaviour(const Behaviour&) = delete;
  Behaviour& operator=(const Behaviour&) = delete;

  virtual void Start() {}
  virtual void Stop() {}
  // A link of the session got CONNACK Success (the behaviour may not have
  // started yet: it sees every connection).
  virtual void OnConnected(ClientLink& /*link*/,
                           const client::ConnackEvent& /*event*/) {}
  virtual void OnMessage(ClientLink& /*link*/,
                         const client::MessageEvent& /*event*/) {}
  virtual void OnResponse(ClientLink& /*link*/,
                          const client::ResponseEvent& /*event*/) {}
  virtual void OnRequestTimedOut(
      ClientLink& /*link*/, const client::RequestTimedOutEvent& /*event*/) {}

 protected:
  VirtualSession& session() const { return *session_; }

 private:
  VirtualSession* session_;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_BEHAVIOUR_H_
