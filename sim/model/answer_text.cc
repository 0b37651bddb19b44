#include "sim/model/answer_text.h"

#include <cstdint>
#include <optional>

#include "absl/strings/str_cat.h"
#include "base/absl_string_view.h"

namespace mqlab::sim::model {
namespace {

template <typename T>
void AddProperty(std::string& text, std::string_view name,
                 const std::optional<T>& value) {
  if (!value.has_value()) return;
  absl::StrAppend(&text, text.empty() ? "" : ", ", ToAbsl(name), "=",
                  static_cast<uint64_t>(*value));
}

void AddText(std::string& text, std::string_view name,
             const std::optional<std::string_view>& value) {
  if (!value.has_value()) return;
  absl::StrAppend(&text, text.empty() ? "" : ", ", ToAbsl(name), "=\"",
                  ToAbsl(*value), "\"");
}

// Every property a server's CONNACK or DISCONNECT may carry, but the
// Reason String.
std::string ServerProperties(const mqtt::Properties& p) {
  std::string text;
  AddProperty(text, "Session Expiry Interval", p.session_expiry_interval);
  AddText(text, "Assigned Client Identifier", p.assigned_client_identifier);
  AddProperty(text, "Server Keep Alive", p.server_keep_alive);
  AddText(text, "Authentication Method", p.authentication_method);
  AddText(text, "Response Information", p.response_information);
  AddText(text, "Server Reference", p.server_reference);
  AddProperty(text, "Receive Maximum", p.receive_maximum);
  AddProperty(text, "Topic Alias Maximum", p.topic_alias_maximum);
  AddProperty(text, "Maximum QoS", p.maximum_qos);
  AddProperty(text, "Retain Available", p.retain_available);
  AddProperty(text, "Maximum Packet Size", p.maximum_packet_size);
  AddProperty(text, "Wildcard Subscription Available",
              p.wildcard_subscription_available);
  AddProperty(text, "Subscription Identifier Available",
              p.subscription_identifier_available);
  AddProperty(text, "Shared Subscription Available",
              p.shared_subscription_available);
  if (!p.user_properties.empty()) {
    absl::StrAppend(&text, text.empty() ? "" : ", ",
                    "User Properties=", p.user_properties.size());
  }
  return text;
}

}  // namespace

std::string PacketText(const mqtt::Packet& packet) {
  const std::string_view type = mqtt::PacketTypeName(mqtt::TypeOf(packet));
  if (const auto* connack = std::get_if<mqtt::Connack>(&packet)) {
    return absl::StrCat(
        ToAbsl(type), " session_present=", connack->session_present ? 1 : 0,
        " reason=", ToAbsl(mqtt::ReasonCodeName(connack->reason_code)), " {",
        ServerProperties(connack->properties), "}");
  }
  if (const auto* disconnect = std::get_if<mqtt::Disconnect>(&packet)) {
    return absl::StrCat(ToAbsl(type), " reason=",
                        ToAbsl(mqtt::ReasonCodeName(disconnect->reason_code)),
                        " {", ServerProperties(disconnect->properties), "}");
  }
  return std::string(type);
}

std::string EventText(const broker::Event& event) {
  std::string text = absl::StrCat(ToAbsl(broker::EventKindName(event.kind)),
                                  " connection=", event.connection,
                                  " session=\"", ToAbsl(event.session), "\"");
  if (event.kind == broker::EventKind::kConnectRefused ||
      event.kind == broker::EventKind::kDisconnected) {
    absl::StrAppend(
        &text,
        " reason=", ToAbsl(broker::DisconnectionReasonName(event.reason)),
        " reason_code=", ToAbsl(mqtt::ReasonCodeName(event.reason_code)));
  }
  if (event.kind == broker::EventKind::kSessionDeleted) {
    absl::StrAppend(&text, " detail=", ToAbsl(event.detail));
  }
  return text;
}

std::string EventKey(const broker::Event& event) {
  if (!event.session.empty()) {
    return absl::StrCat("session ", ToAbsl(event.session));
  }
  return absl::StrCat("connection ", event.connection);
}

}  // namespace mqlab::sim::model
