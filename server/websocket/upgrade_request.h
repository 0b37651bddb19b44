// The server side of RFC 6455's opening handshake: an HTTP/1.1 GET request
// read incrementally (split at any byte) with Debian's libhttp-parser, judged
// against what an MQTT-over-WebSockets endpoint needs, and answered with
// "101 Switching Protocols" or a refusal that says what was expected.
//
// What is required (MQTT 5.0 chapter 6 / MQTT 3.1.1 chapter 6, RFC 6455
// section 4.2.1): GET, HTTP/1.1 or later, the endpoint's path (the query is
// ignored), Host, "Upgrade: websocket", "Connection: Upgrade",
// "Sec-WebSocket-Version: 13", a Sec-WebSocket-Key of 16 base64 bytes, no
// body, and a Sec-WebSocket-Protocol list that offers "mqtt" (or "mqttv3.1",
// which MQTT 3.1 era clients send); the first of those the client lists is
// echoed back. Refusals: 400 Bad Request, 404 Not Found (another path), 426
// Upgrade Required (no WebSocket upgrade asked for, or another version) and
// 431 Request Header Fields Too Large (the request does not end within the
// size bound).
#ifndef MQLAB_SERVER_WEBSOCKET_UPGRADE_REQUEST_H_
#define MQLAB_SERVER_WEBSOCKET_UPGRADE_REQUEST_H_

#include <http_parser.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace mqlab::server::websocket {

class UpgradeRequest {
 public:
  enum class Status {
    kNeedMore,  // The request's header has not ended yet.
    kAccepted,  // response() is the 101; the WebSocket stream follows.
    kRefused,   // response() is the refusal; close after sending it.
  };

  // `path` must outlive this object. `max_request_size` bounds the request
  // line and header fields together, in bytes.
  UpgradeRequest(std::string_view path, size_t max_request_size);
  UpgradeRequest(const UpgradeRequest&) = delete;
  UpgradeRequest& operator=(const UpgradeRequest&) = delete;

  // Consumes bytes from the front of *input up to the end of the request's
  // header; bytes after it (the client's first frames) stay in *input. Only
  // while the status is kNeedMore.
  Status Feed(std::span<const uint8_t>* input);

  Status status() const { return status_; }
  // The HTTP response to send (kAccepted or kRefused).
  const std::string& response() const { return response_; }
  // 101, or the refusal's status code; 0 while kNeedMore.
  int status_code() const { return status_code_; }
  // Why the request was refused, naming what was expected.
  const std::string& refusal() const { return refusal_; }
  // Bytes the request took (all of it once accepted or refused).
  size_t request_size() const { return consumed_; }
  // The subprotocol echoed in the 101 ("mqtt" or "mqttv3.1").
  std::string_view subprotocol() const { return subprotocol_; }

 private:
  static int OnUrl(http_parser* parser, const char* at, size_t length);
  static int OnHeaderField(http_parser* parser, const char* at, size_t length);
  static int OnHeaderValue(http_parser* parser, const char* at, size_t length);
  static int OnHeadersComplete(http_parser* parser);

  // Takes in the header field last read in full.
  void EndHeaderField();
  // Judges the complete request: sets status_ and response_.
  void Decide();
  void Accept();
  void Refuse(int status_code, std::string refusal);

  std::string_view path_;
  size_t max_request_size_;
  http_parser parser_;
  size_t consumed_ = 0;
  Status status_ = Status::kNeedMore;
  bool headers_complete_ = false;

  // The request as read so far.
  std::string url_;
  std::string field_;
  std::string value_;
  bool reading_value_ = false;
  bool has_host_ = false;
  bool has_transfer_encoding_ = false;
  bool upgrade_websocket_ = false;
  bool connection_upgrade_ = false;
  int key_count_ = 0;
  std::string key_;
  std::string version_;
  std::string subprotocol_;

  int status_code_ = 0;
  std::string response_;
  std::string refusal_;
};

}  // namespace mqlab::server::websocket

#endif  // MQLAB_SERVER_WEBSOCKET_UPGRADE_REQUEST_H_
