// Option text -> criteria: dates in both forms, file patterns, socket specs.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "bullion/select/selector.h"

namespace bullion::select {
namespace {

class InZone : public ::testing::Test {
 protected:
  void use(const char* tz) {
    setenv("TZ", tz, 1);
    tzset();
  }
  void TearDown() override { use("UTC"); }
};

TEST_F(InZone, CompactDatesAreLocalTime) {
  use("UTC");
  EXPECT_EQ(*parse_date_time("20240213223724"), 1707863844);
  EXPECT_EQ(*parse_date_time("20240213"), 1707782400);
  EXPECT_EQ(*parse_date_time("2024021322"), 1707861600);
  use("EST5");
  EXPECT_EQ(*parse_date_time("20240213223724"), 1707863844 + 5 * 3600);
}

TEST_F(InZone, IsoDatesCarryTheirZone) {
  use("EST5");
  EXPECT_EQ(*parse_date_time("2024-02-13T22:37:24Z"), 1707863844);
  EXPECT_EQ(*parse_date_time("2024-02-13T23:37:24+01:00"), 1707863844);
  EXPECT_EQ(*parse_date_time("2024-02-13T17:37:24-0500"), 1707863844);
  EXPECT_EQ(*parse_date_time("2024-02-13T22:37Z"), 1707863820);
}

TEST(ParseDate, IsoWithoutZoneIsRefusedWithAHint) {
  auto r = parse_date_time("2024-02-13T22:37:24");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("zone"), std::string::npos);
}

TEST(ParseDate, GarbageIsRefused) {
  EXPECT_FALSE(parse_date_time("2024021").ok());
  EXPECT_FALSE(parse_date_time("20241313").ok());
  EXPECT_FALSE(parse_date_time("yesterday").ok());
  EXPECT_FALSE(parse_day("2024-02-13").ok());
}

TEST_F(InZone, DayCoversItsFirstToLastSecond) {
  use("UTC");
  auto d = parse_day("20240213");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->first, 1707782400);
  EXPECT_EQ(d->second, 1707782400 + 86399);
}

TEST(ParseFilePatterns, CommasSplitBackslashCommaDoesNotTildeExcludes) {
  auto p = parse_file_patterns("^/etc/,~^/tmp/a\\,b,x");
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].regex, "^/etc/");
  EXPECT_FALSE(p[0].exclude);
  EXPECT_EQ(p[1].regex, "^/tmp/a,b");
  EXPECT_TRUE(p[1].exclude);
  EXPECT_EQ(p[2].regex, "x");
}

TEST(ParseSocket, AcceptsEveryForm) {
  auto port = parse_socket_spec("80");
  ASSERT_TRUE(port.ok());
  EXPECT_EQ(*port->port, 80);
  EXPECT_EQ(port->addr_type, 0u);
  auto v4 = parse_socket_spec("10.0.0.1:22");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->addr_type, 4u);
  EXPECT_EQ(*v4->port, 22);
  auto v6 = parse_socket_spec("[fe80::1]:443");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->addr_type, 16u);
  auto bare6 = parse_socket_spec("::1");
  ASSERT_TRUE(bare6.ok());
  EXPECT_FALSE(bare6->port.has_value());
  EXPECT_EQ(parse_socket_spec("/var/run/log")->unix_path, "/var/run/log");
  EXPECT_FALSE(parse_socket_spec("host.example:80").ok());
  EXPECT_FALSE(parse_socket_spec("70000").ok());
  EXPECT_FALSE(parse_socket_spec("").ok());
}

}  // namespace
}  // namespace bullion::select
