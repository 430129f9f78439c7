#include <gtest/gtest.h>

#include "tables_test_support.h"

namespace bullion::tables {
namespace {

constexpr uint64_t kDay = 86400;

ExpireAfter expire(std::string_view text) {
  auto parsed = parse_expire_after(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.error().message;
  return parsed.ok() ? *parsed : ExpireAfter{};
}

TEST(ExpireAfter, ParsesSizeOnly) {
  ExpireAfter e = expire("10M");
  EXPECT_EQ(e.size_bytes, 10u << 20);
  EXPECT_FALSE(e.age_seconds.has_value());
  EXPECT_EQ(e.join, ExpireAfter::Join::None);
}

TEST(ExpireAfter, ParsesAgeOnly) {
  EXPECT_EQ(expire("60d").age_seconds, 60 * kDay);
  EXPECT_EQ(expire("12h").age_seconds, 12 * 3600u);
  EXPECT_EQ(expire("90s").age_seconds, 90u);
  EXPECT_EQ(expire("1y").age_seconds, 365 * kDay);
}

TEST(ExpireAfter, ParsesAgeOrSize) {
  ExpireAfter e = expire("1y OR 500M");
  EXPECT_EQ(e.age_seconds, 365 * kDay);
  EXPECT_EQ(e.size_bytes, 500u << 20);
  EXPECT_EQ(e.join, ExpireAfter::Join::Or);
}

TEST(ExpireAfter, ParsesSizeAndAgeCaseInsensitively) {
  ExpireAfter e = expire("10M and  30d");
  EXPECT_EQ(e.size_bytes, 10u << 20);
  EXPECT_EQ(e.age_seconds, 30 * kDay);
  EXPECT_EQ(e.join, ExpireAfter::Join::And);
}

TEST(ExpireAfter, RejectsMalformedText) {
  EXPECT_FALSE(parse_expire_after("").ok());
  EXPECT_FALSE(parse_expire_after("10M 30d").ok());
  EXPECT_FALSE(parse_expire_after("10M XOR 30d").ok());
  EXPECT_FALSE(parse_expire_after("10M AND 20M").ok());
  EXPECT_FALSE(parse_expire_after("ten days").ok());
  EXPECT_FALSE(parse_expire_after("10M OR").ok());
  auto bad = parse_expire_after("1w");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::Parse);
  EXPECT_NE(bad.error().message.find("1w"), std::string::npos);
}

}  // namespace
}  // namespace bullion::tables
