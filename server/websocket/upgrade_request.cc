#include "server/websocket/upgrade_request.h"

#include <http_parser.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/check.h"
#include "server/websocket/accept_key.h"

namespace mqlab::server::websocket {
namespace {

// The subprotocols an MQTT endpoint speaks: "mqtt" (MQTT 5.0 and 3.1.1,
// [MQTT-6.0.0-3]) and "mqttv3.1", which MQTT 3.1 era clients offer.
constexpr std::string_view kSubprotocols[] = {"mqtt", "mqttv3.1"};

// Header field names and these tokens are ASCII and case-insensitive.
bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](unsigned char x, unsigned char y) {
                      return std::tolower(x) == std::tolower(y);
                    });
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

// Calls `visit` with each trimmed, non-empty element of a comma-separated
// header value (RFC 9110 section 5.6.1).
template <typename Visit>
void ForEachListElement(std::string_view value, Visit visit) {
  while (true) {
    const size_t comma = value.find(',');
    const std::string_view element = Trim(value.substr(0, comma));
    if (!element.empty()) visit(element);
    if (comma == std::string_view::npos) return;
    value.remove_prefix(comma + 1);
  }
}

std::string_view ReasonPhrase(int status_code) {
  switch (status_code) {
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 426:
      return "Upgrade Required";
    case 431:
      return "Request Header Fields Too Large";
  }
  MQLAB_CHECK_MSG(false, "a refusal's status code has a reason phrase");
  return "";
}

UpgradeRequest* Self(http_parser* parser) {
  return static_cast<UpgradeRequest*>(parser->data);
}

}  // namespace

UpgradeRequest::UpgradeRequest(std::string_view path, size_t max_request_size)
    : path_(path), max_request_size_(max_request_size) {
  http_parser_init(&parser_, HTTP_REQUEST);
  parser_.data = this;
}

int UpgradeRequest::OnUrl(http_parser* parser, const char* at, size_t length) {
  Self(parser)->url_.append(at, length);
  return 0;
}

int UpgradeRequest::OnHeaderField(http_parser* parser, const char* at,
                                  size_t length) {
  UpgradeRequest* self = Self(parser);
  if (self->reading_value_) self->EndHeaderField();
  self->field_.append(at, length);
  return 0;
}

int UpgradeRequest::OnHeaderValue(http_parser* parser, const char* at,
                                  size_t length) {
  UpgradeRequest* self = Self(parser);
  self->reading_value_ = true;
  self->value_.append(at, length);
  return 0;
}

int UpgradeRequest::OnHeadersComplete(http_parser* parser) {
  UpgradeRequest* self = Self(parser);
  if (self->reading_value_ || !self->field_.empty()) self->EndHeaderField();
  self->headers_complete_ = true;
  // 2: no body, and the parser stops at the end of the header (what follows
  // is the WebSocket stream).
  return 2;
}

void UpgradeRequest::EndHeaderField() {
  const std::string_view field = field_;
  const std::string_view value = Trim(value_);
  if (EqualsIgnoringCase(field, "host")) {
    has_host_ = true;
  } else if (EqualsIgnoringCase(field, "transfer-encoding")) {
    has_transfer_encoding_ = true;
  } else if (EqualsIgnoringCase(field, "upgrade")) {
    ForEachListElement(value, [this](std::string_view protocol) {
      if (EqualsIgnoringCase(protocol, "websocket")) upgrade_websocket_ = true;
    });
  } else if (EqualsIgnoringCase(field, "connection")) {
    ForEachListElement(value, [this](std::string_view option) {
      if (EqualsIgnoringCase(option, "upgrade")) connection_upgrade_ = true;
    });
  } else if (EqualsIgnoringCase(field, "sec-websocket-key")) {
    ++key_count_;
    key_ = value;
  } else if (EqualsIgnoringCase(field, "sec-websocket-version")) {
    version_ = value;
  } else if (EqualsIgnoringCase(field, "sec-websocket-protocol")) {
    ForEachListElement(value, [this](std::string_view offered) {
      if (!subprotocol_.empty()) return;
      for (std::string_view supported : kSubprotocols) {
        if (offered == supported) subprotocol_ = supported;
      }
    });
  }
  field_.clear();
  value_.clear();
  reading_value_ = false;
}

