#include "sim/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "nlohmann/json.hpp"
#include "sim/duration_text.h"
#include "sim/replay_file.h"

namespace mqlab::sim {
namespace {

using Json = nlohmann::ordered_json;

double Seconds(Duration duration) {
  return static_cast<double>(duration) / static_cast<double>(kSecond);
}
double Millis(Duration duration) {
  return static_cast<double>(duration) / static_cast<double>(kMillisecond);
}

// The end of a fault's effect, for the timeline.
Time FaultEnd(const NamedFault& fault) {
  return fault.at + std::max<Duration>(fault.duration, 0);
}

Json LatencyJson(const LatencyHistogram& latency) {
  return {{"count", latency.count()},
          {"p50_ms", Millis(latency.Percentile(0.5))},
          {"p90_ms", Millis(latency.Percentile(0.9))},
          {"p99_ms", Millis(latency.Percentile(0.99))},
          {"max_ms", Millis(latency.max())}};
}

Json CountersJson(const RunCounters& c) {
  return {{"connect_attempts", c.connect_attempts},
          {"connections_accepted", c.connections_accepted},
          {"connections_refused", c.connections_refused},
          {"published", c.published},
          {"published_qos1", c.published_qos1},
          {"acknowledged", c.acknowledged},
          {"refused", c.refused},
          {"deliveries", c.deliveries},
          {"redeliveries", c.redeliveries},
          {"untimed_deliveries", c.untimed_deliveries},
          {"subscriptions_granted", c.subscriptions_granted},
          {"subscriptions_refused", c.subscriptions_refused},
          {"broker_events", c.broker_events},
          {"limit_probes", c.limit_probes}};
}

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Number(double value) {
  char text[32];
  if (std::fabs(value) >= 100 || value == std::floor(value)) {
    std::snprintf(text, sizeof(text), "%.0f", value);
  } else {
    std::snprintf(text, sizeof(text), "%.3g", value);
  }
  return text;
}

// --- Inline SVG charts over virtual time. ---

constexpr int kWidth = 960;
constexpr int kHeight = 200;
constexpr int kLeft = 64;
constexpr int kRight = 16;
constexpr int kTop = 12;
constexpr int kBottom = 28;

struct Series {
  std::string name;
  std::string color;
  std::vector<double> values;
};

class TimeAxis {
 public:
  explicit TimeAxis(Duration run_length)
      : end_(std::max(Seconds(run_length), 1e-9)) {}
  double X(double seconds) const {
    return kLeft +
           (kWidth - kLeft - kRight) * std::clamp(seconds / end_, 0.0, 1.0);
  }
  std::string Ticks(int height) const {
    std::string svg;
    for (int i = 0; i <= 6; ++i) {
      const double t = end_ * i / 6;
      absl::StrAppend(&svg, "<text x='", Number(X(t)), "' y='", height - 8,
                      "' text-anchor='middle'>",
                      Escape(FormatDuration(
                          static_cast<Duration>(std::llround(t)) * kSecond)),
                      "</text>");
    }
    return svg;
  }

