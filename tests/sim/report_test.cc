#include "sim/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "nlohmann/json.hpp"
#include "tests/sim/scripted_workload.h"

namespace mqlab::sim {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kScenario[] = R"txt(
name: "report"
duration: "5m"
event_grid_namespace { json: "{}" }
populations { name: "cars" count: 4 authentication_name: "car<{index}>" }
faults {
  events { at: "1m" client_crash { targets { population: "cars" indexes: 1 }
                                   restore_after: "10s" } }
  events { at: "2m" partition { side_a { broker: true }
                                side_b { population: "cars" } duration: "30s" } }
}
)txt";

RunResult ScriptedRun() {
  RunOptions options;
  options.workload = testing::Scripted();
  return *RunScenario({"report.textproto", kScenario, "ns", "{}"}, options);
}

TEST(ReportTest, Json) {
  const RunResult result = ScriptedRun();
  const nlohmann::json json = nlohmann::json::parse(
      ReportJson(result, {"report.textproto", "abc", 1.5, "r.json"}));
  EXPECT_EQ(json["scenario"]["name"], "report");
  EXPECT_EQ(json["git_commit"], "abc");
  EXPECT_EQ(json["summary"]["workload_wired"], true);
  EXPECT_EQ(json["summary"]["faults_taken"], 2);
  EXPECT_EQ(json["summary"]["wall_seconds"], 1.5);
  EXPECT_EQ(json["summary"]["trace_hash"].get<std::string>().size(), 16u);
  EXPECT_EQ(json["checkers"].size(), 9u);
  EXPECT_EQ(json["violations"][0]["rule"], "broker-reports-two");
  EXPECT_EQ(json["violations"][0]["time_s"], 60.0);
  EXPECT_EQ(json["faults"][1]["kind"], "partition");
  EXPECT_EQ(json["faults"][1]["end_s"], 150.0);
  const auto& series = json["time_series"];
  EXPECT_EQ(series["interval_s"], 0.2);
  EXPECT_EQ(series["time_s"].size(), 1500u);
  EXPECT_EQ(series["mqtt_connections"].size(), 1500u);
  EXPECT_EQ(series["latency_p99_ms"].size(), 1500u);
  EXPECT_EQ(series["mqtt_connections"].back(), 1);
}

TEST(ReportTest, HtmlIsSelfContained) {
  const RunResult result = ScriptedRun();
  const std::string html =
      ReportHtml(result, {"report.textproto", "abc", std::nullopt, ""});
  EXPECT_THAT(html, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("<svg"));
  EXPECT_THAT(html, HasSubstr("Delivery latency per interval"));
  EXPECT_THAT(html, HasSubstr("Fault timeline (2 taken)"));
  EXPECT_THAT(html, HasSubstr("broker-reports-two"));
  // Names are escaped.
  EXPECT_THAT(html, HasSubstr("car&lt;1&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("car<1>")));
  // Nothing outside the page.
  EXPECT_THAT(html, Not(HasSubstr("http:")));
  EXPECT_THAT(html, Not(HasSubstr("https:")));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_THAT(html, Not(HasSubstr("<img")));
}

TEST(ReportTest, SaysWhenNothingIsWired) {
  const RunResult result =
      *RunScenario({"report.textproto", kScenario, "ns", "{}"}, {});
  EXPECT_THAT(ReportHtml(result, {}), HasSubstr("No workload"));
}

}  // namespace
}  // namespace mqlab::sim
