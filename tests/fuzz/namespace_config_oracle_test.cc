// The namespace_config oracle: the loader's refusals pass it, and a refusal
// that names no JSON path is reported.
#include "fuzz/namespace_config_oracle.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mqlab::fuzz {
namespace {

using ::testing::HasSubstr;

TEST(NamespaceConfigOracleTest, AcceptsThePathFormsTheLoaderUses) {
  for (const char* message : {
           "fuzz.json: $: expected an object, got 1",
           "fuzz.json: $.clients[2].properties.state: expected one of "
           "Enabled, Disabled, got \"Foo\"",
           "fuzz.json: parse error at line 1, column 2: syntax error",
           "fuzz.json: $[\"a: b\"].c: unknown field",
           "fuzz.json: $.x[\"[\\\"q\"][3]: expected an object, got 1",
       }) {
    EXPECT_EQ(CheckRefusalNamesPath(message, "fuzz.json"), std::nullopt)
        << message;
  }
}

TEST(NamespaceConfigOracleTest, ReportsARefusalWithoutAPath) {
  EXPECT_THAT(CheckRefusalNamesPath("fuzz.json: expected a client", "fuzz.json")
                  .value_or(""),
              HasSubstr("no \"PATH: what was expected\""));
  EXPECT_THAT(CheckRefusalNamesPath("fuzz.json: clients: bad", "fuzz.json")
                  .value_or(""),
              HasSubstr("names no JSON path"));
  EXPECT_THAT(
      CheckRefusalNamesPath("$.clients[x]: bad", "fuzz.json").value_or(""),
      HasSubstr("does not start with"));
  EXPECT_TRUE(CheckRefusalNamesPath("fuzz.json: $.clients[1: bad", "fuzz.json")
                  .has_value());
}

TEST(NamespaceConfigOracleTest, TheLoaderKeepsItsPromiseOnBadFiles) {
  for (const char* text : {
           "",
           "[",
           "{\"clients\": 3}",
           "{\"clients\": [{\"name\": 1}]}",
           "{\"namespace\": {\"name\": \"n\", \"name\": \"m\"}}",
           "{\"clients\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}",
           "{\"bogus\": true}",
           // A key that is no plain name is quoted in the path (found by
           // the fuzzer: "$.[amespace: field ... appears twice").
           "{\"[amespace\": {\"name\": 1, \"name\": 2}}",
           "{\"a: b\": 1}",
           // A number out of range gets a line and column too (found by the
           // fuzzer: "number overflow parsing ..." had no place).
           "{\"a\":\n 4e0000000000000000000000000000000000000000000000000999}",
           "{\"namespace\": {\"\\\"]\": {}}}",
           "{}",
       }) {
    EXPECT_EQ(CheckNamespaceLoad(text), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace mqlab::fuzz
