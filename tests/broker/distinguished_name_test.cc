#include "broker/distinguished_name.h"

#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mqlab::broker {
namespace {

using ::testing::Optional;

TEST(DistinguishedNameTest, FindsTheCommonName) {
  EXPECT_THAT(CommonNameOf("CN=vehicle01"), Optional(std::string("vehicle01")));
  EXPECT_THAT(CommonNameOf("CN=vehicle01,O=Contoso,C=NL"),
              Optional(std::string("vehicle01")));
  EXPECT_THAT(CommonNameOf("C=NL,O=Contoso,CN=vehicle01"),
              Optional(std::string("vehicle01")));
  EXPECT_THAT(CommonNameOf("cn=lower"), Optional(std::string("lower")));
  EXPECT_THAT(CommonNameOf("2.5.4.3=by-oid"), Optional(std::string("by-oid")));
  EXPECT_THAT(CommonNameOf("OU=a+CN=multi,O=b"),
              Optional(std::string("multi")));
}

TEST(DistinguishedNameTest, TheFirstCommonNameWins) {
  EXPECT_THAT(CommonNameOf("CN=leaf,CN=parent"), Optional(std::string("leaf")));
}

TEST(DistinguishedNameTest, UnescapesValues) {
  EXPECT_THAT(CommonNameOf("CN=Contoso\\, Ltd,O=x"),
              Optional(std::string("Contoso, Ltd")));
  EXPECT_THAT(CommonNameOf("CN=a\\2Bb"), Optional(std::string("a+b")));
  EXPECT_THAT(CommonNameOf("CN=caf\\C3\\A9"), Optional(std::string("café")));
  EXPECT_THAT(CommonNameOf("CN=\\#hash"), Optional(std::string("#hash")));
  EXPECT_THAT(CommonNameOf("O=x\\,CN=y"), std::nullopt);
}

TEST(DistinguishedNameTest, NoCommonName) {
  EXPECT_EQ(CommonNameOf(""), std::nullopt);
  EXPECT_EQ(CommonNameOf("O=Contoso,C=NL"), std::nullopt);
  EXPECT_EQ(CommonNameOf("vehicle01"), std::nullopt);
  EXPECT_EQ(CommonNameOf("CN=#04024869"), std::nullopt);  // Hex BER form.
  EXPECT_EQ(CommonNameOf("CN=dangling\\"), std::nullopt);
}

}  // namespace
}  // namespace mqlab::broker
