#include "server/dev_connect_filter.h"

#include <string>
#include <variant>

#include "mqtt/encoder.h"

namespace mqlab::server {

DevConnectFilter::DevConnectFilter(ClientRegistrar* registrar,
                                   uint32_t maximum_packet_size,
                                   uint64_t connection_number)
    : registrar_(registrar),
      connection_number_(connection_number),
      decoder_(mqtt::DecoderOptions{.maximum_packet_size = maximum_packet_size,
                                    .version = std::nullopt}) {}

StreamFilter::Verdict DevConnectFilter::FromPeer(std::span<const uint8_t> bytes,
                                                 ByteQueue* to_broker,
                                                 ByteQueue*) {
  if (first_packet_done_) {
    to_broker->Append(bytes);
    return Verdict::kContinue;
  }
  const size_t held_before = held_.size();
  held_.insert(held_.end(), bytes.begin(), bytes.end());
  mqtt::Bytes input(held_.data() + held_before, bytes.size());
  mqtt::Packet packet;
  mqtt::DecodeError error;
  const mqtt::Decoder::Status status = decoder_.Next(&input, &packet, &error);
  if (status == mqtt::Decoder::Status::kNeedMore) return Verdict::kContinue;
  first_packet_done_ = true;
  const mqtt::Connect* connect = std::get_if<mqtt::Connect>(&packet);
  if (status == mqtt::Decoder::Status::kPacket && connect != nullptr) {
    mqtt::Connect named = *connect;
    const std::string assigned_id = "dev-" + std::to_string(connection_number_);
    if (named.client_id.empty()) named.client_id = assigned_id;
    const bool has_username =
        named.username.has_value() && !named.username->empty();
    const std::string_view name =
        has_username ? *named.username : named.client_id;
    if (registrar_ != nullptr) registrar_->Register(name);
    if (!has_username || connect->client_id.empty()) {
      named.username = name;
      rewritten_.clear();
      if (mqtt::Encode(named, named.version, &rewritten_)) {
        to_broker->Append(rewritten_);
        // What followed the CONNECT in the same bytes.
        to_broker->Append(std::span<const uint8_t>(
            held_.data() + (held_.size() - input.size()), input.size()));
        std::vector<uint8_t>().swap(held_);
        return Verdict::kContinue;
      }
    }
  }
  to_broker->Append(held_);
  std::vector<uint8_t>().swap(held_);
  return Verdict::kContinue;
}

}  // namespace mqlab::server
