// `mqlab broker`: the broker on the real network (server/). Listeners, TLS
// files, the namespace file or the built-in development namespace, the log
// level; the command runs until SIGTERM or SIGINT.
#ifndef MQLAB_TOOLS_BROKER_COMMAND_H_
#define MQLAB_TOOLS_BROKER_COMMAND_H_

#include <string>

#include "CLI/CLI.hpp"

namespace mqlab::tools {

struct BrokerCommandOptions {
  std::string config;  // Namespace file; empty with --dev: built-in.
  std::string tls_certificate;
  std::string tls_key;
  std::string mqtts = "0.0.0.0:8883";
  std::string wss = "0.0.0.0:443";
  std::string dev_listener;  // Empty: 127.0.0.1:1883 with --dev, else none.
  bool dev = false;
  bool force_dev_listener = false;  // Allow a non-loopback dev listener.
  std::string log_level = "info";
  std::string ready_file;  // Written with the bound addresses once listening.
  uint32_t maximum_connections = 10'000;
};

// Exit codes.
inline constexpr int kBrokerStopped = 0;
inline constexpr int kBrokerBadArguments = 2;  // Bad files, ports, options.

// Starts the server and runs it until it is told to stop.
int RunBrokerCommand(const BrokerCommandOptions& options);

void RegisterBrokerCommand(CLI::App& app);

}  // namespace mqlab::tools

#endif  // MQLAB_TOOLS_BROKER_COMMAND_H_
