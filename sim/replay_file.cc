#include "sim/replay_file.h"

#include <cstdio>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/absl_string_view.h"
#include "nlohmann/json.hpp"
#include "sim/duration_text.h"

namespace mqlab::sim {
namespace {

using Json = nlohmann::ordered_json;

Json DurationJson(Duration duration) { return FormatDuration(duration); }

// Reads a replay document field by field; the first error wins and names
// its JSON path.
class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  bool ok() const { return error_.ok(); }
  absl::Status error() const { return error_; }

  void Fail(const std::string& path, std::string_view expected,
            const Json& got) {
    if (!ok()) return;
    error_ = absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(source_), ": ", path, ": expected ", ToAbsl(expected), ", got ",
        got.is_null() ? std::string("nothing") : got.dump()));
  }

  // The member `key` of `object` (at `path`); null when absent.
  const Json& Member(const Json& object, std::string_view key) {
    static const Json* const kNull = new Json();
    const auto it = object.find(std::string(key));
    return it == object.end() ? *kNull : *it;
  }

  // Refuses members other than `known`.
  void OnlyKnown(const Json& object, const std::string& path,
                 std::initializer_list<std::string_view> known) {
    for (auto it = object.begin(); it != object.end(); ++it) {
      bool found = false;
      for (std::string_view key : known) found |= it.key() == key;
      if (!found) {
        std::vector<std::string> names(known.begin(), known.end());
        Fail(path + "." + it.key(),
             absl::StrCat("no such field (known: ", absl::StrJoin(names, ", "),
                          ")"),
             it.value());
      }
    }
  }

  bool Object(const Json& value, const std::string& path) {
    if (value.is_object()) return true;
    Fail(path, "an object", value);
    return false;
  }

  std::string String(const Json& object, std::string_view key,
                     const std::string& path, bool required = true) {
    const Json& value = Member(object, key);
    if (value.is_string()) return value.get<std::string>();
    if (value.is_null() && !required) return {};
    Fail(path + "." + std::string(key), "a string", value);
    return {};
  }

  std::vector<std::string> Strings(const Json& object, std::string_view key,
                                   const std::string& path) {
    const Json& value = Member(object, key);
    std::vector<std::string> strings;
    if (value.is_null()) return strings;
    const std::string here = path + "." + std::string(key);
    if (!value.is_array()) {
      Fail(here, "an array of strings", value);
      return strings;
    }
    for (size_t i = 0; i < value.size(); ++i) {
      if (!value[i].is_string()) {
        Fail(absl::StrCat(here, "[", i, "]"), "a string", value[i]);
        return strings;
      }
      strings.push_back(value[i].get<std::string>());
    }
    return strings;
  }

  Duration DurationField(const Json& object, std::string_view key,
                         const std::string& path) {
    const Json& value = Member(object, key);
    if (value.is_string()) {
      if (const std::optional<Duration> parsed =
              ParseDuration(value.get<std::string>())) {
        return *parsed;
      }
    }
    Fail(path + "." + std::string(key), "a duration like \"1.5s\"", value);
    return 0;
  }

  uint64_t Unsigned(const Json& object, std::string_view key,
                    const std::string& path) {
    const Json& value = Member(object, key);
    if (value.is_number_unsigned()) return value.get<uint64_t>();
    if (value.is_number_integer() && value.get<int64_t>() >= 0) {
      return static_cast<uint64_t>(value.get<int64_t>());
    }
    Fail(path + "." + std::string(key), "a non-negative integer", value);
    return 0;
  }

  int64_t Integer(const Json& object, std::string_view key,
                  const std::string& path) {
    const Json& value = Member(object, key);
    if (value.is_null()) return 0;
    if (value.is_number_integer()) return value.get<int64_t>();
    Fail(path + "." + std::string(key), "an integer", value);
    return 0;
  }

  bool Boolean(const Json& object, std::string_view key,
               const std::string& path) {
    const Json& value = Member(object, key);
    if (value.is_null()) return false;
    if (value.is_boolean()) return value.get<bool>();
    Fail(path + "." + std::string(key), "true or false", value);
    return false;
  }

 private:
  std::string_view source_;
  absl::Status error_;
};

Json FaultJson(const NamedFault& fault) {
  return {{"at", DurationJson(fault.at)},
          {"kind", std::string(FaultKindName(fault.kind))},
          {"hosts", fault.hosts},
          {"other_hosts", fault.other_hosts},
          {"clients", fault.clients},
          {"duration", DurationJson(fault.duration)},
          {"amount", fault.amount}};
}

