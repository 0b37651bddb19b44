#include "sim/observations.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"
#include "sim/duration_text.h"

namespace mqlab::sim {
namespace {

std::string Code(mqtt::ReasonCode code) {
  char text[8];
  std::snprintf(text, sizeof(text), "0x%02x", static_cast<unsigned>(code));
  return text;
}

std::string VersionText(mqtt::Version version) {
  return version == mqtt::Version::kV5 ? "v5" : "v3.1.1";
}

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

std::string_view ConnectionEndName(ConnectionEnd end) {
  switch (end) {
    case ConnectionEnd::kClientDisconnect:
      return "client-disconnect";
    case ConnectionEnd::kServerDisconnect:
      return "server-disconnect";
    case ConnectionEnd::kRefused:
      return "refused";
    case ConnectionEnd::kTransportClosed:
      return "transport-closed";
    case ConnectionEnd::kKeepAliveTimeout:
      return "keep-alive-timeout";
    case ConnectionEnd::kConnackTimeout:
      return "connack-timeout";
    case ConnectionEnd::kProtocolError:
      return "protocol-error";
    case ConnectionEnd::kCrashed:
      return "crashed";
  }
  return "unknown";
}

std::string_view ProbeReactionName(ProbeReaction reaction) {
  switch (reaction) {
    case ProbeReaction::kConnack:
      return "CONNACK";
    case ProbeReaction::kSuback:
      return "SUBACK";
    case ProbeReaction::kPuback:
      return "PUBACK";
    case ProbeReaction::kServerDisconnect:
      return "DISCONNECT";
    case ProbeReaction::kClosed:
      return "closed";
    case ProbeReaction::kNothing:
      return "nothing";
  }
  return "unknown";
}

Time TimeOf(const Observation& observation) {
  return std::visit([](const auto& o) { return o.time; }, observation);
}

std::string DescribeObservation(const Observation& observation) {
  const std::string at =
      absl::StrCat("t=", FormatDuration(TimeOf(observation)));
  return std::visit(
      Overloaded{
          [&](const ConnectAttempt& o) {
            return absl::StrCat(at, " connect #", o.connection, " client ",
                                o.client, " session ", ToAbsl(o.client_id), " ",
                                VersionText(o.version),
                                o.clean_start ? " clean-start" : "",
                                o.persistent ? " persistent" : "");
          },
          [&](const ConnackReceived& o) {
            return absl::StrCat(at, " connack #", o.connection, " ",
                                Code(o.reason_code),
                                o.session_present ? " session-present" : "");
          },
          [&](const ConnectionEnded& o) {
            return absl::StrCat(at, " ended #", o.connection, " ",
                                ToAbsl(ConnectionEndName(o.how)), " ",
                                Code(o.reason_code));
          },
          [&](const PublishSent& o) {
            return absl::StrCat(at, " publish ", MessageTagName(o.tag), " by ",
                                ToAbsl(o.client_id), " to ", ToAbsl(o.topic),
                                " qos ", static_cast<int>(o.qos));
          },
          [&](const PublishAcknowledged& o) {
            return absl::StrCat(at, " puback ", MessageTagName(o.tag), " ",
                                Code(o.reason_code));
          },
          [&](const PublishAbandoned& o) {
            return absl::StrCat(at, " abandoned ", MessageTagName(o.tag));
          },
          [&](const MessageReceived& o) {
            return absl::StrCat(
                at, " received ",
                o.tag_check == TagCheck::kUntagged ? "untagged"
                                                   : MessageTagName(o.tag),
                o.tag_check == TagCheck::kCorrupt ? " (corrupt)" : "", " by ",
                ToAbsl(o.client_id), " on #", o.connection, " topic ",
                ToAbsl(o.topic), " qos ", static_cast<int>(o.qos),
                o.dup ? " dup" : "");
          },
          [&](const SubscribeResult& o) {
            return absl::StrCat(at, " suback ", ToAbsl(o.client_id), " ",
                                ToAbsl(o.filter), " ", Code(o.reason_code));
          },
          [&](const UnsubscribeSent& o) {
            return absl::StrCat(at, " unsubscribe ", ToAbsl(o.client_id), " ",
                                ToAbsl(o.filter));
          },
          [&](const BrokerEventSeen& o) {
            return absl::StrCat(
                at, " broker ", ToAbsl(broker::EventKindName(o.kind)),
                " connection ", o.connection, " session ", ToAbsl(o.client_id),
                " ", Code(o.reason_code),
                o.reason == broker::DisconnectionReason::kNone
                    ? ""
                    : absl::StrCat(" ", ToAbsl(broker::DisconnectionReasonName(
                                            o.reason))),
                o.detail.empty() ? "" : " ", ToAbsl(o.detail));
          },
          [&](const BrokerRestarted& o) {
            return absl::StrCat(at, " broker restart, down for ",
                                FormatDuration(o.downtime));
          },
          [&](const ClientDeleted& o) {
            return absl::StrCat(at, " client ", o.client, " deleted");
          },
          [&](const ClientIntent& o) {
            return absl::StrCat(at, " client ", o.client, " session ",
                                ToAbsl(o.client_id),
                                o.wants_connected ? " wants to be connected"
                                                  : " stays offline");
          },
          [&](const LimitProbeOutcome& o) {
            return absl::StrCat(
                at, " probe ", scenario::LimitProbe::Kind_Name(o.kind), " ",
                VersionText(o.version), " by ", ToAbsl(o.client_id), ": ",
                ToAbsl(ProbeReactionName(o.reaction)), " ", Code(o.reason_code),
                o.connection_closed ? ", closed" : "");
          },
      },
      observation);
}

}  // namespace mqlab::sim
