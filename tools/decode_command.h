// `mqlab decode [--v5|--v311] [--hex] FILE|-`: prints each MQTT packet of a
// byte stream field by field with its stream offset; on bad bytes, the
// offset, the reason code and the rule broken, and a non-zero exit.
#ifndef MQLAB_TOOLS_DECODE_COMMAND_H_
#define MQLAB_TOOLS_DECODE_COMMAND_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "mqtt/packet.h"

namespace mqlab::tools {

struct DecodeCommandOptions {
  std::string input = "-";  // A file name, or "-" for standard input.
  bool hex = false;         // The input is hex text, not raw bytes.
  std::optional<mqtt::Version> version{};  // Unset: from a CONNECT, else 5.0.
  uint32_t maximum_packet_size = 0;        // 0: the protocol's maximum.
};

// Exit codes.
inline constexpr int kDecodeOk = 0;
inline constexpr int kDecodeBadBytes = 1;  // The stream broke a rule.
inline constexpr int kDecodeBadInput = 2;  // Unreadable file or hex text.

// Decodes `stream` (raw bytes; `source` names it in messages) and prints the
// report to `out`. Returns kDecodeOk or kDecodeBadBytes.
int DecodeStream(const std::vector<uint8_t>& stream, std::string_view source,
                 const DecodeCommandOptions& options, std::ostream& out);

// Reads options.input and decodes it; errors about the input go to `err`.
int RunDecodeCommand(const DecodeCommandOptions& options, std::ostream& out,
                     std::ostream& err);

// Adds the `decode` subcommand to `app`. Its callback runs the command and
// ends the program with the command's exit code (CLI::RuntimeError) when
// that is not 0.
void RegisterDecodeCommand(CLI::App& app);

}  // namespace mqlab::tools

#endif  // MQLAB_TOOLS_DECODE_COMMAND_H_
