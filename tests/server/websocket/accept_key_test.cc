#include "server/websocket/accept_key.h"

#include "gtest/gtest.h"
#include "server/websocket/testing/client_frames.h"

namespace mqlab::server::websocket {
namespace {

TEST(AcceptKeyTest, Rfc6455Example) {
  // RFC 6455 section 1.3.
  EXPECT_EQ(WebSocketAccept(testing::kExampleKey), testing::kExampleAccept);
}

TEST(AcceptKeyTest, KeyMustBeSixteenBase64Bytes) {
  EXPECT_TRUE(IsValidWebSocketKey(testing::kExampleKey));
  EXPECT_FALSE(IsValidWebSocketKey(""));
  // 15 bytes, 17 bytes, not base64.
  EXPECT_FALSE(IsValidWebSocketKey("dGhlIHNhbXBsZSBub25j"));
  EXPECT_FALSE(IsValidWebSocketKey("dGhlIHNhbXBsZSBub25jZTE="));
  EXPECT_FALSE(IsValidWebSocketKey("dGhlIHNhbXBsZSBub25jZQ!!"));
}

}  // namespace
}  // namespace mqlab::server::websocket
