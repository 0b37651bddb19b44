#include "sim/behaviours/command_requester.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "mqtt/topic.h"
#include "sim/duration_text.h"
#include "sim/name_pattern.h"
#include "sim/virtual_fleet.h"
#include "sim/virtual_session.h"

namespace mqlab::sim {
namespace {

constexpr std::string_view kContentType = "application/json";

}  // namespace

absl::StatusOr<std::unique_ptr<CommandRequester>> CommandRequester::Make(
    VirtualSession* session, const scenario::CommandRequester& spec,
    Random random) {
  const Fleet& fleet = *session->fleet().world().fleet;
  std::vector<const std::string*> targets;
  for (const FleetLayout::Range& range : fleet.layout.populations) {
    if (range.population != spec.target_population()) continue;
    for (uint32_t i = 0; i < range.count; ++i) {
      targets.push_back(
          &fleet.clients[range.first_client + i].authentication_name);
    }
  }
  if (targets.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("command_requester.target_population \"",
                     spec.target_population(), "\" names no population"));
  }
  PatternValues values = session->pattern_values();
  values.target = "+";
  std::string filter = ExpandPattern(spec.response_topic(), values);
  if (!mqtt::TopicFilterViolation(filter).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "command_requester.response_topic \"", spec.response_topic(),
        "\": {target} must be a whole topic level (the requester subscribes "
        "with + in its place)"));
  }
  return std::unique_ptr<CommandRequester>(new CommandRequester(
      session, spec, std::move(filter), std::move(targets), random));
}

CommandRequester::CommandRequester(VirtualSession* session,
                                   const scenario::CommandRequester& spec,
                                   std::string response_filter,
                                   std::vector<const std::string*> targets,
                                   Random random)
    : Behaviour(session),
      spec_(&spec),
      keeper_(
          {std::move(response_filter)},
          spec.qos() == 0 ? mqtt::Qos::kAtMostOnce : mqtt::Qos::kAtLeastOnce,
          /*no_local=*/false),
      targets_(std::move(targets)),
      random_(random),
      qos_(spec.qos() == 0 ? mqtt::Qos::kAtMostOnce : mqtt::Qos::kAtLeastOnce),
      timeout_(spec.timeout().empty()
                   ? 10 * kSecond
                   : ParseDuration(spec.timeout()).value_or(10 * kSecond)),
      payload_bytes_(spec.has_payload_bytes() ? spec.payload_bytes() : 16) {}

CommandRequester::~CommandRequester() {
  session().fleet().scheduler().Cancel(timer_);
}

void CommandRequester::Start() {
  keeper_.Start(session().link());
  ScheduleNext();
}

void CommandRequester::Stop() {
  keeper_.Stop(session().link());
  session().fleet().scheduler().Cancel(timer_);
  timer_ = kNoTimer;
}

void CommandRequester::OnConnected(ClientLink& link,
                                   const client::ConnackEvent& /*event*/) {
  keeper_.OnConnected(link);
}

void CommandRequester::ScheduleNext() {
  const double seconds = random_.Exponential(1.0 / spec_->rate_per_second());
  const auto delay = static_cast<Duration>(
      std::min(seconds * static_cast<double>(kSecond), 1e15));
  timer_ =
      session().fleet().scheduler().After(std::max<Duration>(delay, 1), [this] {
        timer_ = kNoTimer;
        SendRequest();
        ScheduleNext();
      });
}

void CommandRequester::SendRequest() {
  ClientLink* link = session().link();
  if (link == nullptr) return;
  if (qos_ == mqtt::Qos::kAtMostOnce && !link->connected()) return;
  PatternValues values = session().pattern_values();
  values.target = *targets_[random_.Below(targets_.size())];
  const std::string topic = ExpandPattern(spec_->request_topic(), values);
  TaggedMessage tagged;
  tagged.message.topic = topic;
  tagged.message.qos = qos_;
  tagged.payload_bytes = payload_bytes_;
  if (!session().v5()) {
    link->Publish(tagged);
    return;
  }
  const std::string response_topic =
      ExpandPattern(spec_->response_topic(), values);
  tagged.message.response_topic = response_topic;
  tagged.message.content_type = kContentType;
  link->Request(tagged, timeout_);
}

}  // namespace mqlab::sim
