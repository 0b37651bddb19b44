#include "tools/broker_command.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "broker/namespace_loader.h"
#include "server/dev_namespace.h"
#include "server/listen_address.h"
#include "server/log.h"
#include "server/server.h"
#include "server/tls_context.h"

namespace mqlab::tools {
namespace {

using broker::NamespaceConfig;
using broker::StatusOr;

constexpr std::string_view kDefaultDevListener = "127.0.0.1:1883";
// --mqtts or --wss value that opens no such listener.
constexpr std::string_view kNoListener = "none";

StatusOr<NamespaceConfig> ReadNamespaceFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::NotFoundError(absl::StrCat(
        "namespace file '", path, "': cannot read: ", std::strerror(errno)));
  }
  std::ostringstream text;
  text << file.rdbuf();
  if (text.str().size() > broker::kMaximumNamespaceFileSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("namespace file '", path, "': larger than ",
                     broker::kMaximumNamespaceFileSize, " bytes"));
  }
  return broker::LoadNamespace(text.str(), path);
}

StatusOr<server::ListenerSpec> Listener(server::ListenerKind kind,
                                        std::string_view address) {
  StatusOr<server::ListenAddress> parsed = server::ParseListenAddress(address);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--",
                     kind == server::ListenerKind::kDev
                         ? "dev-listener"
                         : ToAbsl(server::ListenerKindName(kind)),
                     ": ", parsed.status().message()));
  }
  return server::ListenerSpec{.kind = kind, .address = *std::move(parsed)};
}

// Writes `text` to `path` whole (a reader never sees half of it).
bool WriteReadyFile(const std::string& path, const std::string& text) {
  const std::string partial = path + ".partial";
  {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    file << text;
    if (!file) return false;
  }
  return std::rename(partial.c_str(), path.c_str()) == 0;
}

int Fail(const absl::Status& status) {
  std::cerr << "mqlab broker: " << status.message() << "\n";
  return kBrokerBadArguments;
}

}  // namespace

int RunBrokerCommand(const BrokerCommandOptions& options) {
  StatusOr<server::LogLevel> log_level =
      server::ParseLogLevel(options.log_level);
  if (!log_level.ok()) return Fail(log_level.status());
  const bool tls = !options.tls_certificate.empty() || !options.tls_key.empty();
  if (tls && (options.tls_certificate.empty() || options.tls_key.empty())) {
    return Fail(absl::InvalidArgumentError(
        "--tls-cert and --tls-key go together: give both"));
  }
  if (!tls && !options.dev && options.dev_listener.empty()) {
    return Fail(absl::InvalidArgumentError(
        "no listener: give --tls-cert FILE and --tls-key FILE (MQTT over "
        "TLS), or --dev / --dev-listener ADDR:PORT (plaintext development "
        "listener)"));
  }
  if (options.config.empty() && !options.dev) {
    return Fail(absl::InvalidArgumentError(
        "--config NAMESPACE.json is required (or --dev for the built-in "
        "development namespace)"));
  }

  server::ServerOptions server_options;
  server_options.log_level = *log_level;
  server_options.limits.maximum_connections = options.maximum_connections;
  StatusOr<NamespaceConfig> config =
      options.config.empty()
          ? broker::LoadNamespace(server::DevNamespaceJson(), "built-in")
          : ReadNamespaceFile(options.config);
  if (!config.ok()) return Fail(config.status());
  if (options.config.empty()) {
    server_options.register_dev_clients = true;
  } else {
    const std::string path = options.config;
    server_options.reload_namespace = [path] {
      return ReadNamespaceFile(path);
    };
  }

  std::unique_ptr<server::TlsContext> tls_context;
  if (tls) {
    StatusOr<std::unique_ptr<server::TlsContext>> created =
        server::TlsContext::Create(options.tls_certificate, options.tls_key);
    if (!created.ok()) return Fail(created.status());
    tls_context = *std::move(created);
    server_options.tls = tls_context.get();
    for (const auto& [kind, address] :
         {std::pair(server::ListenerKind::kMqtts, options.mqtts),
          std::pair(server::ListenerKind::kWss, options.wss)}) {
      if (address == kNoListener) continue;
      StatusOr<server::ListenerSpec> listener = Listener(kind, address);
      if (!listener.ok()) return Fail(listener.status());
      server_options.listeners.push_back(*listener);
    }
  }
  if (options.dev || !options.dev_listener.empty()) {
    StatusOr<server::ListenerSpec> dev = Listener(
        server::ListenerKind::kDev,
        options.dev_listener.empty() ? kDefaultDevListener
                                     : std::string_view(options.dev_listener));
    if (!dev.ok()) return Fail(dev.status());
    if (!dev->address.IsLoopback() && !options.force_dev_listener) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
          "--dev-listener ", dev->address.ToString(),
          " is not a loopback address: plaintext MQTT without certificates "
          "must stay on this machine (add --force-dev-listener to expose it "
          "anyway)")));
    }
    if (!config->allow_unauthenticated_username) {
      std::cerr << "mqlab broker: warning: the namespace does not set "
                   "properties.mqlab.allowUnauthenticatedUsername; clients "
                   "of the dev listener will be refused\n";
    }
    server_options.listeners.push_back(*dev);
  }

  StatusOr<std::unique_ptr<server::Server>> server =
      server::Server::Create(std::move(server_options), *std::move(config));
  if (!server.ok()) return Fail(server.status());
  const server::Log& log = (*server)->log();
  std::string ready;
  for (const server::BoundListener& listener : (*server)->listeners()) {
    const bool dev = listener.kind == server::ListenerKind::kDev;
    log.Write(server::LogLevel::kInfo,
              absl::StrCat("listening ",
                           ToAbsl(server::ListenerKindName(listener.kind)), " ",
                           listener.address.ToString(),
                           dev ? " INSECURE: plaintext MQTT, clients "
                                 "authenticate by Username alone; for "
                                 "development only"
                               : ""));
    absl::StrAppend(&ready, ToAbsl(server::ListenerKindName(listener.kind)),
                    " ", listener.address.ToString(), "\n");
  }
  log.Write(
      server::LogLevel::kInfo,
      absl::StrCat("namespace ", options.config.empty() ? "built-in development"
                                                        : options.config));
  if (!options.ready_file.empty() &&
      !WriteReadyFile(options.ready_file, ready)) {
    return Fail(absl::InvalidArgumentError(
        absl::StrCat("--ready-file '", options.ready_file, "': cannot write")));
  }
  return (*server)->Run();
}

