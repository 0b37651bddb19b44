#include "sim/scenario_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace mqlab::sim {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The smallest valid scenario; tests append to or edit it.
constexpr char kMinimal[] =
    R"pb(name: "minimal"
         duration: "1m"
         event_grid_namespace { json_file: "namespaces/telemetry.json" }
         populations {
           name: "vehicles"
           count: 2
           authentication_name: "vehicle{number:02}"
           behaviours {
             telemetry {
               topic: "vehicles/{auth}/position"
               qos: 1
               rate_per_second: 1
             }
           }
         }
)pb";

std::string ErrorsOf(const std::string& text) {
  const absl::StatusOr<Scenario> scenario =
      ParseScenario(text, "scenarios/x.textproto");
  EXPECT_FALSE(scenario.ok());
  EXPECT_EQ(scenario.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(scenario.status().message());
}

TEST(ScenarioLoaderTest, AcceptsAValidScenario) {
  const absl::StatusOr<Scenario> scenario =
      ParseScenario(kMinimal, "scenarios/x.textproto");
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
  const std::string errors = ErrorsOf(std::string(kMinimal) + "colour: 3\n");
  EXPECT_THAT(errors, HasSubstr("scenarios/x.textproto:12:"));
  EXPECT_THAT(errors, HasSubstr("colour"));
}

TEST(ScenarioLoaderTest, AMissingFieldIsReportedWhereItBelongs) {
  const std::string errors =
      ErrorsOf(R"pb(name: "x"
                    populations { name: "p" count: 1 })pb");
  EXPECT_THAT(errors, HasSubstr("scenarios/x.textproto:1:1: field "
                                "\"duration\": required: a duration like"));
  EXPECT_THAT(errors, HasSubstr("scenarios/x.textproto:1:1: field "
                                "\"event_grid_namespace\": required"));
  // Inside the population: reported at the population.
  EXPECT_THAT(errors, HasSubstr("scenarios/x.textproto:2:1: field "
                                "\"authentication_name\": required"));
}

TEST(ScenarioLoaderTest, ReportsEveryErrorNotJustTheFirst) {
  const std::string errors =
      ErrorsOf(R"pb(name: "x"
                    duration: "soon"
                    event_grid_namespace { json: "" }
                    populations {
                      name: "p"
                      count: 0
                      authentication_name: "dev{idx}"
                      behaviours { subscriber { qos: 2 } }
                    })pb");
  EXPECT_THAT(errors, HasSubstr(":2:1: field \"duration\": expected a "
                                "duration like \"250ms\", \"10s\" or \"5m\", "
                                "got \"soon\""));
  EXPECT_THAT(errors, HasSubstr(":3:24: field \"json\": must not be empty"));
  EXPECT_THAT(errors, HasSubstr(":6:3: field \"count\": expected 1 to "));
  EXPECT_THAT(errors, HasSubstr(":7:3: field \"authentication_name\": bad "
                                "pattern \"dev{idx}\": unknown placeholder"));
  EXPECT_THAT(errors, HasSubstr(":8:16: field \"filters\": required"));
  EXPECT_THAT(errors, HasSubstr(":8:29: field \"qos\": expected 0 or 1"));
}

TEST(ScenarioLoaderTest, ChecksReferencesBetweenSections) {
  std::string text = kMinimal;
  text += R"pb(faults {
                 events {
                   at: "10s"
                   partition {
                     side_a { population: "drones" }
                     side_b { broker: true }
                     duration: "5s"
                   }
                 }
                 events {
                   at: "2m"
                   client_crash { targets { broker: true } }
                 }
                 events {
                   at: "20s"
                   half_open { targets { population: "vehicles" indexes: 2 } }
                 }
               }
  )pb";
  const std::string errors = ErrorsOf(text);
  EXPECT_THAT(errors, HasSubstr(":16:16: field \"population\": no population "
                                "is named \"drones\""));
  EXPECT_THAT(errors, HasSubstr(":21:12: field \"at\": the run ends at 60s, "
                                "got \"2m\""));
  EXPECT_THAT(errors, HasSubstr(":21:46: field \"broker\": this fault acts "
                                "on clients"));
  EXPECT_THAT(errors, HasSubstr(":22:67: field \"indexes\": population "
                                "\"vehicles\" has 2 clients"));
}

