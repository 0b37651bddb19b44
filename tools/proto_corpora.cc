#include "tools/proto_corpora.h"

#include <string_view>

#include "base/check.h"
#include "fuzz/mqtt_session.pb.h"
#include "google/protobuf/text_format.h"

namespace mqlab::tools {
namespace {

struct Named {
  std::string_view name;
  std::string_view text;  // Text format.
};

// One client packet of each shape, with the fields the specification's
// descriptions exercise (MQTT 5.0 section 3).
constexpr Named kPackets[] = {
    {"connect",
     "connect { keep_alive: 60 clean_start: true properties { "
     "session_expiry_interval: 120 receive_maximum: 20 maximum_packet_size: "
     "65536 topic_alias_maximum: 5 request_problem_information: 1 "
     "user_property { key: 'k' value: 'v' } } }"},
    {"connect-will",
     "connect { will { qos: 1 retain: true topic: 'devices/client-0/will' "
     "payload: 'gone' properties { will_delay_interval: 5 "
     "payload_format_indicator: 1 content_type: 'text/plain' } } }"},
    {"connect-auth",
     "connect { properties { authentication_method: 'SCRAM-SHA-1' "
     "authentication_data: 'client-first' } password: 'secret' }"},
    {"publish-qos0", "publish { topic: 'shared/a' payload: 'hello' }"},
    {"publish-qos1",
     "publish { topic: 'shared/a' qos: 1 payload: '{}' properties { "
     "message_expiry_interval: 30 response_topic: 'shared/reply' "
     "correlation_data: 'c1' content_type: 'application/json' } }"},
    {"publish-qos2-retain-dup",
     "publish { topic: 'shared/r' qos: 2 retain: true dup: true payload: 'x' "
     "}"},
    {"publish-alias",
     "publish { topic: '' payload: 'x' properties { topic_alias: 1 } }"},
    {"subscribe",
     "subscribe { properties { subscription_identifier: 7 } subscription { "
     "filter: 'shared/+/x' qos: 1 no_local: true retain_as_published: true "
     "retain_handling: 1 } subscription { filter: 'shared/#' share_name: "
     "'group' qos: 2 } }"},
    {"unsubscribe", "unsubscribe { filter: 'shared/#' filter: 'a/+' }"},
    {"puback",
     "publish_response { kind: PUBACK packet_id: 1 reason_code: 0x10 "
     "properties { reason_string: 'none' } }"},
    {"pubrec", "publish_response { kind: PUBREC packet_id: 2 }"},
    {"pubrel", "publish_response { kind: PUBREL packet_id: 2 }"},
    {"pubcomp",
     "publish_response { kind: PUBCOMP packet_id: 2 reason_code: 0x92 }"},
    {"pingreq", "pingreq {}"},
    {"disconnect",
     "disconnect { reason_code: 0x04 properties { session_expiry_interval: 0 "
     "reason_string: 'bye' } }"},
    {"auth",
     "auth { reason_code: 0x19 properties { authentication_method: "
     "'SCRAM-SHA-1' authentication_data: 'd' } }"},
};

// Deliberately wrong encodings (the malformed rules of MQTT 5.0 1.5, 2 and
// 4.13), each on a PUBLISH.
constexpr Named kFaults[] = {
    {"flags", "faults { first_byte_flags: 6 }"},
    {"non-minimal-length", "faults { remaining_length_padding: 1 }"},
    {"five-byte-length", "faults { remaining_length_padding: 4 }"},
    {"non-minimal-property-length", "faults { property_length_padding: 2 }"},
    {"cut", "faults { truncate_body: 3 }"},
    {"trailing", "faults { trailing: '\\x00\\x01' }"},
    {"announced-longer", "faults { remaining_length_excess: 100 }"},
    {"bad-utf8", "publish { topic: 'a\\xc0\\xafb' }"},
    {"duplicate-property",
     "publish { topic: 'a' properties { content_type: 't' duplicate: "
     "CONTENT_TYPE } }"},
    {"wrong-packet-property",
     "publish { topic: 'a' properties { session_expiry_interval: 1 } }"},
};

// Sessions of the conformance suite's kinds, one client index per action.
constexpr Named kSessions[] = {
    {"publish-receive-qos1", R"pb(
       clients: 2
       action {
         client: 0
         packet { connect {} }
       }
       action {
         client: 1
         packet { connect {} }
       }
       action {
         client: 1
         packet { subscribe { subscription { filter: "shared/#" qos: 1 } } }
       }
       action {
         client: 0
         packet { publish { topic: "shared/a" qos: 1 payload: "1" } }
       }
       action {
         client: 1
         packet { publish_response {} }
       }
       action {
         client: 0
         packet { publish { topic: "shared/b" payload: "2" } }
         split: 4
       }
       action {
         client: 0
         packet { publish { topic: "devices/client-0/t" qos: 1 payload: "3" } }
       }
       action { advance_milliseconds: 1000 }
       action {
         client: 1
         packet { pingreq {} }
       }
       action {
         client: 1
         packet { unsubscribe { filter: "shared/#" } }
       }
       action {
         client: 0
         packet { disconnect {} }
       }
       action {
         client: 1
         packet { disconnect {} }
       }
     )pb"},
    {"qos2-flow", R"pb(
       clients: 2
       action {
         client: 0
         packet { connect {} }
       }
       action {
         client: 1
         packet { connect {} }
       }
       action {
         client: 1
         packet { subscribe { subscription { filter: "shared/q2" qos: 2 } } }
       }
       action {
         client: 0
         packet { publish { topic: "shared/q2" qos: 2 payload: "x" } }
       }
       action {
         client: 0
         packet { publish_response { kind: PUBREL packet_id: 2 } }
       }
       action {
         client: 1
         packet { publish_response { kind: PUBREC } }
       }
       action {
         client: 1
         packet { publish_response { kind: PUBCOMP } }
       }
       action {
         client: 0
         packet {
           publish {
             topic: "shared/q2"
             qos: 2
             dup: true
             packet_id: 2
             payload: "x"
           }
         }
       }
     )pb"},
    {"retained-and-shared", R"pb(
       clients: 3
       action {
         client: 0
         packet { connect {} }
       }
       action {
         client: 0
         packet {
           publish { topic: "shared/r" retain: true qos: 1 payload: "kept" }
         }
       }
       action {
         client: 1
         packet { connect {} }
       }
       action {
         client: 1
         packet {
           subscribe {
             subscription { filter: "shared/r" qos: 1 retain_handling: 0 }
           }
         }
       }
       action {
         client: 2
         packet { connect {} }
       }
       action {
         client: 2
         packet {
           subscribe {
             subscription { filter: "shared/#" share_name: "g" qos: 1 }
           }
         }
       }
       action {
         client: 1
         packet {
           subscribe {
             subscription { filter: "shared/#" share_name: "g" qos: 1 }
           }
         }
       }
       action {
         client: 0
         packet { publish { topic: "shared/s1" qos: 1 payload: "a" } }
       }
       action {
         client: 0
         packet { publish { topic: "shared/s2" qos: 1 payload: "b" } }
       }
       action {
         client: 0
         packet { publish { topic: "shared/r" retain: true payload: "" } }
       }
     )pb"},
    {"will-and-keep-alive", R"pb(
       clients: 2
       action {
         client: 1
         packet { connect {} }
       }
       action {
         client: 1
         packet { subscribe { subscription { filter: "shared/will" } } }
       }
       action {
         client: 0
         packet {
           connect {
             keep_alive: 10
             will {
               topic: "shared/will"
               payload: "gone"
               properties { will_delay_interval: 2 }
             }
           }
         }
       }
       action { advance_milliseconds: 5000 }
       action {
         client: 0
         packet { pingreq {} }
       }
       action { advance_milliseconds: 16000 }
       action { advance_milliseconds: 3000 }
       action {
         client: 1
         packet { pingreq {} }
       }
     )pb"},
    {"takeover-and-persistent-session", R"pb(
       clients: 2
       action {
         client: 0
         packet {
           connect {
             clean_start: false
             properties { session_expiry_interval: 600 }
           }
         }
       }
       action {
         client: 0
         packet { subscribe { subscription { filter: "shared/p" qos: 1 } } }
       }
       action { client: 0 drop: true }
       action {
         client: 1
         packet { connect {} }
       }
       action {
         client: 1
         packet { publish { topic: "shared/p" qos: 1 payload: "queued" } }
       }
       action {
         client: 0
         packet {
           connect {
             clean_start: false
             properties { session_expiry_interval: 600 }
           }
         }
       }
       action { client: 0 reconnect: true }
       action {
         client: 0
         packet { connect { clean_start: false } }
       }
       action {
         client: 0
         packet { publish_response {} }
       }
       action { advance_milliseconds: 700000 }
     )pb"},
    {"admin-changes", R"pb(
       clients: 2
       action {
         client: 0
         packet { connect {} }
       }
       action {
         client: 1
         packet { connect {} }
       }
       action { admin { kind: DISABLE_CLIENT client: 0 } }
       action {
         client: 0
         packet { connect {} }
       }
       action { admin { kind: ENABLE_CLIENT client: 0 } }
       action {
         client: 0
         packet { connect {} }
       }
       action { admin { kind: DELETE_CLIENT client: 1 } }
       action {
         client: 1
         packet { connect {} }
       }
       action { admin { kind: ENABLE_CLIENT client: 1 } }
       action {
         client: 1
         packet { connect {} }
       }
     )pb"},
    {"topic-alias-and-limits", R"pb(
       clients: 2
       limit { limit: TOPIC_ALIAS_MAXIMUM value: 2 }
       limit { limit: PUBLISH_MESSAGES_PER_SECOND value: 3 }
       limit { limit: MAXIMUM_FILTERS_PER_SUBSCRIBE value: 2 }
       limit { limit: MAXIMUM_PACKET_SIZE value: 200 }
       action {
         client: 0
         packet { connect { properties { topic_alias_maximum: 4 } } }
       }
       action {
         client: 0
         packet {
           publish {
             topic: "shared/alias"
             payload: "1"
             properties { topic_alias: 1 }
           }
         }
       }
       action {
         client: 0
         packet {
           publish {
             topic: ""
             payload: "2"
             properties { topic_alias: 1 }
           }
         }
       }
       action {
         client: 0
         packet { publish { topic: "shared/x" payload: "3" } }
       }
       action {
         client: 0
         packet { publish { topic: "shared/x" payload: "4" } }
       }
       action {
         client: 0
         packet {
           publish {
             topic: "shared/big"
             payload: "0123456789"
             payload_repeat: 30
           }
         }
       }
       action {
         client: 1
         packet { connect {} }
       }
       action {
         client: 1
         packet {
           subscribe {
             subscription { filter: "shared/a" }
             subscription { filter: "shared/b" }
             subscription { filter: "shared/c" }
           }
         }
       }
       action {
         client: 1
         packet {
           publish {
             topic: "shared/a"
             payload: "x"
             properties { topic_alias: 3 }
           }
         }
       }
     )pb"},
    {"version-311-and-flow-control", R"pb(
       clients: 2
       limit { limit: RECEIVE_MAXIMUM value: 2 }
       action {
         client: 0
         packet { connect { version: MQTT_3_1_1 clean_start: true } }
       }
       action {
         client: 0
         packet { subscribe { subscription { filter: "shared/#" qos: 1 } } }
       }
       action {
         client: 1
         packet { connect { properties { receive_maximum: 1 } } }
       }
       action {
         client: 1
         packet { subscribe { subscription { filter: "shared/#" qos: 1 } } }
       }
       action { client: 0 write_blocked: true }
       action {
         client: 1
         packet { publish { topic: "shared/1" qos: 1 payload: "a" } }
       }
       action {
         client: 1
         packet { publish { topic: "shared/2" qos: 1 payload: "b" } }
       }
       action {
         client: 1
         packet { publish { topic: "shared/3" qos: 1 payload: "c" } }
       }
       action { client: 0 write_blocked: false }
       action {
         client: 0
         packet { publish_response {} }
       }
       action {
         client: 1
         packet { publish_response { packet_id: 1 } }
       }
       action {
         client: 0
         packet { disconnect {} }
       }
     )pb"},
    {"refused-connects", R"pb(
       clients: 3
       action {
         client: 0
         packet { connect { username_source: USERNAME_ABSENT } }
       }
       action {
         client: 1
         packet { connect { protocol_level: 3 protocol_name: "MQIsdp" } }
       }
       action {
         client: 2
         packet {
           connect { username_source: USERNAME_GIVEN username: "nobody" }
         }
       }
       action {
         client: 0
         packet { connect { empty_client_id: true } }
       }
       action {
         client: 1
         packet { connect { client_id: "x" client_id_repeat: 200 } }
       }
       action {
         client: 2
         packet {
           connect {
             keep_alive: 65535
             properties { authentication_method: "m" }
           }
         }
       }
       action { client: 0 raw: "\x10\x00" }
       action {
         client: 0
         packet { pingreq {} }
       }
     )pb"},
};

std::string Binary(const google::protobuf::Message& message) {
  std::string bytes;
  MQLAB_CHECK(message.SerializeToString(&bytes));
  return bytes;
}

template <typename T>
T Parse(std::string_view text) {
  T message;
  MQLAB_CHECK_MSG(google::protobuf::TextFormat::ParseFromString(
                      std::string(text), &message),
                  "a seed of tools/proto_corpora.cc does not parse");
  return message;
}

}  // namespace

std::vector<ProtoCorpusFile> MakeProtoCorpora() {
  std::vector<ProtoCorpusFile> files;
  for (const char* version : {"v5", "v311"}) {
    const fuzz::ProtocolVersion level =
        std::string_view(version) == "v5" ? fuzz::MQTT_5 : fuzz::MQTT_3_1_1;
    for (const Named& packet : kPackets) {
      fuzz::CodecStream stream;
      stream.set_version(level);
      *stream.add_packet() = Parse<fuzz::Packet>(packet.text);
      files.push_back(
          {"codec_proto",
           std::string(version) + "-" + std::string(packet.name) + ".pb",
           Binary(stream)});
    }
    // A whole session's packets in one stream, split twice.
    fuzz::CodecStream session;
    session.set_version(level);
    for (const Named& packet : kPackets) {
      *session.add_packet() = Parse<fuzz::Packet>(packet.text);
    }
    session.add_split(7);
    session.add_split(100);
    files.push_back({"codec_proto", std::string(version) + "-session-split.pb",
                     Binary(session)});
  }
  for (const Named& fault : kFaults) {
    fuzz::CodecStream stream;
    fuzz::Packet* packet = stream.add_packet();
    *packet = Parse<fuzz::Packet>(
        "publish { topic: 'shared/a' qos: 1 payload: 'p' }");
    packet->MergeFrom(Parse<fuzz::Packet>(fault.text));
    files.push_back({"codec_proto",
                     "v5-wrong-" + std::string(fault.name) + ".pb",
                     Binary(stream)});
  }
  for (const Named& session : kSessions) {
    files.push_back({"broker_session", std::string(session.name) + ".pb",
                     Binary(Parse<fuzz::Session>(session.text))});
  }
  return files;
}

}  // namespace mqlab::tools
