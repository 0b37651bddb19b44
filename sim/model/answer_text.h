// The broker's answers as the text the reference model and its checker
// compare: a packet as the fields the specification fixes, a lifecycle
// event as the fields the model decides. Both sides go through these same
// functions (the checker on the broker's decoded bytes and events, the
// model on what it predicts), so a difference in the text is a difference
// in a fixed field.
//
// Left out on purpose (the freedoms docs/simulator.md lists under "The
// reference model"): Reason String texts, an event's time (always the
// input's), its authentication name, and every event detail but a
// kSessionDeleted's (the documented "clean-start" / "session-expiry-zero").
#ifndef MQLAB_SIM_MODEL_ANSWER_TEXT_H_
#define MQLAB_SIM_MODEL_ANSWER_TEXT_H_

#include <string>
#include <string_view>

#include "broker/events.h"
#include "mqtt/packet.h"

namespace mqlab::sim::model {

// "CONNACK session_present=1 reason=Success {Receive Maximum=1000, ...}".
std::string PacketText(const mqtt::Packet& packet);

// "kDisconnected connection=4 session=dev1 reason=SessionTakenOver
// reason_code=Session taken over".
std::string EventText(const broker::Event& event);

// Events of one session (or, without a session, of one connection) keep
// their order; events of different keys may interleave freely.
std::string EventKey(const broker::Event& event);

}  // namespace mqlab::sim::model

#endif  // MQLAB_SIM_MODEL_ANSWER_TEXT_H_