NamedFault ReadFault(Reader& reader, const Json& value,
                     const std::string& path) {
  NamedFault fault;
  if (!reader.Object(value, path)) return fault;
  reader.OnlyKnown(
      value, path,
      {"at", "kind", "hosts", "other_hosts", "clients", "duration", "amount"});
  fault.at = reader.DurationField(value, "at", path);
  const std::string kind = reader.String(value, "kind", path);
  if (const std::optional<FaultKind> parsed = FaultKindFromName(kind)) {
    fault.kind = *parsed;
  } else if (reader.ok()) {
    std::vector<std::string> names;
    for (FaultKind k : kAllFaultKinds) {
      names.emplace_back(FaultKindName(k));
    }
    reader.Fail(path + ".kind",
                absl::StrCat("one of ", absl::StrJoin(names, ", ")),
                Json(kind));
  }
  fault.hosts = reader.Strings(value, "hosts", path);
  fault.other_hosts = reader.Strings(value, "other_hosts", path);
  fault.clients = reader.Strings(value, "clients", path);
  fault.duration = reader.DurationField(value, "duration", path);
  fault.amount = reader.Integer(value, "amount", path);
  return fault;
}

Json ViolationJson(const Violation& violation) {
  std::vector<std::string> messages;
  for (const MessageTag& tag : violation.messages) {
    messages.push_back(MessageTagName(tag));
  }
  return {{"checker", std::string(CheckerName(violation.checker))},
          {"rule", violation.rule},
          {"time", DurationJson(violation.time)},
          {"sessions", violation.sessions},
          {"messages", messages},
          {"detail", violation.detail}};
}

Violation ReadViolation(Reader& reader, const Json& value,
                        const std::string& path) {
  Violation violation;
  if (!reader.Object(value, path)) return violation;
  reader.OnlyKnown(
      value, path,
      {"checker", "rule", "time", "sessions", "messages", "detail"});
  const std::string checker = reader.String(value, "checker", path);
  if (const std::optional<CheckerKind> kind = CheckerKindFromName(checker)) {
    violation.checker = *kind;
  } else if (reader.ok()) {
    std::vector<std::string> names;
    for (CheckerKind k : kAllCheckerKinds) names.emplace_back(CheckerName(k));
    reader.Fail(path + ".checker",
                absl::StrCat("one of ", absl::StrJoin(names, ", ")),
                Json(checker));
  }
  violation.rule = reader.String(value, "rule", path);
  violation.time = reader.DurationField(value, "time", path);
  violation.sessions = reader.Strings(value, "sessions", path);
  const std::vector<std::string> messages =
      reader.Strings(value, "messages", path);
  for (size_t i = 0; i < messages.size(); ++i) {
    if (const std::optional<MessageTag> tag =
            ParseMessageTagName(messages[i])) {
      violation.messages.push_back(*tag);
    } else {
      reader.Fail(absl::StrCat(path, ".messages[", i, "]"),
                  "a message id like \"m17.42\"", Json(messages[i]));
    }
  }
  violation.detail = reader.String(value, "detail", path);
  return violation;
}

}  // namespace

std::string HashHex(uint64_t hash) {
  char text[17];
  std::snprintf(text, sizeof(text), "%016llx",
                static_cast<unsigned long long>(hash));
  return text;
}