void RegisterBrokerCommand(CLI::App& app) {
  auto options = std::make_shared<BrokerCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "broker", "run the broker on the network (MQTT over TLS, dev listener)");
  command->footer(
      "Signals: SIGHUP reloads the namespace file, SIGUSR1 logs the "
      "counters, SIGTERM/SIGINT shut down (v5 clients get DISCONNECT 0x8B).\n"
      "Try: ./mqlab broker --dev, then mosquitto_sub -p 1883 -t '#' -v and "
      "mosquitto_pub -p 1883 -t hello -m world");
  command->add_option("--config", options->config,
                      "namespace file (docs/namespace.md); reloaded on SIGHUP");
  command->add_option("--tls-cert", options->tls_certificate,
                      "server certificate chain, PEM");
  command->add_option("--tls-key", options->tls_key, "server private key, PEM");
  command
      ->add_option("--mqtts", options->mqtts,
                   "MQTT over TLS listener ADDR:PORT (port 0: any free; none: "
                   "no such listener)")
      ->capture_default_str();
  command
      ->add_option("--wss", options->wss,
                   "MQTT over WebSockets over TLS listener ADDR:PORT "
                   "(path /mqtt; none: no such listener)")
      ->capture_default_str();
  command->add_option("--dev-listener", options->dev_listener,
                      "plaintext MQTT listener ADDR:PORT, loopback only "
                      "(default with --dev: 127.0.0.1:1883)");
  command->add_flag("--dev", options->dev,
                    "open the dev listener; without --config, serve the "
                    "built-in development namespace (every client may "
                    "publish and subscribe to every topic)");
  command->add_flag("--force-dev-listener", options->force_dev_listener,
                    "allow the dev listener on a non-loopback address");
  command
      ->add_option("--log-level", options->log_level,
                   "error, warning, info (one line per connection event) "
                   "or debug")
      ->capture_default_str();
  command->add_option("--ready-file", options->ready_file,
                      "once listening, write 'KIND ADDR:PORT' lines here");
  command
      ->add_option("--max-connections", options->maximum_connections,
                   "connections open at once")
      ->capture_default_str();
  command->callback([options] {
    const int code = RunBrokerCommand(*options);
    if (code != kBrokerStopped) throw CLI::RuntimeError(code);
  });
}

}  // namespace mqlab::tools
