#include "sim/checkers/reference_model_checker.h"

#include <algorithm>
#include <optional>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/absl_string_view.h"
#include "mqtt/decoder.h"
#include "sim/model/answer_text.h"

namespace mqlab::sim {
namespace {

bool IsUnmodelledPacket(mqtt::PacketType type) {
  return std::find(std::begin(kUnmodelledPackets), std::end(kUnmodelledPackets),
                   type) != std::end(kUnmodelledPackets);
}

bool IsUnmodelledEvent(broker::EventKind kind) {
  return std::find(std::begin(kUnmodelledEvents), std::end(kUnmodelledEvents),
                   kind) != std::end(kUnmodelledEvents);
}

template <typename T, typename Text>
std::string Listed(const std::vector<T>& items, Text text) {
  if (items.empty()) return "nothing";
  std::vector<std::string> texts;
  for (const T& item : items) texts.push_back(text(item));
  return absl::StrJoin(texts, "; ");
}

// Where the broker's items (packets of a connection, events of a session)
// first differ from the model's: both are grouped by key and compared in
// order within a key, never across keys (the order between connections and
// between sessions is the broker's freedom).
template <typename Key, typename Seen, typename Expected>
struct Difference {
  Key key{};
  size_t index = 0;  // The first position that differs.
  std::vector<const Seen*> seen;
  std::vector<const Expected*> expected;
};

template <typename Seen, typename Expected, typename SeenKey,
          typename ExpectedKey>
auto FirstDifference(const std::vector<Seen>& seen, SeenKey seen_key,
                     const std::vector<Expected>& expected,
                     ExpectedKey expected_key)
    -> std::optional<Difference<std::decay_t<decltype(seen_key(seen.front()))>,
                                Seen, Expected>> {
  using Key = std::decay_t<decltype(seen_key(seen.front()))>;
  std::vector<Key> keys;
  for (const Seen& item : seen) keys.push_back(seen_key(item));
  for (const Expected& item : expected) keys.push_back(expected_key(item));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  for (const Key& key : keys) {
    Difference<Key, Seen, Expected> difference;
    difference.key = key;
    for (const Seen& item : seen) {
      if (seen_key(item) == key) difference.seen.push_back(&item);
    }
    for (const Expected& item : expected) {
      if (expected_key(item) == key) difference.expected.push_back(&item);
    }
    const size_t length =
        std::max(difference.seen.size(), difference.expected.size());
    for (; difference.index < length; ++difference.index) {
      const size_t i = difference.index;
      if (i >= difference.seen.size() || i >= difference.expected.size() ||
          difference.seen[i]->text != difference.expected[i]->text) {
        return difference;
      }
    }
  }
  return std::nullopt;
}

// The text at `index` of a difference's side, "nothing" past its end.
template <typename T>
std::string TextAt(const std::vector<const T*>& items, size_t index) {
  return index < items.size() ? items[index]->text : "nothing";
}

}  // namespace

ReferenceModelChecker::ReferenceModelChecker(const CheckerContext& context)
    : Checker(CheckerKind::kReferenceModel, context) {}

void ReferenceModelChecker::Finish(Time /*end*/) {}

void ReferenceModelChecker::OnBrokerStarted(
    const broker::NamespaceConfig& config, Time now) {
  now_ = now;
  model_ = std::make_unique<model::BrokerModel>(config, &mutable_situations());
}

void ReferenceModelChecker::OnBrokerStopped(Time now) {
  now_ = now;
  // Every session and connection died with the process.
  model_.reset();
}

void ReferenceModelChecker::OnOpened(const broker::TransportIdentity& identity,
                                     broker::ConnectionId connection,
                                     Time now) {
  now_ = now;
  saw_open_ = true;
  opened_refused_ = connection == 0;  // broker::kRefusedConnection.
  if (model_ != nullptr && !diverged_) model_->Open(identity, connection, now);
}

void ReferenceModelChecker::OnBytesIn(broker::ConnectionId connection,
                                      std::span<const uint8_t> bytes,
                                      Time now) {
  now_ = now;
  if (model_ != nullptr && !diverged_) model_->BytesIn(connection, bytes, now);
}

void ReferenceModelChecker::OnClosedByPeer(broker::ConnectionId connection,
                                           Time now) {
  now_ = now;
  if (model_ != nullptr && !diverged_) model_->ClosedByPeer(connection, now);
}

void ReferenceModelChecker::OnWriteBlocked(broker::ConnectionId connection,
                                           bool blocked, Time now) {
  now_ = now;
  if (model_ != nullptr && !diverged_) {
    model_->WriteBlocked(connection, blocked, now);
  }
}

void ReferenceModelChecker::OnAdvance(Time now) {
  now_ = now;
  if (model_ != nullptr && !diverged_) model_->Advance(now);
}

void ReferenceModelChecker::OnUpsertClient(const broker::ClientResource& client,
                                           const absl::Status& status,
                                           Time now) {
  now_ = now;
  if (model_ != nullptr && !diverged_)
    model_->UpsertClient(client, status, now);
}

void ReferenceModelChecker::OnDeleteClient(std::string_view name,
                                           const absl::Status& status,
                                           Time now) {
  now_ = now;
  if (model_ != nullptr && !diverged_) model_->DeleteClient(name, status, now);
}

void ReferenceModelChecker::OnSend(broker::ConnectionId connection,
                                   std::span<const uint8_t> bytes) {
  sends_.emplace_back(connection,
                      std::vector<uint8_t>(bytes.begin(), bytes.end()));
}

void ReferenceModelChecker::OnClose(broker::ConnectionId connection) {
  closes_.push_back(connection);
}

void ReferenceModelChecker::OnEvent(const broker::Event& event) {
  events_.push_back({event.kind, event.connection, std::string(event.session),
                     model::EventKey(event), model::EventText(event)});
}

void ReferenceModelChecker::InputDone() {
  if (model_ != nullptr && !diverged_) {
    model::ModelAnswer answer = model_->TakeAnswer();
    std::vector<SeenPacket> packets;
    if (DecodeSends(answer, &packets)) Compare(answer, packets);
  } else if (diverged_) {
    CountNotJudged("after the first disagreement");
  }
  sends_.clear();
  closes_.clear();
  events_.clear();
  saw_open_ = false;
}

bool ReferenceModelChecker::DecodeSends(const model::ModelAnswer& answer,
                                        std::vector<SeenPacket>* packets) {
  // A connection's bytes of this input as one stream: the broker may write
  // one packet in several pieces (a PUBLISH's header, then its payload).
  std::map<broker::ConnectionId, std::vector<uint8_t>> streams;
  std::vector<broker::ConnectionId> order;
  for (const auto& [connection, bytes] : sends_) {
    std::vector<uint8_t>& stream = streams[connection];
    if (stream.empty()) order.push_back(connection);
    stream.insert(stream.end(), bytes.begin(), bytes.end());
  }
  for (const broker::ConnectionId connection : order) {
    const std::vector<uint8_t>& bytes = streams[connection];
    std::optional<mqtt::Version> version;
    if (const auto it = answer.versions.find(connection);
        it != answer.versions.end()) {
      version = it->second;
    } else {
      version = model_->OutputVersion(connection);
    }
    mqtt::Decoder decoder(mqtt::DecoderOptions{
        .maximum_packet_size = mqtt::kProtocolMaximumPacketSize,
        .version = version.value_or(mqtt::Version::kV5)});
    mqtt::Bytes input = bytes;
    for (;;) {
      mqtt::Packet packet;
      mqtt::DecodeError error;
      const mqtt::Decoder::Status status =
          decoder.Next(&input, &packet, &error);
      if (status == mqtt::Decoder::Status::kPacket) {
        packets->push_back(
            {connection, mqtt::TypeOf(packet), model::PacketText(packet)});
        continue;
      }
      if (status == mqtt::Decoder::Status::kError ||
          decoder.stream_offset() != bytes.size()) {
        Disagree("output.well-formed", answer.input,
                 absl::StrCat("bytes on connection ", connection,
                              " that do not decode: ", ToAbsl(error.rule)),
                 "whole packets");
        return false;
      }
      break;
    }
  }
  return true;
}

void ReferenceModelChecker::Compare(model::ModelAnswer& answer,
                                    std::vector<SeenPacket>& packets) {
  // A connection being opened: refused or not.
  if (saw_open_ && answer.refuse_open.has_value() &&
      *answer.refuse_open != opened_refused_) {
    return Disagree(answer.refuse_open_rule, answer.input,
                    opened_refused_ ? "refused the connection" : "accepted it",
                    *answer.refuse_open ? "refuse it" : "accept it");
  }
  // What is not modelled: skipped by name, counted.
  std::erase_if(packets, [&](const SeenPacket& packet) {
    if (!IsUnmodelledPacket(packet.type)) return false;
    CountNotJudged(absl::StrCat("unmodelled packet ",
                                ToAbsl(mqtt::PacketTypeName(packet.type))));
    return true;
  });
  bool unmodelled_input = !answer.unmodelled.empty();
  std::vector<std::string> overflowed;
  std::erase_if(events_, [&](const SeenEvent& event) {
    if (!IsUnmodelledEvent(event.kind)) return false;
    unmodelled_input = true;
    if (event.kind == broker::EventKind::kSessionOverflow) {
      overflowed.push_back(event.session);
    }
    CountNotJudged(absl::StrCat("unmodelled event ",
                                ToAbsl(broker::EventKindName(event.kind))));
    return true;
  });
  // Closes the broker decided for what the model does not decide: adopted
  // with their DISCONNECT and kDisconnected; predictions for the connection
  // after its first unmodelled packet fall.
  const auto adopt = [&](broker::ConnectionId connection) {
    if (const auto it = answer.unmodelled_from.find(connection);
        it != answer.unmodelled_from.end()) {
      size_t index = 0;
      std::erase_if(answer.packets, [&](const model::ExpectedPacket& p) {
        return p.connection == connection && index++ >= it->second;
      });
    }
    for (auto it = packets.rbegin(); it != packets.rend(); ++it) {
      if (it->connection != connection) continue;
      if (it->type == mqtt::PacketType::kDisconnect) {
        packets.erase(std::next(it).base());
      }
      break;
    }
    std::erase_if(events_, [&](const SeenEvent& event) {
      return event.kind == broker::EventKind::kDisconnected &&
             event.connection == connection;
    });
    std::erase(closes_, connection);
    CountNotJudged(absl::StrCat(
        "close adopted after unmodelled ",
        answer.unmodelled.empty() ? std::string("event") : answer.unmodelled));
  };
  for (const std::string& session : overflowed) {
    const broker::ConnectionId connection =
        model_->AdoptSessionOverflow(session);
    if (connection != 0) adopt(connection);
  }
  for (const broker::ConnectionId connection : std::vector(closes_)) {
    const bool predicted =
        std::any_of(answer.closes.begin(), answer.closes.end(),
                    [&](const model::ExpectedClose& close) {
                      return close.connection == connection;
                    });
    if (predicted || !model_->IsOpen(connection) || !unmodelled_input) {
      continue;
    }
    adopt(connection);
    model_->AdoptClose(connection);
  }
  // What adopting made the model predict.
  model::ModelAnswer more = model_->TakeAnswer();
  answer.events.insert(answer.events.end(), more.events.begin(),
                       more.events.end());

  // Packets, per connection in order.
  if (const auto difference = FirstDifference(
          packets, [](const SeenPacket& p) { return p.connection; },
          answer.packets,
          [](const model::ExpectedPacket& p) { return p.connection; })) {
    const size_t i = difference->index;
    return Disagree(i < difference->expected.size()
                        ? difference->expected[i]->rule
                        : std::string_view("output.unexplained"),
                    answer.input,
                    absl::StrCat("wrote on connection ", difference->key, ": ",
                                 TextAt(difference->seen, i)),
                    absl::StrCat("write ", TextAt(difference->expected, i)));
  }
  // Closes, as sets.
  for (const model::ExpectedClose& close : answer.closes) {
    if (std::find(closes_.begin(), closes_.end(), close.connection) ==
        closes_.end()) {
      return Disagree(
          close.rule, answer.input,
          absl::StrCat("kept connection ", close.connection, " open"),
          "close it");
    }
  }
  for (const broker::ConnectionId connection : closes_) {
    const bool predicted =
        std::any_of(answer.closes.begin(), answer.closes.end(),
                    [&](const model::ExpectedClose& close) {
                      return close.connection == connection;
                    });
    if (!predicted) {
      return Disagree("close.unexplained", answer.input,
                      absl::StrCat("closed connection ", connection),
                      "keep it open");
    }
  }
  // Events, per key in order.
  if (const auto difference = FirstDifference(
          events_, [](const SeenEvent& e) { return e.key; }, answer.events,
          [](const model::ExpectedEvent& e) { return e.key; })) {
    const size_t i = difference->index;
    const auto text = [](const auto* item) { return item->text; };
    return Disagree(
        i < difference->expected.size() ? difference->expected[i]->rule
                                        : std::string_view("event.unexplained"),
        answer.input,
        absl::StrCat("reported ", TextAt(difference->seen, i), " (",
                     difference->key, ": ", Listed(difference->seen, text),
                     ")"),
        absl::StrCat("report ", TextAt(difference->expected, i), " (",
                     Listed(difference->expected, text), ")"));
  }
}

void ReferenceModelChecker::Disagree(std::string_view rule,
                                     const std::string& input,
                                     const std::string& broker,
                                     const std::string& model) {
  diverged_ = true;
  Violation violation;
  violation.checker = kind();
  violation.rule = std::string(rule);
  violation.time = now_;
  violation.detail =
      absl::StrCat("input: ", input, "; the broker ", broker,
                   "; the model says: ", model, " (rule ", ToAbsl(rule), ")");
  Report(std::move(violation));
}

}  // namespace mqlab::sim
