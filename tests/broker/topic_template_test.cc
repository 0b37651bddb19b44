#include "broker/topic_template.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mqlab::broker {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;

ClientResource Vehicle() {
  ClientResource client;
  client.name = "vehicle01";
  client.authentication_name = "Vehicle01";
  client.attributes["area"] = std::string("north");
  client.attributes["floor"] = int64_t{3};
  client.attributes["sensors"] = std::vector<std::string>{"motion", "light"};
  client.attributes["path"] = std::string("a/b");
  client.attributes["plus"] = std::string("x+");
  client.attributes["hash"] = std::string("#");
  return client;
}

TopicTemplate Parsed(std::string_view text) {
  StatusOr<TopicTemplate> parsed = TopicTemplate::Parse(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return *std::move(parsed);
}

TEST(TopicTemplateTest, LiteralFiltersExpandToThemselves) {
  for (std::string_view text :
       {"vehicles/#", "#", "+/position", "a//b", "$SYS/x", "price$/a{b}"}) {
    const TopicTemplate parsed = Parsed(text);
    EXPECT_FALSE(parsed.has_variables()) << text;
    EXPECT_THAT(parsed.Expand(Vehicle()), Optional(std::string(text)));
  }
}

TEST(TopicTemplateTest, AuthenticationNameKeepsItsCase) {
  const TopicTemplate parsed =
      Parsed("vehicles/${client.authenticationName}/position");
  EXPECT_TRUE(parsed.has_variables());
  EXPECT_EQ(parsed.level_count(), 3u);
  EXPECT_THAT(parsed.Expand(Vehicle()),
              Optional(std::string("vehicles/Vehicle01/position")));
}

TEST(TopicTemplateTest, VariablesMayBePartOfALevel) {
  EXPECT_THAT(Parsed("machines/${client.authenticationName}.factory1/temp")
                  .Expand(Vehicle()),
              Optional(std::string("machines/Vehicle01.factory1/temp")));
  EXPECT_THAT(
      Parsed("areas/${client.attributes.area}-${client.attributes.floor}/+")
          .Expand(Vehicle()),
      Optional(std::string("areas/north-3/+")));
}

TEST(TopicTemplateTest, IntegerAttributesExpandInDecimal) {
  EXPECT_THAT(Parsed("floors/${client.attributes.floor}/#").Expand(Vehicle()),
              Optional(std::string("floors/3/#")));
}

TEST(TopicTemplateTest, DoesNotApplyWithoutAUsableValue) {
  const ClientResource client = Vehicle();
  // Missing attribute.
  EXPECT_EQ(Parsed("a/${client.attributes.zone}").Expand(client), std::nullopt);
  // Arrays name no single level.
  EXPECT_EQ(Parsed("a/${client.attributes.sensors}").Expand(client),
            std::nullopt);
  // Values that would span levels or become wildcards.
  EXPECT_EQ(Parsed("a/${client.attributes.path}").Expand(client), std::nullopt);
  EXPECT_EQ(Parsed("a/${client.attributes.plus}").Expand(client), std::nullopt);
  EXPECT_EQ(Parsed("a/${client.attributes.hash}").Expand(client), std::nullopt);
  ClientResource slash_name = client;
  slash_name.authentication_name = "evil/#";
  EXPECT_EQ(Parsed("a/${client.authenticationName}").Expand(slash_name),
            std::nullopt);
}

struct BadTemplate {
  std::string text;
  std::string error;
};

TEST(TopicTemplateTest, RejectsInvalidTemplatesWithTheColumn) {
  const BadTemplate cases[] = {
      {"", "expected a topic template, got an empty string"},
      {"a/b+", "column 4: '+' must be a whole level"},
      {"a/+b", "column 3: '+' must be a whole level"},
      {"a#", "column 2: '#' must be a whole level"},
      {"a/#/b", "column 3: '#' must be the last level"},
      {std::string("a\0b", 3), "column 2: NUL is not allowed"},
      {"x/${client.name}", "column 3: unknown variable '${client.name}'"},
      {"${client.attributes.}", "column 1: unknown variable"},
      {"${client.attributes.a-b}", "column 1: unknown variable"},
      {"a/${client.authenticationName",
       "column 3: '${' has no closing '}' in the same level"},
      {"${client.attributes.a/b}",
       "column 1: '${' has no closing '}' in the same level"},
      {std::string(kMaximumTopicTemplateSize + 1, 'a'),
       "expected at most 1024 bytes, got 1025"},
  };
  for (const BadTemplate& bad : cases) {
    StatusOr<TopicTemplate> parsed = TopicTemplate::Parse(bad.text);
    ASSERT_FALSE(parsed.ok()) << bad.text;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr(bad.error))
        << bad.text;
  }
}

}  // namespace
}  // namespace mqlab::broker
