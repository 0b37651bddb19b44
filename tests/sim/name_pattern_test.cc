#include "sim/name_pattern.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace mqlab::sim {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;

const PlaceholderSet kAll = {Placeholder::kIndex,      Placeholder::kNumber,
                             Placeholder::kPopulation, Placeholder::kAuth,
                             Placeholder::kSession,    Placeholder::kTarget};

TEST(NamePatternTest, ExpandsEveryPlaceholder) {
  const PatternValues values{.index = 6,
                             .population = "fleet",
                             .auth = "vehicle007",
                             .session = 2,
                             .target = "vehicle003"};
  EXPECT_EQ(ExpandPattern("vehicle{index:03}", values), "vehicle006");
  EXPECT_EQ(ExpandPattern("vehicle{number:02}", values), "vehicle07");
  EXPECT_EQ(ExpandPattern("{auth}-session{session}", values),
            "vehicle007-session2");
  EXPECT_EQ(ExpandPattern("Mgmt-Session{session_number}", values),
            "Mgmt-Session3");
  EXPECT_EQ(ExpandPattern("{population}/{index}", values), "fleet/6");
  EXPECT_EQ(ExpandPattern("vehicles/{target}/commands/unlock/request", values),
            "vehicles/vehicle003/commands/unlock/request");
  EXPECT_EQ(ExpandPattern("plain/+/#", values), "plain/+/#");
  EXPECT_EQ(ExpandPattern("{{literal}}", values), "{literal}");
  EXPECT_EQ(ExpandPattern("{index:02}", PatternValues{.index = 1234}), "1234");
}

TEST(NamePatternTest, ChecksPlaceholdersAgainstWhatTheFieldAllows) {
  const PlaceholderSet names = {Placeholder::kIndex, Placeholder::kNumber};
  EXPECT_EQ(CheckPattern("vehicle{index:03}", names), std::nullopt);
  EXPECT_THAT(CheckPattern("{auth}-x", names),
              Optional(HasSubstr("{auth} is not allowed here")));
  EXPECT_THAT(CheckPattern("{idx}", kAll),
              Optional(HasSubstr("unknown placeholder {idx}")));
}

TEST(NamePatternTest, RefusesMalformedPatterns) {
  EXPECT_THAT(CheckPattern("vehicle{index", kAll),
              Optional(HasSubstr("never closed")));
  EXPECT_THAT(CheckPattern("a}b", kAll), Optional(HasSubstr("lone '}'")));
  EXPECT_THAT(CheckPattern("{auth:03}", kAll),
              Optional(HasSubstr("take a width")));
  EXPECT_THAT(CheckPattern("{index:3}", kAll),
              Optional(HasSubstr("take a width")));
  EXPECT_THAT(CheckPattern("{index:0x}", kAll),
              Optional(HasSubstr("take a width")));
  EXPECT_THAT(CheckPattern("{index:099}", kAll), Optional(HasSubstr("width")));
}

TEST(NamePatternTest, TellsWhichPlaceholdersAreUsed) {
  EXPECT_TRUE(PatternUses("{auth}-{session}", Placeholder::kSession));
  EXPECT_FALSE(PatternUses("{auth}", Placeholder::kSession));
  EXPECT_TRUE(PatternUses("v{index:03}", Placeholder::kIndex));
  EXPECT_FALSE(PatternUses("{{index}}", Placeholder::kIndex));
}

}  // namespace
}  // namespace mqlab::sim
