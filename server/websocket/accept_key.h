// The Sec-WebSocket-Key / Sec-WebSocket-Accept pair of the opening handshake
// (RFC 6455 section 4.2.2): the server proves it read the client's key.
#ifndef MQLAB_SERVER_WEBSOCKET_ACCEPT_KEY_H_
#define MQLAB_SERVER_WEBSOCKET_ACCEPT_KEY_H_

#include <string>
#include <string_view>

namespace mqlab::server::websocket {

// True when `key` is the base64 encoding of 16 bytes (RFC 6455 section 4.1,
// item 7), which is what a client must send.
bool IsValidWebSocketKey(std::string_view key);

// base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
std::string WebSocketAccept(std::string_view key);

}  // namespace mqlab::server::websocket

#endif  // MQLAB_SERVER_WEBSOCKET_ACCEPT_KEY_H_
