#include "text/numbers.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

namespace bullion::text {
namespace {

std::string u64(uint64_t v) {
  OutBuf out;
  append_u64(out, v);
  return {out.data(), out.size()};
}

TEST(Numbers, DecimalMatchesToStringAtEveryDigitCountBoundary) {
  uint64_t p = 1;
  for (int digits = 1; digits <= 20; ++digits) {
    for (uint64_t v : {p - 1, p, p + 1}) EXPECT_EQ(u64(v), std::to_string(v));
    if (digits < 20) p *= 10;
  }
  EXPECT_EQ(u64(UINT32_MAX), "4294967295");
  EXPECT_EQ(u64(uint64_t{UINT32_MAX} + 1), "4294967296");
  EXPECT_EQ(u64(UINT64_MAX), "18446744073709551615");
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100000; ++i) {
    const uint64_t v = rng() >> (rng() % 64);
    ASSERT_EQ(u64(v), std::to_string(v));
  }
}

TEST(Numbers, SignedAndOtherBases) {
  std::string out;
  append_i64(out, INT64_MIN);
  out += ' ';
  append_i64(out, -1);
  out += ' ';
  append_hex(out, 0xdeadbeef);
  out += ' ';
  append_oct(out, 040755);
  EXPECT_EQ(out, "-9223372036854775808 -1 deadbeef 40755");
}

std::string ipv6(const uint8_t* a) {
  std::string out;
  append_ipv6(out, a);
  return out;
}

// Every address whose eight groups are each one of a few telling values
// (zero runs of every length and place, ::ffff:, ::1), plus random ones:
// the text must be what the C library's inet_ntop writes.
TEST(Numbers, Ipv6MatchesInetNtop) {
  const uint16_t kGroups[] = {0, 1, 0xffff, 0x0db8};
  uint8_t a[16];
  char want[INET6_ADDRSTRLEN];
  for (uint32_t combo = 0; combo < (1u << 16); ++combo) {
    for (int i = 0; i < 8; ++i) {
      const uint16_t w = kGroups[(combo >> (2 * i)) & 3];
      a[2 * i] = static_cast<uint8_t>(w >> 8);
      a[2 * i + 1] = static_cast<uint8_t>(w);
    }
    ASSERT_NE(inet_ntop(AF_INET6, a, want, sizeof want), nullptr);
    ASSERT_EQ(ipv6(a), want) << combo;
  }
  std::mt19937 rng(11);
  for (int n = 0; n < 20000; ++n) {
    for (auto& b : a) b = static_cast<uint8_t>(rng() % 3 ? 0 : rng());
    ASSERT_NE(inet_ntop(AF_INET6, a, want, sizeof want), nullptr);
    ASSERT_EQ(ipv6(a), want);
  }
}

}  // namespace
}  // namespace bullion::text
