#include "sim/replay_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "nlohmann/json.hpp"

namespace mqlab::sim {
namespace {

using ::testing::HasSubstr;

ReplayFile Sample() {
  ReplayFile replay;
  replay.input = {"scenarios/x.textproto", "name: \"x\"\nduration: \"1m\"\n",
                  "scenarios/namespaces/x.json", "{\"clients\": []}"};
  replay.seed = 18446744073709551615u;
  replay.git_commit = "3f2a9c1-dirty";
  replay.stop_at_first_violation = true;
  NamedFault partition;
  partition.at = 12500 * kMillisecond;
  partition.kind = FaultKind::kPartition;
  partition.hosts = {"broker"};
  partition.other_hosts = {"cars/car01", "cars/car02"};
  partition.duration = 5 * kSecond + 1;
  NamedFault spike;
  spike.at = kMinute;
  spike.kind = FaultKind::kLatencySpike;
  spike.hosts = {"cars/car01"};
  spike.amount = 250 * kMillisecond;
  spike.duration = kSecond;
  NamedFault crash;
  crash.kind = FaultKind::kClientCrash;
  crash.clients = {"cars/car03"};
  replay.faults = {partition, spike, crash};
  Violation violation;
  violation.checker = CheckerKind::kPublisherOrder;
  violation.rule = "reordered";
  violation.time = 90 * kSecond;
  violation.sessions = {"car01"};
  violation.messages = {{1, 2}, {1, 5}};
  violation.detail = "session car01 received \"m1.2\" after m1.5";
  replay.violation = violation;
  replay.trace_hash = 0x0123456789abcdefu;
  replay.shrunk = {"faults: 9 -> 3"};
  return replay;
}

void ExpectSame(const ReplayFile& a, const ReplayFile& b) {
  EXPECT_EQ(a.input.scenario_path, b.input.scenario_path);
  EXPECT_EQ(a.input.scenario_text, b.input.scenario_text);
  EXPECT_EQ(a.input.namespace_source, b.input.namespace_source);
  EXPECT_EQ(a.input.namespace_json, b.input.namespace_json);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.git_commit, b.git_commit);
  EXPECT_EQ(a.stop_at_first_violation, b.stop_at_first_violation);
  EXPECT_EQ(a.faults, b.faults);
  ASSERT_EQ(a.violation.has_value(), b.violation.has_value());
  if (a.violation.has_value()) {
    EXPECT_EQ(a.violation->ToString(), b.violation->ToString());
    EXPECT_EQ(a.violation->sessions, b.violation->sessions);
    EXPECT_EQ(a.violation->messages, b.violation->messages);
  }
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_EQ(a.shrunk, b.shrunk);
}

TEST(ReplayFileTest, RoundTrip) {
  const ReplayFile replay = Sample();
  const std::string json = ReplayFileToJson(replay);
  EXPECT_THAT(json, HasSubstr("\"trace_hash\": \"0123456789abcdef\""));
  EXPECT_THAT(json, HasSubstr("\"at\": \"12.5s\""));
  const absl::StatusOr<ReplayFile> parsed = ParseReplayFile(json, "r.json");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ExpectSame(*parsed, replay);

  ReplayFile passing = replay;
  passing.violation.reset();
  passing.faults.clear();
  passing.shrunk.clear();
  const absl::StatusOr<ReplayFile> reparsed =
      ParseReplayFile(ReplayFileToJson(passing), "r.json");
  ASSERT_TRUE(reparsed.ok()) << reparsed.status();
  ExpectSame(*reparsed, passing);
}

TEST(ReplayFileTest, ErrorsNameTheFileAndField) {
  const std::string good = ReplayFileToJson(Sample());
  const auto edited = [&](const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json json = nlohmann::json::parse(good);
    edit(json);
    return std::string(
        ParseReplayFile(json.dump(), "r.json").status().message());
  };
  EXPECT_THAT(std::string(ParseReplayFile("{", "r.json").status().message()),
              HasSubstr("r.json: not JSON"));
  EXPECT_THAT(edited([](auto& j) { j["faults"][1]["kind"] = "reboot"; }),
              HasSubstr("r.json: $.faults[1].kind: expected one of "
                        "reset-connections, half-open"));
  EXPECT_THAT(edited([](auto& j) { j["faults"][0]["at"] = "soon"; }),
              HasSubstr("$.faults[0].at: expected a duration"));
  EXPECT_THAT(edited([](auto& j) { j["trace_hash"] = "xyz"; }),
              HasSubstr("$.trace_hash: expected 16 hex digits, got \"xyz\""));
  EXPECT_THAT(edited([](auto& j) { j["seed"] = -1; }),
              HasSubstr("$.seed: expected a non-negative integer"));
  EXPECT_THAT(edited([](auto& j) { j["colour"] = "red"; }),
              HasSubstr("$.colour: expected no such field"));
  EXPECT_THAT(edited([](auto& j) { j["version"] = 2; }),
              HasSubstr("$.version: expected 1, got 2"));
  EXPECT_THAT(edited([](auto& j) { j["violation"]["checker"] = "speed"; }),
              HasSubstr("$.violation.checker: expected one of "
                        "qos1-at-least-once"));
  EXPECT_THAT(edited([](auto& j) { j["violation"]["messages"][0] = "x"; }),
              HasSubstr("$.violation.messages[0]: expected a message id"));
  EXPECT_THAT(edited([](auto& j) { j.erase("scenario"); }),
              HasSubstr("$.scenario: expected an object, got nothing"));
}

TEST(ReplayFileTest, Names) {
  EXPECT_EQ(CheckerKindFromName("liveness"), CheckerKind::kLiveness);
  EXPECT_EQ(CheckerKindFromName("nope"), std::nullopt);
  EXPECT_EQ(ParseMessageTagName("m17.42"), (MessageTag{17, 42}));
  EXPECT_EQ(ParseMessageTagName("m17"), std::nullopt);
  EXPECT_EQ(ParseMessageTagName("x1.2"), std::nullopt);
  EXPECT_EQ(HashHex(0xabc), "0000000000000abc");
}

}  // namespace
}  // namespace mqlab::sim