UpgradeRequest::Status UpgradeRequest::Feed(std::span<const uint8_t>* input) {
  MQLAB_CHECK(status_ == Status::kNeedMore);
  static const http_parser_settings kSettings = [] {
    http_parser_settings settings;
    http_parser_settings_init(&settings);
    settings.on_url = &UpgradeRequest::OnUrl;
    settings.on_header_field = &UpgradeRequest::OnHeaderField;
    settings.on_header_value = &UpgradeRequest::OnHeaderValue;
    settings.on_headers_complete = &UpgradeRequest::OnHeadersComplete;
    return settings;
  }();
  if (input->empty()) return status_;  // A zero length would mean EOF.
  const size_t room = max_request_size_ - consumed_;
  const size_t offered = std::min(input->size(), room);
  const size_t parsed = http_parser_execute(
      &parser_, &kSettings, reinterpret_cast<const char*>(input->data()),
      offered);
  consumed_ += parsed;
  const bool ends_in_line_feed = parsed > 0 && (*input)[parsed - 1] == '\n';
  *input = input->subspan(parsed);
  if (headers_complete_ && !ends_in_line_feed) {
    // Debian builds libhttp-parser without HTTP_PARSER_STRICT: it takes CR
    // and any byte as the header's end (found by the ws_upgrade fuzzer).
    Refuse(400, "malformed HTTP request: the header must end in CRLF CRLF");
  } else if (headers_complete_) {
    Decide();
  } else if (HTTP_PARSER_ERRNO(&parser_) != HPE_OK) {
    Refuse(400, std::string("malformed HTTP request: ") +
                    http_errno_description(HTTP_PARSER_ERRNO(&parser_)));
  } else if (consumed_ == max_request_size_) {
    Refuse(431, "the request line and header fields exceed " +
                    std::to_string(max_request_size_) + " bytes");
  }
  return status_;
}

void UpgradeRequest::Decide() {
  if (parser_.method != HTTP_GET) {
    return Refuse(
        400, std::string("expected a GET request, not ") +
                 http_method_str(static_cast<http_method>(parser_.method)));
  }
  if (parser_.http_major != 1 || parser_.http_minor < 1) {
    return Refuse(400, "expected HTTP/1.1");
  }
  // The parser leaves content_length at ULLONG_MAX without Content-Length.
  if (has_transfer_encoding_ ||
      (parser_.content_length != 0 && parser_.content_length != ULLONG_MAX)) {
    return Refuse(400, "expected no body (Content-Length, Transfer-Encoding)");
  }
  http_parser_url url;
  http_parser_url_init(&url);
  if (http_parser_parse_url(url_.data(), url_.size(), 0, &url) != 0 ||
      (url.field_set & (1 << UF_PATH)) == 0) {
    return Refuse(400, "expected a request target with a path");
  }
  const std::string_view path(url_.data() + url.field_data[UF_PATH].off,
                              url.field_data[UF_PATH].len);
  if (path != path_) {
    return Refuse(404, "the MQTT endpoint is " + std::string(path_));
  }
  if (!has_host_) return Refuse(400, "expected a Host header field");
  if (!upgrade_websocket_) {
    return Refuse(426, "expected \"Upgrade: websocket\"");
  }
  if (!connection_upgrade_) {
    return Refuse(400, "expected \"Connection: Upgrade\"");
  }
  if (version_ != "13") {
    return Refuse(426, "expected \"Sec-WebSocket-Version: 13\"");
  }
  if (key_count_ != 1 || !IsValidWebSocketKey(key_)) {
    return Refuse(400,
                  "expected one Sec-WebSocket-Key of 16 base64-encoded bytes");
  }
  if (subprotocol_.empty()) {
    return Refuse(400,
                  "expected \"Sec-WebSocket-Protocol: mqtt\" (or mqttv3.1)");
  }
  Accept();
}

void UpgradeRequest::Accept() {
  status_ = Status::kAccepted;
  status_code_ = 101;
  response_ =
      "HTTP/1.1 101 Switching Protocols\r\n"
      "Upgrade: websocket\r\n"
      "Connection: Upgrade\r\n"
      "Sec-WebSocket-Accept: " +
      WebSocketAccept(key_) +
      "\r\n"
      "Sec-WebSocket-Protocol: " +
      subprotocol_ + "\r\n\r\n";
}

void UpgradeRequest::Refuse(int status_code, std::string refusal) {
  status_ = Status::kRefused;
  status_code_ = status_code;
  refusal_ = std::move(refusal);
  const std::string body = refusal_ + "\n";
  response_ = "HTTP/1.1 " + std::to_string(status_code) + " " +
              std::string(ReasonPhrase(status_code)) +
              "\r\n"
              "Connection: close\r\n";
  if (status_code == 426) {
    // RFC 9110 section 15.5.22 and RFC 6455 section 4.4: say what to use.
    response_ +=
        "Upgrade: websocket\r\n"
        "Sec-WebSocket-Version: 13\r\n";
  }
  response_ +=
      "Content-Type: text/plain; charset=utf-8\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace mqlab::server::websocket
