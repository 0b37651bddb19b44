// The C++ side of the `mqlab` command: one subcommand per file
// (tools/*_command.h), each registering itself on the CLI11 app.
#include "CLI/CLI.hpp"
#include "tools/decode_command.h"

int main(int argc, char** argv) {
  CLI::App app{
      "mqlab: an Event Grid MQTT broker and the lab that proves it.\n"
      "The root script ./mqlab runs this tool; see ./mqlab help."};
  app.name("mqlab");
  app.require_subcommand(1);
  mqlab::tools::RegisterDecodeCommand(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
