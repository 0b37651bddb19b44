#include "mqtt/topic.h"

#include <string>

#include "gtest/gtest.h"

namespace mqlab::mqtt {
namespace {

TEST(TopicTest, ValidNames) {
  for (const char* name : {"a", "/", "a/b/c", "vehicles/vehicle01/position",
                           "$SYS/x", "a//b", " "}) {
    EXPECT_EQ(TopicNameViolation(name), "") << name;
  }
}

TEST(TopicTest, Mqtt_4_7_3_1_EmptyNameAndFilterAreInvalid) {
  EXPECT_TRUE(TopicNameViolation("").starts_with("[MQTT-4.7.3-1]"));
  EXPECT_TRUE(TopicFilterViolation("").starts_with("[MQTT-4.7.3-1]"));
}

TEST(TopicTest, Mqtt_3_3_2_2_NoWildcardsInNames) {
  EXPECT_TRUE(TopicNameViolation("a/+").starts_with("[MQTT-3.3.2-2]"));
  EXPECT_TRUE(TopicNameViolation("a/#").starts_with("[MQTT-3.3.2-2]"));
  EXPECT_TRUE(TopicNameViolation("a#b").starts_with("[MQTT-3.3.2-2]"));
}

TEST(TopicTest, Mqtt_4_7_3_2_NoNullCharacter) {
  EXPECT_TRUE(
      TopicNameViolation(std::string("a\0b", 3)).starts_with("[MQTT-4.7.3-2]"));
  EXPECT_TRUE(TopicFilterViolation(std::string("a\0b", 3))
                  .starts_with("[MQTT-4.7.3-2]"));
}

// The word-at-a-time scans (TopicNameViolation, and the decoder's plain
// topic test) must see a wildcard or U+0000 at every position of names of
// every length, and let other bytes through.
TEST(TopicTest, EveryLengthAndPositionOfAWildcardOrNull) {
  for (size_t size = 1; size <= 40; ++size) {
    const std::string plain(size, 'a');
    EXPECT_EQ(TopicNameViolation(plain), "") << size;
    EXPECT_TRUE(internal::IsPlainTopicName(plain)) << size;
    for (size_t at = 0; at < size; ++at) {
      for (const char bad : {'+', '#', '\0'}) {
        std::string name = plain;
        name[at] = bad;
        EXPECT_NE(TopicNameViolation(name), "") << size << " " << at;
        EXPECT_FALSE(internal::IsPlainTopicName(name)) << size << " " << at;
      }
      for (const char good : {'/', '$', '*', '\x01', '\x7f', '\x2a', '\x3b'}) {
        std::string name = plain;
        name[at] = good;
        EXPECT_EQ(TopicNameViolation(name), "") << size << " " << at;
        EXPECT_TRUE(internal::IsPlainTopicName(name)) << size << " " << at;
      }
      std::string name = plain;
      name[at] = '\xc3';  // Not ASCII: not plain, yet no topic rule broken.
      EXPECT_EQ(TopicNameViolation(name), "") << size << " " << at;
      EXPECT_FALSE(internal::IsPlainTopicName(name)) << size << " " << at;
    }
  }
  EXPECT_FALSE(internal::IsPlainTopicName(""));
  EXPECT_FALSE(internal::IsPlainTopicName(std::string(65'536, 'a')));
}

TEST(TopicTest, Mqtt_4_7_3_3_AtMost65535Bytes) {
  EXPECT_EQ(TopicNameViolation(std::string(65'535, 'a')), "");
  EXPECT_TRUE(TopicNameViolation(std::string(65'536, 'a'))
                  .starts_with("[MQTT-4.7.3-3]"));
}

TEST(TopicTest, ValidFilters) {
  for (const char* filter : {"#", "+", "+/+", "a/#", "a/+/c", "/+", "+/",
                             "a//#", "$share/g/a/#", "sport/tennis/+"}) {
    EXPECT_EQ(TopicFilterViolation(filter), "") << filter;
  }
}

TEST(TopicTest, Mqtt_4_7_1_1_MultiLevelWildcardIsWholeAndLast) {
  for (const char* filter : {"a#", "a/#/b", "#/", "a/b#", "##"}) {
    EXPECT_TRUE(TopicFilterViolation(filter).starts_with("[MQTT-4.7.1-1]"))
        << filter;
  }
}

TEST(TopicTest, Mqtt_4_7_1_2_SingleLevelWildcardIsWhole) {
  for (const char* filter : {"a+", "+a", "a/b+/c", "++"}) {
    EXPECT_TRUE(TopicFilterViolation(filter).starts_with("[MQTT-4.7.1-2]"))
        << filter;
  }
}

TEST(TopicTest, Mqtt_4_8_2_SharedSubscriptionSyntax) {
  EXPECT_EQ(SharedSubscriptionViolation("a/b"), "");
  EXPECT_EQ(SharedSubscriptionViolation("$share/group/a/+"), "");
  EXPECT_TRUE(
      SharedSubscriptionViolation("$share//a").starts_with("[MQTT-4.8.2-1]"));
  EXPECT_TRUE(
      SharedSubscriptionViolation("$share/g+/a").starts_with("[MQTT-4.8.2-2]"));
  EXPECT_TRUE(SharedSubscriptionViolation("$share/group")
                  .starts_with("[MQTT-4.8.2-2]"));
  EXPECT_TRUE(SharedSubscriptionViolation("$share/group/")
                  .starts_with("[MQTT-4.8.2-2]"));
  const auto parsed = ParseSharedSubscription("$share/group/a/+");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->share_name, "group");
  EXPECT_EQ(parsed->topic_filter, "a/+");
  EXPECT_FALSE(ParseSharedSubscription("a/b").has_value());
  EXPECT_TRUE(IsSharedSubscriptionFilter("$share/g/x"));
  EXPECT_FALSE(IsSharedSubscriptionFilter("$sharex/g/x"));
}

TEST(TopicTest, LevelCount) {
  EXPECT_EQ(TopicLevelCount(""), 1u);
  EXPECT_EQ(TopicLevelCount("a"), 1u);
  EXPECT_EQ(TopicLevelCount("a/"), 2u);
  EXPECT_EQ(TopicLevelCount("a/b/c"), 3u);
  EXPECT_EQ(TopicLevelCount("/"), 2u);
}

TEST(TopicTest, Matching) {
  const struct {
    const char* filter;
    const char* name;
    bool matches;
  } kCases[] = {
      // Examples of MQTT 5.0 section 4.7.1.
      {"sport/tennis/player1/#", "sport/tennis/player1", true},
      {"sport/tennis/player1/#", "sport/tennis/player1/ranking", true},
      {"sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true},
      {"sport/#", "sport", true},
      {"sport/tennis/+", "sport/tennis/player1", true},
      {"sport/tennis/+", "sport/tennis/player1/ranking", false},
      {"sport/+", "sport", false},
      {"sport/+", "sport/", true},
      {"+/+", "/finance", true},
      {"/+", "/finance", true},
      {"+", "/finance", false},
      {"#", "a/b/c", true},
      {"+/tennis/#", "sport/tennis", true},
      {"a/b", "a/b", true},
      {"a/b", "a/b/c", false},
      {"a/b/c", "a/b", false},
      {"a/+/c", "a//c", true},
      {"vehicles/+/position", "vehicles/vehicle01/position", true},
      // [MQTT-4.7.2-1]: wildcards at the first level skip '$' topics.
      {"#", "$SYS/monitor/Clients", false},
      {"+/monitor/Clients", "$SYS/monitor/Clients", false},
      {"$SYS/#", "$SYS/monitor/Clients", true},
      {"$SYS/monitor/+", "$SYS/monitor/Clients", true},
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(TopicMatches(c.filter, c.name), c.matches)
        << c.filter << " vs " << c.name;
  }
}

}  // namespace
}  // namespace mqlab::mqtt
