#include "sim/duration_text.h"

#include <gtest/gtest.h>

namespace mqlab::sim {
namespace {

TEST(DurationTextTest, ParsesEveryUnit) {
  EXPECT_EQ(ParseDuration("0"), 0);
  EXPECT_EQ(ParseDuration("7ns"), 7);
  EXPECT_EQ(ParseDuration("12us"), 12 * kMicrosecond);
  EXPECT_EQ(ParseDuration("250ms"), 250 * kMillisecond);
  EXPECT_EQ(ParseDuration("90s"), 90 * kSecond);
  EXPECT_EQ(ParseDuration("10m"), 10 * kMinute);
  EXPECT_EQ(ParseDuration("2h"), 2 * kHour);
}

TEST(DurationTextTest, ParsesFractions) {
  EXPECT_EQ(ParseDuration("1.5s"), 1500 * kMillisecond);
  EXPECT_EQ(ParseDuration("0.25ms"), 250 * kMicrosecond);
  EXPECT_EQ(ParseDuration("1.000000001s"), kSecond + 1);
  EXPECT_EQ(ParseDuration("1.50ns"), std::nullopt);  // Below a nanosecond.
  EXPECT_EQ(ParseDuration("1.0ns"), 1);
}

TEST(DurationTextTest, RefusesWhatIsNotADuration) {
  for (const char* text :
       {"", "s", "10", "-5s", "5 s", "5sec", ".5s", "1.s", "1.2.3s", "abc",
        "99999999999999999999s", "3000000h"}) {
    EXPECT_EQ(ParseDuration(text), std::nullopt) << text;
  }
}

TEST(DurationTextTest, FormatsExactlyAndRoundTrips) {
  EXPECT_EQ(FormatDuration(0), "0s");
  EXPECT_EQ(FormatDuration(750), "750ns");
  EXPECT_EQ(FormatDuration(12500), "12.5us");
  EXPECT_EQ(FormatDuration(250 * kMillisecond), "250ms");
  EXPECT_EQ(FormatDuration(1500 * kMillisecond), "1.5s");
  EXPECT_EQ(FormatDuration(kHour), "3600s");
  EXPECT_EQ(FormatDuration(12 * kSecond + 345678901), "12.345678901s");
  EXPECT_EQ(FormatDuration(-2 * kMillisecond), "-2ms");
  for (Duration d : {Duration{1}, Duration{999}, Duration{1001},
                     Duration{123456789}, Duration{kHour + 1}}) {
    EXPECT_EQ(ParseDuration(FormatDuration(d)), d) << d;
  }
}

}  // namespace
}  // namespace mqlab::sim
