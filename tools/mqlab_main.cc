// The C++ side of the `mqlab` command: one subcommand per file
// (tools/*_command.h), each registering itself on the CLI11 app.
#include "CLI/CLI.hpp"
#include "sim/virtual_fleet.h"
#include "tools/broker_command.h"
#include "tools/decode_command.h"
#include "tools/replay_command.h"
#include "tools/run_command.h"
#include "tools/shrink_command.h"
#include "tools/sim_choices_command.h"
#include "tools/sweep_command.h"

int main(int argc, char** argv) {
  CLI::App app{
      "mqlab: an Event Grid MQTT broker and the lab that proves it.\n"
      "The root script ./mqlab runs this tool; see ./mqlab help."};
  app.name("mqlab");
  app.require_subcommand(1);
  // What simulator runs play on the network: the broker and the fleet's
  // virtual clients.
  const mqlab::sim::WorkloadFactory workload =
      mqlab::sim::VirtualFleetWorkload();
  mqlab::tools::RegisterBrokerCommand(app);
  mqlab::tools::RegisterDecodeCommand(app);
  mqlab::tools::RegisterRunCommand(app, workload);
  mqlab::tools::RegisterReplayCommand(app, workload);
  mqlab::tools::RegisterShrinkCommand(app, workload);
  mqlab::tools::RegisterSweepCommand(app);
  mqlab::tools::RegisterSimChoicesCommand(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
