// A client trying to take over another client's live session (the seed:
// "its connection request will be rejected with an unauthorized error").
// Every interval, while the target session's own client holds it connected,
// the thief opens a connection of its own (its certificate, its Username)
// with the target's ClientId; the broker must answer CONNACK 0x87 (3.1.1:
// return code 5). Should it ever accept, the thief disconnects at once (the
// single-connection checker reports the stolen session). One attempt at a
// time; no reconnection.
#ifndef MQLAB_SIM_BEHAVIOURS_SESSION_THIEF_H_
#define MQLAB_SIM_BEHAVIOURS_SESSION_THIEF_H_

#include <memory>
#include <string>

#include "sim/behaviour.h"
#include "sim/client_link.h"
#include "sim/scheduler.h"

namespace mqlab::sim {

class SessionThief : public Behaviour, public LinkOwner {
 public:
  SessionThief(VirtualSession* session, std::string target_session,
               Duration interval);
  ~SessionThief() override;

  void Start() override;
  void Stop() override;

  void OnLinkConnack(ClientLink& link,
                     const client::ConnackEvent& event) override;
  void OnLinkDisconnected(ClientLink& link,
                          const client::DisconnectedEvent& event) override;

 private:
  void Attempt();

  std::string target_;
  Duration interval_;
  std::unique_ptr<ClientLink> attempt_;
  TimerId timer_ = kNoTimer;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_BEHAVIOURS_SESSION_THIEF_H_
