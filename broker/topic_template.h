// Topic templates: the entries of a topic space. A template is an MQTT topic
// filter (`+`, `#`) whose levels may contain the variables
// `${client.authenticationName}` and `${client.attributes.NAME}`. A variable
// may be a whole level or part of one ("machines/${client.authenticationName}
// .factory1/temp"), never more than one level. Templates are parsed once and
// expanded per client into plain topic filters.
#ifndef MQLAB_BROKER_TOPIC_TEMPLATE_H_
#define MQLAB_BROKER_TOPIC_TEMPLATE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "broker/namespace_config.h"

namespace mqlab::broker {

// Longest template text accepted, in bytes. Expanded filters are bounded by
// the topic size limit when clients use them; this bounds the text itself.
inline constexpr size_t kMaximumTopicTemplateSize = 1024;

class TopicTemplate {
 public:
  // Parses `text`. Errors (InvalidArgument) start with the 1-based byte
  // column they refer to: "column 10: '+' must be a whole level".
  static StatusOr<TopicTemplate> Parse(std::string_view text);

  // The topic filter this template grants `client`, or nullopt when it grants
  // nothing: a variable names an attribute the client lacks or whose value is
  // an array, or a value contains '/', '+', '#' or NUL. Such a value would
  // widen the grant beyond one level or turn a literal into a wildcard, so
  // the template does not apply to that client at all (rather than being
  // escaped: MQTT filters have no escape).
  std::optional<std::string> Expand(const ClientResource& client) const;

  const std::string& text() const { return text_; }
  // Levels of the filter: "a/+/#" has 3.
  size_t level_count() const { return level_count_; }
  bool has_variables() const { return has_variables_; }

 private:
  // A run of literal text (which may span levels) or one variable.
  struct Segment {
    enum class Kind { kLiteral, kAuthenticationName, kAttribute };
    Kind kind;
    std::string text;  // The literal text, or the attribute name.
  };

  TopicTemplate() = default;

  std::string text_;
  std::vector<Segment> segments_;
  size_t level_count_ = 0;
  bool has_variables_ = false;
};

}  // namespace mqlab::broker

#endif  // MQLAB_BROKER_TOPIC_TEMPLATE_H_
