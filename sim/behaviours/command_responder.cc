#include "sim/behaviours/command_responder.h"

#include <optional>

#include "mqtt/topic.h"
#include "sim/duration_text.h"
#include "sim/message_tag.h"
#include "sim/name_pattern.h"
#include "sim/virtual_fleet.h"
#include "sim/virtual_session.h"

namespace mqlab::sim {
namespace {

constexpr uint32_t kAnswerPayloadBytes = 32;

}  // namespace

CommandResponder::CommandResponder(VirtualSession* session,
                                   const scenario::CommandResponder& spec)
    : Behaviour(session),
      keeper_(
          {ExpandPattern(spec.request_filter(), session->pattern_values())},
          spec.qos() == 0 ? mqtt::Qos::kAtMostOnce : mqtt::Qos::kAtLeastOnce,
          /*no_local=*/false),
      qos_(spec.qos() == 0 ? mqtt::Qos::kAtMostOnce : mqtt::Qos::kAtLeastOnce),
      processing_time_(ParseDuration(spec.processing_time()).value_or(0)),
      status_(spec.status().empty() ? "200" : spec.status()) {}

CommandResponder::~CommandResponder() {
  session().fleet().scheduler().Cancel(timer_);
}

void CommandResponder::Start() {
  started_ = true;
  keeper_.Start(session().link());
}

void CommandResponder::Stop() {
  started_ = false;
  keeper_.Stop(session().link());
  answers_.clear();
  session().fleet().scheduler().Cancel(timer_);
  timer_ = kNoTimer;
}

void CommandResponder::OnConnected(ClientLink& link,
                                   const client::ConnackEvent& /*event*/) {
  keeper_.OnConnected(link);
}

void CommandResponder::OnMessage(ClientLink& /*link*/,
                                 const client::MessageEvent& event) {
  if (!started_ || !mqtt::TopicMatches(keeper_.filters()[0], event.topic)) {
    return;
  }
  if (answers_.size() >= kMaxPendingAnswers) return;
  Answer answer;
  answer.due = session().fleet().now() + processing_time_;
  if (event.properties.response_topic.has_value()) {
    answer.topic = std::string(*event.properties.response_topic);
    if (event.properties.correlation_data.has_value()) {
      answer.has_correlation_data = true;
      answer.correlation_data.assign(event.properties.correlation_data->begin(),
                                     event.properties.correlation_data->end());
    }
  } else {
    const ReadTag read = ReadMessageTag(event.payload);
    if (read.check != TagCheck::kIntact) return;
    std::optional<std::string> topic =
        session().fleet().ResponseTopicFor(read.tag, session());
    if (!topic.has_value()) return;
    answer.topic = *std::move(topic);
  }
  answers_.push_back(std::move(answer));
  if (timer_ == kNoTimer) {
    timer_ = session().fleet().scheduler().At(answers_.front().due, [this] {
      timer_ = kNoTimer;
      AnswerDue();
    });
  }
}

void CommandResponder::AnswerDue() {
  const Time now = session().fleet().now();
  while (!answers_.empty() && answers_.front().due <= now) {
    const Answer& answer = answers_.front();
    ClientLink* link = session().link();
    if (link != nullptr &&
        (qos_ == mqtt::Qos::kAtLeastOnce || link->connected())) {
      TaggedMessage tagged;
      client::ApplicationMessage& message = tagged.message;
      message.topic = answer.topic;
      message.qos = qos_;
      const mqtt::UserProperty status{"status", status_};
      if (session().v5()) {
        if (answer.has_correlation_data) {
          message.correlation_data = answer.correlation_data;
        }
        message.user_properties = std::span(&status, 1);
      }
      tagged.payload_bytes = kAnswerPayloadBytes;
      link->Publish(tagged);
    }
    answers_.pop_front();
  }
  if (!answers_.empty()) {
    timer_ = session().fleet().scheduler().At(answers_.front().due, [this] {
      timer_ = kNoTimer;
      AnswerDue();
    });
  }
}

}  // namespace mqlab::sim
