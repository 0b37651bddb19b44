#include "tools/fuzz_corpora.h"

#include <cstdint>
#include <string>

#include "base/check.h"
#include "base/random.h"

namespace mqlab::tools {
namespace {

CorpusFile TextFile(std::string name, std::string_view text) {
  return {std::move(name), std::vector<uint8_t>(text.begin(), text.end())};
}

// Each shipped namespace as it is (accepted), and broken in the ways the
// loader names: cut short (syntax), a field twice, a wrong type, an unknown
// field, two clients with one name.
std::vector<CorpusFile> NamespaceConfigCorpus(
    const std::vector<NamespaceText>& namespaces) {
  std::vector<CorpusFile> files;
  for (const NamespaceText& file : namespaces) {
    const std::string stem = file.name.substr(0, file.name.find('.'));
    files.push_back(TextFile(stem + ".json", file.json));
    files.push_back(TextFile(stem + "-cut.json",
                             file.json.substr(0, file.json.size() / 2)));
  }
  files.push_back(TextFile("field-twice.json",
                           R"({"namespace": {"name": "n", "name": "m"}})"));
  files.push_back(TextFile("wrong-type.json", R"({"clients": {"name": 1}})"));
  files.push_back(TextFile("unknown-field.json", R"({"namespaces": {}})"));
  files.push_back(TextFile(
      "same-client-twice.json",
      R"({"clients": [{"name": "a", "properties": {}}, {"name": "a", "properties": {}}]})"));
  files.push_back(TextFile(
      "client-group.json",
      R"({"clientGroups": [{"name": "vehicles", "properties": {"query": "attributes.type = 'vehicle'"}}],
 "topicSpaces": [{"name": "t", "properties": {"topicTemplates": ["vehicles/${client.authenticationName}/#"]}}],
 "permissionBindings": [{"name": "p", "properties": {"clientGroupName": "vehicles", "topicSpaceName": "t", "permission": "Publisher"}}]})"));
  return files;
}

// The examples of "Client groups in Azure Event Grid"
// (https://learn.microsoft.com/azure/event-grid/mqtt-client-groups) and of
// docs/namespace.md, and the corners of the grammar.
std::vector<CorpusFile> ClientGroupQueryCorpus() {
  constexpr std::string_view kQueries[] = {
      "attributes.sensors IN ['motion', 'humidity'] and attributes.floor <= 5",
      "authenticationName IN ['client1', 'client2']",
      "(attributes.type = \"vehicle\" or attributes.type <> 'drone') and "
      "attributes.year >= 2020",
      "attributes.type = 'vehicle'",
      "attributes.floor > -3 OR attributes.floor < 10 AND attributes.x != "
      "'it''s'",
      "((attributes.a = 1))",
      "attributes.n <= -9223372036854775808",
      "authenticationName = \"say \"\"hi\"\"\"",
      "attributes.floor <= ",
  };
  std::vector<CorpusFile> files;
  for (size_t i = 0; i < std::size(kQueries); ++i) {
    files.push_back(
        TextFile("query-" + std::to_string(i) + ".txt", kQueries[i]));
  }
  return files;
}

// Operation sequences in fuzz/topic_match_oracle.cc's format: hand-built
// ones for '$'-topics, '#' matching its parent level and No Local, and
// seeded random ones that fill the index.
std::vector<CorpusFile> TopicMatchCorpus() {
  std::vector<CorpusFile> files = {
      {"dollar-topics.bin", {0,    1, 0, 6, 1,     // add 1 "#" {qos 1}
                             0,    2, 1, 3, 5, 2,  // add 2 "$sys/+" {qos 2}
                             0x13, 0, 1, 3, 0,  // match "$sys/a" from outside
                             0x13, 0, 0, 3}},   // match "$sys"
      {"hash-parent-level.bin",
       {0, 1, 1, 0, 6, 9,       // add 1 "a/#" {qos 0, rap}
        0x13, 0, 0, 0,          // match "a"
        0x13, 0, 2, 0, 2, 1}},  // match "a//b"
      {"no-local.bin",
       {0, 3, 0, 5, 4,  // add 3 "+" {no local}
        3, 3, 0, 0,     // match "a" from 3
        3, 2, 0, 0}},   // match "a" from 2
  };
  Random random(StableHash("topic_match corpus"));
  for (int i = 0; i < 4; ++i) {
    CorpusFile file{"random-" + std::to_string(i) + ".bin", {}};
    for (int j = 0; j < 96 + 96 * i; ++j) {
      file.bytes.push_back(static_cast<uint8_t>(random.Below(256)));
    }
    files.push_back(std::move(file));
  }
  return files;
}

// Choice streams in fuzz/sim_choices_run.h's format: no fault, then each
// fault kind once at 5 s on the first target, then a few together.
std::vector<CorpusFile> SimChoicesCorpus() {
  std::vector<CorpusFile> files = {{"no-faults.bin", {1, 0}}};
  constexpr const char* kKindNames[] = {
      "reset-connections", "half-open",     "partition",
      "slow-reader",       "latency-spike", "broker-restart",
      "client-crash",      "client-delete", "client-disable"};
  for (uint8_t kind = 0; kind < std::size(kKindNames); ++kind) {
    // Seed 1; the kind at 5 s (4000 ms after the first second), target 1,
    // length 2 s.
    files.push_back({std::string(kKindNames[kind]) + ".bin",
                     {1, 0, kind, 0xA0, 0x0F, 1, 19}});
  }
  files.push_back({"restart-during-partition.bin",
                   {2, 0, 2, 0xE8, 0x03, 0, 40, 5, 0xD0, 0x07, 0, 10}});
  files.push_back(
      {"crash-delete-disable.bin",
       {3, 0, 6, 0x10, 0x27, 0, 5, 7, 0x10, 0x27, 1, 5, 8, 0x40, 0x1F, 2, 30}});
  return files;
}

}  // namespace

std::vector<CorpusFile> MakeFuzzCorpus(
    std::string_view target, const std::vector<NamespaceText>& namespaces) {
  if (target == "namespace_config") return NamespaceConfigCorpus(namespaces);
  if (target == "client_group_query") return ClientGroupQueryCorpus();
  if (target == "topic_match") return TopicMatchCorpus();
  MQLAB_CHECK_MSG(target == "sim_choices", "a target of this generator");
  return SimChoicesCorpus();
}

}  // namespace mqlab::tools
