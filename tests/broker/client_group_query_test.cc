#include "broker/client_group_query.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mqlab::broker {
namespace {

using ::testing::HasSubstr;

ClientResource Client(std::string authentication_name) {
  ClientResource client;
  client.name = authentication_name;
  client.authentication_name = std::move(authentication_name);
  return client;
}

ClientResource Sensor() {
  ClientResource client = Client("Sensor-7");
  client.attributes["type"] = std::string("home-sensors");
  client.attributes["sensors"] =
      std::vector<std::string>{"motion", "noise", "light"};
  client.attributes["floor"] = int64_t{3};
  client.attributes["room"] = std::string("345");
  return client;
}

bool Matches(std::string_view query, const ClientResource& client) {
  StatusOr<ClientGroupQuery> parsed = ClientGroupQuery::Parse(query);
  EXPECT_TRUE(parsed.ok()) << query << ": " << parsed.status();
  return parsed.ok() && parsed->Matches(client);
}

TEST(ClientGroupQueryTest, AzureSampleQueries) {
  const ClientResource sensor = Sensor();
  EXPECT_TRUE(
      Matches("(attributes.sensors = \"motion\" or attributes.sensors "
              "= \"humidity\") or attributes.type = \"home-sensors\"",
              sensor));
  EXPECT_TRUE(Matches(
      "attributes.sensors IN [\"motion\", \"humidity\", \"temperature\"] and "
      "attributes.floor <= 5",
      sensor));
  EXPECT_TRUE(Matches("authenticationName IN ['client1', 'sensor-7']", sensor));
  EXPECT_FALSE(Matches("authenticationName IN ['client1', 'client2']", sensor));
  EXPECT_TRUE(
      Matches("attributes.keyName IN ['a', 'b', 'c'] or "
              "attributes.room = '345'",
              sensor));
}

TEST(ClientGroupQueryTest, AndBindsTighterThanOr) {
  const ClientResource sensor = Sensor();
  // true or (false and false)
  EXPECT_TRUE(
      Matches("attributes.floor = 3 or attributes.floor = 4 and "
              "attributes.room = 'x'",
              sensor));
  // (true or false) and false
  EXPECT_FALSE(
      Matches("(attributes.floor = 3 or attributes.floor = 4) and "
              "attributes.room = 'x'",
              sensor));
  // (false and true) or true
  EXPECT_TRUE(
      Matches("attributes.floor = 4 and attributes.room = '345' or "
              "attributes.type = 'home-sensors'",
              sensor));
}

TEST(ClientGroupQueryTest, IntegerComparisons) {
  const ClientResource sensor = Sensor();
  EXPECT_TRUE(Matches("attributes.floor < 4", sensor));
  EXPECT_FALSE(Matches("attributes.floor < 3", sensor));
  EXPECT_TRUE(Matches("attributes.floor <= 3", sensor));
  EXPECT_TRUE(Matches("attributes.floor > -1", sensor));
  EXPECT_FALSE(Matches("attributes.floor > 3", sensor));
  EXPECT_TRUE(Matches("attributes.floor >= 3", sensor));
  EXPECT_TRUE(Matches("attributes.floor IN [1, 2, 3]", sensor));
  // A string attribute is not an integer, even when it spells one.
  EXPECT_FALSE(Matches("attributes.room >= 100", sensor));
  EXPECT_FALSE(Matches("attributes.room = 345", sensor));
  EXPECT_FALSE(Matches("attributes.floor = '3'", sensor));
}

TEST(ClientGroupQueryTest, ArraysMatchWhenAnyElementDoes) {
  const ClientResource sensor = Sensor();
  EXPECT_TRUE(Matches("attributes.sensors = 'noise'", sensor));
  EXPECT_FALSE(Matches("attributes.sensors = 'smoke'", sensor));
  EXPECT_TRUE(Matches("attributes.sensors IN ['smoke', 'light']", sensor));
  EXPECT_FALSE(Matches("attributes.sensors != 'noise'", sensor));
  EXPECT_TRUE(Matches("attributes.sensors <> 'smoke'", sensor));
  EXPECT_FALSE(Matches("attributes.sensors < 5", sensor));
}

TEST(ClientGroupQueryTest, MissingAttributesNeverMatch) {
  const ClientResource sensor = Sensor();
  EXPECT_FALSE(Matches("attributes.zone = 'a'", sensor));
  EXPECT_FALSE(Matches("attributes.zone != 'a'", sensor));
  EXPECT_FALSE(Matches("attributes.zone <> 'a'", sensor));
  EXPECT_FALSE(Matches("attributes.zone < 10", sensor));
}

TEST(ClientGroupQueryTest, StringsAreCaseSensitiveButNamesAndKeywordsAreNot) {
  const ClientResource sensor = Sensor();
  EXPECT_FALSE(Matches("attributes.type = 'HOME-SENSORS'", sensor));
  EXPECT_TRUE(Matches("authenticationName = 'SENSOR-7'", sensor));
  EXPECT_FALSE(Matches("authenticationName != 'sensor-7'", sensor));
  EXPECT_TRUE(
      Matches("attributes.floor = 3 AND attributes.room = '345' Or "
              "attributes.floor in [9]",
              sensor));
}

TEST(ClientGroupQueryTest, QuotesInsideStringsAreDoubled) {
  ClientResource client = Client("c");
  client.attributes["owner"] = std::string("O'Brien \"Bob\"");
  EXPECT_TRUE(Matches("attributes.owner = 'O''Brien \"Bob\"'", client));
  EXPECT_TRUE(Matches("attributes.owner = \"O'Brien \"\"Bob\"\"\"", client));
}

std::string Canonical(std::string_view query) {
  StatusOr<ClientGroupQuery> parsed = ClientGroupQuery::Parse(query);
  EXPECT_TRUE(parsed.ok()) << query << ": " << parsed.status();
  return parsed.ok() ? parsed->ToCanonicalText() : "";
}

TEST(ClientGroupQueryTest, CanonicalTextKeepsTheTreeAndNothingElse) {
  EXPECT_EQ(Canonical("attributes.floor<=5 AND attributes.x<>\"it's\""),
            "attributes.floor <= 5 and attributes.x != 'it''s'");
  EXPECT_EQ(Canonical("authenticationName in ['a','b']"),
            "authenticationName in ['a', 'b']");
  // Parentheses only where the tree needs them.
  EXPECT_EQ(Canonical("((attributes.a = 1)) or (attributes.b = 2 and "
                      "attributes.c = 3)"),
            "attributes.a = 1 or attributes.b = 2 and attributes.c = 3");
  EXPECT_EQ(Canonical("(attributes.a = 1 or attributes.b = 2) and "
                      "(attributes.c = 3 and attributes.d = -4)"),
            "(attributes.a = 1 or attributes.b = 2) and (attributes.c = 3 and "
            "attributes.d = -4)");
  EXPECT_EQ(ClientGroupQuery::MatchAll().ToCanonicalText(), "");
}

TEST(ClientGroupQueryTest, SameTreeComparesStructureNotText) {
  const StatusOr<ClientGroupQuery> a =
      ClientGroupQuery::Parse("attributes.a = 1 OR attributes.b <> 'x'");
  const StatusOr<ClientGroupQuery> b =
      ClientGroupQuery::Parse("(attributes.a=1) or attributes.b != \"x\"");
  const StatusOr<ClientGroupQuery> grouped =
      ClientGroupQuery::Parse("(attributes.a = 1 or attributes.b <> 'x')");
  const StatusOr<ClientGroupQuery> other =
      ClientGroupQuery::Parse("attributes.a = 1 or attributes.b = 'x'");
  ASSERT_TRUE(a.ok() && b.ok() && grouped.ok() && other.ok());
  EXPECT_TRUE(a->SameTree(*b));
  EXPECT_TRUE(a->SameTree(*grouped));
  EXPECT_FALSE(a->SameTree(*other));
}

TEST(ClientGroupQueryTest, MatchAllHoldsEveryClient) {
  EXPECT_TRUE(ClientGroupQuery::MatchAll().Matches(Client("x")));
  EXPECT_TRUE(ClientGroupQuery::MatchAll().Matches(Sensor()));
}

TEST(ClientGroupQueryTest, NestingWithinTheBoundParses) {
  std::string query;
  for (size_t i = 0; i < kMaximumQueryNesting; ++i) query += "(";
  query += "attributes.floor = 3";
  for (size_t i = 0; i < kMaximumQueryNesting; ++i) query += ")";
  EXPECT_TRUE(Matches(query, Sensor()));
}

struct BadQuery {
  std::string text;
  std::string error;
};

TEST(ClientGroupQueryTest, RejectsBadQueriesWithTheColumn) {
  std::string too_deep(kMaximumQueryNesting + 1, '(');
  too_deep += "attributes.a = 1";
  std::string long_list = "attributes.a IN [1";
  for (size_t i = 1; i <= kMaximumInValues; ++i) {
    long_list += ", " + std::to_string(i);
  }
  long_list += "]";
  const BadQuery cases[] = {
      {"",
       "column 1: expected authenticationName or attributes.NAME, got end "
       "of query"},
      {"attributes.floor <=",
       "column 20: expected a value after '<=', got end of query"},
      {"attributes.floor <= 'five'",
       "column 21: '<=' compares integers; expected an integer, got "
       "''five''"},
      {"authenticationName < 3",
       "column 20: authenticationName is a string; '<' compares integers"},
      {"authenticationName = 3",
       "column 22: authenticationName is a string; expected a string, got "
       "'3'"},
      {"attributes.a = 1 and",
       "column 21: expected authenticationName or "
       "attributes.NAME, got end of query"},
      {"attributes.a = 1 attributes.b = 2",
       "column 18: expected 'and', 'or' or end of query, got 'attributes.b'"},
      {"(attributes.a = 1",
       "column 18: expected ')' to close the '(' at "
       "column 1, got end of query"},
      {"attributes.a IN 'x'",
       "column 17: expected '[' after 'in', got "
       "''x''"},
      {"attributes.a IN ['x' 'y']",
       "column 22: expected ',' or ']' in the 'in' list, got ''y''"},
      {"attributes.a IN []",
       "column 18: expected a value after '[', got "
       "']'"},
      {"attributes.a = 'open", "column 16: string has no closing quote"},
      {"attributes.a ! 'x'", "column 14: expected '!=', got '!'"},
      {"attributes.a = 99999999999999999999",
       "column 16: integer 99999999999999999999 is out of the 64-bit range"},
      {"attributes.a = 12ab", "column 16: expected an integer, got '12a...'"},
      {"attributes.a = @", "column 16: unexpected character '@'"},
      {"name = 'x'",
       "column 1: expected authenticationName or "
       "attributes.NAME (NAME: letters, digits, '_'), got "
       "'name'"},
      {"attributes.a-b = 'x'", "column 13: unexpected character '-'"},
      {"attributes.a 'x'",
       "column 14: expected an operator (=, !=, <>, <, "
       ">, <=, >=, in) after 'attributes.a', got ''x''"},
      {too_deep, "column 17: parentheses nest deeper than 16 levels"},
      {long_list, "an 'in' list holds at most 100 values"},
      {std::string(kMaximumQuerySize + 1, ' '),
       "expected at most 2048 bytes of query, got 2049"},
  };
  for (const BadQuery& bad : cases) {
    StatusOr<ClientGroupQuery> parsed = ClientGroupQuery::Parse(bad.text);
    ASSERT_FALSE(parsed.ok()) << bad.text;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr(bad.error))
        << bad.text;
  }
}

}  // namespace
}  // namespace mqlab::broker
