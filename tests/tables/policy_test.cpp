#include <gtest/gtest.h>

#include "tables_test_support.h"

namespace bullion::tables {
namespace {

TEST(Policy, ParsesShippedPolicy) {
  auto bits = parse_policy("cnt,argv");
  ASSERT_TRUE(bits.ok());
  EXPECT_EQ(*bits, 0x1u | 0x4u);
}

TEST(Policy, ParsesEveryNamedFlag) {
  auto bits = parse_policy("cnt,ahlt,argv,arge,seq,windata,user,group,trail,path,scnt,public,zonename,perzone");
  ASSERT_TRUE(bits.ok());
  EXPECT_EQ(*bits, 0x3fffu);
}

TEST(Policy, RoundTripsEverySingleBit) {
  for (uint32_t bit = 1; bit <= 0x2000; bit <<= 1) {
    std::string text = format_policy(bit);
    auto parsed = parse_policy(text);
    ASSERT_TRUE(parsed.ok()) << text;
    EXPECT_EQ(*parsed, bit) << text;
  }
}

TEST(Policy, FormatsInBitOrder) {
  EXPECT_EQ(format_policy(0x4 | 0x1 | 0x100), "cnt,argv,trail");
  EXPECT_EQ(format_policy(0), "none");
}

TEST(Policy, FormatsUnknownBitsInHex) { EXPECT_EQ(format_policy(0x1 | 0x10000), "cnt,0x10000"); }

TEST(Policy, AcceptsNoneAndWhitespace) {
  EXPECT_EQ(*parse_policy("none"), 0u);
  EXPECT_EQ(*parse_policy(" cnt , ahlt "), 0x3u);
}

TEST(Policy, RejectsUnknownNameNamingIt) {
  auto bits = parse_policy("cnt,bogus");
  ASSERT_FALSE(bits.ok());
  EXPECT_EQ(bits.error().code, Errc::Parse);
  EXPECT_EQ(bits.error().offset, 4u);
  EXPECT_NE(bits.error().message.find("'bogus'"), std::string::npos);
}

}  // namespace
}  // namespace bullion::tables
