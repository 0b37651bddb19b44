#include "sim/scenario_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace mqlab::sim {
namespace {

using ::testing::HasSubstr;

constexpr char kSource[] = "scenarios/x.textproto";

// The smallest valid scenario; tests append to or edit it.
constexpr char kMinimal[] = R"txt(name: "minimal"
duration: "1m"
event_grid_namespace { json_file: "namespaces/telemetry.json" }
populations {
  name: "vehicles"
  count: 2
  authentication_name: "vehicle{number:02}"
  behaviours {
    telemetry { topic: "vehicles/{auth}/position" qos: 1 rate_per_second: 1 }
  }
}
)txt";

// "scenarios/x.textproto:LINE:COLUMN: " of the `occurrence`-th `needle`
// in `text` (1-based, as errors print them).
std::string At(std::string_view text, std::string_view needle,
               int occurrence = 1) {
  size_t offset = std::string_view::npos;
  for (int i = 0; i < occurrence; ++i) {
    offset =
        text.find(needle, offset == std::string_view::npos ? 0 : offset + 1);
    EXPECT_NE(offset, std::string_view::npos) << needle;
  }
  int line = 1, column = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::string(kSource) + ":" + std::to_string(line) + ":" +
         std::to_string(column) + ": ";
}

std::string ErrorsOf(const std::string& text) {
  const absl::StatusOr<scenario::Scenario> scenario =
      ParseScenario(text, kSource);
  EXPECT_FALSE(scenario.ok());
  EXPECT_EQ(scenario.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(scenario.status().message());
}

TEST(ScenarioLoaderTest, AcceptsAValidScenario) {
  const absl::StatusOr<scenario::Scenario> scenario =
      ParseScenario(kMinimal, kSource);
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  EXPECT_EQ(scenario->name(), "minimal");
  EXPECT_EQ(scenario->populations(0).count(), 2u);
}

TEST(ScenarioLoaderTest, NamesFileLineAndFieldOfABadValue) {
  std::string text = kMinimal;
  text.replace(text.find("rate_per_second: 1"), 18, "rate_per_second: 0");
  EXPECT_EQ(ErrorsOf(text),
            "scenarios/x.textproto:9:58: field \"rate_per_second\": expected a "
            "positive number, got 0");
}

TEST(ScenarioLoaderTest, ReportsSyntaxErrorsWithTheirPosition) {
  const std::string errors = ErrorsOf("name: \"x\"\nduration: 5s\n");
  EXPECT_THAT(errors, HasSubstr("scenarios/x.textproto:2:11: "));
}

TEST(ScenarioLoaderTest, ReportsUnknownFields) {
  const std::string text = std::string(kMinimal) + "colour: 3\n";
  EXPECT_THAT(ErrorsOf(text),
              HasSubstr(At(text, ": 3") +
                        "Message type \"mqlab.scenario.Scenario\" has no field "
                        "named \"colour\""));
}

TEST(ScenarioLoaderTest, AMissingFieldIsReportedWhereItBelongs) {
  const std::string text = R"txt(name: "x"
populations {
  name: "p"
  count: 1
})txt";
  const std::string errors = ErrorsOf(text);
  // At the top level: the file's start.
  EXPECT_THAT(errors, HasSubstr("scenarios/x.textproto:1:1: field "
                                "\"duration\": required: a duration like"));
  EXPECT_THAT(errors, HasSubstr("scenarios/x.textproto:1:1: field "
                                "\"event_grid_namespace\": required"));
  // Inside the population: the population.
  EXPECT_THAT(errors, HasSubstr(At(text, "populations") +
                                "field \"authentication_name\": required"));
}

TEST(ScenarioLoaderTest, ReportsEveryErrorInFileOrder) {
  const std::string text = R"txt(name: "x"
duration: "soon"
event_grid_namespace { json: "" }
populations {
  name: "p"
  count: 0
  authentication_name: "dev{idx}"
  behaviours { subscriber { qos: 2 } }
})txt";
  EXPECT_EQ(
      ErrorsOf(text),
      At(text, "duration") +
          "field \"duration\": expected a duration like \"250ms\", \"10s\" or "
          "\"5m\", got \"soon\"\n" +
          At(text, "json") + "field \"json\": must not be empty\n" +
          At(text, "count") +
          "field \"count\": expected 1 to 1000000, got 0\n" +
          At(text, "authentication_name") +
          "field \"authentication_name\": bad pattern \"dev{idx}\": unknown "
          "placeholder {idx} (known: {index}, {number}, {population}, {auth}, "
          "{session}, {session_number}, {target})\n" +
          At(text, "subscriber") +
          "field \"filters\": required: at least one topic filter\n" +
          At(text, "qos") +
          "field \"qos\": expected 0 or 1 (Event Grid's maximum QoS is 1; QoS "
          "2 is a limit_probe), got 2");
}

TEST(ScenarioLoaderTest, ARuleExplorerNeedsSituationsAndAnInterval) {
  const std::string text = std::string(kMinimal) + R"txt(populations {
  name: "explorers"
  count: 1
  authentication_name: "explorer{index}"
  behaviours { rule_explorer { situations: [SITUATION_UNSPECIFIED] } }
})txt";
  const std::string errors = ErrorsOf(text);
  EXPECT_THAT(errors,
              HasSubstr("field \"situations\": SITUATION_UNSPECIFIED is not a "
                        "situation"));
  EXPECT_THAT(errors, HasSubstr("field \"interval\": required"));
}

