// The server's log: one line per event on stderr, "2026-12-08T02:10:00.123Z
// info connected conn=3 ...". Levels filter what is written; a line below
// the level costs a comparison (callers check enabled() before formatting).
#ifndef MQLAB_SERVER_LOG_H_
#define MQLAB_SERVER_LOG_H_

#include <cstdint>
#include <string_view>

#include "broker/namespace_config.h"

namespace mqlab::server {

enum class LogLevel : uint8_t { kError, kWarning, kInfo, kDebug };

// "error", "warning", "info", "debug"; the error names them.
broker::StatusOr<LogLevel> ParseLogLevel(std::string_view text);

class Log {
 public:
  explicit Log(LogLevel level) : level_(level) {}
  bool enabled(LogLevel level) const { return level <= level_; }
  // Writes `text` as one line when `level` is enabled.
  void Write(LogLevel level, std::string_view text) const;

 private:
  LogLevel level_;
};

}  // namespace mqlab::server

#endif  // MQLAB_SERVER_LOG_H_
