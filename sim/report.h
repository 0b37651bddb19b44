// A run's report, for `mqlab run --report DIR`: a JSON document (summary,
// checkers, violations, the fault timeline and the time series) and a
// self-contained HTML page (inline SVG, no scripts, no external resources)
// with plots of MQTT connections and QoS 1 messages in flight over virtual
// time, traffic, delivery latency percentiles (p50/p90/p99/max) per sample
// interval, the fault timeline and the violations. I/O-free: the caller
// writes the strings to files.
#ifndef MQLAB_SIM_REPORT_H_
#define MQLAB_SIM_REPORT_H_

#include <optional>
#include <string>

#include "sim/runner.h"

namespace mqlab::sim {

// What the run itself does not know.
struct ReportHeader {
  std::string scenario_path;
  std::string git_commit;
  std::optional<double> wall_seconds;
  std::string replay_file;  // Where the replay file went, if any.
};

std::string ReportJson(const RunResult& result, const ReportHeader& header);
std::string ReportHtml(const RunResult& result, const ReportHeader& header);

}  // namespace mqlab::sim

#endif  // MQLAB_SIM_REPORT_H_