 private:
  double end_;
};

// Shaded fault intervals and red violation marks behind a chart.
std::string Marks(const RunResult& result, const TimeAxis& axis, int height) {
  std::string svg;
  for (const NamedFault& fault : result.faults_taken) {
    const double x0 = axis.X(Seconds(fault.at));
    const double x1 = std::max(axis.X(Seconds(FaultEnd(fault))), x0 + 1);
    absl::StrAppend(&svg, "<rect x='", Number(x0), "' y='", kTop, "' width='",
                    Number(x1 - x0), "' height='", height - kTop - kBottom,
                    "' fill='#f4a261' fill-opacity='0.15'/>");
  }
  for (const Violation& violation : result.violations) {
    const double x = axis.X(Seconds(violation.time));
    absl::StrAppend(&svg, "<line x1='", Number(x), "' x2='", Number(x),
                    "' y1='", kTop, "' y2='", height - kBottom,
                    "' stroke='#d62828' stroke-width='1.5'/>");
  }
  return svg;
}

std::string LineChart(const std::string& title, const std::string& unit,
                      const std::vector<double>& times,
                      const std::vector<Series>& series,
                      const RunResult& result) {
  const TimeAxis axis(result.summary.run_length);
  double top = 0;
  for (const Series& s : series) {
    for (double v : s.values) top = std::max(top, v);
  }
  if (top <= 0) top = 1;
  const auto y = [&](double v) {
    return kTop + (kHeight - kTop - kBottom) * (1 - v / top);
  };
  std::string svg =
      absl::StrCat("<h3>", Escape(title), "</h3><svg width='", kWidth,
                   "' height='", kHeight, "' class='chart'>");
  svg += Marks(result, axis, kHeight);
  for (int i = 0; i <= 4; ++i) {
    const double v = top * i / 4;
    absl::StrAppend(&svg, "<line x1='", kLeft, "' x2='", kWidth - kRight,
                    "' y1='", Number(y(v)), "' y2='", Number(y(v)),
                    "' stroke='#ddd'/><text x='", kLeft - 6, "' y='",
                    Number(y(v) + 4), "' text-anchor='end'>", Number(v),
                    "</text>");
  }
  svg += axis.Ticks(kHeight);
  for (const Series& s : series) {
    std::string points;
    for (size_t i = 0; i < s.values.size() && i < times.size(); ++i) {
      absl::StrAppend(&points, Number(axis.X(times[i])), ",",
                      Number(y(s.values[i])), " ");
    }
    absl::StrAppend(&svg, "<polyline fill='none' stroke='", s.color,
                    "' stroke-width='1.5' points='", points, "'/>");
  }
  int legend_x = kLeft + 8;
  for (const Series& s : series) {
    absl::StrAppend(&svg, "<rect x='", legend_x, "' y='", kTop + 2,
                    "' width='10' height='10' fill='", s.color, "'/><text x='",
                    legend_x + 14, "' y='", kTop + 11, "'>", Escape(s.name),
                    "</text>");
    legend_x += 24 + 7 * static_cast<int>(s.name.size());
  }
  absl::StrAppend(&svg, "<text x='", kWidth - kRight, "' y='", kTop + 11,
                  "' text-anchor='end'>", Escape(unit), "</text></svg>");
  return svg;
}

std::string FaultTimeline(const RunResult& result) {
  const TimeAxis axis(result.summary.run_length);
  std::vector<FaultKind> kinds;
  for (const NamedFault& fault : result.faults_taken) {
    if (std::find(kinds.begin(), kinds.end(), fault.kind) == kinds.end()) {
      kinds.push_back(fault.kind);
    }
  }
  std::sort(kinds.begin(), kinds.end());
  const int row = 18;
  const int height = kTop + kBottom + row * std::max<int>(1, kinds.size());
  std::string svg =
      absl::StrCat("<h3>Fault timeline (", result.faults_taken.size(),
                   " taken)</h3><svg width='", kWidth, "' height='", height,
                   "' class='chart'>");
  svg += axis.Ticks(height);
  for (size_t k = 0; k < kinds.size(); ++k) {
    const int y = kTop + row * static_cast<int>(k);
    absl::StrAppend(&svg, "<text x='", kLeft - 6, "' y='", y + 12,
                    "' text-anchor='end'>", ToAbsl(FaultKindName(kinds[k])),
                    "</text>");
    for (const NamedFault& fault : result.faults_taken) {
      if (fault.kind != kinds[k]) continue;
      const double x0 = axis.X(Seconds(fault.at));
      const double x1 = std::max(axis.X(Seconds(FaultEnd(fault))), x0 + 2);
      absl::StrAppend(&svg, "<rect x='", Number(x0), "' y='", y + 2,
                      "' width='", Number(x1 - x0),
                      "' height='12' fill='#e76f51'><title>",
                      Escape(DescribeNamedFault(fault)), "</title></rect>");
    }
  }
  for (const Violation& violation : result.violations) {
    const double x = axis.X(Seconds(violation.time));
    absl::StrAppend(&svg, "<line x1='", Number(x), "' x2='", Number(x),
                    "' y1='", kTop, "' y2='", height - kBottom,
                    "' stroke='#d62828' stroke-width='1.5'><title>",
                    Escape(violation.ToString()), "</title></line>");
  }
  svg += "</svg>";
  return svg;
}

std::string Row(std::string_view name, const std::string& value) {
  return absl::StrCat("<tr><th>", Escape(name), "</th><td>", Escape(value),
                      "</td></tr>");
}

}  // namespace

std::string ReportJson(const RunResult& result, const ReportHeader& header) {
  const RunSummary& s = result.summary;
  Json checkers = Json::array();
  for (const CheckerSet::Summary& checker : result.checkers) {
    checkers.push_back({{"name", std::string(CheckerName(checker.kind))},
                        {"violations", checker.violations},
                        {"exceptions", checker.exceptions},
                        {"not_judged", checker.not_judged},
                        {"situations", checker.situations}});
  }
  Json violations = Json::array();
  for (const Violation& violation : result.violations) {
    std::vector<std::string> messages;
    for (const MessageTag& tag : violation.messages) {
      messages.push_back(MessageTagName(tag));
    }
    violations.push_back(
        {{"time_s", Seconds(violation.time)},
         {"checker", std::string(CheckerName(violation.checker))},
         {"rule", violation.rule},
         {"sessions", violation.sessions},
         {"messages", messages},
         {"detail", violation.detail}});
  }
  Json faults = Json::array();
  for (const NamedFault& fault : result.faults_taken) {
    faults.push_back({{"start_s", Seconds(fault.at)},
                      {"end_s", Seconds(FaultEnd(fault))},
                      {"kind", std::string(FaultKindName(fault.kind))},
                      {"description", DescribeNamedFault(fault)}});
  }
  Json series = {{"interval_s", Seconds(result.sample_interval)}};
  const auto column = [&](const char* name, auto get) {
    Json values = Json::array();
    for (const Sample& sample : result.samples) values.push_back(get(sample));
    series[name] = values;
  };
  column("time_s", [](const Sample& x) { return Seconds(x.time); });
  column("mqtt_connections",
         [](const Sample& x) { return x.mqtt_connections; });
  column("qos1_in_flight", [](const Sample& x) { return x.qos1_in_flight; });
  column("published", [](const Sample& x) { return x.published; });
  column("delivered", [](const Sample& x) { return x.delivered; });
  column("latency_p50_ms",
         [](const Sample& x) { return Millis(x.latency_p50); });
  column("latency_p90_ms",
         [](const Sample& x) { return Millis(x.latency_p90); });
  column("latency_p99_ms",
         [](const Sample& x) { return Millis(x.latency_p99); });
  column("latency_max_ms",
         [](const Sample& x) { return Millis(x.latency_max); });
  column("network_connections",
         [](const Sample& x) { return x.network_connections; });
  column("events", [](const Sample& x) { return x.events; });
  Json summary = {
      {"workload_wired", s.workload_wired},
      {"status", result.status.ok() ? std::string("ok")
                                    : std::string(result.status.message())},
      {"stopped_early", s.stopped_early},
      {"clients", s.clients},
      {"sessions", s.sessions},
      {"hosts", s.hosts},
      {"swarm", s.swarm},
      {"faults_planned", s.faults_planned},
      {"faults_taken", s.faults_taken},
      {"faults_skipped", s.faults_skipped},
      {"counters", CountersJson(s.counters)},
      {"latency", LatencyJson(s.latency)},
      {"violations", s.violations},
      {"quiet_start_s", Seconds(s.quiet_start)},
      {"settle_s", Seconds(s.settle)},
      {"virtual_time_s", Seconds(s.virtual_time)},
      {"run_length_s", Seconds(s.run_length)},
      {"events", s.events},
      {"trace_hash", HashHex(s.trace_hash)},
  };
  if (header.wall_seconds.has_value()) {
    summary["wall_seconds"] = *header.wall_seconds;
  }
  Json json = {
      {"scenario", {{"name", s.scenario_name}, {"path", header.scenario_path}}},
      {"seed", s.seed},
      {"git_commit", header.git_commit},
      {"replay_file", header.replay_file},
      {"summary", summary},
      {"checkers", checkers},
      {"violations", violations},
      {"faults", faults},
      {"time_series", series},
  };
  return json.dump(1) + "\n";
}

std::string ReportHtml(const RunResult& result, const ReportHeader& header) {
  const RunSummary& s = result.summary;
  std::vector<double> times;
  const auto values = [&](const std::function<double(const Sample&)>& get) {
    std::vector<double> out;
    for (const Sample& sample : result.samples) out.push_back(get(sample));
    return out;
  };
  times = values([](const Sample& x) { return Seconds(x.time); });
  const double per_second = 1 / std::max(Seconds(result.sample_interval), 1e-9);

  std::string html = absl::StrCat(
      "<!DOCTYPE html><html><head><meta charset='utf-8'><title>mqlab run: ",
      Escape(s.scenario_name), " seed ", s.seed,
      "</title><style>body{font:14px sans-serif;margin:24px;color:#222}"
      "table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid "
      "#ccc;padding:3px 8px;text-align:left;vertical-align:top}th{background:"
      "#f4f4f4}svg.chart{font:11px sans-serif;background:#fff;border:1px "
      "solid #eee}.bad{color:#d62828}.note{color:#666}</style></head><body>",
      "<h1>mqlab run: ", Escape(s.scenario_name), ", seed ", s.seed, "</h1>");
  if (!s.workload_wired) {
    html +=
        "<p class='note'>No workload: this run carried out the network and "
        "the fault plan only, and the checkers saw no MQTT traffic.</p>";
  }
  html += "<h2>Summary</h2><table>";
  html += Row("scenario",
              absl::StrCat(s.scenario_name, " (", header.scenario_path, ")"));
  html += Row("git commit", header.git_commit);
  html +=
      Row("result", s.violations == 0 && result.status.ok()
                        ? std::string("pass")
                        : absl::StrCat(s.violations, " violations",
                                       result.status.ok() ? "" : "; stopped: ",
                                       result.status.message()));
  html += Row("fleet", absl::StrCat(s.clients, " clients, ", s.sessions,
                                    " sessions, ", s.hosts, " hosts"));
  html +=
      Row("faults", absl::StrCat(s.faults_planned, " planned, ", s.faults_taken,
                                 " taken, ", s.faults_skipped, " skipped"));
  if (!s.swarm.empty()) html += Row("swarm", s.swarm);
  html +=
      Row("traffic", absl::StrCat(s.counters.published, " published, ",
                                  s.counters.acknowledged, " acknowledged, ",
                                  s.counters.deliveries, " deliveries, ",
                                  s.counters.connect_attempts, " connects"));
  html +=
      Row("delivery latency",
          absl::StrCat("p50 ", Number(Millis(s.latency.Percentile(0.5))),
                       " ms, p90 ", Number(Millis(s.latency.Percentile(0.9))),
                       " ms, p99 ", Number(Millis(s.latency.Percentile(0.99))),
                       " ms, max ", Number(Millis(s.latency.max())), " ms"));
  html += Row("virtual time", FormatDuration(s.virtual_time));
  if (header.wall_seconds.has_value()) {
    html += Row("wall time", absl::StrCat(Number(*header.wall_seconds), " s"));
  }
  html += Row("events", absl::StrCat(s.events));
  html += Row("final quiet from", FormatDuration(s.quiet_start));
  html += Row("trace hash", HashHex(s.trace_hash));
  if (!header.replay_file.empty())
    html += Row("replay file", header.replay_file);
  html += "</table>";

  html +=
      "<h2>Checkers</h2><table><tr><th>checker</th><th>violations</th>"
      "<th>documented exceptions</th><th>not judged</th></tr>";
  for (const CheckerSet::Summary& checker : result.checkers) {
    std::string exceptions;
    for (const auto& [cause, count] : checker.exceptions) {
      absl::StrAppend(&exceptions, cause, ": ", count, "<br>");
    }
    std::string not_judged;
    for (const auto& [why, count] : checker.not_judged) {
      absl::StrAppend(&not_judged, why, ": ", count, "<br>");
    }
    absl::StrAppend(&html, "<tr><td>", ToAbsl(CheckerName(checker.kind)),
                    "</td><td", checker.violations > 0 ? " class='bad'" : "",
                    ">", checker.violations, "</td><td>", exceptions,
                    "</td><td>", not_judged, "</td></tr>");
  }
  html += "</table>";

  html +=
      "<h2>Over virtual time</h2><p class='note'>Shaded: faults in "
      "effect. Red lines: violations.</p>";
  html += LineChart(
      "Connections", "count", times,
      {{"MQTT connections", "#2a9d8f",
        values([](const Sample& x) { return double(x.mqtt_connections); })},
       {"network connections", "#8d99ae",
        values([](const Sample& x) { return double(x.network_connections); })}},
      result);
  html += LineChart(
      "QoS 1 messages in flight (published, not yet acknowledged)", "messages",
      times, {{"in flight", "#264653", values([](const Sample& x) {
                 return double(x.qos1_in_flight);
               })}},
      result);
  html += LineChart(
      "Traffic", "messages/s", times,
      {{"published", "#457b9d",
        values([&](const Sample& x) { return x.published * per_second; })},
       {"delivered", "#e9c46a",
        values([&](const Sample& x) { return x.delivered * per_second; })}},
      result);
  html += LineChart(
      "Delivery latency per interval", "ms", times,
      {{"p50", "#2a9d8f",
        values([](const Sample& x) { return Millis(x.latency_p50); })},
       {"p90", "#e9c46a",
        values([](const Sample& x) { return Millis(x.latency_p90); })},
       {"p99", "#f4a261",
        values([](const Sample& x) { return Millis(x.latency_p99); })},
       {"max", "#d62828",
        values([](const Sample& x) { return Millis(x.latency_max); })}},
      result);
  html += FaultTimeline(result);

  absl::StrAppend(&html, "<h2>Violations (", s.violations, ")</h2>");
  if (result.violations.empty()) {
    html += "<p>None.</p>";
  } else {
    html +=
        "<table><tr><th>time</th><th>checker/rule</th><th>sessions</th>"
        "<th>detail</th></tr>";
    for (const Violation& violation : result.violations) {
      std::string sessions;
      for (const std::string& session : violation.sessions) {
        absl::StrAppend(&sessions, Escape(session), " ");
      }
      absl::StrAppend(&html, "<tr><td>", FormatDuration(violation.time),
                      "</td><td>", ToAbsl(CheckerName(violation.checker)), "/",
                      Escape(violation.rule), "</td><td>", sessions,
                      "</td><td>", Escape(violation.detail), "</td></tr>");
    }
    html += "</table>";
  }
  html += "<h2>Faults taken</h2><table>";
  for (const NamedFault& fault : result.faults_taken) {
    absl::StrAppend(&html, "<tr><td>", Escape(DescribeNamedFault(fault)),
                    "</td></tr>");
  }
  html += "</table></body></html>\n";
  return html;
}

}  // namespace mqlab::sim
