#include "server/websocket/accept_key.h"

#include <openssl/base64.h>
#include <openssl/sha.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/check.h"

namespace mqlab::server::websocket {
namespace {

// RFC 6455 section 1.3: the GUID appended to the key before hashing.
constexpr std::string_view kHandshakeGuid =
    "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

}  // namespace

bool IsValidWebSocketKey(std::string_view key) {
  // 16 bytes encode to 24 characters, the last two "==" padding.
  if (key.size() != 24) return false;
  uint8_t decoded[18];
  size_t decoded_size = 0;
  return EVP_DecodeBase64(decoded, &decoded_size, sizeof(decoded),
                          reinterpret_cast<const uint8_t*>(key.data()),
                          key.size()) == 1 &&
         decoded_size == 16;
}

std::string WebSocketAccept(std::string_view key) {
  SHA_CTX sha;
  SHA1_Init(&sha);
  SHA1_Update(&sha, key.data(), key.size());
  SHA1_Update(&sha, kHandshakeGuid.data(), kHandshakeGuid.size());
  uint8_t digest[SHA_DIGEST_LENGTH];
  SHA1_Final(digest, &sha);
  // 20 bytes encode to 28 characters; EVP_EncodeBlock adds a NUL.
  uint8_t encoded[29];
  const size_t size = EVP_EncodeBlock(encoded, digest, sizeof(digest));
  MQLAB_CHECK(size == 28);
  return std::string(reinterpret_cast<const char*>(encoded), size);
}

}  // namespace mqlab::server::websocket
