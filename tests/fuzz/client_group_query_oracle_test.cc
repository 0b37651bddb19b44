// The client_group_query oracle: canonical printing round-trips, and a
// printer that loses information is reported.
#include "fuzz/client_group_query_oracle.h"

#include <string>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mqlab::fuzz {
namespace {

using broker::ClientGroupQuery;
using ::testing::HasSubstr;

std::string Canonical(const ClientGroupQuery& query) {
  return query.ToCanonicalText();
}

TEST(ClientGroupQueryOracleTest, CanonicalTextRoundTrips) {
  for (const char* text : {
           "attributes.type = \"vehicle\" or attributes.type <> 'drone'",
           "(attributes.a = 1 or attributes.b = 2) and attributes.c >= -3",
           "(attributes.a = 1 and attributes.b = 2) and attributes.c = 3",
           "((attributes.a = 1 or attributes.b = 2)) or attributes.c < 0",
           "authenticationName IN ['it''s', \"say \"\"hi\"\"\"]",
           "attributes.x <= -9223372036854775808",
           "not a query",
       }) {
    EXPECT_EQ(CheckQueryRoundTrip(text, Canonical), std::nullopt) << text;
  }
}

TEST(ClientGroupQueryOracleTest, ReportsAPrinterThatChangesTheTree) {
  const auto without_parentheses = [](const ClientGroupQuery& query) {
    return absl::StrReplaceAll(query.ToCanonicalText(), {{"(", ""}, {")", ""}});
  };
  EXPECT_THAT(CheckQueryRoundTrip(
                  "attributes.a = 1 and (attributes.b = 2 or attributes.c = 3)",
                  without_parentheses)
                  .value_or(""),
              HasSubstr("parses into another tree"));
}

TEST(ClientGroupQueryOracleTest, ReportsAPrinterWhoseTextDoesNotParse) {
  const auto unquoted = [](const ClientGroupQuery& query) {
    return absl::StrReplaceAll(query.ToCanonicalText(), {{"'", ""}});
  };
  EXPECT_THAT(
      CheckQueryRoundTrip("attributes.type = 'drone'", unquoted).value_or(""),
      HasSubstr("does not parse"));
}

}  // namespace
}  // namespace mqlab::fuzz