TEST(ScenarioLoaderTest, ChecksPopulationRules) {
  const std::string errors =
      ErrorsOf(R"pb(name: "x"
                    duration: "1m"
                    event_grid_namespace { json: "{}" }
                    network_profiles {
                      name: "cell"
                      latency { uniform { min: "50ms" max: "10ms" } }
                    }
                    populations {
                      name: "apps"
                      count: 3
                      authentication_name: "app"
                      sessions_per_client: 2
                      session_name: "{auth}-x"
                      network_profile: "wifi"
                      certificate { none: true subject: "CN=x" }
                      behaviours {
                        command_requester {
                          request_topic: "r/{target}"
                          response_topic: "s/{target}"
                          target_population: "ghosts"
                          rate_per_second: 1
                        }
                      }
                      behaviours {}
                    }
                    populations {
                      name: "apps"
                      count: 1
                      authentication_name: "solo"
                    })pb");
  EXPECT_THAT(errors, HasSubstr("field \"max\": must not be shorter than min"));
  EXPECT_THAT(errors, HasSubstr(":8:3: field \"authentication_name\": every "
                                "client of a population of more than one"));
  EXPECT_THAT(errors, HasSubstr(":10:3: field \"session_name\": with several "
                                "sessions per client"));
  EXPECT_THAT(errors, HasSubstr(":11:3: field \"network_profile\": no "
                                "network_profiles entry is named \"wifi\""));
  EXPECT_THAT(errors, HasSubstr(":12:17: field \"none\": a client without a "
                                "certificate"));
  EXPECT_THAT(errors, HasSubstr(":15:5: field \"target_population\": no "
                                "population is named \"ghosts\""));
  EXPECT_THAT(errors, HasSubstr(":16:3: field \"telemetry\": a behaviour "
                                "needs one of"));
  EXPECT_THAT(errors, HasSubstr(":18:15: field \"name\": another population "
                                "is named \"apps\""));
}

TEST(ScenarioLoaderTest, ChecksSwarmAndCheckers) {
  std::string text = kMinimal;
  text += R"pb(faults {
                 swarm {
                   enabled: true
                   kind_probability: 2
                   min_active: "1m"
                   max_active: "10s"
                   kinds: FAULT_KIND_UNSPECIFIED
                 }
               }
               checkers { disable: LIVENESS liveness_within: "0" }
  )pb";
  const std::string errors = ErrorsOf(text);
  EXPECT_THAT(errors, HasSubstr(":14:3: field \"kind_probability\": expected "
                                "a number from 0 to 1, got 2"));
  EXPECT_THAT(errors, HasSubstr(":16:3: field \"max_active\": must not be "
                                "shorter than min_active (60s)"));
  EXPECT_THAT(errors, HasSubstr(":17:3: field \"kinds\": "
                                "FAULT_KIND_UNSPECIFIED is not a fault kind"));
  EXPECT_THAT(errors, HasSubstr(":19:30: field \"liveness_within\": expected "
                                "a positive duration"));
}

TEST(ScenarioLoaderTest, CapsTheNumberOfErrors) {
  std::string text =
      "name: \"x\" duration: \"1m\" event_grid_namespace { "
      "json: \"{}\" }\n";
  for (int i = 0; i < 80; ++i) {
    text += "populations { name: \"p" + std::to_string(i) +
            "\" count: 0 authentication_name: \"a\" }\n";
  }
  const std::string errors = ErrorsOf(text);
  EXPECT_THAT(errors, HasSubstr("... and 30 more errors"));
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
