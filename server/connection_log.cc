#include "server/connection_log.h"

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"

namespace mqlab::server {
namespace {

using broker::EventKind;

bool IsConnectionEvent(EventKind kind) {
  switch (kind) {
    case EventKind::kConnected:
    case EventKind::kConnectRefused:
    case EventKind::kDisconnected:
    case EventKind::kSessionTakenOver:
    case EventKind::kSessionOverflow:
      return true;
    default:
      return false;
  }
}

bool IsDenial(EventKind kind) {
  return kind == EventKind::kConnectRefused ||
         kind == EventKind::kPublishDenied ||
         kind == EventKind::kSubscriptionDenied ||
         kind == EventKind::kLimitExceeded;
}

}  // namespace

void ConnectionLog::OnEvent(const broker::Event& event) {
  if (IsDenial(event.kind)) {
    const std::string key =
        absl::StrCat(ToAbsl(broker::EventKindName(event.kind)), "/",
                     ToAbsl(broker::DisconnectionReasonName(event.reason)), "/",
                     ToAbsl(event.detail));
    ++denials_[key];
  }
  const LogLevel level =
      IsConnectionEvent(event.kind) ? LogLevel::kInfo : LogLevel::kDebug;
  if (!log_->enabled(level)) return;
  std::string line = absl::StrCat(ToAbsl(broker::EventKindName(event.kind)),
                                  " conn=", event.connection, " client_id=\"",
                                  ToAbsl(event.session), "\" auth=\"",
                                  ToAbsl(event.authentication_name), "\"");
  if (event.reason != broker::DisconnectionReason::kNone) {
    absl::StrAppend(&line, " reason=",
                    ToAbsl(broker::DisconnectionReasonName(event.reason)));
  }
  if (event.reason_code != mqtt::ReasonCode::kSuccess) {
    absl::StrAppend(
        &line, " reason_code=0x",
        absl::Hex(static_cast<int>(event.reason_code), absl::kZeroPad2));
  }
  if (!event.topic.empty()) {
    absl::StrAppend(&line, " topic=\"", ToAbsl(event.topic), "\"");
  }
  if (!event.detail.empty()) {
    absl::StrAppend(&line, " detail=", ToAbsl(event.detail));
  }
  log_->Write(level, line);
}

std::string ConnectionLog::DenialCounts() const {
  std::string text = "denials";
  if (denials_.empty()) text += " none";
  for (const auto& [key, count] : denials_) {
    absl::StrAppend(&text, " ", key, "=", count);
  }
  return text;
}

std::string StatsLine(const broker::BrokerStats& stats) {
  return absl::StrCat(
      "stats connections=", stats.connections, " sessions=", stats.sessions,
      " connected_sessions=", stats.connected_sessions,
      " subscriptions=", stats.subscriptions,
      " stored_messages=", stats.stored_messages,
      " connects_accepted=", stats.connects_accepted,
      " connects_refused=", stats.connects_refused,
      " messages_in=", stats.messages_received,
      " messages_out=", stats.messages_delivered,
      " messages_dropped=", stats.messages_dropped,
      " bytes_in=", stats.bytes_received, " bytes_out=", stats.bytes_sent);
}

}  // namespace mqlab::server
