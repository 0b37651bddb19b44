// Whether one MQTT topic filter covers another: the subset relation that
// decides subscribe authorization ("a SUBSCRIBE filter is allowed only if it
// is covered by an expanded template of a Subscriber binding").
#ifndef MQLAB_BROKER_FILTER_COVERAGE_H_
#define MQLAB_BROKER_FILTER_COVERAGE_H_

#include <string_view>

namespace mqlab::broker {

// True when every topic name that `inner` matches is also matched by `outer`
// (inner ⊆ outer), with MQTT's matching rules: `+` matches exactly one level,
// `#` matches the parent level and any number of levels below it, and
// wildcards in the first level do not match topic names starting with '$'
// [MQTT-4.7.2-1]. So `vehicles/+/position` is covered by `vehicles/#`,
// `vehicles` is covered by `vehicles/#`, `vehicles/#` is not covered by
// `vehicles/+/position`, and `$SYS/x` is not covered by `#`.
//
// Both filters must be valid (wildcards only as whole levels, `#` last); the
// relation is over all topic names, ignoring length limits.
bool FilterCovers(std::string_view outer, std::string_view inner);

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_FILTER_COVERAGE_H_