std::optional<CheckerKind> CheckerKindFromName(std::string_view name) {
  for (CheckerKind kind : kAllCheckerKinds) {
    if (CheckerName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::optional<MessageTag> ParseMessageTagName(std::string_view name) {
  if (name.size() < 4 || name[0] != 'm') return std::nullopt;
  const size_t dot = name.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  MessageTag tag;
  if (!absl::SimpleAtoi(ToAbsl(name.substr(1, dot - 1)), &tag.publisher) ||
      !absl::SimpleAtoi(ToAbsl(name.substr(dot + 1)), &tag.sequence)) {
    return std::nullopt;
  }
  return tag;
}

ReplayFile MakeReplayFile(const RunInput& input, const RunOptions& options,
                          const RunResult& result, std::string git_commit) {
  ReplayFile replay;
  replay.input = input;
  replay.seed = result.summary.seed;
  replay.git_commit = std::move(git_commit);
  replay.stop_at_first_violation = options.stop_at_first_violation;
  replay.faults = result.faults_taken;
  if (!result.violations.empty()) replay.violation = result.violations[0];
  replay.trace_hash = result.summary.trace_hash;
  return replay;
}

std::string ReplayFileToJson(const ReplayFile& replay) {
  Json faults = Json::array();
  for (const NamedFault& fault : replay.faults) {
    faults.push_back(FaultJson(fault));
  }
  Json json = {
      {"format", "mqlab-replay"},
      {"version", kReplayFormatVersion},
      {"scenario",
       {{"path", replay.input.scenario_path},
        {"text", replay.input.scenario_text}}},
      {"namespace",
       {{"source", replay.input.namespace_source},
        {"json", replay.input.namespace_json}}},
      {"seed", replay.seed},
      {"git_commit", replay.git_commit},
      {"stop_at_first_violation", replay.stop_at_first_violation},
      {"faults", faults},
      {"violation", replay.violation.has_value()
                        ? ViolationJson(*replay.violation)
                        : Json(nullptr)},
      {"trace_hash", HashHex(replay.trace_hash)},
      {"shrunk", replay.shrunk},
  };
  return json.dump(2) + "\n";
}

absl::StatusOr<ReplayFile> ParseReplayFile(std::string_view text,
                                           std::string_view source) {
  if (text.size() > kMaxReplayFileBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        ToAbsl(source), ": larger than ", kMaxReplayFileBytes, " bytes"));
  }
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return absl::InvalidArgumentError(
        absl::StrCat(ToAbsl(source),
                     ": not JSON (a replay file is the JSON "
                     "object `mqlab run` writes)"));
  }
  Reader reader(source);
  ReplayFile replay;
  if (!reader.Object(json, "$")) return reader.error();
  reader.OnlyKnown(json, "$",
                   {"format", "version", "scenario", "namespace", "seed",
                    "git_commit", "stop_at_first_violation", "faults",
                    "violation", "trace_hash", "shrunk"});
  if (reader.String(json, "format", "$") != "mqlab-replay" && reader.ok()) {
    reader.Fail("$.format", "\"mqlab-replay\"", json["format"]);
  }
  if (reader.Unsigned(json, "version", "$") != kReplayFormatVersion &&
      reader.ok()) {
    reader.Fail("$.version", absl::StrCat(kReplayFormatVersion),
                json["version"]);
  }
  const Json& scenario = reader.Member(json, "scenario");
  if (reader.Object(scenario, "$.scenario")) {
    reader.OnlyKnown(scenario, "$.scenario", {"path", "text"});
    replay.input.scenario_path = reader.String(scenario, "path", "$.scenario");
    replay.input.scenario_text = reader.String(scenario, "text", "$.scenario");
  }
  const Json& name_space = reader.Member(json, "namespace");
  if (reader.Object(name_space, "$.namespace")) {
    reader.OnlyKnown(name_space, "$.namespace", {"source", "json"});
    replay.input.namespace_source =
        reader.String(name_space, "source", "$.namespace");
    replay.input.namespace_json =
        reader.String(name_space, "json", "$.namespace");
  }
  replay.seed = reader.Unsigned(json, "seed", "$");
  replay.git_commit = reader.String(json, "git_commit", "$", false);
  replay.stop_at_first_violation =
      reader.Boolean(json, "stop_at_first_violation", "$");
  const Json& faults = reader.Member(json, "faults");
  if (!faults.is_array()) {
    reader.Fail("$.faults", "an array of faults", faults);
  } else {
    for (size_t i = 0; i < faults.size() && reader.ok(); ++i) {
      replay.faults.push_back(
          ReadFault(reader, faults[i], absl::StrCat("$.faults[", i, "]")));
    }
  }
  const Json& violation = reader.Member(json, "violation");
  if (!violation.is_null()) {
    replay.violation = ReadViolation(reader, violation, "$.violation");
  }
  const std::string hash = reader.String(json, "trace_hash", "$");
  if (reader.ok() && (hash.size() != 16 ||
                      !absl::SimpleHexAtoi(ToAbsl(hash), &replay.trace_hash))) {
    reader.Fail("$.trace_hash", "16 hex digits", json["trace_hash"]);
  }
  replay.shrunk = reader.Strings(json, "shrunk", "$");
  if (!reader.ok()) return reader.error();
  return replay;
}

}  // namespace mqlab::sim