TEST(ScenarioLoaderTest, ChecksReferencesBetweenSections) {
  const std::string text = std::string(kMinimal) + R"txt(faults {
  events {
    at: "10s"
    partition {
      side_a { population: "drones" }
      side_b { broker: true }
      duration: "5s"
    }
  }
  events { at: "2m" client_crash { targets { broker: true } } }
  events { at: "20s" half_open { targets { population: "vehicles" indexes: 2 } } }
}
)txt";
  const std::string errors = ErrorsOf(text);
  EXPECT_THAT(errors, HasSubstr(At(text, "population: \"drones\"") +
                                "field \"population\": no population is "
                                "named \"drones\""));
  EXPECT_THAT(errors, HasSubstr(At(text, "at: \"2m\"") +
                                "field \"at\": the run ends at 60s, got "
                                "\"2m\""));
  EXPECT_THAT(errors, HasSubstr(At(text, "broker: true", 2) +
                                "field \"broker\": this fault acts on "
                                "clients"));
  EXPECT_THAT(errors, HasSubstr(At(text, "indexes") +
                                "field \"indexes\": population \"vehicles\" "
                                "has 2 clients"));
}

TEST(ScenarioLoaderTest, ChecksPopulationRules) {
  const std::string text = R"txt(name: "x"
duration: "1m"
event_grid_namespace { json: "{}" }
network_profiles { name: "cell" latency { uniform { min: "50ms" max: "10ms" } } }
populations {
  name: "apps"
  count: 3
  authentication_name: "app"
  sessions_per_client: 2
  session_name: "{auth}-x"
  network_profile: "wifi"
  certificate { none: true subject: "CN=x" }
  behaviours { command_requester {
    request_topic: "r/{target}" response_topic: "s/{target}"
    target_population: "ghosts" rate_per_second: 1 } }
  behaviours { }
}
populations { name: "apps" count: 1 authentication_name: "solo" })txt";
  const std::string errors = ErrorsOf(text);
  EXPECT_THAT(errors, HasSubstr(At(text, "max: \"10ms\"") +
                                "field \"max\": must not be shorter than min "
                                "(50ms)"));
  EXPECT_THAT(errors, HasSubstr(At(text, "authentication_name: \"app\"") +
                                "field \"authentication_name\": every client "
                                "of a population of more than one"));
  EXPECT_THAT(errors, HasSubstr(At(text, "session_name") +
                                "field \"session_name\": with several "
                                "sessions per client"));
  EXPECT_THAT(errors, HasSubstr(At(text, "network_profile: \"wifi\"") +
                                "field \"network_profile\": no "
                                "network_profiles entry is named \"wifi\""));
  EXPECT_THAT(errors, HasSubstr(At(text, "none: true") +
                                "field \"none\": a client without a "
                                "certificate"));
  EXPECT_THAT(errors, HasSubstr(At(text, "target_population") +
                                "field \"target_population\": no population "
                                "is named \"ghosts\""));
  EXPECT_THAT(errors, HasSubstr(At(text, "behaviours { }") +
                                "field \"telemetry\": a behaviour needs one "
                                "of"));
  EXPECT_THAT(errors, HasSubstr(At(text, "name: \"apps\"", 2) +
                                "field \"name\": another population is named "
                                "\"apps\""));
}

TEST(ScenarioLoaderTest, ChecksSwarmAndCheckers) {
  const std::string text = std::string(kMinimal) + R"txt(faults { swarm {
  enabled: true
  kind_probability: 2
  min_active: "1m"
  max_active: "10s"
  kinds: FAULT_KIND_UNSPECIFIED
} }
checkers { disable: LIVENESS liveness_within: "0" }
)txt";
  const std::string errors = ErrorsOf(text);
  EXPECT_THAT(errors, HasSubstr(At(text, "kind_probability") +
                                "field \"kind_probability\": expected a "
                                "number from 0 to 1, got 2"));
  EXPECT_THAT(errors, HasSubstr(At(text, "max_active") +
                                "field \"max_active\": must not be shorter "
                                "than min_active (60s)"));
  EXPECT_THAT(errors, HasSubstr(At(text, "kinds") +
                                "field \"kinds\": FAULT_KIND_UNSPECIFIED is "
                                "not a fault kind"));
  EXPECT_THAT(errors, HasSubstr(At(text, "liveness_within") +
                                "field \"liveness_within\": expected a "
                                "positive duration"));
}

TEST(ScenarioLoaderTest, CapsTheNumberOfErrors) {
  std::string text =
      "name: \"x\" duration: \"1m\" event_grid_namespace { json: \"{}\" }\n";
  for (int i = 0; i < 80; ++i) {
    text += "populations { name: \"p" + std::to_string(i) +
            "\" count: 0 authentication_name: \"a\" }\n";
  }
  EXPECT_THAT(ErrorsOf(text), HasSubstr("... and 30 more errors"));
}

TEST(ScenarioLoaderTest, RefusesOversizeText) {
  const std::string huge(kMaxScenarioBytes + 1, ' ');
  EXPECT_THAT(ErrorsOf(huge), HasSubstr("a scenario is at most"));
}

TEST(ScenarioLoaderTest, ResolvesPathsNextToTheScenario) {
  EXPECT_EQ(ResolveScenarioPath("scenarios/x.textproto", "namespaces/a.json"),
            "scenarios/namespaces/a.json");
  EXPECT_EQ(ResolveScenarioPath("x.textproto", "a.json"), "a.json");
  EXPECT_EQ(ResolveScenarioPath("scenarios/x.textproto", "/etc/a.json"),
            "/etc/a.json");
}

}  // namespace
}  // namespace mqlab::sim
