// The broker's lifecycle events as log lines and counters: one line per
// connection event (connected, refused, disconnected with Event Grid's
// disconnection reason name, session taken over, ...), denials and limits at
// debug level, and counts of every denial by reason for the SIGUSR1 line.
#ifndef MQLAB_SERVER_CONNECTION_LOG_H_
#define MQLAB_SERVER_CONNECTION_LOG_H_

#include <cstdint>
#include <map>
#include <string>

#include "broker/broker.h"
#include "broker/events.h"
#include "server/log.h"

namespace mqlab::server {

class ConnectionLog final : public broker::Observer {
 public:
  explicit ConnectionLog(const Log* log) : log_(log) {}
  void OnEvent(const broker::Event& event) override;
  // "denials publish-denied/not-authorized=2 connect-refused/..." in name
  // order.
  std::string DenialCounts() const;

 private:
  const Log* log_;
  // "connect-refused/ClientAuthenticationError/unknown-client" → count.
  std::map<std::string, uint64_t, std::less<>> denials_;
};

// One line of the broker's counters.
std::string StatsLine(const broker::BrokerStats& stats);

}  // namespace mqlab::server

#endif  // MQLAB_SERVER_CONNECTION_LOG_H_
