#include "tools/decode_command.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "mqtt/decoder.h"
#include "mqtt/printer.h"
#include "tools/hex_text.h"

namespace mqlab::tools {
namespace {

std::string VersionName(mqtt::Version version) {
  return version == mqtt::Version::kV5 ? "MQTT 5.0" : "MQTT 3.1.1";
}

std::string Hex8(uint8_t byte) {
  char text[5];
  std::snprintf(text, sizeof(text), "0x%02x", byte);
  return text;
}

bool ReadAll(const std::string& input, std::string* contents,
             std::ostream& err) {
  if (input == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    *contents = buffer.str();
    return true;
  }
  std::ifstream file(input, std::ios::binary);
  if (!file) {
    err << "mqlab decode: cannot open " << input << "\n";
    return false;
  }
  contents->assign(std::istreambuf_iterator<char>(file),
                   std::istreambuf_iterator<char>());
  if (file.bad()) {
    err << "mqlab decode: cannot read " << input << "\n";
    return false;
  }
  return true;
}

}  // namespace

int DecodeStream(const std::vector<uint8_t>& stream, std::string_view source,
                 const DecodeCommandOptions& options, std::ostream& out) {
  mqtt::DecoderOptions decoder_options;
  if (options.maximum_packet_size != 0) {
    decoder_options.maximum_packet_size = options.maximum_packet_size;
  }
  out << source << ": " << stream.size() << " bytes, ";
  if (options.version.has_value()) {
    decoder_options.version = options.version;
    out << VersionName(*options.version) << " (from the command line)\n";
  } else if (!stream.empty() &&
             (stream[0] >> 4) ==
                 static_cast<uint8_t>(mqtt::PacketType::kConnect)) {
    out << "version from the CONNECT at offset 0\n";
  } else {
    decoder_options.version = mqtt::Version::kV5;
    out << "MQTT 5.0 (assumed: the stream does not start with a CONNECT; "
           "--v311 decodes it as 3.1.1)\n";
  }
  mqtt::Decoder decoder(decoder_options);
  mqtt::Bytes input = stream;
  size_t packet_count = 0;
  uint64_t packets_end = 0;  // Offset after the last whole packet.
  while (true) {
    mqtt::Packet packet;
    mqtt::DecodeError error;
    const mqtt::Decoder::Status status = decoder.Next(&input, &packet, &error);
    if (status == mqtt::Decoder::Status::kNeedMore) break;
    if (status == mqtt::Decoder::Status::kError) {
      out << "\nerror at offset " << error.offset << ": "
          << Hex8(static_cast<uint8_t>(error.reason_code)) << " "
          << mqtt::ReasonCodeName(error.reason_code) << "\n  " << error.rule
          << "\n";
      return kDecodeBadBytes;
    }
    ++packet_count;
    out << "\n@" << packets_end << " (" << decoder.last_packet_size()
        << " bytes";
    if (packet_count == 1 && !decoder_options.version.has_value()) {
      out << ", " << VersionName(*decoder.version());
    }
    out << ")\n" << mqtt::PacketToString(packet);
    packets_end = decoder.stream_offset();
  }
  out << "\n"
      << packet_count << (packet_count == 1 ? " packet" : " packets") << "\n";
  if (packets_end < stream.size()) {
    out << "error at offset " << packets_end << ": the stream ends inside a "
        << "packet (" << stream.size() - packets_end << " bytes left)\n";
    return kDecodeBadBytes;
  }
  return kDecodeOk;
}

int RunDecodeCommand(const DecodeCommandOptions& options, std::ostream& out,
                     std::ostream& err) {
  std::string contents;
  if (!ReadAll(options.input, &contents, err)) return kDecodeBadInput;
  const std::string source = options.input == "-" ? "stdin" : options.input;
  std::vector<uint8_t> stream;
  if (options.hex) {
    absl::StatusOr<std::vector<uint8_t>> parsed =
        ParseHexText(contents, source);
    if (!parsed.ok()) {
      err << "mqlab decode: " << parsed.status().message() << "\n";
      return kDecodeBadInput;
    }
    stream = *std::move(parsed);
  } else {
    stream.assign(contents.begin(), contents.end());
  }
  return DecodeStream(stream, source, options, out);
}

void RegisterDecodeCommand(CLI::App& app) {
  auto options = std::make_shared<DecodeCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "decode", "print each MQTT packet of a byte stream field by field");
  command->footer(
      "Each packet is printed with its stream offset. The version comes from "
      "--v5/--v311, else from a CONNECT at the start of the stream, else 5.0 "
      "(the output says which). On bad bytes: the offset, the reason code "
      "and the rule broken, exit code 1; exit code 2 for an unreadable file "
      "or bad hex text.\nExample: ./mqlab decode --hex "
      "corpora/captures/telemetry.hex");
  auto* v5 = command->add_flag_callback(
      "--v5", [options] { options->version = mqtt::Version::kV5; },
      "decode as MQTT 5.0");
  auto* v311 = command->add_flag_callback(
      "--v311", [options] { options->version = mqtt::Version::kV311; },
      "decode as MQTT 3.1.1");
  v5->excludes(v311);
  command->add_flag("--hex", options->hex,
                    "FILE is hex text (whitespace and # comments allowed)");
  command->add_option("--max-packet-size", options->maximum_packet_size,
                      "refuse packets larger than this many bytes (0x95)");
  command
      ->add_option("FILE", options->input, "the bytes to decode; - for stdin")
      ->required();
  command->callback([options] {
    const int code = RunDecodeCommand(*options, std::cout, std::cerr);
    if (code != kDecodeOk) throw CLI::RuntimeError(code);
  });
}

}  // namespace mqlab::tools
