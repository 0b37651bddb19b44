#include "server/log.h"

#include <cstdio>
#include <ctime>
#include <string>

namespace mqlab::server {
namespace {

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
      return "error";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kDebug:
      return "debug";
  }
  return "?";
}

}  // namespace

broker::StatusOr<LogLevel> ParseLogLevel(std::string_view text) {
  for (LogLevel level : {LogLevel::kError, LogLevel::kWarning, LogLevel::kInfo,
                         LogLevel::kDebug}) {
    if (text == LevelName(level)) return level;
  }
  return absl::InvalidArgumentError(
      "log level '" + std::string(text) +
      "': expected one of error, warning, info, debug");
}

void Log::Write(LogLevel level, std::string_view text) const {
  if (!enabled(level)) return;
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  tm utc;
  gmtime_r(&now.tv_sec, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &utc);
  const std::string_view name = LevelName(level);
  // One fprintf per line: lines from one process never interleave.
  std::fprintf(stderr, "%s.%03ldZ %.*s %.*s\n", stamp, now.tv_nsec / 1'000'000,
               static_cast<int>(name.size()), name.data(),
               static_cast<int>(text.size()), text.data());
}

}  // namespace mqlab::server
