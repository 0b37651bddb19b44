// A tap on the simulated broker: everything the broker is given and
// everything it answers, in the order it happens, for a second opinion
// (the reference model, sim/model/). For each input the adapter
// (sim/broker_adapter.h) hands the broker, the tap hears the output methods
// from inside the broker's call, the input method (with what the broker
// returned: the connection number, an admin operation's status) and then
// InputDone(), so that a tap judges the broker's whole answer to one input
// at once.
//
// A tap only watches: it must not call back into the adapter or the broker,
// and nothing it does reaches the trace (trace hashes are unchanged).
#ifndef MQLAB_SIM_BROKER_TAP_H_
#define MQLAB_SIM_BROKER_TAP_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "absl/status/status.h"
#include "base/time.h"
#include "broker/events.h"
#include "broker/identity.h"
#include "broker/namespace_config.h"

namespace mqlab::sim {

class BrokerTap {
 public:
  virtual ~BrokerTap() = default;

  // --- Inputs (before InputDone). A broker starts (a fresh process on
  // `config`) or stops (crashes: every session and connection is gone).
  virtual void OnBrokerStarted(const broker::NamespaceConfig& config,
                               Time now) = 0;
  virtual void OnBrokerStopped(Time now) = 0;
  // The broker numbered the connection `connection`, or refused it
  // (broker::kRefusedConnection).
  virtual void OnOpened(const broker::TransportIdentity& identity,
                        broker::ConnectionId connection, Time now) = 0;
  virtual void OnBytesIn(broker::ConnectionId connection,
                         std::span<const uint8_t> bytes, Time now) = 0;
  virtual void OnClosedByPeer(broker::ConnectionId connection, Time now) = 0;
  virtual void OnWriteBlocked(broker::ConnectionId connection, bool blocked,
                              Time now) = 0;
  virtual void OnAdvance(Time now) = 0;
  // Admin operations while the broker runs, with the broker's answer.
  virtual void OnUpsertClient(const broker::ClientResource& client,
                              const absl::Status& status, Time now) = 0;
  virtual void OnDeleteClient(std::string_view name, const absl::Status& status,
                              Time now) = 0;

  // --- Outputs, during the input's call.
  virtual void OnSend(broker::ConnectionId connection,
                      std::span<const uint8_t> bytes) = 0;
  virtual void OnClose(broker::ConnectionId connection) = 0;
  virtual void OnEvent(const broker::Event& event) = 0;

  // The broker has answered the input reported last.
  virtual void InputDone() = 0;
};

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_BROKER_TAP_H_
